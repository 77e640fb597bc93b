/**
 * `node dist/bench/rng.js`: the random generators a run could draw from, in
 * million draws per second on one thread (median of 5 rounds of 10^7 draws):
 * seedrandom's algorithms (its default ARC4, and alea, xor128, xorwow,
 * xorshift7, xor4096, tychei), the model's Stream (src/random/stream.ts: Alea
 * written out, the sequence of seedrandom.alea), and the counter-based draws
 * keyed by (stream, cadre, k) that the per-cadre phases use (src/random/hash.ts).
 * Prints a Markdown table for bench/RESULTS.md.
 */
import seedrandom from 'seedrandom';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Stream } from '../src/random/stream.js';
import { normal, streamKey, uniform } from '../src/random/hash.js';

const N = 10_000_000;
const ROUNDS = 5;

function time(draw: (i: number) => number): number {
  const speeds: number[] = [];
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) sink += draw(i);
    speeds.push(N / (performance.now() - t0) / 1000);
  }
  if (sink === -1) process.stdout.write('');
  return speeds.sort((a, b) => a - b)[ROUNDS >> 1]!;
}

type Prng = () => number;
const lib = seedrandom as unknown as Record<string, (seed: string) => Prng> & ((seed: string) => Prng);
const SEED = '1:fill.shortlist:2026';
/** Each generator is timed in a process of its own, so that no generator's loop is compiled with another's type feedback. */
const CASES: Record<string, [string, string, () => (i: number) => number]> = {
  arc4: ['seedrandom (ARC4, the default)', 'sequential', () => { const g = lib(SEED); return () => g(); }],
  ...Object.fromEntries(['alea', 'xor128', 'xorwow', 'xorshift7', 'xor4096', 'tychei'].map((n) => [n, [`seedrandom.${n}`, 'sequential', () => { const g = lib[n]!(SEED); return () => g(); }]])),
  stream: ['Stream.next (the model: Alea written out, the sequence of seedrandom.alea)', 'sequential', () => { const st = new Stream(1, 'fill.shortlist', 2026); return () => st.next(); }],
  streamInt: ['Stream.int(1000) (a pool member)', 'sequential', () => { const st = new Stream(1, 'fill.shortlist', 2026); return () => st.int(1000); }],
  uniform: ['uniform(stream, cadre, k) (counter-based, per-cadre phases)', 'counter-based', () => { const k = streamKey(1, 'apply.look', 2026); return (i) => uniform(k, i, 1); }],
  normal: ['normal(stream, cadre, k) (counter-based, utility noise)', 'counter-based', () => { const k = streamKey(1, 'apply.look', 2026); return (i) => normal(k, i, 1); }],
};

if (process.argv[2] === '--one') {
  process.stdout.write(String(time(CASES[process.argv[3]!]![2]())));
  process.exit(0);
}
const rows: [string, number, string][] = [];
for (const [id, [name, kind]] of Object.entries(CASES)) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', id], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  rows.push([name, Number(r.stdout), kind]);
}

let out = `### ${new Date().toISOString().slice(0, 10)} — random generators (${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version})\n\n`;
out += `Million draws per second, one thread, median of ${ROUNDS} rounds of ${N / 1e6}·10^6 draws.\n\n`;
out += '| generator | M draws/s | kind |\n|---|---|---|\n';
for (const [name, v, kind] of rows) out += `| ${name} | ${v.toFixed(0)} | ${kind} |\n`;
process.stdout.write(out + '\n');
