/**
 * `cadreflow slurm` without Slurm: the text of the generated scripts, bad
 * input, and the scripts run by bash as Slurm would run them (array task ids
 * in the environment), ending byte-identical to the sweep run in one process.
 * The real cluster test is test/slurm/slurm.test.ts.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSlurmTime } from '../../src/experiment/slurm.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
const FILES = ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv'];
let tmp: string;

function cf(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function sh(script: string, env: Record<string, string> = {}) {
  const r = spawnSync('bash', [script], { cwd: os.tmpdir(), encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (dir: string, f: string) => readFileSync(path.join(tmp, dir, f));
function same(a: string, b: string) {
  for (const f of FILES) expect(read(a, f).equals(read(b, f)), `${f} of ${a} and ${b}`).toBe(true);
}

const SWEEP = {
  name: 'grid', replicates: 2,
  base: { name: 'b', seed: 3, years: 3, burnIn: 4, world: { preset: 'gansu', scale: 0.04 } },
  design: { type: 'grid', parameters: { 'policy.maxTenure': [5, 10, 15] } },
};

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-slurm-unit-'));
  writeFileSync(path.join(tmp, 'grid.json'), JSON.stringify(SWEEP));
  expect(cf(['sweep', 'grid.json', '--out', 'ref', '--threads', '1', '--quiet']).code).toBe(0);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('cadreflow slurm', () => {
  it('writes an array job of N tasks, one shard each, resuming, with threads from SLURM_CPUS_PER_TASK and absolute paths', () => {
    const r = cf(['slurm', 'grid.json', '--out', 'job', '--tasks', '3', '--partition', 'short', '--time', '0:30:00', '--mem', '2G', '--cpus-per-task', '4']);
    expect(r.code, r.err).toBe(0);
    const dir = path.join(tmp, 'job');
    const s = readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8');
    expect(s.startsWith('#!/bin/bash\n')).toBe(true);
    expect(s).toMatch(/^#SBATCH --array=1-3$/m);
    expect(s).toMatch(/^#SBATCH --job-name=cadreflow-grid$/m);
    expect(s).toMatch(/^#SBATCH --partition=short$/m);
    expect(s).toMatch(/^#SBATCH --time=0:30:00$/m);
    expect(s).toMatch(/^#SBATCH --mem=2G$/m);
    expect(s).toMatch(/^#SBATCH --cpus-per-task=4$/m);
    expect(s).toMatch(new RegExp(`^#SBATCH --output=${dir}/logs/sweep-%A_%a\\.out$`, 'm'));
    // Every #SBATCH line comes before the first command (sbatch stops reading them there).
    const lines = s.split('\n');
    const lastDirective = lines.map((l) => l.startsWith('#SBATCH')).lastIndexOf(true);
    expect(lines.slice(1, lastDirective).every((l) => l.startsWith('#'))).toBe(true);
    // The same node and cadreflow entry, the sweep file and DIR, all absolute.
    expect(s).toContain(`NODE=${process.execPath}\n`);
    expect(s).toContain(`CADREFLOW=${bin}\n`);
    expect(s).toContain(`SWEEP=${path.join(tmp, 'grid.json')}\n`);
    expect(s).toContain(`OUT=${dir}\n`);
    expect(s).toContain('N=3\n');
    expect(s).toContain('I=$((SLURM_ARRAY_TASK_ID))\n');
    expect(s).toContain('SHARD="$OUT/shard-$I-of-3"\n');
    expect(s).toContain('T=${SLURM_CPUS_PER_TASK:-1}\n');
    expect(s).toContain('"$NODE" --v8-pool-size=$((T > 4 ? T : 4)) "$CADREFLOW" sweep "$SWEEP" --shard "$I/$N" --out "$SHARD" --threads "$T" --resume\n');
    expect(statSync(path.join(dir, 'sweep.sbatch')).mode & 0o111).not.toBe(0);
    expect(existsSync(path.join(dir, 'logs'))).toBe(true);

    const m = readFileSync(path.join(dir, 'merge.sbatch'), 'utf8');
    expect(m).toMatch(/^#SBATCH --job-name=cadreflow-grid-merge$/m);
    expect(m).toMatch(/^#SBATCH --partition=short$/m);
    expect(m).not.toMatch(/--array/);
    expect(m).toContain('for i in $(seq 1 "$N"); do shards+=("$OUT/shard-$i-of-3"); done');
    expect(m).toContain('"$NODE" "$CADREFLOW" merge "${shards[@]}" --out "$OUT/.merging" --force');

    const sub = readFileSync(path.join(dir, 'submit.sh'), 'utf8');
    expect(sub).toContain(`sbatch --parsable \${1:+--array="$1"} ${dir}/sweep.sbatch`);
    expect(sub).toContain(`sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes ${dir}/merge.sbatch`);
    expect(r.out).toMatch(/3 array task\(s\)/);
  });

  it('defaults to one task per point, and uses no more tasks than points', () => {
    expect(cf(['slurm', 'grid.json', '--out', 'dflt']).code).toBe(0);
    const s = readFileSync(path.join(tmp, 'dflt', 'sweep.sbatch'), 'utf8');
    expect(s).toMatch(/^#SBATCH --array=1-3$/m);
    expect(s).not.toMatch(/--partition|--time|--mem|--cpus-per-task/);
    const r = cf(['slurm', 'grid.json', '--out', 'many', '--tasks', '50']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/using 3/);
    expect(readFileSync(path.join(tmp, 'many', 'sweep.sbatch'), 'utf8')).toMatch(/^#SBATCH --array=1-3$/m);
    // Writing again into the same directory replaces the scripts.
    expect(cf(['slurm', 'grid.json', '--out', 'many', '--tasks', '2']).code).toBe(0);
    expect(readFileSync(path.join(tmp, 'many', 'sweep.sbatch'), 'utf8')).toMatch(/^#SBATCH --array=1-2$/m);
  });

  it('rejects bad input with exit code 2 and writes nothing', () => {
    const bad = (args: string[], re: RegExp) => {
      const r = cf(['slurm', ...args, '--out', 'bad']);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(re);
      expect(existsSync(path.join(tmp, 'bad'))).toBe(false);
    };
    bad(['missing.json'], /missing\.json.*does not exist/);
    bad(['grid.json', '--tasks', '0'], /--tasks: "0": an integer from 1/);
    bad(['grid.json', '--tasks', 'x'], /--tasks/);
    bad(['grid.json', '--time', '2h'], /--time: "2h": a Slurm time limit/);
    bad(['grid.json', '--time', '1:75:00'], /--time/);
    bad(['grid.json', '--mem', 'lots'], /--mem/);
    bad(['grid.json', '--cpus-per-task', '0'], /--cpus-per-task/);
    bad(['grid.json', '--partition', 'a b'], /--partition/);
    writeFileSync(path.join(tmp, 'badsweep.json'), JSON.stringify({ ...SWEEP, design: { type: 'grid', parameters: { 'policy.maxTenure': [0] } } }));
    bad(['badsweep.json'], /policy\.maxTenure/);
    // A directory holding other files is not overwritten.
    mkdirSync(path.join(tmp, 'other'));
    writeFileSync(path.join(tmp, 'other', 'notes.txt'), 'x');
    const r = cf(['slurm', 'grid.json', '--out', 'other']);
    expect(r.code).toBe(2);
    expect(existsSync(path.join(tmp, 'other', 'sweep.sbatch'))).toBe(false);
  });

  it('accepts Slurm’s time formats', () => {
    for (const t of ['90', '90:30', '2:00:00', '100:00:00', '1-12', '1-12:30', '1-12:30:00', 'UNLIMITED']) expect(checkSlurmTime(t)).toBe(t);
    for (const t of ['', '1:2:3:4', '1-25', '1:60', '-1', '1.5', '2h']) expect(() => checkSlurmTime(t), t).toThrow();
  });

  it('--submit without sbatch on the PATH says so (exit 1)', () => {
    const r = cf(['slurm', 'grid.json', '--out', 'nosbatch', '--submit'], { PATH: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/sbatch was not found/);
  });

  it('sweep --resume on a directory that does not exist yet starts the shard afresh', () => {
    expect(existsSync(path.join(tmp, 'fresh'))).toBe(false);
    const r = cf(['sweep', 'grid.json', '--shard', '2/3', '--out', 'fresh', '--threads', '1', '--resume', '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(cf(['sweep', 'grid.json', '--shard', '2/3', '--out', 'plain', '--threads', '1', '--quiet']).code).toBe(0);
    same('fresh', 'plain');
    expect(JSON.parse(read('fresh', 'progress.json').toString()).complete).toBe(true);
  });

  it('the scripts, run as Slurm runs them, give the results of the sweep run in one process', () => {
    expect(cf(['slurm', 'grid.json', '--out', 'bash', '--tasks', '3']).code).toBe(0);
    const dir = path.join(tmp, 'bash');
    // Without an array task id the script refuses to run.
    const none = sh(path.join(dir, 'sweep.sbatch'), { SLURM_ARRAY_TASK_ID: '' });
    expect(none.code).not.toBe(0);
    expect(none.err).toMatch(/array job/);
    // A task stopped before its first checkpoint leaves a directory without progress.json: the re-run starts it again.
    mkdirSync(path.join(dir, 'shard-3-of-3'));
    writeFileSync(path.join(dir, 'shard-3-of-3', 'runs.csv'), 'partial');
    // Task 3 has 6 CPUs: 6 threads, and V8's background pool as large (above Node's 4).
    for (const [i, cpus] of [['1', '2'], ['2', '2'], ['3', '6']] as const) {
      const r = sh(path.join(dir, 'sweep.sbatch'), { SLURM_ARRAY_TASK_ID: i, SLURM_CPUS_PER_TASK: cpus });
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`on ${cpus} thread\\(s\\)`));
    }
    // A task re-run after it finished resumes a complete shard: nothing changes.
    const before = read('bash/shard-2-of-3', 'runs.csv');
    const again = sh(path.join(dir, 'sweep.sbatch'), { SLURM_ARRAY_TASK_ID: '2' });
    expect(again.code, again.err).toBe(0);
    expect(read('bash/shard-2-of-3', 'runs.csv').equals(before)).toBe(true);
    const m = sh(path.join(dir, 'merge.sbatch'));
    expect(m.code, m.err).toBe(0);
    same('ref', 'bash');
    expect(JSON.parse(read('bash', 'progress.json').toString()).complete).toBe(true);
    expect(existsSync(path.join(dir, '.merging'))).toBe(false);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
    // The merge job can run again (e.g. after failed tasks were re-run).
    expect(sh(path.join(dir, 'merge.sbatch')).code).toBe(0);
    same('ref', 'bash');
    rmSync(dir, { recursive: true, force: true });
  });

  it('--precision and --max-replicates go into every shard: the scripts give the results of sweep --precision in one process', () => {
    const opts = ['--precision', 'stagnation_share=0.004', '--max-replicates', '8'];
    expect(cf(['sweep', 'grid.json', '--out', 'prec-ref', '--threads', '1', '--quiet', ...opts]).code).toBe(0);
    const r = cf(['slurm', 'grid.json', '--out', 'prec', '--tasks', '2', ...opts]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2–8 replicates \(--precision stagnation_share=0\.004\)/);
    const dir = path.join(tmp, 'prec');
    expect(readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8')).toMatch(/ --resume --precision stagnation_share=0\.004 --max-replicates 8\n/);
    for (const i of ['1', '2']) {
      const t = sh(path.join(dir, 'sweep.sbatch'), { SLURM_ARRAY_TASK_ID: i });
      expect(t.code, t.err).toBe(0);
    }
    const m = sh(path.join(dir, 'merge.sbatch'));
    expect(m.code, m.err).toBe(0);
    same('prec-ref', 'prec');
    // The points needed different numbers of replicates, beyond the sweep file's 2.
    const reps = read('prec', 'points.csv').toString().trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    expect(Math.max(...reps)).toBeGreaterThan(2);
    // Bad values are refused before anything is written.
    const bad = cf(['slurm', 'grid.json', '--out', 'prec-bad', '--precision', 'stagnation_share=-1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--precision stagnation_share.*-1/);
    const low = cf(['slurm', 'grid.json', '--out', 'prec-bad', '--precision', 'stagnation_share=0.01', '--max-replicates', '1']);
    expect(low.code).toBe(2);
    expect(low.err).toMatch(/--max-replicates/);
    expect(existsSync(path.join(tmp, 'prec-bad'))).toBe(false);
  });

  it('--set goes into every shard (quoted for the shell): the scripts give the results of sweep --set in one process', () => {
    const sets = ['--set', 'behavior.applyRate=0.5', '--set', "description=Ma's two words"];
    expect(cf(['sweep', 'grid.json', '--out', 'set-ref', '--threads', '1', '--quiet', ...sets]).code).toBe(0);
    const r = cf(['slurm', 'grid.json', '--out', 'set', '--tasks', '2', ...sets]);
    expect(r.code, r.err).toBe(0);
    const dir = path.join(tmp, 'set');
    expect(readFileSync(path.join(dir, 'sweep.sbatch'), 'utf8')).toContain(` --resume --set behavior.applyRate=0.5 --set 'description=Ma'\\''s two words'\n`);
    for (const i of ['1', '2']) expect(sh(path.join(dir, 'sweep.sbatch'), { SLURM_ARRAY_TASK_ID: i }).code).toBe(0);
    const m = sh(path.join(dir, 'merge.sbatch'));
    expect(m.code, m.err).toBe(0);
    same('set-ref', 'set');
    // Not the results without the override.
    expect(read('set', 'runs.csv').equals(read('ref', 'runs.csv'))).toBe(false);
    const bad = cf(['slurm', 'grid.json', '--out', 'set-bad', '--set', 'behavior.applyRate=2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/applyRate/);
    expect(existsSync(path.join(tmp, 'set-bad'))).toBe(false);
  });

  it('the Kubernetes example: JOB_COMPLETION_INDEX + 1 as the shard, then the merge, gives the same results', () => {
    const yaml = readFileSync(path.join(root, 'docs', 'examples', 'k8s-indexed-job.yaml'), 'utf8');
    // The two `args: - |` blocks: the Indexed Job's pod script and the merge script.
    const blocks = [...yaml.matchAll(/^( +)- \|\n((?:\1  .*\n|\n)+)/gm)].map((m) => m[2]!.split('\n').map((l) => l.slice(m[1]!.length + 2)).join('\n'));
    expect(blocks.length).toBe(2);
    expect(yaml).toMatch(/completionMode: Indexed/);
    expect(yaml).toMatch(/completions: 4\n\s+parallelism: 4/);
    const out = path.join(tmp, 'k8s');
    // Run them from the project as workingDir, on the small sweep instead of the shipped one.
    const adapt = (b: string) => b.replaceAll('/work/cadreflow/results/tenure-by-allowance', out).replaceAll('scenarios/sweeps/tenure-by-allowance.json', path.join(tmp, 'grid.json')).replaceAll('node dist/', `"${process.execPath}" dist/`);
    const [pod, merge] = blocks.map(adapt);
    const run = (script: string, env: Record<string, string>) => spawnSync('sh', ['-c', script], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
    for (const k of ['0', '1', '2', '3']) {
      const r = run(pod!, { JOB_COMPLETION_INDEX: k, THREADS: '1' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`shard ${Number(k) + 1}/4`));
    }
    const m = run(merge!, {});
    expect(m.status, m.stderr).toBe(0);
    same('ref', 'k8s');
    expect(existsSync(path.join(out, '.merging'))).toBe(false);
  });
});
