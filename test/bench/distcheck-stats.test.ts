import { describe, expect, it } from 'vitest';
import {
  EXPECTED_WITHIN_1, EXPECTED_WITHIN_2, compareFailures, compareSamples, criticalZ, decide, incompleteBeta, lnGamma, pairedZ, plainDecimal, sampleStats,
  tToZ, tTwoSided, welchDf, yearMean, zRatio,
} from '../../bench/distcheck-stats.js';
import { normal, normalQuantile } from '../../src/random/hash.js';

describe('sampleStats', () => {
  it('mean and sample sd (n − 1) of a small sample', () => {
    const s = sampleStats([1, 2, 3, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 14); // 1.2909944…
  });
  it('leaves NaN and infinite values out', () => {
    expect(sampleStats([1, NaN, 2, 3, Infinity, 4, NaN])).toEqual(sampleStats([1, 2, 3, 4]));
  });
  it('n < 2: no sd; n = 0: no mean', () => {
    expect(sampleStats([7])).toEqual({ n: 1, mean: 7, sd: NaN });
    expect(sampleStats([NaN])).toEqual({ n: 0, mean: NaN, sd: NaN });
  });
});

describe('compareSamples', () => {
  it('old [1,2,3,4] against new [2,3,4,5]: diff 1, se_diff √(5/6), t 1.0954451 with 6 degrees of freedom', () => {
    const c = compareSamples([1, 2, 3, 4], [2, 3, 4, 5]);
    expect(c.n_old).toBe(4);
    expect(c.n_new).toBe(4);
    expect(c.mean_old).toBe(2.5);
    expect(c.mean_new).toBe(3.5);
    expect(c.sd_old).toBeCloseTo(1.2909944487358056, 14);
    expect(c.sd_new).toBeCloseTo(1.2909944487358056, 14);
    expect(c.diff).toBe(1);
    expect(c.se_diff).toBeCloseTo(0.9128709291752769, 14); // √(2 · (5/3) / 4)
    expect(c.t).toBeCloseTo(1.0954451150103321, 12); // 1 / √(5/6)
    expect(c.df).toBeCloseTo(6, 12); // equal spreads and sizes: 2(n − 1)
    // z: the normal score of t's p-value with 6 degrees of freedom, smaller than t.
    expect(c.z).toBeCloseTo(-normalQuantile(tTwoSided(c.t, 6) / 2), 12);
    expect(c.z).toBeLessThan(c.t);
  });
  it('unequal sizes and spreads: the Welch-type se', () => {
    // old [0, 2]: mean 1, var 2; new [1, 2, 3, 4, 5]: mean 3, var 2.5.
    const c = compareSamples([0, 2], [1, 2, 3, 4, 5]);
    expect(c.diff).toBe(2);
    expect(c.se_diff).toBeCloseTo(Math.sqrt(2 / 2 + 2.5 / 5), 14);
    expect(c.t).toBeCloseTo(2 / Math.sqrt(1.5), 12);
    // ν = 1.5² / (1²/1 + 0.5²/4) = 2.25 / 1.0625
    expect(c.df).toBeCloseTo(2.25 / 1.0625, 12);
  });
  it('NaN replicates are left out of each sample', () => {
    const c = compareSamples([1, NaN, 2, 3, 4], [2, 3, NaN, 4, 5, NaN]);
    expect(c.n_old).toBe(4);
    expect(c.n_new).toBe(4);
    expect(c.t).toBeCloseTo(1.0954451150103321, 12);
  });
  it('one side without spread: ν is the other side\'s n − 1, and z the score of the Cauchy p-value', () => {
    // old [0, 2]: mean 1, se 1; new [3, 3, 3]: no spread. t = 2 with 1 degree of freedom: p = 1 − (2/π)·atan 2.
    const c = compareSamples([0, 2], [3, 3, 3]);
    expect(c.t).toBe(2);
    expect(c.df).toBe(1);
    const p = 1 - (2 / Math.PI) * Math.atan(2);
    expect(c.z).toBeCloseTo(-normalQuantile(p / 2), 10);
    expect(c.z).toBeCloseTo(1.047, 3);
  });
  it('identical samples: diff 0, z 0, paired z 0', () => {
    const x = [0.31, 0.27, 0.35, 0.3];
    const c = compareSamples(x, x.slice());
    expect(c.diff).toBe(0);
    expect(c.z).toBe(0);
    expect(c.paired.z).toBe(0);
  });
  it('no spread on either side: z 0 if the means agree, ±Infinity if not', () => {
    expect(compareSamples([2, 2, 2], [2, 2]).df).toBeNaN();
    expect(compareSamples([2, 2, 2], [2, 2]).z).toBe(0);
    expect(compareSamples([2, 2, 2], [3, 3]).z).toBe(Infinity);
    expect(compareSamples([2, 2, 2], [1, 1]).z).toBe(-Infinity);
  });
  it('fewer than 2 values on a side: z NaN', () => {
    expect(compareSamples([1], [1, 2, 3]).z).toBeNaN();
    expect(compareSamples([1, 2], [NaN, NaN]).z).toBeNaN();
  });
});

describe('zRatio and pairedZ', () => {
  it('zRatio: 0/0 = 0, x/0 = ±Infinity', () => {
    expect(zRatio(0, 0)).toBe(0);
    expect(zRatio(1, 0)).toBe(Infinity);
    expect(zRatio(-1e-9, 0)).toBe(-Infinity);
    expect(zRatio(3, 2)).toBe(1.5);
  });
  it('a constant shift: all differences equal, se 0, paired z ±Infinity; no shift: 0', () => {
    const up = pairedZ([1, 2, 3, 4], [2, 3, 4, 5]);
    expect(up.meanDiff).toBe(1);
    expect(up.se).toBe(0);
    expect(up.z).toBe(Infinity);
    expect(pairedZ([2, 3, 4, 5], [1, 2, 3, 4]).z).toBe(-Infinity);
    expect(pairedZ([1, 2, 3, 4], [1, 2, 3, 4]).z).toBe(0);
  });
  it('paired z of differences with spread; pairs with a NaN are left out', () => {
    // differences 1, 3 (pair 2 has a NaN): mean 2, sd √2, se 1, t 2 with 1 degree of freedom.
    const p = pairedZ([0, NaN, 0], [1, 5, 3]);
    expect(p.n).toBe(2);
    expect(p.meanDiff).toBe(2);
    expect(p.se).toBeCloseTo(1, 14);
    expect(p.t).toBeCloseTo(2, 14);
    expect(p.z).toBeCloseTo(-normalQuantile((1 - (2 / Math.PI) * Math.atan(2)) / 2), 10);
    expect(pairedZ([1], [2]).z).toBeNaN();
  });
});

describe("Student's t (known answers)", () => {
  it('lnGamma: Γ(1) = 1, Γ(1/2) = √π, Γ(10) = 9!, Γ(0.1)', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 12);
  });
  it('incompleteBeta: I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b, symmetry', () => {
    for (const x of [0, 0.1, 0.5, 0.93, 1]) {
      expect(incompleteBeta(x, 1, 1)).toBeCloseTo(x, 13);
      expect(incompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 13);
      expect(incompleteBeta(x, 1, 2.5)).toBeCloseTo(1 - (1 - x) ** 2.5, 13);
      expect(incompleteBeta(x, 2, 7) + incompleteBeta(1 - x, 7, 2)).toBeCloseTo(1, 13);
    }
  });
  it('1 degree of freedom (Cauchy): P(|T| ≥ t) = 1 − (2/π)·atan t', () => {
    for (const t of [0.5, 1, 2, 10, 1000]) expect(tTwoSided(t, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(t), 12);
    expect(tTwoSided(1, 1)).toBeCloseTo(0.5, 14);
  });
  it('2 degrees of freedom: 1 − t/√(t² + 2); 3: 1 − (2/π)(atan(t/√3) + (t/√3)/(1 + t²/3))', () => {
    for (const t of [0.3, 1.5, 5, 50]) {
      expect(tTwoSided(t, 2)).toBeCloseTo(1 - t / Math.sqrt(t * t + 2), 12);
      const u = t / Math.sqrt(3);
      expect(tTwoSided(t, 3)).toBeCloseTo(1 - (2 / Math.PI) * (Math.atan(u) + u / (1 + u * u)), 12);
    }
  });
  it("the tables' quantiles: t(0.975; 10) = 2.228138852, t(0.9995; 120) = 3.373453769; many degrees of freedom: the normal", () => {
    expect(tTwoSided(2.228138851986274, 10)).toBeCloseTo(0.05, 10);
    expect(tTwoSided(-3.373453768562533, 120)).toBeCloseTo(0.001, 10);
    expect(tTwoSided(1.959963984540054, 1e9)).toBeCloseTo(0.05, 7);
    expect(tTwoSided(0, 5)).toBe(1);
    expect(tTwoSided(Infinity, 5)).toBe(0);
  });
  it('tToZ: the normal score of the same two-sided p-value, signed; 0, ±Infinity and no degrees of freedom pass through', () => {
    expect(tToZ(1, 1)).toBeCloseTo(0.6744897501960817, 8); // p = 1/2: Φ⁻¹(3/4)
    expect(tToZ(-1, 1)).toBeCloseTo(-0.6744897501960817, 8);
    // Far tail: t = 10^6 with 1 degree of freedom, p = (2/π)·atan(10^−6) ≈ 6.4e-7.
    expect(tToZ(1e6, 1)).toBeCloseTo(-normalQuantile(Math.atan(1e-6) / Math.PI), 6);
    expect(tToZ(2.5, 1e9)).toBeCloseTo(2.5, 6);
    expect(tToZ(0, 10)).toBe(0);
    expect(tToZ(Infinity, 10)).toBe(Infinity);
    expect(tToZ(-Infinity, NaN)).toBe(-Infinity);
    expect(tToZ(3, NaN)).toBe(3);
  });
  it('welchDf: equal spreads and sizes 2(n − 1); one side without spread: the other n − 1', () => {
    expect(welchDf(0.5, 10, 0.5, 10)).toBeCloseTo(18, 12);
    expect(welchDf(0, 10, 0.3, 5)).toBeCloseTo(4, 12);
    expect(welchDf(0, 10, 0, 5)).toBeNaN();
  });
  it('under identical normal distributions with 5 replicates a side, z is standard normal where t is not', () => {
    // 4000 comparisons of two samples of 5 normal draws: |t| < 2 holds for ~91% (t with ~8 df), |z| < 2 for 95.4%.
    let t2 = 0, z2 = 0, z1 = 0;
    const N = 4000;
    for (let i = 0; i < N; i++) {
      const a = Array.from({ length: 5 }, (_, j) => normal(7, i, j));
      const b = Array.from({ length: 5 }, (_, j) => normal(7, i, 5 + j));
      const c = compareSamples(a, b);
      if (Math.abs(c.t) < 2) t2++;
      if (Math.abs(c.z) < 2) z2++;
      if (Math.abs(c.z) < 1) z1++;
    }
    const se2 = Math.sqrt((EXPECTED_WITHIN_2 * (1 - EXPECTED_WITHIN_2)) / N);
    expect(Math.abs(z2 / N - EXPECTED_WITHIN_2)).toBeLessThan(4 * se2);
    expect(Math.abs(z1 / N - EXPECTED_WITHIN_1)).toBeLessThan(4 * Math.sqrt((EXPECTED_WITHIN_1 * (1 - EXPECTED_WITHIN_1)) / N));
    expect(t2 / N).toBeLessThan(EXPECTED_WITHIN_2 - 6 * se2);
  });
});

