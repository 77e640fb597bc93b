/**
 * Simulation-based calibration (src/analysis/sbc.ts). The machinery is checked
 * on a normal mean with known variance and a uniform prior, whose posterior is
 * known exactly: with exact posterior samples the truth's rank is uniform and
 * the 90% interval covers 90% of the time; ABC-SMC covers within the issue's
 * band (80–98%, a little over 90% because of its finite tolerance); a model
 * biased against its data under-covers and fails the check; ABC stopped after
 * its first generation has posteriors far too wide, which its ranks show.
 * Then a very small CadreFlow run: deterministic, the same bytes on one and
 * two threads, and the files it should write.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drawBase, normalQuantile, uniformAt } from '../../src/random/hash.js';
import type { Particle } from '../../src/analysis/abc-smc.js';
import {
  COVERAGE_HEADER,
  SBC_HEADER,
  cadreflowSimulator,
  drawTruth,
  observeKey,
  rankOf,
  runSbc,
  sbcCoverage,
  wilson,
  writeSbc,
  type SbcParameter,
  type SbcParameterResult,
  type SbcTruth,
  type SbcRun,
  type SbcSimulator,
} from '../../src/analysis/sbc.js';

/** A standard normal from a run key (draw k). */
const z = (key: number, k: number) => normalQuantile((uniformAt(drawBase(key, 0x5bc), k) * 4294967295 + 0.5) / 4294967296);

/** The toy model: each summary is its parameter plus normal noise of sd sigma[j]. */
function toy(sigma: number[]): SbcSimulator {
  return {
    async simulate(runs: SbcRun[]) {
      return runs.map(({ theta, key }) => theta.map((t, j) => t + sigma[j]! * z(key, j)));
    },
    distance: (s, o) => s.reduce((d, v, j) => d + ((v - o[j]!) / sigma[j]!) ** 2, 0),
  };
}

/** A truth's record holding only the ranks (what sbcCoverage reads). */
const asTruth = (r: SbcParameterResult, i: number): SbcTruth => ({ index: i, theta: [r.truth], observed: [], generations: 1, evaluations: 0, epsilon: 0, stop: 'tolerance', ess: 0, history: [], parameters: [r] });

/** χ² statistic of counts against equal expected counts. */
function chi2(counts: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  const e = n / counts.length;
  return counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
}
/** The 0.999 quantile of χ² with 4 degrees of freedom (5 rank bins). */
const CHI2_4_999 = 18.467;

