/**
 * The real thing: a single-node Slurm cluster from Debian's packages
 * (cluster.sh), a sweep submitted with `cadreflow slurm --submit`, and the
 * merged results compared byte for byte with the same sweep run locally in
 * one process. Fails, never skips, when slurmctld is not installed
 * (apt-get install slurmctld slurmd slurm-client munge; .ci/run does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installed, startCluster, stopCluster, type Cluster } from './cluster.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
const FILES = ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv'];

// A missing tool fails the suite instead of skipping it (.ci/run installs it).
it('has Slurm installed (apt-get install -y slurmctld slurmd slurm-client munge)', () => {
  expect(installed, 'slurmctld is not installed: apt-get install -y slurmctld slurmd slurm-client munge').toBe(true);
});

const SWEEP = {
  name: 'slurm-grid', replicates: 2,
  base: { name: 'b', seed: 3, years: 3, burnIn: 4, world: { preset: 'gansu', scale: 0.04 } },
  design: { type: 'grid', parameters: { 'policy.maxTenure': [5, 10, 15] } },
};

let tmp: string;
let cluster: Cluster | undefined;
let env: NodeJS.ProcessEnv;

function run(cmd: string, args: string[], timeout = 60_000) {
  const r = spawnSync(cmd, args, { cwd: tmp, encoding: 'utf8', env, timeout });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** Everything that helps to see why a job did not finish. */
function diagnostics(out: string): string {
  const parts: string[] = [];
  const logs = path.join(out, 'logs');
  if (existsSync(logs)) for (const f of readdirSync(logs)) parts.push(`--- ${f}\n${readFileSync(path.join(logs, f), 'utf8')}`);
  parts.push(`--- squeue\n${run('squeue', []).out}`);
  for (const f of ['slurmctld.log', 'slurmd.log']) {
    const p = path.join(cluster!.clusterDir, 'log', f);
    if (existsSync(p)) parts.push(`--- ${f}\n${readFileSync(p, 'utf8').split('\n').slice(-40).join('\n')}`);
  }
  return parts.join('\n');
}

function jobState(id: string): string {
  const r = run('scontrol', ['show', 'job', '-o', id]);
  return /JobState=(\S+)/.exec(r.out)?.[1] ?? 'UNKNOWN';
}

describe.skipIf(!installed)('cadreflow slurm on a real single-node Slurm', () => {
  beforeAll(() => {
    cluster = startCluster('cadreflow-slurm-');
    ({ tmp, env } = cluster);
  }, 90_000);

  afterAll(() => stopCluster(cluster), 90_000);

  it('runs a sweep as an array job and a dependent merge, byte-identical to the sweep run in one process', async () => {
    const t0 = performance.now();
    writeFileSync(path.join(tmp, 'grid.json'), JSON.stringify(SWEEP));
    const sub = run(process.execPath, [bin, 'slurm', 'grid.json', '--out', 'cluster-out', '--tasks', '3', '--cpus-per-task', '1', '--time', '5', '--submit']);
    expect(sub.code, sub.err).toBe(0);
    const array = /sweep array job (\d+)/.exec(sub.out)?.[1];
    const merge = /merge job (\d+) \(after (\d+)\)/.exec(sub.out);
    expect(array, sub.out).toBeDefined();
    expect(merge?.[2]).toBe(array);
    const mergeId = merge![1]!;

    // The same sweep in one process, while the cluster works.
    const local = run(process.execPath, [bin, 'sweep', 'grid.json', '--out', 'local', '--threads', '1', '--quiet']);
    expect(local.code, local.err).toBe(0);

    // Wait for the merge job: done when the merged progress.json says complete.
    const out = path.join(tmp, 'cluster-out');
    const progress = path.join(out, 'progress.json');
    const deadline = Date.now() + 50_000;
    for (;;) {
      if (existsSync(progress) && JSON.parse(readFileSync(progress, 'utf8')).complete === true) break;
      const state = jobState(mergeId);
      if (/FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY/.test(state) || Date.now() > deadline) {
        throw new Error(`merge job ${mergeId} is ${state}, and ${progress} is not complete\n${diagnostics(out)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const secs = (performance.now() - t0) / 1000;

    for (const f of FILES) {
      const a = readFileSync(path.join(tmp, 'local', f));
      const b = readFileSync(path.join(out, f));
      expect(b.equals(a), `${f} from Slurm and from one process`).toBe(true);
    }
    // It really ran on Slurm: one log per array task and one for the merge, each shard on its own.
    const logs = readdirSync(path.join(out, 'logs')).sort();
    expect(logs).toEqual([`merge-${mergeId}.out`, `sweep-${array}_1.out`, `sweep-${array}_2.out`, `sweep-${array}_3.out`]);
    for (const i of [1, 2, 3]) {
      const log = readFileSync(path.join(out, 'logs', `sweep-${array}_${i}.out`), 'utf8');
      expect(log).toMatch(new RegExp(`shard ${i}/3 \\(2 runs\\); 2 runs in [\\d.]+ s on 1 thread\\(s\\)`));
      const m = JSON.parse(readFileSync(path.join(out, `shard-${i}-of-3`, 'manifest.json'), 'utf8'));
      expect(m.shard).toEqual({ index: i, count: 3 });
    }
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.command).toBe('merge');
    expect(manifest.shards).toBe(3);
    console.log(`test/slurm: submitted, ran 3 array tasks and the merge, checked in ${secs.toFixed(1)} s`);
  }, 90_000);
});
