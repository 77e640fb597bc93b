/**
 * Running a sweep crash-safely on all cores. The main thread only schedules
 * and writes: results arrive in any order and are written in (point,
 * replicate, year) order through a small reorder buffer, so files are
 * byte-identical whatever the thread count, and memory stays flat because at
 * most a window of runs is in flight or waiting. After complete points (at
 * most once a second, and when the sweep ends or stops) the byte lengths of
 * the files are checkpointed in progress.json (written by rename); `--resume`
 * truncates the files to the checkpoint and runs only what is missing, so a
 * sweep killed at any moment ends byte-identical to one that
 * was never interrupted. A run that throws is recorded as failed (runs.csv,
 * failures.csv) and the others go on.
 *
 * The runs known to be needed are started lowest (point, replicate) first.
 * Without --precision every point has the sweep's replicates; with it
 * (sweep-precision.ts) a point's number grows by batches, decided when a
 * batch's last run arrives, from that point's runs only — so later points'
 * first batches keep the threads busy meanwhile, and the runs of the point
 * being written may go beyond the window, so that it always goes on.
 */
import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync, statSync } from 'node:fs';
import path from 'node:path';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { inputError } from '../scenario/errors.js';
import { makeDir, resumableDir } from './results-dir.js';
import { csvRow } from './csv.js';
import { paramCells as pointCells, paramColumns } from './param-columns.js';
import { RunPool, runsInFlight } from './pool.js';
import type { PackedResult } from './run-one.js';
import { summarizeMetric } from './stats.js';
import { shardPointList, type Shard, type SweepPlan } from './sweep-plan.js';
import { runSeed } from '../random/hash.js';
import type { PrecisionOutcome } from './precision.js';
import { decidePoint, precisionCells, precisionColumns, precisionHash, summarizePrecision, type SweepPrecision, type SweepPrecisionSummary } from './sweep-precision.js';
import { baseManifest } from './manifest.js';
import type { Scenario } from '../scenario/schema.js';
import { parametricShare, particleScenario, posteriorHash, posteriorManifest, replicateParticle, type PosteriorRun } from './posterior.js';

export const SWEEP_FILES = ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv'] as const;

export interface SweepOptions {
  out: string;
  threads: number;
  resume: boolean;
  force: boolean;
  shard?: Shard;
  onProgress?: (done: number, total: number) => void;
  /** Set to true (e.g. on SIGINT) to stop scheduling; finished work is kept. */
  stop?: { requested: boolean };
  /** `--precision`: each point adds replicates until its targets are met (sweep-precision.ts). */
  precision?: SweepPrecision;
  /**
   * `--posterior`: replicate k of every point runs particle draw ⌊k/m⌋ (posterior.ts; checked
   * against every point beforehand). timeseries.csv and runs.csv then end with `particle`,
   * summary.csv with `parametric_share`; without it the files are as they were.
   */
  posterior?: PosteriorRun;
}

export interface SweepOutcome {
  total: number;
  done: number;
  failed: { point: number; replicate: number; seed: number; message: string }[];
  interrupted: boolean;
  /** Runs written before this invocation (after a resume). */
  resumedFrom: number;
  /** Points of this shard, and how many are complete. */
  points: number;
  pointsDone: number;
  /** With --precision, when complete: how many replicates the points needed. */
  precision?: SweepPrecisionSummary;
  /** Where the results are: --out, or while a forced replacement is unfinished, the staging directory beside it. */
  dir: string;
}

interface Progress {
  hash: string;
  shard: Shard | null;
  /** Runs written up to the checkpoint. */
  nextTask: number;
  /** Points of the shard complete up to the checkpoint (absent in checkpoints of older versions). */
  nextPoint?: number;
  bytes: Record<string, number>;
  complete: boolean;
}

