/** `cadreflow calibrate`: fits free parameters to observed targets; checkpointed in history.csv and resumable. */
import path from 'node:path';
import { InputError } from '../scenario/errors.js';
import { defaultThreads } from '../experiment/pool.js';
import { loadCalibration, runCalibration, type FitRow } from '../analysis/calibrate.js';
import { intOption, resumeHint } from './options.js';
import { progress } from './progress.js';

export interface CalibrateCliOptions {
  threads?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  budget?: string;
  replicates?: string;
  set?: string[];
  quiet?: boolean;
}

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : '–';
}

export function fitTable(rows: FitRow[]): string {
  const header = ['target', 'metric', 'years', 'observed', 'simulated (95% CI)', 'tolerance', 'within'];
  const body = rows.map((r) => [
    r.target.label,
    r.target.metric,
    r.target.windowText,
    `${r.target.relation === 'at-least' ? '≥ ' : r.target.relation === 'at-most' ? '≤ ' : ''}${r.target.observed}`,
    `${fmt(r.mean)} [${fmt(r.ciLow)}, ${fmt(r.ciHigh)}]`,
    r.target.tolerance === undefined ? '–' : `± ${r.target.tolerance}`,
    r.within === undefined ? '–' : r.within ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export async function calibrateCommand(file: string, o: CalibrateCliOptions): Promise<void> {
  const threads = intOption('--threads', o.threads, 1, 1024) ?? defaultThreads();
  const budget = intOption('--budget', o.budget, 1, 100000);
  const replicates = intOption('--replicates', o.replicates, 1, 1000);
  let plan;
  try {
    plan = loadCalibration(file, { budget, replicates, set: o.set ?? [] });
  } catch (e) {
    throw e instanceof InputError && !e.file ? e.withFile(file) : e;
  }
  const out = o.out ?? path.join('results', `calibrate-${plan.cal.name}`);
  const stop = { requested: false };
  const onSigint = () => {
    if (stop.requested) process.exit(130);
    stop.requested = true;
    process.stderr.write('\ninterrupted: finishing the evaluations in progress and keeping the history (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const bar = progress(plan.cal.method.budget, `calibrate ${plan.cal.name}`, 'evaluations', o.quiet);
  const t0 = performance.now();
  try {
    const res = await runCalibration(plan, { out, threads, resume: !!o.resume, force: !!o.force, stop, onEvaluation: () => bar.tick() });
    bar.stop();
    if (res.interrupted) {
      process.stderr.write(`stopped after ${res.evaluations} evaluations; continue with: ${resumeHint('calibrate', file, [['--out', o.out], ['--budget', o.budget], ['--replicates', o.replicates]], o.set)}\n`);
      process.exitCode = 130;
      return;
    }
    if (!o.quiet) {
      const secs = (performance.now() - t0) / 1000;
      const where = path.relative(process.cwd(), path.resolve(out)) || '.';
      const b = res.best!;
      process.stdout.write(`${plan.cal.name}: ${res.evaluations} evaluations × ${plan.cal.replicates} replicates${res.resumedFrom ? ` (${res.resumedFrom} from history)` : ''} in ${secs.toFixed(1)} s on ${threads} thread(s); best distance ${fmt(b.f, 4)} at evaluation ${b.evaluation}; results in ${where}\n`);
      process.stdout.write(`best: ${plan.paths.map((p, i) => `${p}=${Number(b.values[i]!.toPrecision(4))}`).join(', ')}\n`);
      process.stdout.write(`calibrated scenario: ${res.scenarioFiles!.map((f) => path.relative(process.cwd(), f)).join(', ')}\n\n`);
      if (res.startFit) process.stdout.write(`before (base values), ${plan.cal.validationReplicates} replicates on fresh seeds:\n${fitTable(res.startFit)}\n\n`);
      process.stdout.write(`after (best point), ${plan.cal.validationReplicates} replicates on fresh seeds:\n${fitTable(res.fit!)}\n`);
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
