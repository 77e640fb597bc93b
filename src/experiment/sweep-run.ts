/**
 * Running a sweep crash-safely on all cores. The main thread only schedules
 * and writes: results arrive in any order and are written in (point,
 * replicate, year) order through a small reorder buffer, so files are
 * byte-identical whatever the thread count, and memory stays flat because at
 * most a window of runs is in flight or waiting. After each complete point the
 * byte lengths of the files are checkpointed in progress.json (written by
 * rename); `--resume` truncates the files to the checkpoint and runs only what
 * is missing, so a sweep killed at any moment ends byte-identical to one that
 * was never interrupted. A run that throws is recorded as failed (runs.csv,
 * failures.csv) and the others go on.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { inputError } from '../scenario/errors.js';
import { csvRow } from './csv.js';
import { RunPool } from './pool.js';
import type { PackedResult } from './run-one.js';
import { summarize } from './stats.js';
import { shardTasks, type Shard, type SweepPlan, type SweepTask } from './sweep-plan.js';
import { baseManifest } from './manifest.js';
import type { Scenario } from '../scenario/schema.js';

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
}

export interface SweepOutcome {
  total: number;
  done: number;
  failed: { point: number; replicate: number; seed: number; message: string }[];
  interrupted: boolean;
  resumedFrom: number;
}

interface Progress {
  hash: string;
  shard: Shard | null;
  nextTask: number;
  bytes: Record<string, number>;
  complete: boolean;
}

export function headers(plan: SweepPlan): Record<(typeof SWEEP_FILES)[number], string> {
  return {
    'points.csv': csvRow(['point', ...plan.paths]),
    'runs.csv': csvRow(['point', 'replicate', 'seed', 'status', ...plan.paths, ...METRIC_NAMES, 'error']),
    'timeseries.csv': csvRow(['point', 'replicate', 'seed', 'year', ...METRIC_NAMES]),
    'summary.csv': csvRow(['point', 'metric', 'year', 'n', 'mean', 'sd', 'ci_low', 'ci_high']),
    'failures.csv': csvRow(['point', 'replicate', 'seed', 'message']),
  };
}

function paramCells(plan: SweepPlan, p: number): (string | number)[] {
  const pt = plan.points[p]!;
  return plan.paths.map((k) => {
    const v = pt[k];
    return v === undefined ? '' : typeof v === 'boolean' || Array.isArray(v) ? JSON.stringify(v) : v;
  });
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

type Outcome = { ok: true; r: PackedResult } | { ok: false; message: string };

export async function runSweep(plan: SweepPlan, o: SweepOptions): Promise<SweepOutcome> {
  const dir = path.resolve(o.out);
  const tasks = shardTasks(plan, o.shard);
  const shard = o.shard ?? null;
  let prog: Progress | undefined;
  if (existsSync(dir)) {
    if (o.resume) {
      prog = readProgress(dir);
      if (!prog) throw inputError('--resume', o.out, 'a sweep results directory with progress.json; this directory has none (use --force to start again)');
      if (prog.hash !== plan.hash || JSON.stringify(prog.shard) !== JSON.stringify(shard)) {
        throw inputError('--resume', o.out, 'the results of this same sweep file, shard and program version; this directory holds another sweep (use another --out, or --force to start again)');
      }
    } else if (o.force) {
      rmSync(dir, { recursive: true, force: true });
    } else {
      throw inputError('--out', o.out, 'a directory that does not exist yet; add --resume to continue this sweep or --force to start again');
    }
  }
  const head = headers(plan);
  if (!prog) {
    mkdirSync(dir, { recursive: true });
    for (const f of SWEEP_FILES) writeFileSync(path.join(dir, f), head[f]);
    let points = '';
    plan.points.forEach((_, p) => (points += csvRow([p, ...paramCells(plan, p)])));
    appendFileSync(path.join(dir, 'points.csv'), points);
    prog = { hash: plan.hash, shard, nextTask: 0, bytes: {}, complete: false };
    for (const f of SWEEP_FILES) prog.bytes[f] = statSync(path.join(dir, f)).size;
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      ...baseManifest('sweep'),
      sweepFile: path.resolve(plan.file),
      sweep: plan.sweep,
      sweepHash: plan.hash,
      shard,
      points: plan.points.length,
      replicates: plan.replicates,
      tasks: tasks.length,
      parameters: plan.paths,
      firstPointScenario: plan.points.length ? plan.scenario(0) : null,
      metrics: METRIC_NAMES,
      started: new Date().toISOString(),
    }, null, 2) + '\n');
    writeProgress(dir, prog);
  } else {
    // Drop whatever was written after the last checkpoint.
    for (const f of SWEEP_FILES) truncateSync(path.join(dir, f), prog.bytes[f]!);
  }
  const resumedFrom = prog.nextTask;
  const failed: SweepOutcome['failed'] = [];
  // Failures before the checkpoint are counted from failures.csv.
  const failLines = readFileSync(path.join(dir, 'failures.csv'), 'utf8').trim().split('\n').slice(1).filter(Boolean);
  for (const l of failLines) {
    const [point, replicate, seed, ...msg] = l.split(',');
    failed.push({ point: Number(point), replicate: Number(replicate), seed: Number(seed), message: msg.join(',') });
  }
  const pool = new RunPool(Math.max(1, o.threads));
  const window = Math.max(4, o.threads * 4);
  const buffer = new Map<number, Outcome>();
  let next = prog.nextTask; // next task to write
  let submitted = next;
  let inFlight = 0;
  // Accumulator of the current point's successful runs (for its summary rows).
  let pointRuns: PackedResult[] = [];
  let pending: Record<string, string> = { 'runs.csv': '', 'timeseries.csv': '', 'summary.csv': '', 'failures.csv': '' };
  const m = METRIC_NAMES.length;

  const flushPoint = (point: number) => {
    let summary = '';
    const years = pointRuns[0]?.years ?? [];
    const vals = new Float64Array(pointRuns.length);
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < years.length; i++) {
        pointRuns.forEach((r, k) => (vals[k] = r.metrics[i * m + j]!));
        const s = summarize(vals);
        summary += csvRow([point, METRIC_NAMES[j]!, years[i]!, s.n, s.mean, s.sd, s.ciLow, s.ciHigh]);
      }
    }
    pending['summary.csv'] += summary;
    for (const f of Object.keys(pending)) {
      if (pending[f]) appendFileSync(path.join(dir, f), pending[f]!);
      prog!.bytes[f] = (prog!.bytes[f] ?? 0) + Buffer.byteLength(pending[f]!);
    }
    pending = { 'runs.csv': '', 'timeseries.csv': '', 'summary.csv': '', 'failures.csv': '' };
    pointRuns = [];
    prog!.nextTask = next;
    writeProgress(dir, prog!);
  };

  const writeReady = () => {
    while (buffer.has(next)) {
      const out = buffer.get(next)!;
      buffer.delete(next);
      const t = tasks[next]!;
      if (out.ok) {
        const r = out.r;
        const last = r.years.length - 1;
        pending['runs.csv'] += csvRow([t.point, t.replicate, t.seed, 'ok', ...paramCells(plan, t.point), ...Array.from(r.metrics.subarray(last * m, (last + 1) * m)), '']);
        r.years.forEach((year, i) => (pending['timeseries.csv'] += csvRow([t.point, t.replicate, t.seed, year, ...Array.from(r.metrics.subarray(i * m, (i + 1) * m))])));
        pointRuns.push(r);
      } else {
        pending['runs.csv'] += csvRow([t.point, t.replicate, t.seed, 'failed', ...paramCells(plan, t.point), ...METRIC_NAMES.map(() => ''), out.message]);
        pending['failures.csv'] += csvRow([t.point, t.replicate, t.seed, out.message]);
        failed.push({ point: t.point, replicate: t.replicate, seed: t.seed, message: out.message });
      }
      next++;
      o.onProgress?.(next, tasks.length);
      if (next === tasks.length || tasks[next]!.point !== t.point) flushPoint(t.point);
    }
  };

  let lastPoint = -1;
  let lastScenario: Scenario | undefined;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (!o.stop?.requested && submitted < tasks.length && submitted < next + window) {
        const t: SweepTask = tasks[submitted++]!;
        inFlight++;
        if (t.point !== lastPoint) { lastScenario = plan.scenario(t.point); lastPoint = t.point; }
        pool
          .run({ scenario: lastScenario!, seed: t.seed, point: t.point, replicate: t.replicate })
          .then((r): Outcome => ({ ok: true, r }), (e): Outcome => ({ ok: false, message: String((e as Error)?.message ?? e).replace(/[\r\n]+/g, ' ') }))
          .then((out) => {
            inFlight--;
            buffer.set(t.index, out);
            writeReady();
            pump();
          });
      }
      if (inFlight === 0 && (submitted >= tasks.length || o.stop?.requested)) resolve();
    };
    o.onProgress?.(next, tasks.length);
    pump();
  });
  await pool.close();
  const interrupted = next < tasks.length;
  if (!interrupted) {
    prog.complete = true;
    writeProgress(dir, prog);
    const mf = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(mf, 'utf8'));
    manifest.finished = new Date().toISOString();
    manifest.failedRuns = failed.length;
    manifest.threads = o.threads;
    writeFileSync(mf, JSON.stringify(manifest, null, 2) + '\n');
  }
  return { total: tasks.length, done: next, failed, interrupted, resumedFrom };
}
