/**
 * CSV as pandas, R and DuckDB read it without options: a header row, commas,
 * `.` decimals, UTF-8, no index column; an undefined value is an empty cell.
 * Numbers are written with at most 10 significant digits so that the same
 * values give the same bytes on every machine. Booleans are TRUE and FALSE,
 * which R's read.csv and readr read as logical, pandas as bool and DuckDB as
 * BOOLEAN.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  const s = x.toPrecision(10);
  // In fixed notation (decimal exponent −6…9) the value is the digits of s without the
  // trailing zeros: a decimal of at most 15 significant digits is the shortest form of the
  // double nearest to it, which is what String(Number(s)) prints. (A sweep writes hundreds
  // of thousands of numbers; this skips parsing each one back.)
  if (s.indexOf('e') < 0) {
    if (s.indexOf('.') < 0) return s;
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48) end--; // '0'
    if (s.charCodeAt(end - 1) === 46) end--; // '.'
    return end === s.length ? s : s.slice(0, end);
  }
  return String(Number(s));
}

export function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A boolean cell: TRUE or FALSE. */
export function formatBoolean(b: boolean): string {
  return b ? 'TRUE' : 'FALSE';
}

/** Reads a boolean cell: TRUE or FALSE (and true or false, as files of earlier versions have them). */
export function parseBoolean(cell: string | undefined): boolean | undefined {
  if (cell === 'TRUE' || cell === 'true') return true;
  if (cell === 'FALSE' || cell === 'false') return false;
  return undefined;
}

export function csvRow(cells: (string | number | boolean)[]): string {
  return cells.map((c) => (typeof c === 'number' ? formatNumber(c) : typeof c === 'boolean' ? formatBoolean(c) : quote(c))).join(',') + '\n';
}
