/**
 * A sweep as a Slurm array job (issue "Beyond one machine"). Task i of N runs
 * `cadreflow sweep --shard i/N --resume` into DIR/shard-i-of-N, so a task that
 * is re-queued or re-run continues its shard; a merge job, submitted with
 * `--dependency=afterok:<array job>`, joins the shards into DIR. The scripts
 * name node, the cadreflow entry, the sweep file and DIR by absolute path, so
 * they run unchanged from whatever directory the cluster starts them in.
 */
import { spawnSync } from 'node:child_process';
import { inputError } from '../scenario/errors.js';

export interface SlurmSpec {
  /** Absolute path of the node executable. */
  node: string;
  /** Absolute path of the cadreflow entry (dist/src/cli/main.js). */
  cli: string;
  /** Absolute path of the sweep file. */
  sweepFile: string;
  /** Absolute path of the results directory DIR. */
  out: string;
  /** The sweep's name (job names). */
  name: string;
  /** Number of design points (for the comments). */
  points: number;
  /** Number of array tasks N (shards). */
  tasks: number;
  partition?: string;
  time?: string;
  mem?: string;
  cpusPerTask?: number;
  /** `--set path=value` overrides of the base scenario, for every shard. */
  sets?: string[];
  /** `--precision` and `--max-replicates` for every shard (each point gets the replicates it needs). */
  precision?: { spec: string; max: number };
  /** `--posterior` (absolute path) and `--seeds-per-particle` for every shard. */
  posterior?: { file: string; seedsPerParticle: number };
}

export interface SlurmScripts {
  'sweep.sbatch': string;
  'merge.sbatch': string;
  'submit.sh': string;
}

/** Files the merge job moves from its staging directory into DIR; progress.json last. */
export const MERGED_FILES = ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv', 'manifest.json', 'progress.json'] as const;

/** The directory of shard i of n inside DIR. */
export const shardDirName = (i: number | string, n: number) => `shard-${i}-of-${n}`;

/** A word for the shell: bare when it is safe, otherwise single-quoted. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_\/.,:=+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A file name pattern in an #SBATCH line: `%` in the directory is literal (`%%`), spaces need double quotes. */
function sbatchPath(dir: string, pattern: string): string {
  const s = `${dir.replace(/%/g, '%%')}/${pattern}`;
  return /\s/.test(s) ? `"${s}"` : s;
}

/**
 * Slurm's time limit formats: minutes, minutes:seconds, hours:minutes:seconds,
 * days-hours, days-hours:minutes, days-hours:minutes:seconds (or UNLIMITED).
 */
export function checkSlurmTime(t: string): string {
  const allowed = 'a Slurm time limit: minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes or days-hours:minutes:seconds (e.g. 90, 2:00:00, 1-12:00:00), or UNLIMITED';
  if (/^(unlimited|infinite)$/i.test(t)) return t;
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t);
  if (!m) throw inputError('--time', t, allowed);
  const [, days, a, b, c] = m;
  const two = (s: string | undefined) => s === undefined || (s.length <= 2 && Number(s) < 60);
  if (days !== undefined) {
    // days-hours[:minutes[:seconds]]
    if (a!.length > 2 || Number(a) > 23 || !two(b) || !two(c)) throw inputError('--time', t, allowed);
  } else if (c !== undefined) {
    // hours:minutes:seconds
    if (!two(b) || !two(c)) throw inputError('--time', t, allowed);
  } else if (!two(b)) {
    // minutes[:seconds]
    throw inputError('--time', t, allowed);
  }
  return t;
}

export function checkSlurmMem(m: string): string {
  if (!/^\d+[KMGT]?$/i.test(m)) throw inputError('--mem', m, 'memory per node as Slurm takes it: a number of megabytes, or a number with the unit K, M, G or T (e.g. 4G)');
  return m;
}

export function checkPartition(p: string): string {
  if (!/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(p)) throw inputError('--partition', p, 'a partition name (letters, digits, dot, dash, underscore), or several separated by commas');
  return p;
}

