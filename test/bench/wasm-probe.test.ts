/**
 * The WebAssembly probe (bench/wasm-probe.ts) still measures the engine's passes: its
 * kernels (bench/wasm/kernels.wasm) must give the same bytes as the age pass and the exit
 * decisions of the engine, or the probe exits 1 — so a change of those passes that the
 * kernels do not follow fails here, not on the day someone measures.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

describe('bench/wasm-probe', () => {
  it('runs the kernels on a small world, with the same bytes as the engine, and times them', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'dist', 'bench', 'wasm-probe.js'), '0.2', '1'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Same bytes');
    for (const pass of ['age, WebAssembly SIMD', 'exit decisions, WebAssembly SIMD']) expect(r.stdout).toMatch(new RegExp(`\\| ${pass} \\| [\\d.]+ \\| [\\d.]+ \\|`));
  });
});
