/**
 * `node dist/bench/observe.js`: career records at scale (docs/SPELLS.md).
 *
 * 1. What `--spells` adds to a run: the same run (gansu preset, BENCH_OBSERVE_SCALE, default 1.2,
 *    about 155 000 cadres; 45 years of burn-in and 10 reported) with and without its records
 *    written to a file (as a worker writes them), alternated twice: without, with, with, without.
 * 2. `observe` on those records (about a million spells at scale 1.2), each time in a fresh
 *    process on one core: the median of three, rows per second and the process's peak memory.
 *
 * Prints Markdown to paste into bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { parseScenario } from '../src/scenario/load.js';
import { simulate } from '../src/model/simulate.js';
import { buildWorld } from '../src/world/world.js';
import { observe } from '../src/spells/observe.js';
import { SPELL_HEADER } from '../src/spells/format.js';

const scale = Number(process.env.BENCH_OBSERVE_SCALE ?? 1.2);
const raw = { name: 'bench-observe', seed: 1, startYear: 2026, burnIn: 45, years: 10, world: { preset: 'gansu' as const, scale } };

if (process.argv[2] === '--one') {
  // One observe in this process: seconds, and the peak resident set size.
  const s = parseScenario(raw);
  const world = buildWorld(s.world);
  const t0 = performance.now();
  const res = observe(process.argv[3]!, s, world);
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ secs, rows: res.rowCount, people: res.people, peakMB: process.resourceUsage().maxRSS / 1024, replicates: res.replicates.length }));
} else {
  const s = parseScenario(raw);
  const world = buildWorld(s.world);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-bench-observe-'));
  const file = path.join(dir, 'spells.csv');
  // Wall time, and the record phase (the tally, and the writer when on; the writing to the file
  // included): the writer's own cost, which the noise of a shared machine blurs less than the wall time.
  const run = (spells: boolean): { wall: number; record: number } => {
    const t0 = performance.now();
    let r;
    if (!spells) {
      r = simulate(s, 1, { world });
    } else {
      const fd = openSync(file, 'w');
      writeSync(fd, SPELL_HEADER.join(',') + '\n');
      r = simulate(s, 1, { world, spells: { replicate: 0, sink: (chunk) => void writeSync(fd, chunk) } });
      closeSync(fd);
    }
    return { wall: (performance.now() - t0) / 1000, record: r.phaseSeconds.record! };
  };
  const plain: { wall: number; record: number }[] = [], withSpells: { wall: number; record: number }[] = [];
  for (let k = 0; k < 2; k++) {
    plain.push(run(false));
    withSpells.push(run(true));
    withSpells.push(run(true));
    plain.push(run(false));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const wall = (xs: { wall: number }[]) => xs.map((x) => x.wall);
  const rec = (xs: { record: number }[]) => xs.map((x) => x.record);
  const bytes = statSync(file).size;
  const self = fileURLToPath(import.meta.url);
  const times: { secs: number; rows: number; people: number; peakMB: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const r = spawnSync(process.execPath, [self, '--one', file], { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, BENCH_OBSERVE_SCALE: String(scale) } });
    if (r.status !== 0) throw new Error(r.stderr);
    times.push(JSON.parse(r.stdout));
  }
  times.sort((a, b) => a.secs - b.secs);
  const med = times[1]!;
  rmSync(dir, { recursive: true, force: true });
  const f = (x: number, d = 2) => x.toFixed(d);
  process.stdout.write(`gansu, scale ${scale}: ${world.nPosts} posts, ${s.burnIn} years of burn-in and ${s.years} reported; ${os.cpus()[0]?.model ?? ''}, Node ${process.version}\n\n`);
  process.stdout.write('| run | seconds (each) | mean | record phase (each) | mean |\n|---|---|---|---|---|\n');
  process.stdout.write(`| without --spells | ${wall(plain).map((x) => f(x)).join(', ')} | ${f(mean(wall(plain)))} | ${rec(plain).map((x) => f(x)).join(', ')} | ${f(mean(rec(plain)))} |\n`);
  process.stdout.write(`| with --spells | ${wall(withSpells).map((x) => f(x)).join(', ')} | ${f(mean(wall(withSpells)))} | ${rec(withSpells).map((x) => f(x)).join(', ')} | ${f(mean(rec(withSpells)))} |\n\n`);
  const writer = mean(rec(withSpells)) - mean(rec(plain));
  process.stdout.write(`--spells: wall time ${f(100 * (mean(wall(withSpells)) / mean(wall(plain)) - 1), 1)}% more; the writer (record phase with − without) ${f(writer)} s, ${f(100 * writer / mean(wall(plain)), 1)}% of a run without (${med.rows} spells, ${f(bytes / 1e6, 1)} MB).\n\n`);
  process.stdout.write('| observe | seconds (3 runs) | median | spells/s | peak RSS |\n|---|---|---|---|---|\n');
  process.stdout.write(`| ${med.rows} spells, ${med.people} people | ${times.map((t) => f(t.secs)).join(', ')} | ${f(med.secs)} | ${Math.round(med.rows / med.secs)} | ${Math.round(Math.max(...times.map((t) => t.peakMB)))} MB |\n`);
}
