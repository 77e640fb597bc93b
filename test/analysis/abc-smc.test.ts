/**
 * ABC-SMC (src/analysis/abc-smc.ts) on models whose posterior is known
 * exactly, with the distance on a sufficient statistic:
 *
 * - a normal mean with known variance and a uniform prior that cuts the
 *   posterior (a normal truncated at the prior's lower end);
 * - a binomial rate with a uniform prior (a Beta posterior);
 * - an integer Poisson mean with a uniform prior on 0…25 (exact by summation);
 * - the normal mean and the Poisson mean together (independent, so the
 *   posterior is the product), which moves a continuous and an integer
 *   parameter through one kernel; compared with the exact ABC posterior at
 *   the tolerance the run ends with.
 *
 * Tolerances. Each case pools 4 independent runs (seeds 1–4) of N = 1000
 * particles (500 kept): the posterior mean and sd are the averages of the
 * runs' weighted estimates. Over 8 seeds, one run's estimates spread by about
 * 0.06 posterior sd (mean) and 4% (sd), so the pooled ones by about 0.03 and
 * 2%. The ABC error left at the stopping tolerance adds at most 2% to the
 * posterior variance in the normal case (checked) and none in the discrete
 * ones, where the tolerance reaches 0. The tests allow 0.1 posterior sd for
 * the mean and 10% for the sd: more than 3 spreads. They can fail: the
 * untruncated normal's mean is 0.5 sd away from the truncated one, the Beta
 * posterior's sd is a third of the prior's, and a weighting that ignores the
 * kernel's truncation or the integers' rounding moves the estimates further
 * than the tolerance.
 */
import { describe, expect, it } from 'vitest';
import { AbcSmc, normalCell, normalUpper, resample, runAbcSmc, summarizeParameter, type AbcOptions, type AbcSmc as Abc, type Particle } from '../../src/analysis/abc-smc.js';
import { drawBase, hashString, normalQuantile, uniformAt } from '../../src/random/hash.js';

/** A model's random numbers: evaluation e draws from its own counter-based stream. */
function noise(name: string) {
  let e = 0;
  return () => {
    const base = drawBase(hashString(name), e++);
    let k = 0;
    return () => Math.min(1 - 1e-12, Math.max(1e-12, uniformAt(base, k++) + uniformAt(base, k++) / 4294967296));
  };
}

/** Simpson's rule on [a, b] with n (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, n = 4000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

interface Moments { mean: number; sd: number }

function moments(density: (x: number) => number, a: number, b: number): Moments {
  const z = simpson(density, a, b);
  const mean = simpson((x) => x * density(x), a, b) / z;
  const v = simpson((x) => (x - mean) ** 2 * density(x), a, b) / z;
  return { mean, sd: Math.sqrt(v) };
}

function ess(ps: Particle[]): number {
  const s = ps.reduce((a, p) => a + p.weight, 0);
  return s * s / ps.reduce((a, p) => a + p.weight * p.weight, 0);
}

const SEEDS = [1, 2, 3, 4];
const BASE = { particles: 1000, alpha: 0.5, minAcceptance: 0.05, generations: 60 };

/**
 * Pools the runs: the average over runs of (estimate − exact) in posterior
 * sds for the mean, and of estimate/exact for the sd, within the tolerances
 * of the header. `exact` may depend on the run (the exact ABC posterior at its tolerance).
 */
function expectPooled(runs: Abc[], i: number, exact: (run: Abc) => Moments) {
  let dMean = 0;
  let sdRatio = 0;
  for (const run of runs) {
    const s = summarizeParameter(run.posterior, i);
    const e = exact(run);
    dMean += (s.mean - e.mean) / e.sd / runs.length;
    sdRatio += s.sd / e.sd / runs.length;
  }
  expect(Math.abs(dMean), `pooled mean is ${dMean.toFixed(3)} posterior sd from the exact one`).toBeLessThan(0.1);
  expect(Math.abs(sdRatio - 1), `pooled sd is ${sdRatio.toFixed(3)} × the exact one`).toBeLessThan(0.1);
}

