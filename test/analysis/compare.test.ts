/**
 * Paired comparison: the statistics on hand-made numbers whose answers are
 * worked out by hand, the rows of compare.csv, and on real runs that pairing
 * (common random numbers) narrows the CI of a difference compared with runs on
 * independent seeds.
 */
import { describe, expect, it } from 'vitest';
import { compareCsv, compareRows, COMPARE_HEADER, metricValues, pairedDifference, scenarioLabels, welchDifference, worstDiffHalfWidth } from '../../src/analysis/compare.js';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';
import type { PackedResult } from '../../src/experiment/run-one.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runAll } from '../../src/experiment/pool.js';
import { replicateSeeds } from '../../src/experiment/replicates.js';

/** A fake run: `values[y]` is stagnation_share in year 2026 + y; every other metric is NaN. */
function fake(values: number[], seed = 1): PackedResult {
  const m = METRIC_NAMES.length;
  const metrics = new Float64Array(values.length * m).fill(NaN);
  values.forEach((v, i) => (metrics[i * m + METRIC_NAMES.indexOf('stagnation_share')] = v));
  return { seed, years: values.map((_, i) => 2026 + i), metrics, phaseSeconds: {}, cadres: 0, posts: 0 };
}

describe('paired and unpaired differences', () => {
  // a = [1, 2, 3, 4], b = [2, 4, 5, 7].
  // Differences d = [1, 2, 2, 3]: mean 2, variance (1 + 0 + 0 + 1)/3 = 2/3, sd 0.8164966;
  // half-width t(0.975, 3) · sd / √4 = 3.182 · 0.8164966 / 2 = 1.2990461.
  // Welch: var a = 5/3, var b = 13/3; se² = 5/12 + 13/12 = 1.5, se = 1.2247449;
  // df = 1.5² / ((5/12)²/3 + (13/12)²/3) = 2.25 / 0.4490741 = 5.0103 → t = 2.571 (table at df 5);
  // half-width 2.571 · 1.2247449 = 3.1488191.
  const a = [1, 2, 3, 4];
  const b = [2, 4, 5, 7];

  it('pairs replicate by replicate (Student’s t on the differences)', () => {
    const d = pairedDifference(a, b);
    expect(d.n).toBe(4);
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.sd).toBeCloseTo(0.8164966, 6);
    expect(d.ciLow).toBeCloseTo(2 - 1.2990461, 6);
    expect(d.ciHigh).toBeCloseTo(2 + 1.2990461, 6);
  });

  it('gives the Welch interval the same difference would have without pairing', () => {
    const w = welchDifference(a, b);
    expect(w.mean).toBeCloseTo(2, 12);
    expect(w.df).toBeCloseTo(5.0103, 3);
    expect(w.ciLow).toBeCloseTo(2 - 3.1488191, 6);
    expect(w.ciHigh).toBeCloseTo(2 + 3.1488191, 6);
  });

  it('depends on the order of the pairs, the Welch interval does not', () => {
    const shuffled = [7, 5, 4, 2];
    const d = pairedDifference(a, shuffled);
    expect(d.mean).toBeCloseTo(2, 12);
    // d = [6, 3, 1, −2]: variance (16 + 1 + 1 + 16)/3 = 34/3, sd 3.3665016, half-width 3.182 · 3.3665016 / 2 = 5.3561040.
    expect(d.ciHigh).toBeCloseTo(2 + 5.356104, 5);
    const w = welchDifference(a, shuffled);
    expect(w.ciLow).toBeCloseTo(2 - 3.1488191, 6);
  });

  it('leaves out pairs with an undefined value, and is undefined below two pairs', () => {
    const d = pairedDifference([1, NaN, 3, 4], [2, 5, NaN, 7]);
    // Pairs (1, 2) and (4, 7): d = [1, 3], mean 2, sd √2, half-width 12.706 · √2 / √2 = 12.706.
    expect(d.n).toBe(2);
    expect(d.mean).toBeCloseTo(2, 12);
    expect(d.ciHigh).toBeCloseTo(2 + 12.706, 6);
    const one = pairedDifference([1, NaN], [2, 3]);
    expect(one.n).toBe(1);
    expect(Number.isNaN(one.ciLow)).toBe(true);
    expect(Number.isNaN(welchDifference([1], [2, 3]).ciLow)).toBe(true);
    expect(() => pairedDifference([1, 2], [1])).toThrow(/equal lengths/);
  });

  it('a constant difference has a zero-width interval', () => {
    const d = pairedDifference([1, 2, 3], [1.5, 2.5, 3.5]);
    expect(d.mean).toBeCloseTo(0.5, 12);
    expect(d.ciHigh - d.ciLow).toBeCloseTo(0, 12);
  });
});

