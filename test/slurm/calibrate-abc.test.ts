/**
 * An ABC-SMC calibration on a real single-node Slurm cluster (cluster.sh):
 * `cadreflow calibrate --slurm --submit` submits generation 1 (array job,
 * merge, next job); each next job submits the following generation from
 * inside Slurm, and the last one finishes the calibration. The files are
 * compared byte for byte with the same calibration run in one process.
 * Skipped where slurmctld is not installed (test/slurm/slurm.test.ts fails
 * there, naming the packages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installed, startCluster, stopCluster, type Cluster } from './cluster.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');

const CAL = {
  name: 'slurm-abc',
  base: { name: 'b', seed: 3, years: 3, burnIn: 4, world: { preset: 'gansu', scale: 0.04 } },
  replicates: 2,
  validationReplicates: 3,
  parameters: { 'behavior.regionBias': { min: 0, max: 5 }, 'behavior.shortlist': { min: 2, max: 8, integer: true } },
  targets: [
    { metric: 'team_exchange_coverage_county', years: [2026], observed: 0.5, tolerance: 0.05 },
    { metric: 'downward_share', window: [2026, 2028], observed: 0.3, tolerance: 0.05 },
  ],
  method: { type: 'abc-smc', particles: 6, generations: 2, seed: 2 },
};

let tmp: string;
let cluster: Cluster | undefined;
let env: NodeJS.ProcessEnv;

function run(cmd: string, args: string[], timeout = 120_000) {
  const r = spawnSync(cmd, args, { cwd: tmp, encoding: 'utf8', env, timeout });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** The logs of the calibration's jobs and of the cluster, to see why it did not finish. */
function diagnostics(out: string): string {
  const parts: string[] = [];
  for (const logs of [path.join(out, 'logs'), ...['generation-1', 'generation-2'].map((g) => path.join(out, 'generations', g, 'logs'))]) {
    if (existsSync(logs)) for (const f of readdirSync(logs)) parts.push(`--- ${f}\n${readFileSync(path.join(logs, f), 'utf8')}`);
  }
  parts.push(`--- squeue\n${run('squeue', []).out}`);
  const ctl = path.join(cluster!.clusterDir, 'log', 'slurmctld.log');
  if (existsSync(ctl)) parts.push(`--- slurmctld.log\n${readFileSync(ctl, 'utf8').split('\n').slice(-40).join('\n')}`);
  return parts.join('\n');
}

describe.skipIf(!installed)('cadreflow calibrate --slurm (abc-smc) on a real single-node Slurm', () => {
  beforeAll(() => {
    cluster = startCluster('cadreflow-slurm-abc-');
    ({ tmp, env } = cluster);
  }, 90_000);

  afterAll(() => stopCluster(cluster), 90_000);

  it('runs one array job per generation, each next job submitting the following one, byte-identical to one process', async () => {
    writeFileSync(path.join(tmp, 'cal.json'), JSON.stringify(CAL));
    const sub = run(process.execPath, [bin, 'calibrate', 'cal.json', '--out', 'cluster-abc', '--slurm', '--tasks', '2', '--cpus-per-task', '1', '--time', '5', '--submit']);
    expect(sub.code, sub.err).toBe(0);
    expect(sub.out).toMatch(/array job \d+, merge job \d+ \(after it\), next job \d+/);
    const local = run(process.execPath, [bin, 'calibrate', 'cal.json', '--out', 'local', '--threads', '1', '--quiet']);
    expect(local.code, local.err).toBe(0);
    const out = path.join(tmp, 'cluster-abc');
    const manifest = path.join(out, 'manifest.json');
    const deadline = Date.now() + 240_000;
    // Done when the manifest says complete; failed when no job is left for 15 s before that.
    let idleSince = Date.now();
    for (;;) {
      if (JSON.parse(readFileSync(manifest, 'utf8')).complete === true) break;
      if (run('squeue', ['-h']).out.trim() !== '') idleSince = Date.now();
      if (Date.now() > deadline || Date.now() - idleSince > 15_000) throw new Error(`the calibration did not finish on Slurm\n${diagnostics(out)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // The last job may still be ending: wait for it, so that nothing writes into the folder once the test has removed it.
    while (run('squeue', ['-h']).out.trim() !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);
    const files = ['posterior.csv', 'posterior-summary.csv', 'generations.csv', 'fit.csv', 'calibrated.json', 'posterior-particles.csv'];
    for (const g of ['generation-1', 'generation-2']) for (const f of ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv']) files.push(`generations/${g}/${f}`);
    for (const f of files) expect(readFileSync(path.join(out, f), 'utf8'), f).toBe(readFileSync(path.join(tmp, 'local', f), 'utf8'));
    // It ran on Slurm: two array tasks and a merge per generation, and a next job after each merge.
    expect(readdirSync(path.join(out, 'logs')).filter((f) => f.startsWith('next-')).length).toBe(2);
    for (const g of ['generation-1', 'generation-2']) {
      const logs = readdirSync(path.join(out, 'generations', g, 'logs'));
      expect(logs.filter((f) => f.startsWith('sweep-')).length).toBe(2);
      expect(logs.filter((f) => f.startsWith('merge-')).length).toBe(1);
    }
  }, 300_000);
});
