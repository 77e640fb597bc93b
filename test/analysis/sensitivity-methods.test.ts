/**
 * The estimators of global sensitivity analysis on functions whose indices
 * are known (no simulation): the Sobol sequence against reference points,
 * Sobol indices of the Ishigami function and of a linear model, Morris
 * elementary effects of a linear model, and the common-random-number seeds.
 */
import { describe, expect, it } from 'vitest';
import { sobolPoints, SOBOL_MAX_DIMENSIONS } from '../../src/analysis/sobol-sequence.js';
import { elementaryEffects, morrisDesign, morrisIndices, saltelliDesign, sobolIndices } from '../../src/analysis/sensitivity-methods.js';
import { crnPointSeed } from '../../src/analysis/sensitivity-seeds.js';
import { pointOutputs } from '../../src/analysis/sensitivity.js';
import { runSeed } from '../../src/random/hash.js';
import { Stream } from '../../src/random/stream.js';

const rngOf = (name: string) => {
  const s = new Stream(1, name, 0);
  return () => s.next();
};

describe('Sobol sequence (Joe–Kuo direction numbers)', () => {
  it('matches reference points (scipy.stats.qmc.Sobol, unscrambled) in all 50 dimensions', () => {
    // Points 5, 100, 1000 and 4095, times 4096 (exact: 4096 points use 12 bits).
    const ref: Record<number, number[]> = {
      5: [3584, 3584, 512, 1536, 3584, 2560, 3584, 1536, 1536, 512, 1536, 3584, 3584, 512, 3584, 1536, 3584, 1536, 1536, 2560, 2560, 2560, 3584, 1536, 1536, 1536, 3584, 512, 2560, 2560, 3584, 2560, 1536, 1536, 512, 512, 512, 1536, 3584, 1536, 1536, 512, 2560, 1536, 1536, 2560, 512, 2560, 2560, 3584],
      100: [1696, 1056, 3168, 2976, 3616, 3040, 96, 1952, 2592, 2848, 1888, 2784, 1952, 3488, 1312, 2016, 2784, 3040, 3424, 1376, 3104, 1632, 32, 2016, 96, 32, 3872, 2720, 992, 2976, 2912, 1696, 1056, 1056, 1504, 2720, 4000, 1952, 3680, 544, 2912, 2720, 1696, 2016, 1056, 2464, 1120, 2912, 2976, 2720],
      1000: [900, 396, 2124, 2772, 1148, 3716, 188, 3684, 2052, 284, 348, 1044, 660, 1572, 588, 1516, 2948, 1412, 4060, 2972, 2140, 2252, 3892, 2212, 2388, 3716, 164, 4012, 244, 1396, 604, 596, 1212, 2428, 3284, 3156, 3476, 3404, 1260, 1964, 3740, 1044, 3932, 2876, 3444, 380, 3572, 3764, 4092, 1964],
      4095: [1, 3855, 1369, 3693, 3851, 323, 3889, 1601, 785, 1009, 2333, 1317, 1511, 2129, 2257, 1707, 255, 2495, 3331, 2135, 925, 2999, 2777, 1825, 751, 2183, 1551, 117, 3827, 3503, 1481, 359, 3115, 1077, 3903, 719, 2377, 1343, 679, 931, 823, 43, 2743, 2773, 2741, 3983, 2865, 81, 3923, 2489],
    };
    const pts = sobolPoints(4096, SOBOL_MAX_DIMENSIONS);
    for (const [i, row] of Object.entries(ref)) expect(pts[Number(i)]!.map((x) => x * 4096)).toEqual(row);
    expect(sobolPoints(4, 3)).toEqual([[0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75]]);
  });

  it('puts exactly one of the first 2^m points in each interval of width 2^-m, in every dimension', () => {
    const m = 7;
    const pts = sobolPoints(2 ** m, SOBOL_MAX_DIMENSIONS);
    for (let j = 0; j < SOBOL_MAX_DIMENSIONS; j++) {
      const cells = new Set(pts.map((p) => Math.floor(p[j]! * 2 ** m)));
      expect(cells.size, `dimension ${j + 1}`).toBe(2 ** m);
    }
  });

  it('refuses dimensions it has no direction numbers for', () => {
    expect(() => sobolPoints(4, SOBOL_MAX_DIMENSIONS + 1)).toThrow(RangeError);
    expect(() => sobolPoints(4, 0)).toThrow(RangeError);
  });
});

