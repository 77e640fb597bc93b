/**
 * `sweep --precision METRIC=H`: each design point gets the replicates it
 * needs. A point starts with the sweep's `replicates` and adds batches
 * (doubling, capped at --max-replicates) until the 95% CI half-width of every
 * target metric in the point's last reported year is at most its target —
 * the rule of `run --precision` (precision.ts), applied point by point.
 * Replicate k of point p always has the seed it has in a sweep without
 * precision, and the decision after each batch is a pure function of that
 * point's replicates, so the replicates a point needs do not depend on
 * threads, shards or interruptions.
 *
 * The decision needs only the target metrics' values in the last year of the
 * point's runs (one number per replicate and target); the half-width is
 * computed from them by the same summary as summary.csv's ci_low and ci_high.
 *
 * points.csv then has three kinds of extra columns, written when a point is
 * complete: `replicates` (the number the point needed or stopped at),
 * `precision_met` (TRUE when every target was met) and `<metric>_half_width`
 * for each target (the half-width reached).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { summarizeMetric } from './stats.js';
import { halfWidth, isReached, nextBatch, type PrecisionOutcome, type PrecisionTarget } from './precision.js';
import { LineReader } from './line-reader.js';
import { parseBoolean } from './csv.js';

export interface SweepPrecision {
  targets: PrecisionTarget[];
  /** --max-replicates: no point runs more replicates than this. */
  max: number;
}

/** The extra columns of points.csv. */
export function precisionColumns(p: SweepPrecision): string[] {
  return ['replicates', 'precision_met', ...p.targets.map((t) => `${t.metric}_half_width`)];
}

/** The sweep's identity with its precision settings (resume and merge refuse results of other settings). */
export function precisionHash(planHash: string, p: SweepPrecision | undefined): string {
  if (!p) return planHash;
  return createHash('sha256').update(JSON.stringify({ plan: planHash, precision: p.targets, maxReplicates: p.max })).digest('hex').slice(0, 20);
}

/**
 * After a batch: the half-widths of the targets over the first n replicates
 * (values[i][k] is target i's metric in the last year of replicate k; NaN for
 * a failed run), and how many replicates to add (0: the point is complete).
 */
export function decidePoint(p: SweepPrecision, values: number[][], n: number, seedsPerParticle?: number): { add: number; outcomes: PrecisionOutcome[] } {
  // Over a posterior, replicate k ran particle draw ⌊k/m⌋ (the CI is over the draws: stats.ts summarize).
  const groups = seedsPerParticle ? Array.from({ length: n }, (_, k) => Math.floor(k / seedsPerParticle)) : undefined;
  const achieved = p.targets.map((_, i) => {
    const s = summarizeMetric(p.targets[i]!.metric, values[i]!.slice(0, n), groups);
    return halfWidth(s.ciLow, s.ciHigh);
  });
  const reached = p.targets.every((t, i) => isReached(achieved[i]!, t.target));
  const add = nextBatch(n, p.max, reached);
  const outcomes = p.targets.map((t, i) => ({
    metric: t.metric,
    target: t.target,
    achieved: Number.isFinite(achieved[i]!) ? achieved[i]! : null,
    replicates: n,
    reached: isReached(achieved[i]!, t.target),
  }));
  return { add, outcomes };
}

/** The extra cells of a complete point's row in points.csv. */
export function precisionCells(outcomes: PrecisionOutcome[]): (string | number | boolean)[] {
  return [outcomes[0]!.replicates, outcomes.every((o) => o.reached), ...outcomes.map((o) => (o.achieved === null ? NaN : o.achieved))];
}

/** What manifest.json says of a precision sweep, from its points.csv. */
export interface SweepPrecisionSummary {
  targets: PrecisionTarget[];
  initialReplicates: number;
  maxReplicates: number;
  /** Complete points. */
  points: number;
  /** Points where every target was met. */
  met: number;
  /** Points that stopped at the maximum first. */
  notMet: number;
  /** The first (up to 100) points that stopped at the maximum. */
  notMetPoints: number[];
  /** Number of points by the replicates they needed, e.g. {"2": 4, "8": 1}. */
  pointsByReplicates: Record<string, number>;
  minReplicates: number | null;
  maxReplicatesUsed: number | null;
  /** Runs in all. */
  runs: number;
}

/**
 * Reads points.csv line by line (flat memory). The extra columns are the last
 * ones and hold no commas, so a row is split from its end.
 */
export function summarizePrecision(pointsCsv: string, p: SweepPrecision, initialReplicates: number): SweepPrecisionSummary {
  const s: SweepPrecisionSummary = {
    targets: p.targets, initialReplicates, maxReplicates: p.max,
    points: 0, met: 0, notMet: 0, notMetPoints: [], pointsByReplicates: {}, minReplicates: null, maxReplicatesUsed: null, runs: 0,
  };
  if (!existsSync(pointsCsv)) return s;
  const k = precisionColumns(p).length;
  const counts = new Map<number, number>();
  const r = new LineReader(pointsCsv);
  try {
    r.next(); // header
    for (let line = r.next(); line !== undefined; line = r.next()) {
      if (line === '') continue;
      const cells = line.split(',');
      const tail = cells.slice(cells.length - k);
      const point = Number(cells[0]);
      const reps = Number(tail[0]);
      s.points++;
      s.runs += reps;
      counts.set(reps, (counts.get(reps) ?? 0) + 1);
      if (parseBoolean(tail[1])) s.met++;
      else {
        s.notMet++;
        if (s.notMetPoints.length < 100) s.notMetPoints.push(point);
      }
    }
  } finally {
    r.close();
  }
  const keys = [...counts.keys()].sort((a, b) => a - b);
  for (const n of keys) s.pointsByReplicates[String(n)] = counts.get(n)!;
  s.minReplicates = keys.length ? keys[0]! : null;
  s.maxReplicatesUsed = keys.length ? keys[keys.length - 1]! : null;
  return s;
}

/** The terminal's account of a precision sweep. */
export function precisionSummaryLines(s: SweepPrecisionSummary): string {
  const goal = s.targets.map((t) => `${t.metric} ≤ ${t.target}`).join(', ');
  let out = `precision: 95% CI half-width in the last year ${goal}: met at ${s.met} of ${s.points} points`;
  if (s.notMet) {
    const list = s.notMetPoints.slice(0, 10).join(', ') + (s.notMet > 10 ? ', …' : '');
    out += `; not met at ${s.notMet} (stopped at the maximum of ${s.maxReplicates} replicates): point${s.notMet > 1 ? 's' : ''} ${list}`;
  }
  out += '\n';
  const hist = Object.entries(s.pointsByReplicates).map(([n, c]) => `${n} at ${c} point${c > 1 ? 's' : ''}`).join(', ');
  if (s.points) out += `replicates per point: ${hist} (${s.runs} runs; started at ${s.initialReplicates}, see the replicates column of points.csv)\n`;
  return out;
}
