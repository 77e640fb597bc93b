/** A readable terminal table of headline metrics (mean and 95% CI at chosen years). */
import { HEADLINE } from '../metrics/definitions.js';
import type { Summary } from '../experiment/stats.js';

function fmt(s: Summary | undefined): string {
  if (!s || s.n === 0) return '–';
  const d = Math.abs(s.mean) >= 100 ? 0 : Math.abs(s.mean) >= 10 ? 1 : 3;
  const half = Number.isFinite(s.ciHigh) ? ` ± ${((s.ciHigh - s.ciLow) / 2).toFixed(d)}` : '';
  return `${s.mean.toFixed(d)}${half}`;
}

export function headlineTable(summ: { metric: string; year: number; s: Summary }[], years: number[]): string {
  const byKey = new Map(summ.map((x) => [`${x.metric}@${x.year}`, x.s]));
  const header = ['metric', ...years.map(String)];
  const rows = HEADLINE.map((m) => [m, ...years.map((y) => fmt(byKey.get(`${m}@${y}`)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
