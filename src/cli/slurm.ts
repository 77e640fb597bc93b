/**
 * `cadreflow slurm <sweep> --out DIR`: writes DIR/sweep.sbatch (an array job,
 * one shard per task, each resuming its shard), DIR/merge.sbatch (the merge
 * into DIR) and DIR/submit.sh (both, the merge with --dependency=afterok);
 * with --submit it calls sbatch itself and prints the job ids.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSweep } from '../experiment/sweep-plan.js';
import { checkOutDir, checkPartition, checkSlurmMem, checkSlurmTime, sbatch, slurmScripts } from '../experiment/slurm.js';
import { InputError, inputError } from '../scenario/errors.js';
import { intOption } from './options.js';
import { maxReplicatesOption, parsePrecision } from '../experiment/precision.js';
import { posteriorOptions } from '../experiment/posterior.js';
import { sweepPosterior } from './sweep.js';

export interface SlurmCliOptions {
  out?: string;
  tasks?: string;
  partition?: string;
  time?: string;
  mem?: string;
  cpusPerTask?: string;
  submit?: boolean;
  set?: string[];
  precision?: string;
  maxReplicates?: string;
  posterior?: string;
  seedsPerParticle?: string;
}

/** Default number of array tasks: one per point, at most this many (Slurm's default MaxArraySize is 1001). */
export const MAX_DEFAULT_TASKS = 1000;

/** The absolute path of the built cadreflow entry, dist/src/cli/main.js. */
export function cliEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return path.resolve(path.dirname(here), '..', '..', 'dist', 'src', 'cli', 'main.js');
  return path.join(path.dirname(here), 'main.js');
}


export function slurmCommand(file: string, o: SlurmCliOptions): void {
  const tasksAsked = intOption('--tasks', o.tasks, 1, 1_000_000);
  const cpusPerTask = intOption('--cpus-per-task', o.cpusPerTask, 1, 1024);
  const time = o.time === undefined ? undefined : checkSlurmTime(o.time);
  const mem = o.mem === undefined ? undefined : checkSlurmMem(o.mem);
  const partition = o.partition === undefined ? undefined : checkPartition(o.partition);
  const targets = o.precision === undefined ? [] : parsePrecision(o.precision);
  const { posterior, seedsPerParticle } = posteriorOptions(o);
  let plan;
  try {
    plan = loadSweep(file, o.set ?? []);
  } catch (e) {
    throw e instanceof InputError && !e.file ? e.withFile(file) : e;
  }
  const points = plan.points.length;
  // The options as every shard's sweep is given them, checked here as `sweep` checks them.
  // Checked here as `sweep --posterior` checks it (every point with every particle); every shard is given the file.
  const { pr, max } = sweepPosterior(plan, file, o, posterior, seedsPerParticle, maxReplicatesOption(o.maxReplicates, plan.replicates, targets.length > 0));
  const precision = targets.length ? { spec: targets.map((t) => `${t.metric}=${t.target}`).join(','), max } : undefined;
  const out = path.resolve(checkOutDir(o.out ?? path.join('results', plan.sweep.name)));
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw inputError('--out', o.out ?? out, 'a directory (this is a file)');
    const entries = readdirSync(out);
    if (entries.length && !entries.includes('sweep.sbatch')) {
      throw inputError('--out', o.out ?? out, 'a new or empty directory, or one written before by cadreflow slurm (this one holds other files)');
    }
  }
  let tasks = tasksAsked ?? Math.min(points, MAX_DEFAULT_TASKS);
  if (tasks > points) {
    process.stderr.write(`note: the sweep has ${points} point(s), so ${tasks} tasks would leave some idle; using ${points}\n`);
    tasks = points;
  }
  const scripts = slurmScripts({
    node: process.execPath,
    cli: cliEntry(),
    sweepFile: path.resolve(file),
    out,
    name: plan.sweep.name,
    points,
    tasks,
    partition,
    time,
    mem,
    cpusPerTask,
    sets: o.set,
    precision,
    posterior: pr ? { file: pr.posterior.absolute, seedsPerParticle: pr.seedsPerParticle } : undefined,
  });
  mkdirSync(path.join(out, 'logs'), { recursive: true });
  for (const [name, text] of Object.entries(scripts)) {
    const f = path.join(out, name);
    writeFileSync(f, text);
    chmodSync(f, 0o755);
  }
  const shown = path.relative(process.cwd(), out) || '.';
  const reps = precision ? `${plan.replicates}–${precision.max} replicates (--precision ${precision.spec})` : `${plan.replicates} replicates`;
  process.stdout.write(`${plan.sweep.name}: ${points} points × ${reps} in ${tasks} array task(s); wrote ${path.join(shown, 'sweep.sbatch')}, ${path.join(shown, 'merge.sbatch')} and ${path.join(shown, 'submit.sh')}\n`);
  if (!o.submit) {
    process.stdout.write(`submit with: ${path.join(shown, 'submit.sh')}   (or run again with --submit)\n`);
    return;
  }
  // Slurm's refusals are not bad input to cadreflow nor internal errors: say what sbatch said, exit 1.
  let array: string;
  try {
    array = sbatch(['--parsable', path.join(out, 'sweep.sbatch')]);
  } catch (e) {
    process.stderr.write(`cadreflow: ${(e as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`sweep array job ${array} (tasks 1-${tasks})\n`);
  try {
    const merge = sbatch(['--parsable', `--dependency=afterok:${array}`, '--kill-on-invalid-dep=yes', path.join(out, 'merge.sbatch')]);
    process.stdout.write(`merge job ${merge} (after ${array}); results in ${shown}\n`);
  } catch (e) {
    process.stderr.write(`cadreflow: ${(e as Error).message}\nsubmit the merge with: sbatch --dependency=afterok:${array} ${path.join(out, 'merge.sbatch')}\n`);
    process.exitCode = 1;
  }
}
