/**
 * The cells of the terminal tables of `run` and `compare`: a mean with its
 * 95% interval (asymmetric for shares), "(all replicates)" instead of a
 * misleading "± 0" when every replicate gave the same value, and paired
 * differences as ± half-widths (Student's t).
 */
import { describe, expect, it } from 'vitest';
import { diffCell, digitsFor, headlineTable, levelCell } from '../../src/cli/table.js';
import { summarize, summarizeMetric } from '../../src/experiment/stats.js';
import { HEADLINE } from '../../src/metrics/definitions.js';

describe('terminal cells', () => {
  it('a share: its interval in brackets, inside [0, 1]', () => {
    const s = summarizeMetric('team_stagnation_share', [0, 0, 0, 0.01]);
    expect(levelCell(s)).toBe(`0.003 [${s.ciLow.toFixed(3)}, ${s.ciHigh.toFixed(3)}]`);
    expect(s.ciLow).toBeGreaterThan(0);
    expect(levelCell(s)).not.toMatch(/-/);
  });

  it('every replicate the same: "(all replicates)", never "0 ± 0"', () => {
    expect(levelCell(summarizeMetric('team_stagnation_share', [0, 0, 0]))).toBe('0.000 (all replicates)');
    expect(levelCell(summarize([12, 12]))).toBe('12.0 (all replicates)');
    expect(diffCell(summarize([0, 0, 0]), 3)).toBe('0.000 (all replicates)');
    expect(diffCell(summarize([0.5, 0.5]), 3)).toBe('+0.500 (all replicates)');
  });

  it('one replicate: the mean alone; none: a dash', () => {
    expect(levelCell(summarize([0.25]))).toBe('0.250');
    expect(levelCell(summarize([]))).toBe('–');
    expect(levelCell(undefined)).toBe('–');
  });

  it('paired differences: signed mean ± the Student’s t half-width, no "-0.000"', () => {
    // d = [1, 2, 2, 3]: mean 2, half-width 3.182 · 0.8164966 / 2 = 1.2990461.
    expect(diffCell(summarize([1, 2, 2, 3]), 3)).toBe('+2.000 ± 1.299');
    expect(diffCell(summarize([-1, -2, -2, -3]), 1)).toBe('-2.0 ± 1.3');
    expect(diffCell(summarize([-0.0001, 0.00005, 0]), 3)).toMatch(/^0\.000 ± /);
    expect(digitsFor(150)).toBe(0);
    expect(digitsFor(-12)).toBe(1);
    expect(digitsFor(NaN)).toBe(3);
  });

  it('the headline table has a row per headline metric', () => {
    const rows = HEADLINE.map((metric) => ({ metric, year: 2030, s: summarizeMetric(metric, [0, 0]) }));
    const t = headlineTable(rows, [2030]).split('\n');
    expect(t.length).toBe(2 + HEADLINE.length);
    for (const line of t.slice(2)) expect(line).toMatch(/0\.000 \(all replicates\)$/);
  });
});
