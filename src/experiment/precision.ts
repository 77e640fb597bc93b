/**
 * `--precision METRIC=H` (docs/DESIGN.md "Command-line interface"): replicates are
 * added in deterministic batches until the 95% CI half-width of a metric is at
 * most H, or `--max-replicates` is reached. The batches start at the initial
 * replicate count and double, capped at the maximum; replicate k always runs
 * with seed k of the replicate seeds, so a run that stopped at n replicates
 * gives the same rows as a run of n replicates. Shared by run, compare and
 * sweep: each command says what the half-width is measured on.
 */
import { inputError, InputError } from '../scenario/errors.js';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { summarizeMetric } from './stats.js';
import type { PackedResult } from './run-one.js';

export const DEFAULT_MAX_REPLICATES = 200;

export interface PrecisionTarget {
  metric: string;
  /** The largest acceptable 95% CI half-width. */
  target: number;
}

/** What the manifest records for each target. */
export interface PrecisionOutcome extends PrecisionTarget {
  /** The half-width reached (null when undefined: fewer than 2 defined values). */
  achieved: number | null;
  replicates: number;
  reached: boolean;
}

/**
 * Parses `METRIC=H` or several comma-separated pairs `A=H1,B=H2`. Unknown
 * metrics list the valid names; H must be a positive number.
 */
export function parsePrecision(spec: string, flag = '--precision'): PrecisionTarget[] {
  const out: PrecisionTarget[] = [];
  const parts = spec.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw inputError(flag, spec, 'METRIC=H, e.g. stagnation_share=0.01 (several as A=H1,B=H2)');
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw inputError(flag, part, 'METRIC=H, e.g. stagnation_share=0.01 (several as A=H1,B=H2)');
    const metric = part.slice(0, eq).trim();
    const text = part.slice(eq + 1).trim();
    if (!METRIC_NAMES.includes(metric)) throw inputError(`${flag} ${metric}`, metric, `a metric name: ${METRIC_NAMES.join(', ')}`);
    const h = text === '' ? NaN : Number(text);
    if (!Number.isFinite(h) || h <= 0) throw inputError(`${flag} ${metric}`, text, 'a positive number, the largest acceptable 95% CI half-width');
    if (out.some((t) => t.metric === metric)) throw inputError(`${flag} ${metric}`, part, 'each metric once');
    out.push({ metric, target: h });
  }
  return out;
}

/**
 * Parses `--max-replicates` (default 200, or the initial count if larger);
 * with precision targets it must be at least the initial replicate count.
 */
export function maxReplicatesOption(value: string | undefined, initial: number, withTargets = true): number {
  if (value !== undefined && !withTargets) throw inputError('--max-replicates', value, 'only with --precision (it caps the replicates that --precision adds)');
  if (value === undefined) return Math.max(DEFAULT_MAX_REPLICATES, initial);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw inputError('--max-replicates', value, 'an integer from 1 to 100000');
  if (withTargets && n < initial) throw inputError('--max-replicates', value, `at least the initial replicates (${initial}); lower --replicates or raise --max-replicates`);
  return n;
}

/** Half-width of a 95% CI given by its bounds (NaN when undefined). */
export function halfWidth(ciLow: number, ciHigh: number): number {
  return Number.isFinite(ciLow) && Number.isFinite(ciHigh) ? (ciHigh - ciLow) / 2 : NaN;
}

/** The values of `metric` in `year` over the replicates (NaN where undefined or not reported). */
export function metricValues(results: PackedResult[], metric: string, year: number): Float64Array {
  const j = METRIC_NAMES.indexOf(metric);
  if (j < 0) throw new Error(`unknown metric ${metric}`);
  const m = METRIC_NAMES.length;
  const out = new Float64Array(results.length);
  results.forEach((r, k) => {
    const i = r.years.indexOf(year);
    out[k] = i < 0 ? NaN : r.metrics[i * m + j]!;
  });
  return out;
}

/** 95% CI half-width of the mean of `metric` in `year` over the replicates (over a posterior, `groups`: stats.ts summarize): what `run --precision` drives down. */
export function replicateHalfWidth(results: PackedResult[], metric: string, year: number, groups?: ArrayLike<number>): number {
  const s = summarizeMetric(metric, metricValues(results, metric, year), groups);
  return halfWidth(s.ciLow, s.ciHigh);
}

/** True when the half-width is defined and at most the target. */
export function isReached(achieved: number, target: number): boolean {
  return Number.isFinite(achieved) && achieved <= target;
}

/**
 * The number of replicates to add after `current` (0: stop): stop when every
 * target is reached or at the maximum, else double, capped at the maximum.
 */
export function nextBatch(current: number, max: number, reached: boolean): number {
  if (reached || current >= max) return 0;
  return Math.min(2 * Math.max(1, current), max) - current;
}

export interface PrecisionLoop<R> {
  targets: PrecisionTarget[];
  initial: number;
  max: number;
  /** Runs replicates from..to−1 (seed k for replicate k) and returns their results in replicate order. */
  runBatch: (from: number, to: number) => Promise<R[]>;
  /** The half-width of a target's metric given all results so far (for compare: the worst over the scenarios). */
  measure: (results: R[], metric: string) => number;
}

/** Runs batches until every target is reached or the maximum is; without targets, runs the initial replicates once. */
export async function runToPrecision<R>(o: PrecisionLoop<R>): Promise<{ results: R[]; outcomes: PrecisionOutcome[] }> {
  if (o.initial < 1) throw new InputError([{ path: '--replicates', value: o.initial, allowed: 'at least 1' }]);
  let results = await o.runBatch(0, o.initial);
  if (o.targets.length === 0) return { results, outcomes: [] };
  for (;;) {
    const achieved = o.targets.map((t) => o.measure(results, t.metric));
    const reached = o.targets.every((t, i) => isReached(achieved[i]!, t.target));
    const add = nextBatch(results.length, o.max, reached);
    if (add === 0) {
      return {
        results,
        outcomes: o.targets.map((t, i) => ({
          metric: t.metric,
          target: t.target,
          achieved: Number.isFinite(achieved[i]!) ? achieved[i]! : null,
          replicates: results.length,
          reached: isReached(achieved[i]!, t.target),
        })),
      };
    }
    results = results.concat(await o.runBatch(results.length, results.length + add));
  }
}

/** The manifest's `precision` field: one object for one target, an array for several, null without. */
export function precisionManifest(outcomes: PrecisionOutcome[]): PrecisionOutcome | PrecisionOutcome[] | null {
  if (outcomes.length === 0) return null;
  return outcomes.length === 1 ? outcomes[0]! : outcomes;
}

/** One terminal line per target. */
export function precisionLines(outcomes: PrecisionOutcome[], what: string): string {
  return outcomes
    .map((o) => {
      const got = o.achieved === null ? 'undefined' : o.achieved.toPrecision(3);
      return o.reached
        ? `precision: ${o.metric} ${what} 95% CI half-width ${got} ≤ ${o.target} reached with ${o.replicates} replicates\n`
        : `precision: ${o.metric} ${what} 95% CI half-width ${got} > ${o.target} not reached: stopped at the maximum of ${o.replicates} replicates\n`;
    })
    .join('');
}
