/**
 * Simulation-based calibration of the ABC-SMC calibration: Talts, Betancourt,
 * Simpson, Vehtari & Gelman (2018), "Validating Bayesian inference algorithms
 * with simulation-based calibration", arXiv:1804.06788.
 *
 * If θ* is drawn from the prior, data y from the model at θ*, and the
 * posterior π(θ | y) is computed exactly, then θ* is a draw from that
 * posterior: the posterior distribution function at the truth, F(θ* | y), is
 * uniform on [0, 1] (the normalised rank of Talts et al.), and a 90% central
 * posterior interval holds the truth 90% of the time. An inference algorithm
 * that gives posteriors too narrow or shifted under-covers; one too wide
 * over-covers. ABC with a finite tolerance conditions on "distance ≤ ε"
 * rather than on the data, so its posteriors are somewhat wider than exact
 * and it is expected to over-cover a little.
 *
 * For each of `truths` truths i:
 * 1. θ*_i is drawn from the prior box (uniform; integers uniform on min…max)
 *    by counter-based draws keyed by (seed, i) (random/hash.ts);
 * 2. the observed summaries y_i are simulated at θ*_i with the run key
 *    OBSERVE(seed, i), which no evaluation of the calibration uses;
 * 3. the ABC-SMC of abc-smc.ts runs with its own seed ABC(seed, i); particle
 *    p of generation t is simulated with the run key RUNS(seed, i, t, p) and
 *    its distance to y_i is the simulator's distance;
 * 4. for each parameter, the weighted posterior particles (the kept
 *    particles of the last generation) give the truth's normalised rank
 *    F(<θ*) + u · F(=θ*) — the weighted share of particles below the truth,
 *    with ties (integer parameters) broken by a uniform u drawn from (seed, i,
 *    parameter), so that the rank is exactly uniform under an exact
 *    posterior — and the weighted 5% and 95% quantiles (summarizeParameter);
 *    the truth is inside when q05 ≤ θ* ≤ q95.
 *
 * The summary gives, per parameter and over all of them, the share of truths
 * inside their 90% interval, with Wilson's 95% score interval of a binomial
 * share (the pooled figure treats the parameters of one truth as independent,
 * which they need not be), the mean rank and a histogram of the ranks.
 *
 * Everything is a function of the seed: the truths, the run keys and the ABC
 * draws are counter-based hashes, and the particles of a generation are
 * evaluated as one batch whose results come back in particle order, so the
 * output is the same bytes on any number of threads.
 *
 * `cadreflowSimulator` is the simulator of a CadreFlow calibration: a
 * particle's summaries are the targets' replicate means (each the mean of a
 * metric over its years, as calibrate-objective.ts computes them) and the
 * distance is the calibration's tolerance-scaled distance Σ (dev / tolerance)².
 * The observed summaries are replicate means over the same number of
 * replicates, so that the data and the simulations have the same noise.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { drawBase, hash2, hash3, hashString, runSeed, uniform53, uniformAt } from '../random/hash.js';
import { resolveScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { RunPool } from '../experiment/pool.js';
import { csvRow } from '../experiment/csv.js';
import { AbcSmc, summarizeParameter, type AbcPrior, type Particle, type StopReason } from './abc-smc.js';
import { finiteMean, objective, runValue, type ResolvedTarget } from './calibrate-objective.js';

export interface SbcParameter {
  /** A name; for the CadreFlow simulator, the dotted path of the scenario field. */
  name: string;
  min: number;
  max: number;
  integer?: boolean;
}

/** The ABC-SMC settings of every calibration (abc-smc.ts, AbcOptions without priors and seed). */
export interface SbcAbcSettings {
  particles: number;
  alpha: number;
  minAcceptance: number;
  generations: number;
}

/** One simulation: the parameter values and the run key that fixes its random numbers. */
export interface SbcRun {
  theta: number[];
  key: number;
}

export interface SbcSimulator {
  /** The summaries of each run, in the order given; each a pure function of (θ, key). */
  simulate(runs: SbcRun[]): Promise<number[][]>;
  /** Distance between simulated and observed summaries (NaN counts as infinitely far). */
  distance(simulated: number[], observed: number[]): number;
}

export interface SbcOptions {
  parameters: SbcParameter[];
  abc: SbcAbcSettings;
  truths: number;
  seed: number;
  simulator: SbcSimulator;
  /** Called after each truth's calibration. */
  onTruth?: (record: SbcTruth) => void;
}

export interface SbcParameterResult {
  truth: number;
  /** Normalised rank: the posterior distribution function at the truth, ties broken at random. */
  rank: number;
  mean: number;
  sd: number;
  q05: number;
  q95: number;
  inside: boolean;
}

export interface SbcTruth {
  index: number;
  theta: number[];
  observed: number[];
  generations: number;
  evaluations: number;
  epsilon: number;
  stop: StopReason;
  /** Effective sample size of the posterior particles. */
  ess: number;
  /** ε_t and p_acc of each generation (abc-smc.ts). */
  history: { epsilon: number; acceptance: number }[];
  parameters: SbcParameterResult[];
}

