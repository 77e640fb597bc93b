/**
 * manifest.json: what was run — the resolved scenario, program version, git
 * commit, seeds, threads, times and Node version (docs/DESIGN.md "Files").
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'cadreflow') return dir;
    } catch {
      /* keep looking upward */
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
})();

export function programVersion(): string {
  try {
    return JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

export function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

export function baseManifest(command: string): Record<string, unknown> {
  return {
    program: 'cadreflow',
    version: programVersion(),
    commit: gitCommit(),
    command,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/**
 * Writes the finished manifest of a results directory whose report reads it:
 * first as not complete, then the report (drawReport), then complete — so that
 * whoever polls the manifest (a job on a cluster) finds every file once it
 * says complete.
 */
export async function finishManifest(file: string, manifest: Record<string, unknown>, drawReport: () => Promise<void>): Promise<void> {
  writeFileSync(file, JSON.stringify({ ...manifest, complete: false }, null, 2) + '\n');
  await drawReport();
  writeFileSync(file, JSON.stringify({ ...manifest, complete: true }, null, 2) + '\n');
}
