/** Readable terminal tables of headline metrics (mean and 95% CI at chosen years), and the cells they share with compare's. */
import { HEADLINE } from '../metrics/definitions.js';
import type { Summary } from '../experiment/stats.js';
import { allEqual } from '../report/ci.js';

/** What the cells mean, printed above a table. */
export const CELL_LEGEND = 'mean [95% CI] over replicates; "(all replicates)": every replicate gave that value, so there is no interval to show';

/** Decimals for a metric whose reference mean is `mean`: 0 from 100, 1 from 10, else 3. */
export function digitsFor(mean: number): number {
  const a = Math.abs(mean);
  return !Number.isFinite(a) ? 3 : a >= 100 ? 0 : a >= 10 ? 1 : 3;
}

function fixed(x: number, d: number, sign = false): string {
  const s = x.toFixed(d);
  if (Number(s) === 0) return (0).toFixed(d); // no "-0.000"
  return sign && x > 0 ? `+${s}` : s;
}

/**
 * A mean over replicates: `mean [low, high]` (the interval of report/ci.ts, asymmetric
 * for shares near 0 or 1), `mean (all replicates)` when every replicate gave the same
 * value, the mean alone below two replicates, '–' when undefined.
 */
export function levelCell(s: Summary | undefined, d = s ? digitsFor(s.mean) : 3): string {
  if (!s || s.n === 0 || !Number.isFinite(s.mean)) return '–';
  const m = fixed(s.mean, d);
  if (allEqual({ low: s.ciLow, high: s.ciHigh })) return `${m} (all replicates)`;
  return Number.isFinite(s.ciLow) ? `${m} [${fixed(s.ciLow, d)}, ${fixed(s.ciHigh, d)}]` : m;
}

/** A paired difference: `+mean ± half-width` (Student's t, symmetric), or `+mean (all replicates)` when every pair differed by the same amount. */
export function diffCell(s: Summary | undefined, d: number): string {
  if (!s || s.n === 0 || !Number.isFinite(s.mean)) return '–';
  const m = fixed(s.mean, d, true);
  if (allEqual({ low: s.ciLow, high: s.ciHigh })) return `${m} (all replicates)`;
  return Number.isFinite(s.ciLow) ? `${m} ± ${((s.ciHigh - s.ciLow) / 2).toFixed(d)}` : m;
}

export function headlineTable(summ: { metric: string; year: number; s: Summary }[], years: number[]): string {
  const byKey = new Map(summ.map((x) => [`${x.metric}@${x.year}`, x.s]));
  const header = ['metric', ...years.map(String)];
  const rows = HEADLINE.map((m) => [m, ...years.map((y) => levelCell(byKey.get(`${m}@${y}`)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
