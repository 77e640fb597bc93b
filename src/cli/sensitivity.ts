/** `cadreflow sensitivity`: Morris elementary effects or Sobol indices of chosen metrics; parallel and resumable like a sweep. */
import path from 'node:path';
import { InputError } from '../scenario/errors.js';
import { defaultThreads } from '../experiment/pool.js';
import { loadSensitivity, parseMethod } from '../analysis/sensitivity-plan.js';
import { runSensitivity, sensitivityTable, sobolWarning } from '../analysis/sensitivity.js';
import { intOption, resumeHint } from './options.js';
import { interruptible, progress } from './progress.js';

export interface SensitivityCliOptions {
  method?: string;
  threads?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  set?: string[];
  quiet?: boolean;
}

export async function sensitivityCommand(file: string, o: SensitivityCliOptions): Promise<void> {
  const method = parseMethod(o.method);
  const threads = intOption('--threads', o.threads, 1, 1024) ?? defaultThreads();
  let plan;
  try {
    plan = loadSensitivity(file, method, o.set ?? []);
  } catch (e) {
    throw e instanceof InputError && !e.file ? e.withFile(file) : e;
  }
  const out = o.out ?? path.join('results', `${plan.sa.name}-${plan.method}`);
  const { stop, release } = interruptible();
  let bar: ReturnType<typeof progress> | undefined;
  let last = 0;
  const t0 = performance.now();
  try {
    const res = await runSensitivity(plan, {
      out, threads, resume: !!o.resume, force: !!o.force, stop,
      onProgress: (done, total) => {
        bar ??= progress(total, `sensitivity ${plan.sa.name} (${plan.method})`, 'runs', o.quiet);
        if (done > last) bar.tick(done - last);
        last = done;
      },
    });
    bar?.stop();
    const s = res.sweep;
    const secs = (performance.now() - t0) / 1000;
    if (s.interrupted) {
      process.stderr.write(`stopped after ${s.done} of ${s.total} runs; continue with: ${resumeHint('sensitivity', file, [['--method', plan.method], ['--out', o.out]], o.set)}\n`);
      process.exitCode = 130;
      return;
    }
    (await import('../report/report.js')).writeReportAfterRun(out);
    if (res.check?.tooSmall) process.stderr.write(sobolWarning(res.check));
    if (s.failed.length) {
      process.stderr.write(`${s.failed.length} run(s) failed (see runs/failures.csv); their points are left out of the estimates that need them\n`);
      for (const f of s.failed.slice(0, 10)) process.stderr.write(`  point ${f.point}, replicate ${f.replicate}, seed ${f.seed}: ${f.message}\n`);
      process.exitCode = 1;
    }
    if (!o.quiet) {
      const where = path.relative(process.cwd(), path.resolve(out)) || '.';
      process.stdout.write(`${plan.sa.name}: ${plan.method}, ${plan.paths.length} parameters, ${plan.unit.length} points × ${plan.sa.replicates} replicates; ${s.done - s.resumedFrom} runs in ${secs.toFixed(1)} s on ${threads} thread(s)${s.resumedFrom ? `, resumed after ${s.resumedFrom}` : ''}; results in ${where}\n\n`);
      process.stdout.write(sensitivityTable(res.rows!, plan.method) + '\n');
    }
  } finally {
    release();
  }
}