async function runs(o: Omit<AbcOptions, 'seed' | 'particles' | 'alpha' | 'minAcceptance' | 'generations'> & Partial<AbcOptions>, model: (seed: number) => (theta: number[]) => number): Promise<Abc[]> {
  const out: Abc[] = [];
  for (const seed of SEEDS) {
    const f = model(seed);
    const abc = await runAbcSmc({ ...BASE, ...o, seed }, async (thetas) => thetas.map(f));
    expect(abc.posterior.length).toBe(500);
    expect(ess(abc.posterior)).toBeGreaterThan(250);
    out.push(abc);
  }
  return out;
}

const X_OBS = 0.1;
const SIGMA = 0.2; // sd of the sample mean (σ/√n)
const normalStat = (rng: () => () => number, mu: number) => mu + SIGMA * normalQuantile(rng()());

function poissonDraw(lambda: number, u: number): number {
  // Inversion of the Poisson distribution function.
  let k = 0;
  let p = Math.exp(-lambda);
  let c = p;
  while (u > c && k < 10000) {
    k++;
    p *= lambda / k;
    c += p;
  }
  return k;
}
const N_POIS = 4;
const S_OBS = 30;
const logFactorial = (n: number) => { let s = 0; for (let i = 2; i <= n; i++) s += Math.log(i); return s; };
/** log P(S | m) for S ~ Poisson(N_POIS · m). */
const poissonLog = (s: number, m: number) => (m === 0 ? (s === 0 ? 0 : -Infinity) : s * Math.log(N_POIS * m) - N_POIS * m - logFactorial(s));
/** The exact posterior of m (uniform prior on 0…25) given S_OBS. */
function poissonPosterior(): Moments {
  const ms = Array.from({ length: 26 }, (_, m) => m);
  const w = ms.map((m) => Math.exp(poissonLog(S_OBS, m) - poissonLog(S_OBS, 8)));
  const z = w.reduce((s, x) => s + x, 0);
  const mean = ms.reduce((s, m) => s + m * w[m]!, 0) / z;
  return { mean, sd: Math.sqrt(ms.reduce((s, m) => s + (m - mean) ** 2 * w[m]!, 0) / z) };
}