export interface SbcCoverage {
  parameter: string;
  n: number;
  inside: number;
  coverage: number;
  /** Wilson's 95% score interval of the coverage. */
  low: number;
  high: number;
  meanRank: number;
  /** Counts of the ranks in RANK_BINS equal bins of [0, 1]. */
  rankBins: number[];
}

export const RANK_BINS = 5;


const stream = (purpose: string, seed: number) => hash2(seed >>> 0, hashString(`sbc.${purpose}`));

/** Truth i: one uniform draw per parameter (integers uniform on min…max). */
export function drawTruth(parameters: SbcParameter[], seed: number, i: number): number[] {
  const base = drawBase(stream('truth', seed), i >>> 0);
  return parameters.map((p, j) => {
    const u = uniform53(base, j);
    return p.integer ? Math.min(p.max, p.min + Math.floor(u * (p.max - p.min + 1))) : p.min + u * (p.max - p.min);
  });
}

/** The run key of truth i's observed summaries. */
export const observeKey = (seed: number, i: number) => hash2(stream('observe', seed), i >>> 0);
/** The seed of truth i's ABC-SMC (its prior draws and moves). */
export const abcSeed = (seed: number, i: number) => hash2(stream('abc', seed), i >>> 0);
/** The run key of particle p of generation t of truth i's calibration. */
export const particleKey = (seed: number, i: number, t: number, p: number) => hash3(hash2(stream('runs', seed), i >>> 0), t >>> 0, p >>> 0);

/**
 * The truth's place in the weighted posterior of parameter j: the normalised
 * rank F(<x) + u · F(=x) and whether x lies in the central 90% interval [q05, q95].
 */
export function rankOf(particles: Particle[], j: number, x: number, u: number): SbcParameterResult {
  let sw = 0;
  let below = 0;
  let equal = 0;
  for (const p of particles) {
    sw += p.weight;
    const v = p.theta[j]!;
    if (v < x) below += p.weight;
    else if (v === x) equal += p.weight;
  }
  const s = summarizeParameter(particles, j);
  const rank = Math.min(1, (below + u * equal) / sw);
  return { truth: x, rank, mean: s.mean, sd: s.sd, q05: s.q05, q95: s.q95, inside: s.q05 <= x && x <= s.q95 };
}

/** Runs the check: `truths` calibrations, one after another. */
export async function runSbc(o: SbcOptions): Promise<SbcTruth[]> {
  if (!(o.truths >= 1) || !Number.isInteger(o.truths)) throw new Error('sbc: truths must be a whole number ≥ 1');
  const priors: AbcPrior[] = o.parameters.map((p) => ({ min: p.min, max: p.max, integer: !!p.integer }));
  const out: SbcTruth[] = [];
  const tieStream = stream('rank', o.seed);
  for (let i = 0; i < o.truths; i++) {
    const theta = drawTruth(o.parameters, o.seed, i);
    const observed = (await o.simulator.simulate([{ theta, key: observeKey(o.seed, i) }]))[0]!;
    if (!observed.every(Number.isFinite)) throw new Error(`sbc: truth ${i}: an observed summary is undefined (${observed.join(', ')}); choose summaries defined in every run`);
    const abc = new AbcSmc({ priors, ...o.abc, seed: abcSeed(o.seed, i) });
    while (!abc.stop) {
      const t = abc.generation + 1;
      const thetas = abc.propose();
      const sims = await o.simulator.simulate(thetas.map((th, p) => ({ theta: th, key: particleKey(o.seed, i, t, p) })));
      abc.update(sims.map((s) => o.simulator.distance(s, observed)));
    }
    const last = abc.history[abc.history.length - 1]!;
    const tieBase = drawBase(tieStream, i >>> 0);
    const record: SbcTruth = {
      index: i,
      theta,
      observed,
      generations: abc.generation,
      evaluations: last.evaluations,
      epsilon: last.epsilon,
      stop: abc.stop!,
      ess: last.ess,
      history: abc.history.map((g) => ({ epsilon: g.epsilon, acceptance: g.acceptance })),
      parameters: o.parameters.map((_, j) => rankOf(abc.posterior, j, theta[j]!, uniform53(tieBase, j))),
    };
    out.push(record);
    o.onTruth?.(record);
  }
  return out;
}

