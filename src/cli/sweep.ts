/**
 * `cadreflow sweep`: a design of points × replicates on all cores, crash-safe and resumable; `--shard i/n` for clusters;
 * `--precision METRIC=H` gives each point the replicates it needs (experiment/sweep-precision.ts).
 */
import path from 'node:path';
import { loadSweep, parseShard, pointName, type SweepPlan } from '../experiment/sweep-plan.js';
import { checkPosterior, overThePosterior, posteriorOptions, posteriorReplicates, setOverrides, type Posterior, type PosteriorRun } from '../experiment/posterior.js';
import { runSweep, type SweepOutcome } from '../experiment/sweep-run.js';
import { defaultThreads } from '../experiment/pool.js';
import { InputError } from '../scenario/errors.js';
import { intOption, resumeHint } from './options.js';
import { interruptible, progress } from './progress.js';
import { maxReplicatesOption, parsePrecision } from '../experiment/precision.js';
import { precisionSummaryLines } from '../experiment/sweep-precision.js';

export interface SweepCliOptions {
  threads?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  shard?: string;
  set?: string[];
  precision?: string;
  maxReplicates?: string;
  quiet?: boolean;
  posterior?: string;
  seedsPerParticle?: string;
}

/**
 * A sweep over a posterior (`sweep` and `slurm`): replicate k of every point runs
 * particle draw ⌊k/m⌋, keyed on the base scenario's seed; the replicates come in
 * whole groups of m seeds, and the particles are checked against every point
 * before anything runs (a --set option or design parameter of a posterior
 * parameter is an error). Returns the run and --max-replicates in whole groups.
 */
export function sweepPosterior(plan: SweepPlan, file: string, o: { set?: string[]; maxReplicates?: string }, posterior: Posterior | undefined, seedsPerParticle: number, max: number): { pr?: PosteriorRun; max: number } {
  if (!posterior) return { max };
  max = posteriorReplicates(plan.replicates, max, seedsPerParticle, { maxReplicates: o.maxReplicates }, file);
  const points = (function* () {
    for (let i = 0; i < plan.points.length; i++) yield { scenario: plan.scenario(i), label: `${file}, ${pointName(plan.sweep.design.type, i, plan.points[i]!)}` };
  })();
  const overrides = [...setOverrides(o.set ?? []), ...plan.paths.map((q) => ({ path: q, what: `the sweep's design (${file})` }))];
  checkPosterior(posterior, points, overrides, { keep: false, several: plan.points.length > 1 });
  return { pr: { posterior, seedsPerParticle, seed: plan.baseSeed ?? plan.seeds[0] ?? 0 }, max };
}

export async function sweepCommand(file: string, o: SweepCliOptions): Promise<void> {
  const threads = intOption('--threads', o.threads, 1, 1024) ?? defaultThreads();
  const shard = parseShard(o.shard);
  const targets = o.precision === undefined ? [] : parsePrecision(o.precision);
  const { posterior, seedsPerParticle } = posteriorOptions(o);
  let plan;
  try {
    plan = loadSweep(file, o.set ?? []);
  } catch (e) {
    throw e instanceof InputError && !e.file ? e.withFile(file) : e;
  }
  const { pr, max } = sweepPosterior(plan, file, o, posterior, seedsPerParticle, maxReplicatesOption(o.maxReplicates, plan.replicates, targets.length > 0));
  const precision = targets.length ? { targets, max } : undefined;
  const out = o.out ?? path.join('results', shard ? `${plan.sweep.name}-shard-${shard.index}-of-${shard.count}` : plan.sweep.name);
  const { stop, release } = interruptible();
  let bar: ReturnType<typeof progress> | undefined;
  let last = 0;
  const t0 = performance.now();
  try {
    const res = await runSweep(plan, {
      out, threads, resume: !!o.resume, force: !!o.force, shard, stop, precision, posterior: pr,
      onProgress: (done, total) => {
        // With --precision the total grows as points add replicates.
        bar ??= progress(total, `sweep ${plan.sweep.name}${shard ? ` ${shard.index}/${shard.count}` : ''}`, 'runs', o.quiet);
        bar.setTotal?.(total);
        if (done > last) bar.tick(done - last);
        last = done;
      },
    });
    bar?.stop();
    const secs = (performance.now() - t0) / 1000;
    const ran = res.done - res.resumedFrom;
    if (!o.quiet || res.failed.length || res.interrupted) {
      const reps = precision ? `${plan.replicates}–${precision.max} replicates (--precision)` : `${plan.replicates} replicates`;
      process.stdout.write(`${plan.sweep.name}: ${plan.points.length} points × ${reps}${pr ? ` ${overThePosterior(pr)}` : ''}${shard ? `, shard ${shard.index}/${shard.count} (${precision ? `${res.points} points, ` : ''}${res.total} runs)` : ''}; ${ran} runs in ${secs.toFixed(1)} s on ${threads} thread(s)${res.resumedFrom ? `, resumed after ${res.resumedFrom}` : ''}; ${where(res, out)}\n`);
    }
    if (res.precision && !o.quiet) process.stdout.write(precisionSummaryLines(res.precision));
    // A whole sweep gets its report; a shard gets one from `merge`.
    if (!shard && !res.interrupted) (await import('../report/report.js')).writeReportAfterRun(out);
    if (res.failed.length) {
      process.stderr.write(`${res.failed.length} run(s) failed (see failures.csv):\n`);
      for (const f of res.failed.slice(0, 10)) process.stderr.write(`  point ${f.point}, replicate ${f.replicate}, seed ${f.seed}: ${f.message}\n`);
      process.exitCode = 1;
    }
    if (res.interrupted) {
      const resume = resumeHint('sweep', file, [['--out', o.out], ['--shard', o.shard], ['--precision', o.precision], ['--max-replicates', precision ? o.maxReplicates : undefined], ['--posterior', o.posterior], ['--seeds-per-particle', o.seedsPerParticle]], o.set);
      const where = precision ? `${res.done} runs (${res.pointsDone} of ${res.points} points complete)` : `${res.done} of ${res.total} runs`;
      process.stderr.write(`stopped after ${where}; continue with: ${resume}\n`);
      process.exitCode = 130;
    }
  } finally {
    release();
  }
}

/** Where a sweep's results are; after an interrupted forced replacement, the earlier results stay in place. */
function where(res: SweepOutcome, out: string): string {
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  if (!res.interrupted) return `results in ${rel(path.resolve(out))}`;
  const staged = res.dir !== path.resolve(out);
  return `partial results in ${rel(res.dir)}${staged ? ` (the earlier results in ${rel(path.resolve(out))} stay until this sweep completes)` : ''}`;
}
