/**
 * Replicates of one scenario: seeds derived from (scenario seed, point,
 * replicate), runs on the pool, results in replicate order, and the
 * timeseries and summary tables built from them.
 */
import type { Scenario } from '../scenario/schema.js';
import { runSeed } from '../random/hash.js';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { runAll } from './pool.js';
import type { PackedResult } from './run-one.js';
import { csvRow } from './csv.js';
import { summarizeMetric, type Summary } from './stats.js';
import { parametricShare } from './posterior.js';
import { EVENT_COLUMNS } from '../model/phases/record.js';

export interface ReplicateOptions {
  replicates: number;
  threads: number;
  point?: number;
  check?: boolean;
  events?: boolean;
  onResult?: (index: number, r: PackedResult) => void;
}

export function replicateSeeds(scenario: Scenario, n: number, point = 0): number[] {
  return Array.from({ length: n }, (_, k) => runSeed(scenario.seed, point, k));
}

export async function runReplicates(scenario: Scenario, o: ReplicateOptions): Promise<PackedResult[]> {
  const seeds = replicateSeeds(scenario, o.replicates, o.point ?? 0);
  return runAll(
    seeds.map((seed) => ({ scenario, seed, check: o.check, events: o.events })),
    { threads: o.threads, onResult: o.onResult },
  );
}

/**
 * The columns of timeseries.csv and summary.csv. `particle` (the posterior
 * particle a replicate ran) and `parametric_share` (the share of the variance
 * over replicates due to the parameters) come last, so that readers of the
 * earlier columns are unaffected; they are empty without --posterior
 * (posterior.ts).
 */
export const TIMESERIES_HEADER = ['point', 'replicate', 'seed', 'year', ...METRIC_NAMES, 'particle'];
export const SUMMARY_HEADER = ['point', 'metric', 'year', 'n', 'mean', 'sd', 'ci_low', 'ci_high', 'parametric_share'];

/** Rows of timeseries.csv; `particles[k]`: the posterior particle replicate k ran (empty cell without). */
export function timeseriesRows(results: PackedResult[], point = 0, particles?: readonly number[]): string {
  const m = METRIC_NAMES.length;
  let out = '';
  results.forEach((r, rep) => {
    const particle = particles ? particles[rep]! : '';
    r.years.forEach((year, i) => {
      out += csvRow([point, rep, r.seed, year, ...Array.from(r.metrics.subarray(i * m, (i + 1) * m)), particle]);
    });
  });
  return out;
}

export interface MetricSummary {
  metric: string;
  year: number;
  s: Summary;
  /** With a posterior: the share of the variance over replicates due to the parameters (NaN when undefined). */
  parametricShare?: number;
}

/**
 * Summary of each metric in each year over the replicates; with `groups`
 * (replicate k ran particle draw groups[k]) the mean and CI are over the
 * draws (stats.ts summarize), and the parametric share is added.
 */
export function summaries(results: PackedResult[], groups?: readonly number[]): MetricSummary[] {
  const out: MetricSummary[] = [];
  const m = METRIC_NAMES.length;
  const years = results[0]?.years ?? [];
  const vals = new Float64Array(results.length);
  METRIC_NAMES.forEach((metric, j) => {
    years.forEach((year, i) => {
      results.forEach((r, k) => (vals[k] = r.metrics[i * m + j]!));
      out.push({ metric, year, s: summarizeMetric(metric, vals, groups), ...(groups ? { parametricShare: parametricShare(vals, groups) } : {}) });
    });
  });
  return out;
}

export function summaryRows(results: PackedResult[], point = 0, groups?: readonly number[]): string {
  let out = '';
  for (const { metric, year, s, parametricShare: ps } of summaries(results, groups)) out += csvRow([point, metric, year, s.n, s.mean, s.sd, s.ciLow, s.ciHigh, ps ?? NaN]);
  return out;
}

export function eventRowsCsv(results: PackedResult[]): string {
  let out = '';
  results.forEach((r, rep) => {
    for (const row of r.events ?? []) out += `${rep},${row}\n`;
  });
  return out;
}

export const EVENTS_HEADER = ['replicate', ...EVENT_COLUMNS];