describe('ABC-SMC (Lenormand et al. 2013) on posteriors known exactly', () => {
  it('a normal mean with a uniform prior that truncates it: the truncated normal posterior', async () => {
    const rs = await runs({ priors: [{ min: 0, max: 2, integer: false }] }, (seed) => {
      const rng = noise(`test.normal.${seed}`);
      return ([mu]) => ((normalStat(rng, mu!) - X_OBS) / 0.05) ** 2;
    });
    const exact = moments((x) => Math.exp(-0.5 * ((x - X_OBS) / SIGMA) ** 2), 0, 2);
    // Truncation matters: the exact posterior mean is 0.5 sd above the untruncated one.
    expect(exact.mean - X_OBS).toBeGreaterThan(0.5 * exact.sd);
    for (const r of rs) {
      expect(r.stop).toBe('acceptance');
      expect(r.posterior.every((p) => p.theta[0]! >= 0)).toBe(true);
      // The ABC error left: the final tolerance, as a half-width on the sample mean, is small against the posterior sd.
      const halfWidth = Math.sqrt(r.history[r.history.length - 1]!.epsilon) * 0.05;
      expect(halfWidth ** 2 / 3).toBeLessThan(0.02 * exact.sd ** 2);
    }
    expectPooled(rs, 0, () => exact);
  });

  it('a binomial rate with a uniform prior: the Beta(k + 1, n − k + 1) posterior', async () => {
    const n = 30;
    const k = 9;
    const rs = await runs({ priors: [{ min: 0, max: 1, integer: false }] }, (seed) => {
      const rng = noise(`test.binomial.${seed}`);
      return ([p]) => {
        const u = rng();
        let x = 0;
        for (let i = 0; i < n; i++) if (u() < p!) x++;
        return (x - k) ** 2;
      };
    });
    // The count is discrete: the tolerance reaches 0 and every kept particle reproduces k exactly.
    for (const r of rs) {
      expect(r.stop).toBe('tolerance');
      expect(r.posterior.every((p) => p.distance === 0)).toBe(true);
    }
    const a = k + 1;
    const b = n - k + 1;
    const exact = { mean: a / (a + b), sd: Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))) };
    expect(exact.sd).toBeLessThan(0.3 * Math.sqrt(1 / 12));
    expectPooled(rs, 0, () => exact);
  });

  it('an integer Poisson mean: integers stay integers and the posterior is the exact discrete one', async () => {
    const rs = await runs({ priors: [{ min: 0, max: 25, integer: true }] }, (seed) => {
      const rng = noise(`test.poisson.${seed}`);
      return ([m]) => (poissonDraw(N_POIS * m!, rng()()) - S_OBS) ** 2;
    });
    for (const r of rs) {
      expect(r.stop).toBe('tolerance');
      for (const g of r.history) for (const p of g.kept) {
        expect(Number.isInteger(p.theta[0])).toBe(true);
        expect(p.theta[0]).toBeGreaterThanOrEqual(0);
        expect(p.theta[0]).toBeLessThanOrEqual(25);
      }
    }
    expectPooled(rs, 0, poissonPosterior);
  });

  it('a continuous and an integer parameter through one kernel: the exact ABC posterior at the final tolerance', async () => {
    const rs = await runs({ priors: [{ min: -1, max: 1.5, integer: false }, { min: 0, max: 25, integer: true }] }, (seed) => {
      const rng = noise(`test.mixed.${seed}`);
      return ([mu, m]) => {
        const u = rng();
        return ((mu! + SIGMA * normalQuantile(u()) - X_OBS) / SIGMA) ** 2 + (poissonDraw(N_POIS * m!, u()) - S_OBS) ** 2 / S_OBS;
      };
    });
    // π_ε(μ, m) ∝ Σ_S P(S | m) · P(|x̄ − x_obs| ≤ σ √(ε − (S − S_obs)²/S_obs) | μ): the ABC posterior at tolerance ε, exactly.
    const Phi = (x: number) => 1 - normalUpper(x);
    const exactAbc = (eps: number): [Moments, Moments] => {
      const ss = Array.from({ length: 80 }, (_, s) => s).filter((s) => (s - S_OBS) ** 2 / S_OBS <= eps);
      const accept = (mu: number, m: number) => ss.reduce((acc, s) => {
        const d = SIGMA * Math.sqrt(eps - (s - S_OBS) ** 2 / S_OBS);
        return acc + Math.exp(poissonLog(s, m)) * (Phi((X_OBS + d - mu) / SIGMA) - Phi((X_OBS - d - mu) / SIGMA));
      }, 0);
      const ms = Array.from({ length: 26 }, (_, m) => m);
      const joint = (mu: number) => ms.map((m) => accept(mu, m));
      const grid = 400;
      let z = 0, s1 = 0, s2 = 0, t1 = 0, t2 = 0;
      for (let i = 0; i <= grid; i++) {
        const mu = -1 + (2.5 * i) / grid;
        const c = i === 0 || i === grid ? 1 : i % 2 ? 4 : 2;
        joint(mu).forEach((p, m) => {
          z += c * p; s1 += c * p * mu; s2 += c * p * mu * mu; t1 += c * p * m; t2 += c * p * m * m;
        });
      }
      return [{ mean: s1 / z, sd: Math.sqrt(s2 / z - (s1 / z) ** 2) }, { mean: t1 / z, sd: Math.sqrt(t2 / z - (t1 / z) ** 2) }];
    };
    const cache = new Map<Abc, [Moments, Moments]>();
    const at = (r: Abc) => cache.get(r) ?? cache.set(r, exactAbc(r.history[r.history.length - 1]!.epsilon)).get(r)!;
    for (const r of rs) expect(r.posterior.every((p) => Number.isInteger(p.theta[1]))).toBe(true);
    expectPooled(rs, 0, (r) => at(r)[0]);
    expectPooled(rs, 1, (r) => at(r)[1]);
    // And near the exact posterior (the product of the two), within the ABC error of the final tolerance.
    const exactMu = moments((x) => Math.exp(-0.5 * ((x - X_OBS) / SIGMA) ** 2), -1, 1.5);
    for (const r of rs) expect(Math.abs(at(r)[0].sd / exactMu.sd - 1)).toBeLessThan(0.1);
  });
});

