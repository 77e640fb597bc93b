/**
 * An ABC-SMC calibration on Slurm (`cadreflow calibrate FILE --slurm`): one
 * array job per generation. A generation is an ordinary sweep
 * (calibrate-abc.ts), so it runs exactly as `cadreflow slurm` runs a sweep
 * (experiment/slurm.ts): DIR/generations/generation-t/sweep.sbatch, an array
 * whose task i runs shard i/n of the particles and resumes it when re-run,
 * and merge.sbatch, which merges the shards into the generation's directory.
 * A third job, DIR/next.sbatch, runs after the merge: `cadreflow calibrate
 * FILE --resume --slurm --submit`, which reads the merged generation, proposes
 * the next one and submits its three jobs — or, after the last generation,
 * finishes the calibration (posterior files, predictive check, report) in
 * that job. DIR/submit.sh submits the current generation's jobs with their
 * dependencies (with array indices as argument: only those tasks, to re-run
 * failed ones). The files are the ones a run on one machine writes, byte for
 * byte: a merged sweep equals the unsharded one, and the algorithm reads only
 * the runs' metrics.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sbatch, shardDirName, shq, slurmScripts } from '../experiment/slurm.js';
import type { CalibrationOptions, CalibrationPlan } from './calibrate.js';

export interface CalibrationSlurm {
  /** Absolute paths of node and of the cadreflow entry (dist/src/cli/main.js). */
  node: string;
  cli: string;
  /** Array tasks per generation (default: one per particle, at most 1000). */
  tasks?: number;
  cpusPerTask?: number;
  time?: string;
  mem?: string;
  partition?: string;
  submit: boolean;
  /** The options the continuation job passes on (they identify the calibration). */
  sets: string[];
  replicates?: number;
}

export interface SlurmGeneration {
  generation: number;
  tasks: number;
  /** The generation's directory (shards, merge) and DIR/submit.sh. */
  dir: string;
  submitScript: string;
  /** With --submit: the job ids. */
  jobs?: { array: string; merge: string; next: string };
  /** With --submit, when sbatch refused: its message. */
  error?: string;
}

/** Default number of array tasks: one per particle, at most this many (Slurm's default MaxArraySize is 1001). */
const MAX_DEFAULT_TASKS = 1000;


/** The options of the continuation's `cadreflow calibrate`, as shell words. */
function continuation(plan: CalibrationPlan, s: CalibrationSlurm, out: string): string {
  const words: string[] = ['--out', out, '--resume', '--slurm', '--submit'];
  if (s.tasks !== undefined) words.push('--tasks', String(s.tasks));
  if (s.cpusPerTask !== undefined) words.push('--cpus-per-task', String(s.cpusPerTask));
  if (s.time !== undefined) words.push('--time', s.time);
  if (s.mem !== undefined) words.push('--mem', s.mem);
  if (s.partition !== undefined) words.push('--partition', s.partition);
  if (s.replicates !== undefined) words.push('--replicates', String(s.replicates));
  for (const x of s.sets) words.push('--set', x);
  return `"$NODE" "$CADREFLOW" calibrate ${shq(path.resolve(plan.file))} ${words.map(shq).join(' ')} --threads "\${SLURM_CPUS_PER_TASK:-1}"`;
}

export function writeSlurmGeneration(
  plan: CalibrationPlan,
  o: CalibrationOptions,
  g: { dir: string; generation: number; sweepFile: string; sweepDir: string; particles: number },
): SlurmGeneration {
  const s = o.slurm!;
  const out = path.resolve(g.dir);
  const name = plan.cal.name;
  const tasks = Math.min(s.tasks ?? MAX_DEFAULT_TASKS, g.particles);
  const scripts = slurmScripts({
    node: s.node, cli: s.cli, sweepFile: path.resolve(g.sweepFile), out: path.resolve(g.sweepDir),
    name: `${name}-g${g.generation}`, points: g.particles, tasks,
    partition: s.partition, time: s.time, mem: s.mem, cpusPerTask: s.cpusPerTask,
  });
  mkdirSync(path.join(g.sweepDir, 'logs'), { recursive: true });
  mkdirSync(path.join(out, 'logs'), { recursive: true });
  for (const f of ['sweep.sbatch', 'merge.sbatch'] as const) {
    writeFileSync(path.join(g.sweepDir, f), scripts[f]);
    chmodSync(path.join(g.sweepDir, f), 0o755);
  }
  const directives = [
    `--job-name=cadreflow-${name}-next`,
    `--output=${out.replace(/%/g, '%%')}/logs/next-%j.out`,
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.time ? [`--time=${s.time}`] : []),
    ...(s.mem ? [`--mem=${s.mem}`] : []),
    ...(s.cpusPerTask ? [`--cpus-per-task=${s.cpusPerTask}`] : []),
  ].map((l) => `#SBATCH ${l}`).join('\n');
  const next = `#!/bin/bash
# Continues the ABC-SMC calibration "${name}" once a generation's runs are merged:
# reads them, and either submits the next generation (its array job, merge and
# this job again) or, after the last generation, writes the posterior, the
# predictive check (fit.csv), the calibrated scenario and the report.
# Written by \`cadreflow calibrate --slurm\`; submitted by ${out}/submit.sh.
${directives}

set -u
NODE=${shq(s.node)}
CADREFLOW=${shq(s.cli)}
cd ${shq(out)} || exit 1
${continuation(plan, s, path.resolve(o.out))}
`;
  const gen = path.resolve(g.sweepDir);
  const submit = `#!/bin/sh
# Submits generation ${g.generation} of the ABC-SMC calibration "${name}": the array job
# of its ${g.particles} particles (${tasks} task(s), shards in ${gen}/${shardDirName('i', tasks)}),
# the merge after it, and after the merge ${out}/next.sbatch, which goes on to
# the next generation. With an argument, only those array indices are submitted,
# e.g. \`${out}/submit.sh 2,5\` to re-run failed tasks (the others are complete).
# Prints the job ids. Written by \`cadreflow calibrate --slurm\`.
set -e
array=$(sbatch --parsable \${1:+--array="$1"} ${shq(path.join(gen, 'sweep.sbatch'))})
array=\${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes ${shq(path.join(gen, 'merge.sbatch'))})
merge=\${merge%%;*}
next=$(sbatch --parsable --dependency=afterok:"$merge" --kill-on-invalid-dep=yes ${shq(path.join(out, 'next.sbatch'))})
next=\${next%%;*}
echo "generation ${g.generation}: array job $array, merge job $merge, next job $next"
`;
  for (const [f, text] of [['next.sbatch', next], ['submit.sh', submit]] as const) {
    writeFileSync(path.join(out, f), text);
    chmodSync(path.join(out, f), 0o755);
  }
  const res: SlurmGeneration = { generation: g.generation, tasks, dir: gen, submitScript: path.join(out, 'submit.sh') };
  if (s.submit) {
    try {
      const array = sbatch(['--parsable', path.join(gen, 'sweep.sbatch')]);
      const merge = sbatch(['--parsable', `--dependency=afterok:${array}`, '--kill-on-invalid-dep=yes', path.join(gen, 'merge.sbatch')]);
      const nextJob = sbatch(['--parsable', `--dependency=afterok:${merge}`, '--kill-on-invalid-dep=yes', path.join(out, 'next.sbatch')]);
      res.jobs = { array, merge, next: nextJob };
    } catch (e) {
      res.error = (e as Error).message;
    }
  }
  return res;
}