/** Ishigami function on [−π, π]³ from unit coordinates. */
const A = 7;
const B = 0.1;
function ishigami(u: number[]): number {
  const x = u.map((v) => -Math.PI + 2 * Math.PI * v);
  return Math.sin(x[0]!) + A * Math.sin(x[1]!) ** 2 + B * x[2]! ** 4 * Math.sin(x[0]!);
}
// Analytic indices (Ishigami & Homma 1990; Sobol & Levitan 1999).
const V1 = 0.5 * (1 + (B * Math.PI ** 4) / 5) ** 2;
const V2 = A ** 2 / 8;
const V13 = (B ** 2 * Math.PI ** 8 * 8) / 225;
const V = V1 + V2 + V13;
const ISHIGAMI_S1 = [V1 / V, V2 / V, 0];
const ISHIGAMI_ST = [(V1 + V13) / V, V2 / V, V13 / V];

describe('Sobol indices (Saltelli sampling; Saltelli 2010 S1, Jansen ST)', () => {
  it('the analytic values of the Ishigami function are the textbook ones', () => {
    expect(ISHIGAMI_S1[0]).toBeCloseTo(0.3139, 4);
    expect(ISHIGAMI_S1[1]).toBeCloseTo(0.4424, 4);
    expect(ISHIGAMI_ST[0]).toBeCloseTo(0.5576, 4);
    expect(ISHIGAMI_ST[2]).toBeCloseTo(0.2437, 4);
  });

  it('recovers the Ishigami indices, and its bootstrap intervals cover them', () => {
    const design = saltelliDesign(3, 8192);
    expect(design.unit.length).toBe(8192 * 5);
    const y = design.unit.map(ishigami);
    const s = sobolIndices(design, y, { bootstrap: 300, rng: rngOf('boot') });
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(s[i]!.S1 - ISHIGAMI_S1[i]!), `S1 of x${i + 1}`).toBeLessThan(0.02);
      expect(Math.abs(s[i]!.ST - ISHIGAMI_ST[i]!), `ST of x${i + 1}`).toBeLessThan(0.01);
      expect(s[i]!.S1Low).toBeLessThanOrEqual(ISHIGAMI_S1[i]!);
      expect(s[i]!.S1High).toBeGreaterThanOrEqual(ISHIGAMI_S1[i]!);
      expect(s[i]!.STLow).toBeLessThanOrEqual(ISHIGAMI_ST[i]!);
      expect(s[i]!.STHigh).toBeGreaterThanOrEqual(ISHIGAMI_ST[i]!);
      expect(s[i]!.S1High - s[i]!.S1Low).toBeLessThan(0.1);
    }
  });

  it('the estimates converge as N grows (the sequence is doing its work)', () => {
    const err = (n: number) => {
      const design = saltelliDesign(3, n);
      const s = sobolIndices(design, design.unit.map(ishigami));
      return Math.max(...s.map((v, i) => Math.abs(v.ST - ISHIGAMI_ST[i]!)));
    };
    expect(err(8192)).toBeLessThan(err(256));
  });

  it('gives the exact indices of a linear model: S1 = ST = a_i² var_i / Σ a_j² var_j', () => {
    // y = Σ a_i x_i with x_i uniform on [lo_i, hi_i]; the last parameter is inert.
    const a = [4, -2, 1, 0.5, 3, 0];
    const lo = [0, -1, 2, 0, 10, 0];
    const hi = [1, 1, 5, 4, 10.5, 1];
    const vars = a.map((ai, i) => ai ** 2 * (hi[i]! - lo[i]!) ** 2 / 12);
    const total = vars.reduce((s, v) => s + v, 0);
    const design = saltelliDesign(a.length, 4096);
    const y = design.unit.map((u) => u.reduce((s, ui, i) => s + a[i]! * (lo[i]! + ui * (hi[i]! - lo[i]!)), 0));
    const s = sobolIndices(design, y, { bootstrap: 100, rng: rngOf('lin') });
    s.forEach((v, i) => {
      expect(Math.abs(v.S1 - vars[i]! / total), `S1 of x${i + 1}`).toBeLessThan(0.005);
      expect(Math.abs(v.ST - vars[i]! / total), `ST of x${i + 1}`).toBeLessThan(0.005);
    });
    expect(s[5]!.ST).toBe(0);
    expect(s.reduce((t, v) => t + v.S1, 0)).toBeCloseTo(1, 2);
  });

  it('builds AB_i from A with column i from B', () => {
    const d = 4;
    const design = saltelliDesign(d, 16);
    for (let j = 0; j < 16; j++) {
      const rows = design.unit.slice(j * (d + 2), (j + 1) * (d + 2));
      const [a, b] = [rows[0]!, rows[d + 1]!];
      for (let i = 0; i < d; i++) expect(rows[1 + i]).toEqual(a.map((v, k) => (k === i ? b[i] : v)));
    }
  });

  it('leaves out rows whose outputs are undefined', () => {
    const design = saltelliDesign(3, 1024);
    const y = design.unit.map(ishigami);
    for (let k = 0; k < y.length; k += 37) y[k] = NaN;
    const s = sobolIndices(design, y);
    for (const v of s) {
      expect(Number.isFinite(v.S1) && Number.isFinite(v.ST)).toBe(true);
      expect(v.n).toBeLessThan(1024);
    }
    expect(Math.abs(s[1]!.ST - ISHIGAMI_ST[1]!)).toBeLessThan(0.05);
  });
});