describe('ABC-SMC mechanics', () => {
  const o: AbcOptions = { priors: [{ min: 0, max: 10, integer: false }, { min: 2, max: 9, integer: true }], particles: 40, alpha: 0.5, minAcceptance: 0.02, generations: 4, seed: 3 };
  const f = (t: number[]) => (t[0]! - 3) ** 2 + (t[1]! - 6) ** 2;

  it('is deterministic, evaluates whole generations, and keeps N_α particles within the prior', async () => {
    const batches: number[] = [];
    const a = await runAbcSmc(o, async (ts, g) => {
      batches.push(ts.length);
      expect(g).toBe(batches.length);
      return ts.map(f);
    });
    const b = await runAbcSmc(o, async (ts) => ts.map(f));
    expect(JSON.stringify(a.history)).toBe(JSON.stringify(b.history));
    expect(batches).toEqual([40, 20, 20, 20]);
    expect(a.stop).toBe('generations');
    for (const g of a.history) {
      expect(g.kept.length).toBe(20);
      expect(g.kept.every((p) => p.theta[0]! >= 0 && p.theta[0]! <= 10 && Number.isInteger(p.theta[1]) && p.theta[1]! >= 2 && p.theta[1]! <= 9 && p.weight > 0)).toBe(true);
    }
    // The tolerance never rises, and the kept particles are within it.
    for (let t = 1; t < a.history.length; t++) expect(a.history[t]!.epsilon).toBeLessThanOrEqual(a.history[t - 1]!.epsilon);
    for (const g of a.history) expect(g.kept.every((p) => p.distance <= g.epsilon)).toBe(true);
    // Another seed, other proposals.
    const c = await runAbcSmc({ ...o, seed: 4 }, async (ts) => ts.map(f));
    expect(JSON.stringify(c.history[0]!.kept)).not.toBe(JSON.stringify(a.history[0]!.kept));
  });

  it('proposes the same batch until it is given the distances, and replays from the same distances', () => {
    const a = new AbcSmc(o);
    const p1 = a.propose();
    expect(a.propose()).toBe(p1);
    a.update(p1.map(f));
    const p2 = a.propose();
    const b = new AbcSmc(o);
    b.update(b.propose().map(f));
    expect(JSON.stringify(b.propose())).toBe(JSON.stringify(p2));
    expect(() => a.update([1, 2])).toThrow(/20 distances expected/);
  });

  it('stops when the acceptance rate falls to minAcceptance', async () => {
    // A distance that no proposal can improve on after the first generation: p_acc = 0.
    let g = 0;
    const abc = await runAbcSmc({ ...o, generations: 50 }, async (ts, gen) => {
      g = gen;
      return ts.map((t, i) => (gen === 1 ? i : 1000 + f(t)));
    });
    expect(abc.stop).toBe('acceptance');
    expect(g).toBe(2);
    expect(abc.history[1]!.acceptance).toBe(0);
  });

  it('rejects options that keep too few particles', () => {
    expect(() => new AbcSmc({ ...o, particles: 2 })).toThrow(/keep at least 2 particles and replace at least 1/);
    expect(() => new AbcSmc({ ...o, alpha: 1 })).toThrow(/alpha/);
  });

  it('summaries and resampling follow the weights', () => {
    const ps: Particle[] = [1, 2, 3, 4].map((x, i) => ({ theta: [x], weight: [1, 1, 1, 5][i]!, distance: 0 }));
    const s = summarizeParameter(ps, 0);
    expect(s.mean).toBeCloseTo((1 + 2 + 3 + 20) / 8, 12);
    expect(s.q05).toBe(1);
    expect(s.q50).toBe(4);
    expect(s.q95).toBe(4);
    const draws = resample(ps, 800, 9);
    expect(draws.filter((j) => j === 3).length).toBe(500);
    expect(resample(ps, 800, 9)).toEqual(draws);
  });

  it('the normal tail areas are accurate', () => {
    expect(1 - normalUpper(1)).toBeCloseTo(0.8413447460685429, 6);
    expect(normalUpper(5) / 2.866515718791939e-7).toBeCloseTo(1, 5);
    expect(normalUpper(-2)).toBeCloseTo(0.9772498680518208, 6);
    // A narrow cell (midpoint rule) and a wide one agree with Simpson's rule.
    const pdf = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    for (const [a, b] of [[0.3, 0.35], [-1.2, 0.7], [2.5, 4], [-6, -5.5]] as const) {
      expect(normalCell(a, b) / simpson(pdf, a, b, 2000)).toBeCloseTo(1, 5);
    }
  });
});