describe('criticalZ', () => {
  it('m = 1: the two-sided 5% point, 1.959963985', () => {
    expect(Math.abs(criticalZ(1) - 1.959963985)).toBeLessThan(1e-6);
  });
  it('m = 50: the quantile of 1 − 0.0005, 3.290526731', () => {
    expect(Math.abs(criticalZ(50) - 3.290526731)).toBeLessThan(1e-6);
  });
  it('m = 112 (14 cases × 8 metrics): 3.510997515', () => {
    expect(Math.abs(criticalZ(112) - 3.510997515)).toBeLessThan(1e-6);
  });
  it('m = 0: none', () => {
    expect(criticalZ(0)).toBeNaN();
  });
});

describe('decide', () => {
  const row = (z: number, n = 64) => ({ n_old: n, n_new: n, z });
  // 20 comparisons, z* = quantile of 1 − 0.05/40 = 3.023.
  const calm = (): { n_old: number; n_new: number; z: number }[] =>
    Array.from({ length: 20 }, (_, i) => row([0.1, -0.5, 0.9, -1.5, 0.3][i % 5]!));

  it('z like N(0,1): PASS, with the shares', () => {
    const d = decide(calm());
    expect(d.m).toBe(20);
    expect(d.zStar).toBeCloseTo(3.0233414, 6);
    expect(d.within1).toBe(16);
    expect(d.within2).toBe(20);
    expect(d.share1).toBe(0.8);
    expect(d.share2).toBe(1);
    expect(d.maxAbsZ).toBe(1.5);
    expect(d.maxAt).toBe(3);
    expect(d.failed).toEqual([]);
    expect(d.pass).toBe(true);
    expect(d.reasons).toEqual([]);
  });
  it('one |z| above z*: FAIL, and where', () => {
    const t = calm();
    t[7] = row(-3.1);
    const d = decide(t);
    expect(d.pass).toBe(false);
    expect(d.failed).toEqual([7]);
    expect(d.maxAt).toBe(7);
    expect(d.maxAbsZ).toBe(3.1);
    expect(d.reasons).toHaveLength(1);
  });
  it('an infinite z fails', () => {
    const t = calm();
    t[0] = row(Infinity);
    expect(decide(t).failed).toEqual([0]);
  });
  it('no |z| above z*, but fewer than 85% with |z| < 2: FAIL (a drift)', () => {
    const t = calm();
    for (const i of [0, 1, 2, 5]) t[i] = row(2.5); // 16 of 20 = 80% within 2, all below z* = 3.02
    const d = decide(t);
    expect(d.failed).toEqual([]);
    expect(d.within2).toBe(16);
    expect(d.pass).toBe(false);
    expect(d.reasons).toHaveLength(1);
    // 17 of 20 = 85% is not below 85%: PASS.
    t[5] = row(0);
    expect(decide(t).pass).toBe(true);
  });
  it('comparisons with fewer than 2 values on a side are not counted', () => {
    const t = [...calm(), row(NaN, 1), { n_old: 64, n_new: 0, z: NaN }];
    const d = decide(t);
    expect(d.m).toBe(20);
    expect(d.pass).toBe(true);
  });
  it('nothing to compare: FAIL', () => {
    const d = decide([row(NaN, 1)]);
    expect(d.m).toBe(0);
    expect(d.pass).toBe(false);
  });
  it('the expected shares are those of the standard normal', () => {
    expect(EXPECTED_WITHIN_1).toBeCloseTo(0.682689, 6);
    expect(EXPECTED_WITHIN_2).toBeCloseTo(0.954500, 6);
  });
});