export function checkOutDir(dir: string): string {
  if (/["\n\r]/.test(dir)) throw inputError('--out', dir, 'a directory path without double quotes or line breaks (it is written into the #SBATCH lines)');
  return dir;
}

function directives(s: SlurmSpec, first: string[], last: string[] = []): string {
  const lines = [...first];
  if (s.partition) lines.push(`--partition=${s.partition}`);
  if (s.time) lines.push(`--time=${s.time}`);
  lines.push(...last);
  return lines.map((l) => `#SBATCH ${l}`).join('\n');
}

function paths(s: SlurmSpec, sweep: boolean): string {
  return [
    `NODE=${shq(s.node)}`,
    `CADREFLOW=${shq(s.cli)}`,
    ...(sweep ? [`SWEEP=${shq(s.sweepFile)}`] : []),
    `OUT=${shq(s.out)}`,
    `N=${s.tasks}`,
  ].join('\n');
}

export function slurmScripts(s: SlurmSpec): SlurmScripts {
  const n = s.tasks;
  const logs = `${s.out}/logs`;
  const sweepScript = `${s.out}/sweep.sbatch`;
  const mergeScript = `${s.out}/merge.sbatch`;
  const submitScript = `${s.out}/submit.sh`;
  const arrayFirst = [`--job-name=cadreflow-${s.name}`, `--array=1-${n}`, `--output=${sbatchPath(logs, 'sweep-%A_%a.out')}`, '--requeue'];
  const arrayLast = [...(s.mem ? [`--mem=${s.mem}`] : []), ...(s.cpusPerTask ? [`--cpus-per-task=${s.cpusPerTask}`] : [])];
  const sweep = `#!/bin/bash
# CadreFlow sweep "${s.name}" (${s.points} points) as a Slurm array job of ${n} task(s):
# task i runs shard i/${n} (the points p with p mod ${n} = i - 1) into
# DIR/${shardDirName('i', n)}, with as many threads as the task has CPUs${s.precision ? `;
# each point adds replicates until --precision ${s.precision.spec} is met (at most ${s.precision.max})` : ''}${s.posterior ? `;
# replicate k of every point runs a particle of the posterior ${s.posterior.file} (${s.posterior.seedsPerParticle} seeds per drawn particle)` : ''}.
# Written by \`cadreflow slurm\`. Submit it with the merge job:  ${submitScript}
# Every task resumes its shard (--resume), so a task that is re-queued or
# re-run continues where it stopped. To re-run failed tasks, e.g. 2 and 5:
#   ${submitScript} 2,5
${directives(s, arrayFirst, arrayLast)}

set -u
${paths(s, true)}
: "\${SLURM_ARRAY_TASK_ID:?submit this script with sbatch: it is an array job}"
I=$((SLURM_ARRAY_TASK_ID))
SHARD="$OUT/${shardDirName('$I', n)}"
cd "$OUT" || exit 1
# A shard directory without progress.json was stopped before its first
# checkpoint: there is nothing in it to keep.
if [ -d "$SHARD" ] && [ ! -e "$SHARD/progress.json" ]; then rm -rf -- "$SHARD"; fi
T=\${SLURM_CPUS_PER_TASK:-1}
# V8's background threads (optimising compilation, garbage collection) serve all
# the worker threads of one process, and Node starts 4: as many as the threads.
"$NODE" --v8-pool-size=$((T > 4 ? T : 4)) "$CADREFLOW" sweep "$SWEEP" --shard "$I/$N" --out "$SHARD" --threads "$T" --resume${(s.sets ?? []).map((x) => ` --set ${shq(x)}`).join('')}${s.precision ? ` --precision ${shq(s.precision.spec)} --max-replicates ${s.precision.max}` : ''}${s.posterior ? ` --posterior ${shq(s.posterior.file)} --seeds-per-particle ${s.posterior.seedsPerParticle}` : ''}
status=$?
# Runs that failed are recorded in failures.csv; a complete shard is a success
# so that the merge still runs (the merged failures.csv lists them).
if [ "$status" -eq 1 ] && grep -q '"complete": true' "$SHARD/progress.json" 2>/dev/null; then
  echo "shard $I/$N is complete; some runs failed (see $SHARD/failures.csv)" >&2
  status=0
fi
exit "$status"
`;
  const merge = `#!/bin/bash
# Merges the ${n} shard(s) of CadreFlow sweep "${s.name}" into DIR once every
# task of the array job has succeeded (${submitScript} submits it with
# --dependency=afterok:<array job id>). The merged files are byte-identical to
# those of the same sweep run in one process. Written by \`cadreflow slurm\`.
${directives(s, [`--job-name=cadreflow-${s.name}-merge`, `--output=${sbatchPath(logs, 'merge-%j.out')}`])}

set -u
${paths(s, false)}
cd "$OUT" || exit 1
shards=()
for i in $(seq 1 "$N"); do shards+=("$OUT/${shardDirName('$i', n)}"); done
# Merge into a staging directory, then move the files into DIR beside the
# shards; progress.json goes last, so once it is there the results are complete.
rm -f -- "$OUT/progress.json"
"$NODE" "$CADREFLOW" merge "\${shards[@]}" --out "$OUT/.merging" --force --no-report || exit $?
for f in ${MERGED_FILES.join(' ')}; do
  mv -f -- "$OUT/.merging/$f" "$OUT/$f" || exit 1
done
rmdir -- "$OUT/.merging"
# The report (report.html, charts/); a report that cannot be drawn is a warning.
"$NODE" "$CADREFLOW" report "$OUT" >/dev/null || echo "warning: no report.html; draw it with: cadreflow report $OUT" >&2
echo "results of sweep ${s.name} in $OUT"
`;
  const submit = `#!/bin/sh
# Submits the array job of CadreFlow sweep "${s.name}" and, after it, the merge
# job (it runs only if every task succeeds). With an argument, only those array
# indices are submitted, e.g. \`${submitScript} 2,5\` to re-run failed tasks:
# the other shards are complete, and these resume where they stopped.
# Prints the two job ids. Written by \`cadreflow slurm\`.
set -e
array=$(sbatch --parsable \${1:+--array="$1"} ${shq(sweepScript)})
array=\${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes ${shq(mergeScript)})
merge=\${merge%%;*}
echo "sweep array job $array"
echo "merge job $merge (after $array)"
`;
  return { 'sweep.sbatch': sweep, 'merge.sbatch': merge, 'submit.sh': submit };
}

/** Runs sbatch --parsable …; returns the job id, or throws with what went wrong. */
export function sbatch(args: string[]): string {
  const r = spawnSync('sbatch', args, { encoding: 'utf8' });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'sbatch was not found: --submit needs Slurm’s client commands on the PATH' : `sbatch could not be run: ${r.error.message}`);
  }
  if (r.status !== 0) throw new Error(`sbatch ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  const id = r.stdout.trim().split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new Error(`sbatch --parsable printed no job id: ${r.stdout.trim()}`);
  return id;
}