describe('compare.csv rows', () => {
  const runs = [
    [fake([0.1, 1]), fake([0.2, 2]), fake([0.3, 3]), fake([0.4, 4])],
    [fake([0.1, 2]), fake([0.2, 4]), fake([0.3, 5]), fake([0.4, 7])],
    [fake([0.1, 1.5]), fake([0.2, 2.5]), fake([0.3, 3.5]), fake([0.4, 4.5])],
  ];

  it('per metric, year and scenario, with the paired difference against the first scenario', () => {
    const rows = compareRows(runs, ['base', 'b', 'c'], [2027]);
    expect(rows.length).toBe(METRIC_NAMES.length * 3);
    const csv = compareCsv(rows).split('\n');
    expect(csv[0]).toBe(COMPARE_HEADER.join(','));
    expect(csv[0]).toBe('metric,year,scenario,n,mean,ci_low,ci_high,diff_mean,diff_ci_low,diff_ci_high,diff_sd,unpaired_diff_ci_low,unpaired_diff_ci_high,parametric_share,diff_parametric_share');
    // The first scenario: mean 2.5, sd √(5/3), half-width 3.182 · 1.2909944 / 2 = 2.0539721; diff cells empty.
    const first = csv[1]!.split(',');
    expect(first.slice(0, 5)).toEqual(['stagnation_share', '2027', 'base', '4', '2.5']);
    expect(Number(first[5])).toBeCloseTo(2.5 - 2.0539721, 6);
    expect(Number(first[6])).toBeCloseTo(2.5 + 2.0539721, 6);
    expect(first.slice(7)).toEqual(['', '', '', '', '', '', '', '']);
    const b = csv[2]!.split(',');
    expect(b.slice(0, 5)).toEqual(['stagnation_share', '2027', 'b', '4', '4.5']);
    expect(Number(b[7])).toBeCloseTo(2, 9);
    expect(Number(b[8])).toBeCloseTo(2 - 1.2990461, 6);
    expect(Number(b[9])).toBeCloseTo(2 + 1.2990461, 6);
    expect(Number(b[10])).toBeCloseTo(0.8164966, 6);
    expect(Number(b[11])).toBeCloseTo(2 - 3.1488191, 6);
    expect(Number(b[12])).toBeCloseTo(2 + 3.1488191, 6);
    // A metric that is undefined everywhere: empty cells, n = 0.
    const undef = csv.find((l) => l.startsWith(`${METRIC_NAMES[1]},2027,b,`))!;
    expect(undef).toBe(`${METRIC_NAMES[1]},2027,b,0,,,,,,,,,,,`);
  });

  it('over a posterior, adds the share of the variance due to the parameters, of each level and paired difference (hand-worked)', () => {
    // Replicates 0–1 ran one particle, 2–3 another (groups [0, 0, 1, 1]). In 2027:
    // base [1, 2, 3, 4]: group means 1.5, 3.5; MSB = 2·(1 + 1)/1 = 4, MSW = (0.5 + 0.5)/2 = 0.5; σ²_b = (4 − 0.5)/2 = 1.75, share 1.75/2.25 = 7/9.
    // b [2, 4, 5, 7]: means 3, 6; MSB = 9, MSW = 2; σ²_b = 3.5, share 3.5/5.5 = 7/11.
    // b − base [1, 2, 2, 3]: means 1.5, 2.5; MSB = 1, MSW = 0.5; σ²_b = 0.25, share 1/3.
    const rows = compareRows(runs, ['base', 'b', 'c'], [2027], METRIC_NAMES, [0, 0, 1, 1]);
    const at = (sc: string) => rows.find((r) => r.metric === 'stagnation_share' && r.scenario === sc)!;
    expect(at('base').parametricShare).toBeCloseTo(7 / 9, 12);
    expect(at('base').diffParametricShare).toBeUndefined();
    expect(at('b').parametricShare).toBeCloseTo(7 / 11, 12);
    expect(at('b').diffParametricShare).toBeCloseTo(1 / 3, 12);
    // The CIs are over the draws: b − base has draw means 1.5 and 2.5, mean 2, sd √0.5, half-width 12.706 · √0.5 / √2 = 6.353.
    expect(at('b').diff!.mean).toBeCloseTo(2, 12);
    expect(at('b').diff!.ciHigh).toBeCloseTo(2 + 6.353, 9);
    expect(at('b').diff!.n).toBe(4);
    const csv = compareCsv(rows).split('\n');
    const cells = csv.find((l) => l.startsWith('stagnation_share,2027,b,'))!.split(',');
    expect(Number(cells[13])).toBeCloseTo(7 / 11, 9);
    expect(Number(cells[14])).toBeCloseTo(1 / 3, 9);
    expect(csv.find((l) => l.startsWith('stagnation_share,2027,base,'))!.split(',').slice(13)).toEqual(['0.7777777778', '']);
  });

  it('the precision of a comparison is the widest paired interval over the other scenarios', () => {
    // b − base: half-width 1.2990461; c − base = 0.5 every replicate: half-width 0.
    expect(worstDiffHalfWidth(runs, 'stagnation_share', 2027)).toBeCloseTo(1.2990461, 6);
    expect(worstDiffHalfWidth([runs[0]!, runs[2]!], 'stagnation_share', 2027)).toBeCloseTo(0, 12);
    expect(Number.isNaN(worstDiffHalfWidth(runs, METRIC_NAMES[1]!, 2027))).toBe(true);
    expect(Array.from(metricValues(runs[1]!, 'stagnation_share', 2026))).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(Number.isNaN(metricValues(runs[1]!, 'stagnation_share', 2030)[0]!)).toBe(true);
  });

  it('labels scenarios by name, adding the file where names repeat', () => {
    expect(scenarioLabels(['base', 'reform'], ['a.json', 'b.json'])).toEqual(['base', 'reform']);
    expect(scenarioLabels(['x', 'x', 'y'], ['dir/a.json', 'b.json', 'c.json'])).toEqual(['x@a', 'x@b', 'y']);
    expect(scenarioLabels(['x', 'x'], ['a/s.json', 'b/s.json'])).toEqual(['x@s#1', 'x@s#2']);
  });
});