export function headers(plan: SweepPlan, precision?: SweepPrecision, posterior?: PosteriorRun): Record<(typeof SWEEP_FILES)[number], string> {
  const particle = posterior ? ['particle'] : [];
  return {
    'points.csv': csvRow(['point', ...paramColumns(plan).map((c) => c.header), ...(precision ? precisionColumns(precision) : [])]),
    'runs.csv': csvRow(['point', 'replicate', 'seed', 'status', ...paramColumns(plan).map((c) => c.header), ...METRIC_NAMES, 'error', ...particle]),
    'timeseries.csv': csvRow(['point', 'replicate', 'seed', 'year', ...METRIC_NAMES, ...particle]),
    'summary.csv': csvRow(['point', 'metric', 'year', 'n', 'mean', 'sd', 'ci_low', 'ci_high', ...(posterior ? ['parametric_share'] : [])]),
    'failures.csv': csvRow(['point', 'replicate', 'seed', 'message']),
  };
}

/** A point's parameter cells (param-columns.ts): a list as JSON ("[0.1,0.2]") followed by its `.scale`; empty where the point leaves the parameter as it is. */
function paramCells(plan: SweepPlan, p: number): (string | number | boolean)[] {
  return pointCells(paramColumns(plan), plan.points[p]!);
}

function writeProgress(dir: string, prog: Progress): void {
  const tmp = path.join(dir, '.progress.json.tmp');
  writeFileSync(tmp, JSON.stringify(prog, null, 2) + '\n');
  renameSync(tmp, path.join(dir, 'progress.json'));
}

export function readProgress(dir: string): Progress | undefined {
  const f = path.join(dir, 'progress.json');
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8')) as Progress;
}

/**
 * Whether `dir` is this sweep stopped before its first checkpoint (no
 * progress.json): empty, or with this sweep's unfinished manifest.json.
 */
function startedWithoutCheckpoint(dir: string, hash: string, shard: Shard | null): boolean {
  if (!existsSync(dir)) return false;
  if (readdirSync(dir).length === 0) return true;
  const mf = path.join(dir, 'manifest.json');
  if (!existsSync(mf)) return false;
  try {
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    return m.command === 'sweep' && m.sweepHash === hash && JSON.stringify(m.shard ?? null) === JSON.stringify(shard) && m.complete !== true && !m.finished;
  } catch {
    return false;
  }
}

type Outcome = { ok: true; r: PackedResult } | { ok: false; message: string };

/** A design point of this shard between its first submitted run and its last written one. */
interface PointState {
  point: number;
  scenario: Scenario;
  /** The point's last reported year (where precision is measured). */
  horizon: number;
  /** Replicates known to be needed so far (grows by batches with --precision). */
  planned: number;
  /** True once `planned` is the point's final number of replicates. */
  final: boolean;
  submitted: number;
  arrived: number;
  /** With --precision: values[i][k] = target i's metric in the last year of replicate k (NaN for a failed run). */
  values: number[][];
  outcomes?: PrecisionOutcome[];
  /** With a posterior: the point's scenario with each particle's values, resolved when first run. */
  particles?: Map<number, Scenario>;
}

/** Buffer key of (position of the point in the shard, replicate); replicates are < 100 001. */
const key = (pos: number, rep: number) => pos * 100_001 + rep;

