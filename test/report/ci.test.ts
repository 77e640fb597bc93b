/**
 * The 95% interval of a mean over replicates (src/report/ci.ts), shared by
 * summary.csv, compare.csv, the terminal tables, the report and the page:
 * Student's t on any scale, and for metrics in [0, 1] a score (Wilson-type)
 * interval. Properties on random inputs, values worked out by hand, the
 * same numbers simple-statistics gives, and coverage against a known mean.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';
import { allEqual, meanCI, t975 } from '../../src/report/ci.js';
import { summarize, summarizeMetric } from '../../src/experiment/stats.js';
import { METRICS, METRIC_NAMES, SHARES, UNIT_RANGE } from '../../src/metrics/definitions.js';
import { Stream } from '../../src/random/stream.js';

/** Replicate values of a share: doubles in [0, 1], often exactly 0 or 1, now and then undefined. */
const shareValue = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1e-6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(NaN) },
);

describe('the interval of a share', () => {
  it('stays inside [0, 1] and contains the mean (property)', () => {
    fc.assert(
      fc.property(fc.array(shareValue, { minLength: 0, maxLength: 40 }), (xs) => {
        const c = meanCI(xs, true);
        const defined = xs.filter(Number.isFinite);
        expect(c.n).toBe(defined.length);
        if (c.n < 2) {
          expect(c.low).toBeNaN();
          expect(c.high).toBeNaN();
          return;
        }
        expect(c.low).toBeGreaterThanOrEqual(0);
        expect(c.high).toBeLessThanOrEqual(1);
        expect(c.low).toBeLessThanOrEqual(c.mean);
        expect(c.mean).toBeLessThanOrEqual(c.high);
        // Zero width exactly when every defined value is the same.
        expect(allEqual(c)).toBe(defined.every((v) => v === defined[0]));
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it('solves |m − μ| ≤ t · se · √(μ(1 − μ) / (m(1 − m))) for μ (worked by hand)', () => {
    // [0.1, 0.2, 0.3, 0.4]: m = 0.25, se = 0.1290994/2 = 0.0645497, t(0.975, 3) = 3.182;
    // c = t² se² / (m(1 − m)) = 10.125124 · 0.0041667 / 0.1875 = 0.2250028; (m − μ)² = c μ(1 − μ) has
    // the roots (2m + c ∓ √(c² + 4c m(1 − m)))/(2(1 + c)) = (0.7250028 ∓ 0.4683784)/2.4500055 = 0.1047444, 0.4870932.
    const c = meanCI([0.1, 0.2, 0.3, 0.4], true);
    expect(c.mean).toBeCloseTo(0.25, 15);
    expect(c.low).toBeCloseTo(0.1047444, 7);
    expect(c.high).toBeCloseTo(0.4870932, 7);
    for (const mu of [c.low, c.high]) expect((0.25 - mu) ** 2).toBeCloseTo(0.2250028 * mu * (1 - mu), 7);
    // Student's t would give 0.25 ± 0.2053972: [0.0446028, 0.4553972].
    const t = meanCI([0.1, 0.2, 0.3, 0.4]);
    expect(t.low).toBeCloseTo(0.0446028, 7);
    expect(t.high).toBeCloseTo(0.4553972, 7);
  });

  it('near 0 it is asymmetric and does not go below 0, where Student’s t does', () => {
    // One replicate of four with a positive share: the t interval reaches below 0.
    const xs = [0, 0, 0, 0.01];
    expect(meanCI(xs).low).toBeLessThan(0);
    const c = meanCI(xs, true);
    expect(c.low).toBeGreaterThan(0);
    expect(c.high - c.mean).toBeGreaterThan(c.mean - c.low);
    // Wide, as four replicates of which one is positive warrant, but not the whole of [0, 1].
    expect(c.high).toBeCloseTo(0.0294173, 6);
    // The mirror image near 1.
    const m = meanCI(xs.map((x) => 1 - x), true);
    expect(m.high).toBeLessThan(1);
    expect(m.low).toBeCloseTo(1 - c.high, 12);
    expect(m.high).toBeCloseTo(1 - c.low, 12);
  });

  it('is the point when every replicate has the same value, 0 and 1 included', () => {
    for (const v of [0, 1, 0.3]) {
      const c = meanCI([v, v, NaN, v], true);
      expect(c).toEqual({ n: 3, mean: v, sd: 0, low: v, high: v });
      expect(allEqual(c)).toBe(true);
    }
    expect(allEqual(meanCI([0.3]))).toBe(false);
    expect(allEqual(meanCI([0.3, 0.4]))).toBe(false);
  });

  it('falls back to Student’s t for a value outside [0, 1]', () => {
    expect(meanCI([0.5, 1.5, 2], true)).toEqual(meanCI([0.5, 1.5, 2]));
    expect(meanCI([-0.1, 0.2, 0.3], true)).toEqual(meanCI([-0.1, 0.2, 0.3]));
  });

  it('covers a known mean in about 95% of 1000 trials', () => {
    // Replicate shares from two distributions with known means, on fixed seeds:
    // a binomial share (50 cadres, p = 0.03: a quarter of the replicates are 0)
    // and a Beta(2, 30) share (the 2nd smallest of 31 uniforms, mean 2/32).
    const cases: { name: string; mean: number; n: number; draw: (s: Stream) => number }[] = [
      { name: 'binomial(50, 0.03)/50, 8 replicates', mean: 0.03, n: 8, draw: (s) => { let k = 0; for (let i = 0; i < 50; i++) if (s.next() < 0.03) k++; return k / 50; } },
      { name: 'Beta(2, 30), 5 replicates', mean: 2 / 32, n: 5, draw: (s) => Array.from({ length: 31 }, () => s.next()).sort((a, b) => a - b)[1]! },
    ];
    for (const c of cases) {
      const s = new Stream(20240917, c.name, 0);
      let covered = 0;
      let negative = 0;
      for (let trial = 0; trial < 1000; trial++) {
        const xs = Array.from({ length: c.n }, () => c.draw(s));
        const ci = meanCI(xs, true);
        if (ci.low <= c.mean && c.mean <= ci.high) covered++;
        if (meanCI(xs).low < 0) negative++;
      }
      expect(covered, c.name).toBeGreaterThanOrEqual(900);
      expect(covered, c.name).toBeLessThanOrEqual(990);
      // What the interval replaces: Student's t went below 0 in some of these trials.
      expect(negative, c.name).toBeGreaterThan(0);
    }
  });
});

describe('one definition of the interval', () => {
  it('the t interval has the numbers of simple-statistics, so summary.csv keeps its values for metrics on any scale', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 30 }), (xs) => {
        fc.pre(!xs.every((v) => v === xs[0]));
        const c = meanCI(xs);
        const m = ssMean(xs), sd = sampleStandardDeviation(xs);
        expect(c.mean).toBe(m);
        expect(c.sd).toBe(sd);
        const h = (t975(xs.length - 1) * sd) / Math.sqrt(xs.length);
        expect(c.low).toBe(m - h);
        expect(c.high).toBe(m + h);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('summary.csv’s summaries are meanCI’s, in [0, 1] for the metrics marked so', () => {
    const xs = [0, 0, 0.002, 0.01];
    expect(summarize(xs)).toEqual({ n: 4, mean: meanCI(xs).mean, sd: meanCI(xs).sd, ciLow: meanCI(xs).low, ciHigh: meanCI(xs).high });
    const share = summarizeMetric('team_stagnation_share', xs);
    expect(share.ciLow).toBe(meanCI(xs, true).low);
    expect(share.ciLow).toBeGreaterThan(0);
    expect(summarizeMetric('moves_per_100', xs).ciLow).toBeLessThan(0);
  });

  it('marks shares and rates per cadre, and no counts, ratios, years or chain lengths', () => {
    for (const m of ['stagnation_share', 'team_stagnation_share', 'stagnation_share_rank2', 'exchange_coverage', 'hardship_vacancy_rate', 'quit_rate', 'promotion_rate', 'rank_share_3', 'long_tenure_transfer_rate_rank3']) expect(SHARES.has(m), m).toBe(true);
    for (const m of ['moves_per_100', 'reverse_balance', 'ratio_horizontal_vertical', 'headcount', 'mean_years_in_post', 'years_to_promotion', 'skill_diversity', 'chain_length_rank1', 'allowance_cost', 'mean_ties']) expect(SHARES.has(m), m).toBe(false);
    // mean_ties is a mean of ties in 0..1 (MODEL.md §2): in [0, 1] without being a share.
    expect(UNIT_RANGE.has('mean_ties')).toBe(true);
    expect([...SHARES].every((m) => UNIT_RANGE.has(m))).toBe(true);
    expect(METRICS.filter((m) => m.share && m.unitRange)).toEqual([]);
    expect([...UNIT_RANGE].every((m) => METRIC_NAMES.includes(m))).toBe(true);
  });
});
