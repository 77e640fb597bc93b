/** The instrumented benchmarks still reach what the model calls (bench/instrument.ts): a patch that no longer applies fails here, not on the day someone measures. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');

describe('bench/fill-anatomy', () => {
  it('patches the build, counts the fill phase of a small world and removes its copy', () => {
    const r = spawnSync(process.execPath, [path.join(dist, 'bench', 'fill-anatomy.js'), '0.1', '1', '2'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\| pool build \| [\d.]+ \|/);
    for (const rank of [0, 1, 2]) expect(r.stdout).toMatch(new RegExp(`\\| rank ${rank}[^|]*\\| [\\d.]+ \\| [1-9][\\d ]* \\|`));
    expect(r.stdout).toMatch(/Refusal draws [1-9]/);
    expect(readdirSync(dist).filter((f) => f.startsWith('.fill-anatomy-'))).toEqual([]);
  });
});
