/**
 * Instrumented copies of the build, for benchmarks that count what the model
 * does (bench/floor.ts, bench/fill-anatomy.ts): dist/src is copied into a
 * temporary folder inside dist/ (so that the copy finds the project's
 * node_modules), the caller patches the compiled files with counters, and a
 * script runs in a child process on the copy, so that the benchmark's own
 * process stays uninstrumented. A patch whose text is no longer in the build
 * is an error: the benchmark would otherwise count nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The build's root (dist/), from dist/bench/. */
export const dist = path.resolve(here, '..');

/** Replaces the first `from` in a compiled file by `to`. */
export function patch(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: cannot instrument (${from} not found)`);
  writeFileSync(file, text.replace(from, to));
}

/**
 * Copies dist/src into a temporary folder, lets `instrument(src)` patch it,
 * then runs `script(url)` — an ES module's text, with url(f) the import URL
 * of file f of the copy — in a child node process and returns what it wrote
 * to stdout. The copy is removed afterwards.
 */
export function runInstrumented(prefix: string, instrument: (src: string) => void, script: (url: (f: string) => string) => string): string {
  const tmp = mkdtempSync(path.join(dist, prefix));
  try {
    const src = path.join(tmp, 'src');
    cpSync(path.join(dist, 'src'), src, { recursive: true });
    instrument(src);
    const url = (f: string) => JSON.stringify(pathToFileURL(path.join(tmp, f)).href);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(url)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