describe('the bookkeeping, against exact posteriors', () => {
  const SIGMA = 0.5;
  const prior: SbcParameter[] = [{ name: 'mu', min: 0, max: 10 }];
  const L = 2000;
  const TRUTHS = 400;

  /**
   * The exact posterior of a normal mean under a uniform prior, as a weighted
   * sample: L draws from the prior, each weighted by its likelihood
   * exp(−(x − θ)² / (2 s²)). With s = SIGMA it is the posterior; a smaller s
   * is an overconfident one, a shifted x a biased one.
   */
  function posterior(seed: number, i: number, x: number, s: number): Particle[] {
    return Array.from({ length: L }, (_, j) => {
      const theta = drawTruth(prior, seed + 1, i * L + j);
      return { theta, weight: Math.exp(-((x - theta[0]!) ** 2) / (2 * s * s)), distance: 0 };
    });
  }

  function check(s: number, shift = 0) {
    const results = Array.from({ length: TRUTHS }, (_, i) => {
      const truth = drawTruth(prior, 7, i)[0]!;
      const x = truth + SIGMA * z(observeKey(7, i), 0);
      return rankOf(posterior(7, i, x + shift, s), 0, truth, 0.5);
    });
    return sbcCoverage(prior, results.map(asTruth))[0]!;
  }

  test('an exact posterior covers 90% of the time and its ranks are uniform', () => {
    const c = check(SIGMA);
    // Binomial(400, 0.9): sd 0.015; the band is ±3.3 sd.
    expect(c.coverage).toBeGreaterThan(0.85);
    expect(c.coverage).toBeLessThan(0.95);
    expect(c.low).toBeLessThan(0.9);
    expect(c.high).toBeGreaterThan(0.9);
    expect(chi2(c.rankBins)).toBeLessThan(CHI2_4_999);
    expect(Math.abs(c.meanRank - 0.5)).toBeLessThan(0.05);
  });

  test('an overconfident posterior under-covers and a shifted one has skewed ranks', () => {
    const narrow = check(SIGMA / 2);
    expect(narrow.coverage).toBeLessThan(0.8);
    expect(narrow.high).toBeLessThan(0.9);
    // Ranks pile up at both ends.
    expect(narrow.rankBins[0]! + narrow.rankBins[4]!).toBeGreaterThan(0.5 * TRUTHS);
    const shifted = check(SIGMA, SIGMA);
    expect(shifted.meanRank).toBeLessThan(0.4);
    expect(chi2(shifted.rankBins)).toBeGreaterThan(CHI2_4_999);
  });

  test('an integer parameter: ties are broken at random, so the rank is uniform', () => {
    const k: SbcParameter[] = [{ name: 'k', min: 0, max: 8, integer: true }];
    const results = Array.from({ length: TRUTHS }, (_, i) => {
      const truth = drawTruth(k, 3, i)[0]!;
      expect(Number.isInteger(truth)).toBe(true);
      const x = truth + 0.6 * z(observeKey(3, i), 0);
      // The exact posterior: every value of the prior with its likelihood.
      const particles = Array.from({ length: 9 }, (_, v) => ({ theta: [v], weight: Math.exp(-((x - v) ** 2) / (2 * 0.36)), distance: 0 }));
      return rankOf(particles, 0, truth, uniformAt(drawBase(99, i), 0));
    });
    const bins = [0, 0, 0, 0, 0];
    for (const r of results) bins[Math.min(4, Math.floor(r.rank * 5))]!++;
    expect(chi2(bins)).toBeLessThan(CHI2_4_999);
    // A discrete posterior's central interval includes its end atoms: at least 90%.
    expect(results.filter((r) => r.inside).length / TRUTHS).toBeGreaterThanOrEqual(0.88);
  });

  test('Wilson’s interval', () => {
    const w = wilson(9, 10);
    expect(w.low).toBeCloseTo(0.5958, 3);
    expect(w.high).toBeCloseTo(0.9821, 3);
    expect(wilson(10, 10).high).toBe(1);
    expect(wilson(0, 10).low).toBe(0);
  });
});

describe('ABC-SMC on the normal mean', () => {
  const parameters: SbcParameter[] = [
    { name: 'mu', min: 0, max: 10 },
    { name: 'nu', min: -2, max: 2 },
  ];
  const sigma = [0.5, 0.3];
  const abc = { particles: 100, alpha: 0.5, minAcceptance: 0.05, generations: 4 };

  test('100 truths: the 90% intervals cover between 80% and 98%; the same seed gives the same records', async () => {
    const truths = await runSbc({ parameters, abc, truths: 100, seed: 1, simulator: toy(sigma) });
    const rows = sbcCoverage(parameters, truths);
    expect(rows.map((r) => r.parameter)).toEqual(['mu', 'nu', 'all']);
    for (const r of rows) {
      expect(r.coverage).toBeGreaterThanOrEqual(0.8);
      expect(r.coverage).toBeLessThanOrEqual(0.98);
    }
    expect(rows[2]!.n).toBe(200);
    for (const t of truths) {
      expect(t.generations).toBeLessThanOrEqual(4);
      expect(t.evaluations).toBe(100 + 50 * (t.generations - 1));
      t.theta.forEach((v, j) => expect(v).toBeGreaterThanOrEqual(parameters[j]!.min));
    }
    const again = await runSbc({ parameters, abc, truths: 5, seed: 1, simulator: toy(sigma) });
    expect(again).toEqual(truths.slice(0, 5));
    const other = await runSbc({ parameters, abc, truths: 5, seed: 2, simulator: toy(sigma) });
    expect(other[0]!.theta).not.toEqual(truths[0]!.theta);
  });

  test('a model biased against its data under-covers; ABC stopped after one generation gives ranks far from uniform', async () => {
    const T = 60;
    const seed = 4;
    const keys = new Set(Array.from({ length: T }, (_, i) => observeKey(seed, i)));
    // The data are drawn 3 sd above what the calibrated model gives at the same values.
    const biased: SbcSimulator = {
      async simulate(runs) {
        return runs.map(({ theta, key }) => theta.map((t, j) => t + (keys.has(key) ? 3 * sigma[j]! : 0) + sigma[j]! * z(key, j)));
      },
      distance: toy(sigma).distance,
    };
    const shifted = sbcCoverage(parameters, await runSbc({ parameters, abc, truths: T, seed, simulator: biased }))[2]!;
    expect(shifted.coverage).toBeLessThan(0.8);
    expect(shifted.high).toBeLessThan(0.9);
    // Rejection from the prior keeping half the particles: far too wide. Its 90% intervals still
    // cover about 90% (the truths near the prior's edges fall outside them), so coverage alone
    // misses it; the ranks, piled up in the middle, do not.
    const early = sbcCoverage(parameters, await runSbc({ parameters, abc: { ...abc, generations: 1 }, truths: T, seed, simulator: toy(sigma) }))[2]!;
    expect(chi2(early.rankBins)).toBeGreaterThan(CHI2_4_999);
    expect(early.rankBins[2]!).toBeGreaterThan(0.3 * early.n);
  });
});

