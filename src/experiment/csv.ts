/**
 * CSV as pandas, R and DuckDB read it without options: a header row, commas,
 * `.` decimals, UTF-8, no index column; an undefined value is an empty cell.
 * Numbers are written with at most 10 significant digits so that the same
 * values give the same bytes on every machine.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(10)));
}

export function quote(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: (string | number)[]): string {
  return cells.map((c) => (typeof c === 'number' ? formatNumber(c) : quote(c))).join(',') + '\n';
}