describe('yearMean and plainDecimal', () => {
  it('yearMean: the mean over years, NaN years skipped, NaN if none', () => {
    const rows = [Float64Array.of(1, NaN), Float64Array.of(NaN, NaN), Float64Array.of(4, NaN)];
    expect(yearMean(rows, 0)).toBe(2.5);
    expect(yearMean(rows, 1)).toBeNaN();
  });
  it('plainDecimal: no exponent, reads back as the same number', () => {
    for (const x of [0, 1, -2.5, 0.1, 1e-7, -1.234e-12, 5e-324, 1.5e21, -2e25, 123456.789, 0.000001]) {
      const s = plainDecimal(x);
      expect(s).not.toMatch(/e/i);
      expect(Number(s)).toBe(x);
    }
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(-1.234e-12)).toBe('-0.000000000001234');
    expect(plainDecimal(1.5e21)).toBe('1500000000000000000000');
    expect(plainDecimal(NaN)).toBe('');
    expect(plainDecimal(Infinity)).toBe('Inf');
    expect(plainDecimal(-Infinity)).toBe('-Inf');
  });
});

describe('compareFailures', () => {
  it('no failure', () => {
    expect(compareFailures([null, null], [null, null]).kind).toBe('none');
  });
  it('every replicate fails in both builds with the same error: nothing to compare, no failure of the check', () => {
    const f = compareFailures(['boom', 'boom'], ['boom', 'boom']);
    expect(f.kind).toBe('all');
    expect(f.text).toContain('2 × boom');
  });
  it('as many failures with each error in both builds (at other seeds): same', () => {
    expect(compareFailures(['boom', null, 'bang'], [null, 'bang', 'boom']).kind).toBe('same');
  });
  it('different counts or errors: differ', () => {
    expect(compareFailures(['boom', null], [null, null]).kind).toBe('differ');
    expect(compareFailures(['boom', 'boom'], ['boom', 'bang']).kind).toBe('differ');
    expect(compareFailures(['boom', 'boom'], ['bang', 'bang']).text).toContain('new 2 of 2 (2 × bang)');
  });
});