describe('pairing narrows the interval of a difference', { timeout: 120_000 }, () => {
  it('stagnation_share_all after a tenure reform: common random numbers against independent seeds', async () => {
    // The reform scenarios ship as the baseline with a reform (README "Scenarios"), so the
    // burn-in is shared; here maxTenure = 6 from the first reported year.
    const base = parseScenario({ name: 'base', seed: 5, startYear: 2026, years: 3, burnIn: 6, replicates: 6, world: { preset: 'gansu', scale: 0.04 } });
    const reform = parseScenario({ ...base, name: 'tenure6', reforms: [{ year: 2026, policy: { maxTenure: 6 } }] });
    const seeds = replicateSeeds(base, 6);
    const other = replicateSeeds({ ...base, seed: 6 }, 6);
    expect(other.some((s) => seeds.includes(s))).toBe(false);
    const [a, b, ind] = await Promise.all([
      runAll(seeds.map((seed) => ({ scenario: base, seed })), { threads: 2 }),
      runAll(seeds.map((seed) => ({ scenario: reform, seed })), { threads: 2 }),
      runAll(other.map((seed) => ({ scenario: reform, seed })), { threads: 2 }),
    ]);
    const year = 2028;
    // The all-cadre measure: with the limits enforced before the reform, few leading cadres are past
    // 6 years, and the reform's effect on stagnation_share is a handful of cadres per replicate.
    const m = 'stagnation_share_all';
    const va = metricValues(a, m, year);
    const paired = pairedDifference(va, metricValues(b, m, year));
    const sameRunsUnpaired = welchDifference(va, metricValues(b, m, year));
    const independent = welchDifference(va, metricValues(ind, m, year));
    const w = { paired: paired.ciHigh - paired.ciLow, unpaired: sameRunsUnpaired.ciHigh - sameRunsUnpaired.ciLow, independent: independent.ciHigh - independent.ciLow };
    expect(paired.n).toBe(6);
    expect(w.paired).toBeGreaterThan(0);
    expect(w.paired).toBeLessThan(w.independent);
    expect(w.paired).toBeLessThan(w.unpaired);
    // Not a marginal gain: well under two thirds of the independent width.
    expect(w.paired).toBeLessThan((2 / 3) * w.independent);
  });
});