describe('Morris elementary effects', () => {
  it('builds trajectories on the grid that move each parameter once by ±Δ', () => {
    const d = 5;
    const p = 6;
    const design = morrisDesign(d, 20, p, rngOf('traj'));
    expect(design.delta).toBeCloseTo(p / (2 * (p - 1)));
    expect(design.unit.length).toBe(20 * (d + 1));
    for (let t = 0; t < 20; t++) {
      const moved = new Set<number>();
      for (let j = 1; j <= d; j++) {
        const a = design.unit[t * (d + 1) + j - 1]!;
        const b = design.unit[t * (d + 1) + j]!;
        const diff = b.map((v, i) => v - a[i]!).map((v, i) => [i, v] as const).filter(([, v]) => v !== 0);
        expect(diff.length).toBe(1);
        expect(Math.abs(diff[0]![1])).toBeCloseTo(design.delta);
        expect(diff[0]![1]).toBeCloseTo(design.moves[t]![j - 1]!.step);
        moved.add(diff[0]![0]);
        for (const v of b) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
          expect(Math.abs(v * (p - 1) - Math.round(v * (p - 1)))).toBeLessThan(1e-9);
        }
      }
      expect(moved.size).toBe(d);
    }
    expect(() => morrisDesign(3, 2, 5, rngOf('x'))).toThrow(RangeError);
  });

  it('gives the exact effects of a linear model: μ = a_i·range, μ* = |μ|, σ = 0; an inert parameter has μ* = 0', () => {
    const a = [3, -2, 0.5, 0];
    const range = [1, 4, 10, 2];
    const design = morrisDesign(4, 12, 4, rngOf('lin'));
    const y = design.unit.map((u) => u.reduce((s, ui, i) => s + a[i]! * ui * range[i]!, 0));
    const m = morrisIndices(design, y, { bootstrap: 100, rng: rngOf('b') });
    m.forEach((v, i) => {
      expect(v.mu).toBeCloseTo(a[i]! * range[i]!, 9);
      expect(v.muStar).toBeCloseTo(Math.abs(a[i]! * range[i]!), 9);
      expect(v.sigma).toBeCloseTo(0, 9);
      expect(v.n).toBe(12);
      expect(v.muStarLow).toBeCloseTo(v.muStar, 9);
    });
  });

  it('sees the interaction of the Ishigami function: x3 acts only through x1, so its effects change sign (σ > μ*·0.5, |μ| < μ*)', () => {
    const design = morrisDesign(3, 60, 4, rngOf('ish'));
    const m = morrisIndices(design, design.unit.map(ishigami));
    expect(m[2]!.muStar).toBeGreaterThan(0);
    expect(Math.abs(m[2]!.mu)).toBeLessThan(m[2]!.muStar);
    expect(m[2]!.sigma).toBeGreaterThan(0.5 * m[2]!.muStar);
    // x2 enters additively: its effects are the same in every trajectory up to sign.
    const ee = elementaryEffects(design, design.unit.map(ishigami));
    for (const e of ee[1]!) expect(Math.abs(Math.abs(e) - m[1]!.muStar)).toBeLessThan(1e-9);
  });

  it('skips effects with an undefined output', () => {
    const design = morrisDesign(2, 5, 4, rngOf('nan'));
    const y = design.unit.map((u) => u[0]! + u[1]!);
    y[0] = NaN;
    const m = morrisIndices(design, y);
    expect(m[0]!.n + m[1]!.n).toBe(2 * 5 - 1);
  });
});

