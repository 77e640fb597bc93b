/**
 * Reading the CSV files of a results directory (the format of
 * src/experiment/csv.ts: header row, commas, `"` quoting, empty cell = no
 * value). Small and strict rather than general: what we write, we read.
 */
export interface Table {
  header: string[];
  rows: string[][];
}

/** Splits CSV text into rows of cells, honouring quoted cells with commas, quotes and newlines. */
export function parseCsv(text: string): Table {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      cell += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\n' || ch === '\r') {
      row.push(cell); cell = '';
      rows.push(row); row = [];
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      continue;
    }
    cell += ch; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const nonEmpty = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  return { header: nonEmpty[0] ?? [], rows: nonEmpty.slice(1) };
}

/** A number from a cell; NaN for an empty or non-numeric cell. */
export function num(cell: string | undefined): number {
  if (cell === undefined || cell === '') return NaN;
  const x = Number(cell);
  return Number.isFinite(x) ? x : NaN;
}

/** Column index by name, or -1. */
export function col(t: Table, name: string): number {
  return t.header.indexOf(name);
}

/** Rows as objects keyed by the header (for small tables). */
export function records(t: Table): Record<string, string>[] {
  return t.rows.map((r) => Object.fromEntries(t.header.map((h, j) => [h, r[j] ?? ''])));
}
