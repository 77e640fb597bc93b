/**
 * `cadreflow calibrate`: fits free parameters to observed targets — a search
 * (nelder-mead, checkpointed in history.csv) or a posterior (abc-smc,
 * generation by generation as sweeps, on this machine or, with --slurm, as
 * Slurm array jobs); resumable either way.
 */
import path from 'node:path';
import { InputError, inputError } from '../scenario/errors.js';
import { defaultThreads } from '../experiment/pool.js';
import { checkOutDir, checkPartition, checkSlurmMem, checkSlurmTime } from '../experiment/slurm.js';
import { loadCalibration, runCalibration, type CalibrationOutcome, type CalibrationPlan, type FitRow } from '../analysis/calibrate.js';
import type { PosteriorRow } from '../analysis/calibrate-abc.js';
import type { CalibrationSlurm } from '../analysis/calibrate-slurm.js';
import { intOption, resumeHint } from './options.js';
import { interruptible, progress, type Progress } from './progress.js';
import { cliEntry } from './slurm.js';

export interface CalibrateCliOptions {
  threads?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  budget?: string;
  replicates?: string;
  set?: string[];
  quiet?: boolean;
  slurm?: boolean;
  tasks?: string;
  cpusPerTask?: string;
  time?: string;
  mem?: string;
  partition?: string;
  submit?: boolean;
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
    // A figure read from a timeseries.csv (observedFile) is a mean: shown to 4 significant digits.
    `${r.target.relation === 'at-least' ? '≥ ' : r.target.relation === 'at-most' ? '≤ ' : ''}${r.target.observedFile === undefined ? r.target.observed : Number(r.target.observed.toPrecision(4))}`,
    `${fmt(r.mean)} [${fmt(r.ciLow)}, ${fmt(r.ciHigh)}]`,
    r.target.tolerance === undefined ? '–' : `± ${r.target.tolerance}`,
    r.within === undefined ? '–' : r.within ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The posterior table: parameter, mean, sd, q05, q50, q95 (and the prior range). */
export function posteriorTable(rows: PosteriorRow[]): string {
  const num = (x: number) => (!Number.isFinite(x) ? '–' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : Number(x.toPrecision(4)).toString());
  const header = ['parameter', 'mean', 'sd', 'q05', 'q50', 'q95', 'prior'];
  const body = rows.map((r) => [r.parameter, num(r.mean), num(r.sd), num(r.q05), num(r.q50), num(r.q95), `[${num(r.priorMin)}, ${num(r.priorMax)}]`]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** --slurm and its options, checked as `cadreflow slurm` checks them. */
function slurmOptions(o: CalibrateCliOptions, plan: CalibrationPlan, replicates: number | undefined): CalibrationSlurm | undefined {
  const given = ([['--tasks', o.tasks], ['--cpus-per-task', o.cpusPerTask], ['--time', o.time], ['--mem', o.mem], ['--partition', o.partition], ['--submit', o.submit ? 'given' : undefined]] as const).filter(([, v]) => v !== undefined);
  if (!o.slurm) {
    if (given.length) throw inputError(given[0]![0], given[0]![1], 'only with --slurm');
    return undefined;
  }
  if (plan.cal.method.type !== 'abc-smc') throw inputError('--slurm', 'given', `a calibration with method.type "abc-smc" (one array job per generation); ${file(plan)} is a nelder-mead search, which runs here`);
  if (o.out !== undefined) checkOutDir(o.out);
  return {
    node: process.execPath,
    cli: cliEntry(),
    tasks: intOption('--tasks', o.tasks, 1, 1_000_000),
    cpusPerTask: intOption('--cpus-per-task', o.cpusPerTask, 1, 1024),
    time: o.time === undefined ? undefined : checkSlurmTime(o.time),
    mem: o.mem === undefined ? undefined : checkSlurmMem(o.mem),
    partition: o.partition === undefined ? undefined : checkPartition(o.partition),
    submit: !!o.submit,
    sets: o.set ?? [],
    replicates,
  };
}
const file = (plan: CalibrationPlan) => plan.file;

function abcReport(plan: CalibrationPlan, res: CalibrationOutcome, o: CalibrateCliOptions, out: string, secs: number, threads: number): void {
  const a = res.abc!;
  const where = path.relative(process.cwd(), path.resolve(out)) || '.';
  if (a.slurm) {
    const g = a.slurm;
    const rel = (f: string) => path.relative(process.cwd(), f) || '.';
    process.stdout.write(`${plan.cal.name}: generation ${g.generation} written as a Slurm array job of ${g.tasks} task(s) in ${rel(g.dir)}${a.generations.length ? ` (generations 1–${a.generations.length} done)` : ''}\n`);
    if (g.jobs) process.stdout.write(`array job ${g.jobs.array}, merge job ${g.jobs.merge} (after it), next job ${g.jobs.next} (after the merge: goes on to the next generation)\n`);
    else if (!g.error) process.stdout.write(`submit with: ${rel(g.submitScript)}   (or run again with --resume --slurm --submit)\n`);
    return;
  }
  if (o.quiet) return;
  const last = a.generations[a.generations.length - 1]!;
  const why = { acceptance: `the acceptance rate fell to ${last.acceptance.toFixed(3)} (minAcceptance ${(plan.cal.method as { minAcceptance: number }).minAcceptance})`, tolerance: 'the tolerance reached 0', generations: `the last of ${a.generations.length} generations` }[a.stop!];
  const resumed = a.resumedGenerations ? ` (${a.resumedGenerations} from earlier runs)` : '';
  process.stdout.write(`${plan.cal.name}: ABC-SMC, ${a.generations.length} generations${resumed}, ${res.evaluations} particles × ${plan.cal.replicates} replicates in ${secs.toFixed(1)} s on ${threads} thread(s); stopped at ${why}; tolerance ε = ${Number(last.epsilon.toPrecision(4))}, effective sample size ${last.ess.toFixed(0)} of ${last.kept.length}; results in ${where}\n`);
  process.stdout.write(`calibrated scenario (posterior mean): ${res.scenarioFiles!.map((f) => path.relative(process.cwd(), f)).join(', ')}\n\n`);
  process.stdout.write(`posterior (generation ${last.generation}, ${last.kept.length} weighted particles):\n${posteriorTable(a.summary!)}\n\n`);
  process.stdout.write(`posterior predictive, ${plan.cal.validationReplicates} runs of particles drawn from the posterior, on fresh seeds:\n${fitTable(res.fit!)}\n`);
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
  const slurm = slurmOptions(o, plan, replicates);
  const out = o.out ?? path.join('results', `calibrate-${plan.cal.name}`);
  const notes: string[] = [];
  const note = (text: string) => {
    if (notes.includes(text)) return;
    notes.push(text);
    process.stderr.write(`note: ${text}\n`);
  };
  const { stop, release } = interruptible(plan.cal.method.type === 'abc-smc' ? 'runs in progress and keeping the generations done' : 'evaluations in progress and keeping the history');
  const abc = plan.cal.method.type === 'abc-smc';
  let bar: Progress = progress(plan.cal.method.type === 'nelder-mead' ? plan.cal.method.budget : 0, `calibrate ${plan.cal.name}`, 'evaluations', o.quiet || abc);
  const t0 = performance.now();
  try {
    const res = await runCalibration(plan, {
      out, threads, resume: !!o.resume, force: !!o.force, stop, slurm,
      onEvaluation: () => bar.tick(),
      onGeneration: (g, runs) => {
        bar.stop();
        bar = progress(runs, `calibrate ${plan.cal.name} generation ${g}`, 'runs', o.quiet);
      },
      onRun: () => bar.tick(),
      onNote: note,
    });
    bar.stop();
    if (res.interrupted) {
      const done = abc ? `${res.abc!.generations.length} complete generation(s) and the runs checkpointed since` : `${res.evaluations} evaluations`;
      process.stderr.write(`stopped after ${done}; continue with: ${resumeHint('calibrate', file, [['--out', o.out], ['--budget', o.budget], ['--replicates', o.replicates]], o.set)}\n`);
      process.exitCode = 130;
      return;
    }
    if (res.abc?.slurm?.error) {
      process.stderr.write(`cadreflow: ${res.abc.slurm.error}\nsubmit with: ${path.relative(process.cwd(), res.abc.slurm.submitScript)}\n`);
      process.exitCode = 1;
    }
    if (res.resumedFrom > 0 && res.evaluations === res.resumedFrom && plan.cal.method.type === 'nelder-mead' && res.evaluations < plan.cal.method.budget) {
      note(res.ended === 'converged'
        ? `no new evaluations: the search had ended at ${res.evaluations} evaluations (its step fell below method.minStep), so a larger --budget does not change it`
        : `no new evaluations: the search's next batch of evaluations does not fit in the budget of ${plan.cal.method.budget} (raise --budget)`);
    }
    if (abc) {
      abcReport(plan, res, o, out, (performance.now() - t0) / 1000, threads);
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
    release();
  }
}
