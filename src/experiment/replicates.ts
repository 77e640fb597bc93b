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

export const TIMESERIES_HEADER = ['point', 'replicate', 'seed', 'year', ...METRIC_NAMES];
export const SUMMARY_HEADER = ['point', 'metric', 'year', 'n', 'mean', 'sd', 'ci_low', 'ci_high'];

export function timeseriesRows(results: PackedResult[], point = 0): string {
  const m = METRIC_NAMES.length;
  let out = '';
  results.forEach((r, rep) => {
    r.years.forEach((year, i) => {
      out += csvRow([point, rep, r.seed, year, ...Array.from(r.metrics.subarray(i * m, (i + 1) * m))]);
    });
  });
  return out;
}

/** Summary of each metric in each year over the replicates. */
export function summaries(results: PackedResult[]): { metric: string; year: number; s: Summary }[] {
  const out: { metric: string; year: number; s: Summary }[] = [];
  const m = METRIC_NAMES.length;
  const years = results[0]?.years ?? [];
  const vals = new Float64Array(results.length);
  METRIC_NAMES.forEach((metric, j) => {
    years.forEach((year, i) => {
      results.forEach((r, k) => (vals[k] = r.metrics[i * m + j]!));
      out.push({ metric, year, s: summarizeMetric(metric, vals) });
    });
  });
  return out;
}

export function summaryRows(results: PackedResult[], point = 0): string {
  let out = '';
  for (const { metric, year, s } of summaries(results)) out += csvRow([point, metric, year, s.n, s.mean, s.sd, s.ciLow, s.ciHigh]);
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