describe('common random numbers across design points', () => {
  it('the seed of point p gives replicate k the run seed of point 0', () => {
    const rng = rngOf('crn');
    for (let i = 0; i < 200; i++) {
      const seed = Math.floor(rng() * 2 ** 32);
      const p = Math.floor(rng() * 1e6);
      const s = crnPointSeed(seed, p);
      for (const k of [0, 1, 7, 1000]) expect(runSeed(s, p, k)).toBe(runSeed(seed, 0, k));
    }
    expect(crnPointSeed(42, 0)).toBe(42);
  });
});

describe('point outputs from timeseries.csv', () => {
  it('averages each run over the last k years, then the replicates, leaving undefined cells out', () => {
    const csv = [
      'point,replicate,seed,year,a,b',
      '0,0,1,2030,1,',
      '0,0,1,2031,3,5',
      '0,1,2,2030,10,',
      '0,1,2,2031,5,',
      '1,0,1,2030,2,2',
      '1,0,1,2031,4,4',
      '',
    ].join('\n');
    expect(pointOutputs(csv, 2, ['a', 'b'], 1)).toEqual([[4, 5], [4, 4]]);
    const two = pointOutputs(csv, 2, ['b', 'a'], 2);
    expect(two[0]).toEqual([5, (2 + 7.5) / 2]);
    expect(two[1]).toEqual([3, 3]);
  });
});

describe('shipped sensitivity files', () => {
  it('load with both methods', async () => {
    const { readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const { loadSensitivity } = await import('../../src/analysis/sensitivity-plan.js');
    const dir = path.resolve(__dirname, '..', '..', 'scenarios', 'sensitivity');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toContain('main-levers.json');
    for (const f of files) {
      const m = loadSensitivity(path.join(dir, f), 'morris');
      expect(m.unit.length).toBe(m.sa.morris.trajectories * (m.paths.length + 1));
      const s = loadSensitivity(path.join(dir, f), 'sobol');
      expect(s.unit.length).toBe(s.sa.sobol.samples * (s.paths.length + 2));
      expect(s.sweep.scenario(1).seed).not.toBe(s.sweep.scenario(0).seed); // common random numbers through the point seeds
    }
  });
});