/** Wilson's score interval of a binomial share k / n (z = 1.96: 95%). */
export function wilson(k: number, n: number, z = 1.959964): { low: number; high: number } {
  if (n === 0) return { low: NaN, high: NaN };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

function coverageOf(parameter: string, results: SbcParameterResult[]): SbcCoverage {
  const n = results.length;
  const inside = results.filter((r) => r.inside).length;
  const rankBins = new Array<number>(RANK_BINS).fill(0);
  for (const r of results) rankBins[Math.min(RANK_BINS - 1, Math.floor(r.rank * RANK_BINS))]!++;
  return { parameter, n, inside, coverage: inside / n, ...wilson(inside, n), meanRank: results.reduce((s, r) => s + r.rank, 0) / n, rankBins };
}

/** Coverage per parameter, then over all of them ("all"). */
export function sbcCoverage(parameters: SbcParameter[], truths: SbcTruth[]): SbcCoverage[] {
  const rows = parameters.map((p, j) => coverageOf(p.name, truths.map((t) => t.parameters[j]!)));
  rows.push(coverageOf('all', truths.flatMap((t) => t.parameters)));
  return rows;
}

export const SBC_HEADER = ['truth', 'parameter', 'value', 'rank', 'q05', 'q95', 'inside', 'posterior_mean', 'posterior_sd', 'generations', 'evaluations', 'epsilon', 'ess', 'stop'];
export const COVERAGE_HEADER = ['parameter', 'truths', 'inside', 'coverage', 'coverage_low', 'coverage_high', 'mean_rank', ...Array.from({ length: RANK_BINS }, (_, b) => `rank_bin_${b + 1}`)];

/** sbc.csv: one row per (truth, parameter). */
export function sbcCsv(parameters: SbcParameter[], truths: SbcTruth[]): string {
  let s = csvRow(SBC_HEADER);
  for (const t of truths) {
    t.parameters.forEach((r, j) => {
      s += csvRow([t.index, parameters[j]!.name, r.truth, r.rank, r.q05, r.q95, r.inside, r.mean, r.sd, t.generations, t.evaluations, t.epsilon, t.ess, t.stop]);
    });
  }
  return s;
}

/** coverage.csv: one row per parameter and one for all of them. */
export function coverageCsv(rows: SbcCoverage[]): string {
  return csvRow(COVERAGE_HEADER) + rows.map((r) => csvRow([r.parameter, r.n, r.inside, r.coverage, r.low, r.high, r.meanRank, ...r.rankBins])).join('');
}

/** Writes sbc.csv and coverage.csv into dir (created if missing); returns the coverage rows. */
export function writeSbc(dir: string, parameters: SbcParameter[], truths: SbcTruth[]): SbcCoverage[] {
  mkdirSync(dir, { recursive: true });
  const rows = sbcCoverage(parameters, truths);
  writeFileSync(path.join(dir, 'sbc.csv'), sbcCsv(parameters, truths));
  writeFileSync(path.join(dir, 'coverage.csv'), coverageCsv(rows));
  return rows;
}

// ---------- the CadreFlow simulator ----------

export interface SbcTarget {
  metric: string;
  /** [from, to]: the metric is averaged over these years within a run. */
  window: [number, number];
  /** The unit of the distance: the target's deviation is divided by it. */
  tolerance: number;
}

export interface CadreFlowSbcModel {
  /** A raw scenario object (as read from a scenario file). */
  base: unknown;
  /** `path=value` overrides applied to the base (as --set). */
  sets?: string[];
  /** Parameters: `name` is the scenario field's dotted path. */
  parameters: SbcParameter[];
  targets: SbcTarget[];
  /** Replicates per evaluation (and of the observed summaries), averaged. */
  replicates: number;
  /** Worker threads (1: runs in this thread). */
  threads?: number;
}

/**
 * The simulator of a CadreFlow calibration: replicate k of a run with key
 * `key` has the seed runSeed(key, 0, k). Call close() at the end (the pool).
 */
export function cadreflowSimulator(m: CadreFlowSbcModel): SbcSimulator & { close(): Promise<void>; runs: () => number } {
  const base: Scenario = resolveScenario(m.base, m.sets ?? []);
  const last = base.startYear + base.years - 1;
  const targets: ResolvedTarget[] = m.targets.map((t, i) => {
    const metricIndex = METRIC_NAMES.indexOf(t.metric);
    if (metricIndex < 0) throw new Error(`sbc: targets[${i}].metric: ${t.metric} is not a metric`);
    if (t.window[0] < base.startYear || t.window[1] > last || t.window[1] < t.window[0]) throw new Error(`sbc: targets[${i}].window: years the scenario reports, ${base.startYear}–${last}`);
    const yearList: number[] = [];
    for (let y = t.window[0]; y <= t.window[1]; y++) yearList.push(y);
    return { metric: t.metric, window: t.window, relation: 'equal', observed: 0, tolerance: t.tolerance, weight: 1, source: '', label: t.metric, metricIndex, yearList, windowText: `${t.window[0]}-${t.window[1]}` };
  });
  const pool = new RunPool(m.threads ?? 1);
  let runs = 0;
  const scenarioAt = (theta: number[]): Scenario => resolveScenario(base, m.parameters.map((p, j) => `${p.name}=${JSON.stringify(theta[j])}`));
  return {
    async simulate(batch: SbcRun[]): Promise<number[][]> {
      return Promise.all(
        batch.map(async ({ theta, key }) => {
          const scenario = scenarioAt(theta);
          const results = await Promise.all(Array.from({ length: m.replicates }, (_, k) => pool.run({ scenario, seed: runSeed(key, 0, k) })));
          runs += results.length;
          return targets.map((t) => finiteMean(results.map((r) => runValue(t, r))));
        }),
      );
    },
    distance(simulated: number[], observed: number[]): number {
      const withObserved: ResolvedTarget[] = targets.map((t, i) => ({ ...t, observed: observed[i]! }));
      return objective(withObserved, simulated);
    },
    close: () => pool.close(),
    runs: () => runs,
  };
}