export async function runSweep(plan: SweepPlan, o: SweepOptions): Promise<SweepOutcome> {
  const out = resumableDir(o.out, o, 'sweep');
  const dir = out.dir;
  const shard = o.shard ?? null;
  const prec = o.precision && o.precision.targets.length ? o.precision : undefined;
  const post = o.posterior;
  const hash = posteriorHash(precisionHash(plan.hash, prec), post);
  const shardPoints = shardPointList(plan, o.shard);
  const nPoints = shardPoints.length;
  const initial = plan.replicates;
  let prog: Progress | undefined;
  if (out.resuming) {
    prog = readProgress(dir);
    // Stopped before its first checkpoint: nothing was kept, and it starts again (if the directory is this sweep's).
    if (!prog && !startedWithoutCheckpoint(dir, hash, shard)) throw inputError('--resume', o.out, 'a sweep results directory with progress.json; this directory has none (use --force to start again)');
    if (prog && (prog.hash !== hash || JSON.stringify(prog.shard) !== JSON.stringify(shard))) {
      throw inputError('--resume', o.out, 'the results of this same sweep file with the same --set options, shard, --precision and program version; this directory holds another sweep (use another --out, or --force to start again)');
    }
  }
  const head = headers(plan, prec, post);
  if (!prog) {
    makeDir(dir, o.out);
    // The manifest first: a directory with it is recognisably this sweep's (--resume, --force) even if stopped at once.
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      ...baseManifest('sweep'),
      // false until every point is written: points.csv lists the whole design from the start, runs.csv only the runs done.
      complete: false,
      sweepFile: path.resolve(plan.file),
      overrides: plan.overrides,
      sweep: plan.sweep,
      sweepHash: hash,
      shard,
      points: plan.points.length,
      replicates: plan.replicates,
      tasks: prec ? null : nPoints * initial,
      ...(prec ? { precision: { targets: prec.targets, initialReplicates: initial, maxReplicates: prec.max } } : {}),
      parameters: plan.paths,
      ...(post ? { posterior: posteriorManifest(post, plan.replicates) } : {}),
      firstPointScenario: plan.points.length ? plan.scenario(0) : null,
      metrics: METRIC_NAMES,
      started: new Date().toISOString(),
    }, null, 2) + '\n');
    for (const f of SWEEP_FILES) writeFileSync(path.join(dir, f), head[f]);
    // Without --precision every point's row is known at once; with it, a row is written when its point is complete.
    if (!prec) {
      let points = '';
      plan.points.forEach((_, p) => (points += csvRow([p, ...paramCells(plan, p)])));
      appendFileSync(path.join(dir, 'points.csv'), points);
    }
    prog = { hash, shard, nextTask: 0, nextPoint: 0, bytes: {}, complete: false };
    for (const f of SWEEP_FILES) prog.bytes[f] = statSync(path.join(dir, f)).size;
    writeProgress(dir, prog);
  } else {
    // Drop whatever was written after the last checkpoint.
    for (const f of SWEEP_FILES) truncateSync(path.join(dir, f), prog.bytes[f]!);
    // Checkpoints written before nextPoint was recorded had a fixed number of replicates per point.
    prog.nextPoint ??= prog.complete ? nPoints : Math.floor(prog.nextTask / initial);
  }
  const resumedFrom = prog.nextTask;
  const failed: SweepOutcome['failed'] = [];
  // Failures before the checkpoint are counted from failures.csv.
  const failLines = readFileSync(path.join(dir, 'failures.csv'), 'utf8').trim().split('\n').slice(1).filter(Boolean);
  for (const l of failLines) {
    const [point, replicate, seed, ...msg] = l.split(',');
    failed.push({ point: Number(point), replicate: Number(replicate), seed: Number(seed), message: msg.join(',') });
  }
  // The files stay open for appending until the sweep ends or stops.
  const fds = Object.fromEntries(SWEEP_FILES.map((f) => [f, openSync(path.join(dir, f), 'a')])) as Record<string, number>;
  let lastCheckpoint = performance.now();
  const threads = Math.max(1, o.threads);
  const pool = new RunPool(threads, 2);
  // At most `window` runs in flight or finished but not yet written (memory stays flat); the
  // runs of the point being written may exceed it, so that a point that needs more
  // replicates always goes on.
  const window = Math.max(4, threads * 4);
  const buffer = new Map<number, Outcome>();
  const active = new Map<number, PointState>();
  let writePos = prog.nextPoint!; // position in shardPoints of the point being written
  let writeRep = 0; // next replicate of it to write
  let opened = writePos; // positions below this have been opened
  let written = prog.nextTask; // runs written (with those before a resume)
  // Runs known to be needed: those written, plus the planned rest of open points, plus the initial replicates of the others.
  let known = written + (nPoints - writePos) * initial;
  let inFlight = 0;
  // Runs finished in this sweep and their summed run time (how many runs to keep in flight).
  let runsDone = 0, runSeconds = 0;
  // The writer's point: its successful runs and their replicates (for its summary rows) and its rows until it is complete.
  let pointRuns: PackedResult[] = [];
  let pointReps: number[] = [];
  const empty = () => ({ 'points.csv': '', 'runs.csv': '', 'timeseries.csv': '', 'summary.csv': '', 'failures.csv': '' });
  let pending: Record<string, string> = empty();
  const m = METRIC_NAMES.length;
  const targetIndex = prec ? prec.targets.map((t) => METRIC_NAMES.indexOf(t.metric)) : [];

  const open = (pos: number): PointState => {
    const point = shardPoints[pos]!;
    const scenario = plan.scenario(point);
    const st: PointState = {
      point, scenario, horizon: scenario.startYear + scenario.years - 1,
      planned: initial, final: !prec, submitted: 0, arrived: 0,
      values: targetIndex.map(() => []),
    };
    if (post) st.particles = new Map();
    active.set(pos, st);
    return st;
  };

  /** The scenario replicate `rep` of a point runs: over a posterior, the point with its particle's values. */
  const taskScenario = (st: PointState, rep: number): Scenario => {
    if (!post) return st.scenario;
    const j = replicateParticle(post, rep);
    let s = st.particles!.get(j);
    if (!s) st.particles!.set(j, (s = particleScenario(post.posterior, j, st.scenario)));
    return s;
  };
  const particleCells = (rep: number): number[] => (post ? [post.posterior.particles[replicateParticle(post, rep)]!.particle] : []);

  const flushPoint = (st: PointState) => {
    const point = st.point;
    let summary = '';
    const years = pointRuns[0]?.years ?? [];
    const vals = new Float64Array(pointRuns.length);
    // Over a posterior, the runs' particle draws (failed runs are left out of both).
    const groups = post ? pointReps.map((k) => Math.floor(k / post.seedsPerParticle)) : undefined;
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < years.length; i++) {
        pointRuns.forEach((r, k) => (vals[k] = r.metrics[i * m + j]!));
        const s = summarizeMetric(METRIC_NAMES[j]!, vals, groups);
        summary += csvRow([point, METRIC_NAMES[j]!, years[i]!, s.n, s.mean, s.sd, s.ciLow, s.ciHigh, ...(groups ? [parametricShare(vals, groups)] : [])]);
      }
    }
    pending['summary.csv'] += summary;
    if (prec) pending['points.csv'] += csvRow([point, ...paramCells(plan, point), ...precisionCells(st.outcomes!)]);
    for (const f of SWEEP_FILES) {
      if (pending[f]) writeSync(fds[f], pending[f]!);
      prog!.bytes[f] = (prog!.bytes[f] ?? 0) + Buffer.byteLength(pending[f]!);
    }
    pending = empty();
    pointRuns = [];
    pointReps = [];
    prog!.nextTask = written;
    prog!.nextPoint = writePos + 1;
    // A checkpoint at most once a second (a sweep of small runs completes dozens of points a second).
    const now = performance.now();
    if (now - lastCheckpoint >= 1000) {
      writeProgress(dir, prog!);
      lastCheckpoint = now;
    }
  };

  /** Writes the finished runs that come next in (point, replicate) order; a complete point is checkpointed. */
  const writeReady = () => {
    while (writePos < nPoints) {
      const st = active.get(writePos);
      if (!st) return;
      if (writeRep === st.planned) {
        if (!st.final) return;
        flushPoint(st);
        active.delete(writePos);
        writePos++;
        writeRep = 0;
        o.onProgress?.(written, known);
        continue;
      }
      const k = key(writePos, writeRep);
      const out = buffer.get(k);
      if (!out) return;
      buffer.delete(k);
      const point = st.point;
      const rep = writeRep;
      const seed = runSeed(plan.seeds[point]!, point, rep);
      if (out.ok) {
        const r = out.r;
        const last = r.years.length - 1;
        const pc = particleCells(rep);
        pending['runs.csv'] += csvRow([point, rep, seed, 'ok', ...paramCells(plan, point), ...Array.from(r.metrics.subarray(last * m, (last + 1) * m)), '', ...pc]);
        r.years.forEach((year, i) => (pending['timeseries.csv'] += csvRow([point, rep, seed, year, ...Array.from(r.metrics.subarray(i * m, (i + 1) * m)), ...pc])));
        pointRuns.push(r);
        pointReps.push(rep);
      } else {
        pending['runs.csv'] += csvRow([point, rep, seed, 'failed', ...paramCells(plan, point), ...METRIC_NAMES.map(() => ''), out.message, ...particleCells(rep)]);
        pending['failures.csv'] += csvRow([point, rep, seed, out.message]);
        failed.push({ point, replicate: rep, seed, message: out.message });
      }
      writeRep++;
      written++;
      o.onProgress?.(written, known);
    }
  };

  /** A run has finished: with --precision, a point whose batch is complete decides whether it needs more replicates. */
  const arrive = (pos: number, rep: number, out: Outcome) => {
    const st = active.get(pos)!;
    buffer.set(key(pos, rep), out);
    st.arrived++;
    if (prec) {
      targetIndex.forEach((j, i) => {
        let v = NaN;
        if (out.ok) {
          const y = out.r.years.indexOf(st.horizon);
          if (y >= 0) v = out.r.metrics[y * m + j]!;
        }
        st.values[i]![rep] = v;
      });
      if (!st.final && st.arrived === st.planned) {
        const d = decidePoint(prec, st.values, st.planned, post?.seedsPerParticle);
        if (d.add === 0) {
          st.final = true;
          st.outcomes = d.outcomes;
        } else {
          st.planned += d.add;
          known += d.add;
        }
      }
    }
  };

  await new Promise<void>((resolve) => {
    const pump = () => {
      // Two runs per worker thread in flight while runs are short, so that a worker never waits
      // for this thread; one per worker once they are long (runsInFlight, pool.ts).
      while (!o.stop?.requested && inFlight < runsInFlight(threads, runsDone, runSeconds / runsDone)) {
        // The next run to start: the lowest (point, replicate) known to be needed and not yet started.
        let pos = writePos;
        while (pos < opened && active.get(pos)!.submitted >= active.get(pos)!.planned) pos++;
        if (pos === opened && opened === nPoints) break;
        if (pos !== writePos && inFlight + buffer.size >= window) break;
        const st = pos < opened ? active.get(pos)! : open(opened++);
        const rep = st.submitted++;
        inFlight++;
        pool
          .run({ scenario: taskScenario(st, rep), seed: runSeed(plan.seeds[st.point]!, st.point, rep), point: st.point, replicate: rep })
          .then((r): Outcome => ({ ok: true, r }), (e): Outcome => ({ ok: false, message: String((e as Error)?.message ?? e).replace(/[\r\n]+/g, ' ') }))
          .then((out) => {
            inFlight--;
            if (out.ok) {
              runsDone++;
              for (const v of Object.values(out.r.phaseSeconds)) runSeconds += v;
            }
            arrive(pos, rep, out);
            writeReady();
            pump();
          });
      }
      if (inFlight === 0 && (writePos >= nPoints || o.stop?.requested)) resolve();
    };
    o.onProgress?.(written, known);
    pump();
  });
  await pool.close();
  for (const f of SWEEP_FILES) closeSync(fds[f]!);
  const interrupted = writePos < nPoints;
  // The last checkpoint: every point written so far.
  if (interrupted) writeProgress(dir, prog);
  let precisionSummary: SweepPrecisionSummary | undefined;
  if (!interrupted) {
    prog.complete = true;
    writeProgress(dir, prog);
    const mf = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(mf, 'utf8'));
    manifest.complete = true;
    manifest.finished = new Date().toISOString();
    manifest.failedRuns = failed.length;
    manifest.threads = o.threads;
    if (prec) {
      precisionSummary = summarizePrecision(path.join(dir, 'points.csv'), prec, initial);
      manifest.tasks = precisionSummary.runs;
      manifest.precision = precisionSummary;
    }
    writeFileSync(mf, JSON.stringify(manifest, null, 2) + '\n');
    out.commit();
  }
  // Runs of a point that was not complete are not kept: `done` counts the runs up to the checkpoint.
  return { total: interrupted ? known : written, done: prog.nextTask, failed, interrupted, resumedFrom, points: nPoints, pointsDone: prog.nextPoint!, precision: precisionSummary, dir: interrupted ? dir : path.resolve(o.out) };
}
