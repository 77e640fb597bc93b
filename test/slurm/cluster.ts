/**
 * The single-node Slurm cluster of the Slurm tests (cluster.sh, Debian's packages): whether it
 * can run here, and starting and stopping one in a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const clusterSh = path.join(__dirname, 'cluster.sh');
/** Slurm's daemons live in /usr/sbin. */
export const PATH = `${process.env.PATH ?? ''}:/usr/sbin:/sbin`;
export const installed = spawnSync('sh', ['-c', 'command -v slurmctld'], { env: { ...process.env, PATH } }).status === 0;

export interface Cluster {
  /** The temporary directory the tests work in; the cluster's files are in its `cluster/`. */
  tmp: string;
  clusterDir: string;
  /** The environment that reaches the cluster (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
}

/** Starts a cluster in a new temporary directory named from `prefix`; throws with cluster.sh's output if it does not start. */
export function startCluster(prefix: string): Cluster {
  const tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(tmp, 0o755); // munged, as the munge user, must reach its socket in the cluster directory
  const clusterDir = path.join(tmp, 'cluster');
  const env = { ...process.env, PATH, SLURM_CONF: path.join(clusterDir, 'slurm.conf') };
  const r = spawnSync('bash', [clusterSh, 'start', clusterDir], { cwd: tmp, encoding: 'utf8', env, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`the Slurm cluster did not start (exit ${r.status}):\n${r.stderr ?? ''}`);
  return { tmp, clusterDir, env };
}

/** Stops the cluster and removes its temporary directory. */
export function stopCluster(c: Cluster | undefined): void {
  if (!c) return;
  const r = spawnSync('bash', [clusterSh, 'stop', c.clusterDir], { cwd: c.tmp, encoding: 'utf8', env: c.env, timeout: 120_000 });
  if (r.status !== 0) console.warn(`cluster.sh stop: exit ${r.status}\n${r.stderr ?? ''}`);
  rmSync(c.tmp, { recursive: true, force: true });
}