describe('a very small CadreFlow run', () => {
  const base = { name: 'sbc-test', seed: 1, startYear: 2006, years: 2, burnIn: 2, world: { preset: 'gansu', scale: 0.03 } };
  const parameters: SbcParameter[] = [
    { name: 'behavior.regionBias', min: 0, max: 5 },
    { name: 'policy.tenureEnforcement', min: 0, max: 1 },
  ];
  const targets = [
    { metric: 'exchange_coverage', window: [2006, 2007] as [number, number], tolerance: 0.03 },
    { metric: 'moves_per_100', window: [2006, 2007] as [number, number], tolerance: 0.3 },
  ];
  const abc = { particles: 6, alpha: 0.5, minAcceptance: 0.05, generations: 2 };

  async function run(dir: string, threads: number): Promise<void> {
    const simulator = cadreflowSimulator({ base, parameters, targets, replicates: 2, threads });
    try {
      const truths = await runSbc({ parameters, abc, truths: 3, seed: 9, simulator });
      expect(simulator.runs()).toBe(3 * 2 * (1 + 6 + 3));
      writeSbc(dir, parameters, truths);
    } finally {
      await simulator.close();
    }
  }

  test('3 truths: sbc.csv and coverage.csv, the same bytes twice and on two threads', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-sbc-'));
    try {
      await run(path.join(root, 'a'), 1);
      await run(path.join(root, 'b'), 1);
      await run(path.join(root, 'c'), 2);
      const sbc = readFileSync(path.join(root, 'a', 'sbc.csv'), 'utf8');
      const coverage = readFileSync(path.join(root, 'a', 'coverage.csv'), 'utf8');
      for (const d of ['b', 'c']) {
        expect(readFileSync(path.join(root, d, 'sbc.csv'), 'utf8')).toBe(sbc);
        expect(readFileSync(path.join(root, d, 'coverage.csv'), 'utf8')).toBe(coverage);
      }
      const lines = sbc.trim().split('\n');
      expect(lines[0]).toBe(SBC_HEADER.join(','));
      expect(lines).toHaveLength(1 + 3 * 2);
      for (const line of lines.slice(1)) {
        const c = line.split(',');
        const rank = Number(c[3]);
        expect(rank).toBeGreaterThanOrEqual(0);
        expect(rank).toBeLessThanOrEqual(1);
        expect(['TRUE', 'FALSE']).toContain(c[6]);
        expect(Number(c[4])).toBeLessThanOrEqual(Number(c[5]));
        expect(c[9]).toBe('2');
      }
      const cov = coverage.trim().split('\n');
      expect(cov[0]).toBe(COVERAGE_HEADER.join(','));
      expect(cov.slice(1).map((l) => l.split(',')[0])).toEqual([...parameters.map((p) => p.name), 'all']);
      expect(cov[3]!.split(',')[1]).toBe('6');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
