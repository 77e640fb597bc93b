/**
 * `node dist/bench/floor.js`: what a cadre-year of the model must cost at
 * least on this machine, from two measurements:
 *  - the random draws the model makes per cadre-year, counted in a steady year
 *    of the gansu preset (scale 0.8, about 10^5 cadres) by running an
 *    instrumented copy of the build (dist/src copied to a temporary folder, with
 *    counters added to what every draw calls: hashAt, the last round of each
 *    counter-based draw (uniform, uniformAt, normal…); hash2, each draw base
 *    (one per uniform(), one per drawBase() shared by a cadre's draws of a
 *    stream); Stream.next, each sequential draw (shortlists, alternatives);
 *    and the fill phase's drawFrom, for every pool member it reads as a candidate);
 *  - the latency of one dependent random read from arrays of 1 to 128 MiB
 *    (a pointer chase), and the time of one counter-based draw.
 * Each draw from a candidate pool reads a record at a random place of pools
 * that hold ~17 MB at 10^6 cadres, then the candidate's columns. The floor it
 * prints counts only the draws and one overlapped read per candidate.
 */
import os from 'node:os';
import path from 'node:path';
import { drawBase, uniformAt } from '../src/random/hash.js';
import { Stream } from '../src/random/stream.js';
import { patch, runInstrumented } from './instrument.js';

/** Draws per cadre-year in the instrumented copy (run in a child process, so this one stays uninstrumented). */
interface Counts { draws: number; bases: number; sequential: number; candidates: number; cadres: number }
function countDraws(): Counts {
  const out = runInstrumented('.floor-', (src) => {
    patch(path.join(src, 'random/hash.js'), 'function hashAt(base, c) {', 'function hashAt(base, c) {\n    globalThis.__draw = (globalThis.__draw ?? 0) + 1;');
    patch(path.join(src, 'random/hash.js'), 'export function hash2(a, b) {', 'export function hash2(a, b) {\n    globalThis.__base = (globalThis.__base ?? 0) + 1;');
    patch(path.join(src, 'random/stream.js'), '    next() {', '    next() {\n        globalThis.__next = (globalThis.__next ?? 0) + 1;');
    patch(path.join(src, 'model/phases/fill/shortlist.js'), 'st.drawFlags[nd++] = flags;', 'st.drawFlags[nd++] = flags;\n        globalThis.__cand = (globalThis.__cand ?? 0) + 1;');
  }, (url) => `
      const { parseScenario } = await import(${url('src/scenario/load.js')});
      const { YearStepper } = await import(${url('src/model/simulate.js')});
      const { buildWorld } = await import(${url('src/world/world.js')});
      const s = parseScenario({ name: 'floor', burnIn: 8, years: 3, world: { preset: 'gansu', scale: 0.8 } });
      const st = new YearStepper(s, 1, buildWorld(s.world));
      for (let i = 0; i < 8; i++) st.step();
      const names = ['__draw', '__base', '__next', '__cand'];
      const at0 = names.map((k) => globalThis[k] ?? 0);
      let cy = 0;
      for (let i = 0; i < 3; i++) { st.step(); cy += st.sim.store.count; }
      const per = names.map((k, i) => ((globalThis[k] ?? 0) - at0[i]) / cy);
      process.stdout.write(JSON.stringify({ draws: per[0], bases: per[1], sequential: per[2], candidates: per[3], cadres: Math.round(cy / 3) }));`);
  const c = JSON.parse(out) as Counts;
  // A counter that stayed at 0 means the patch no longer reaches what the model calls.
  for (const k of ['draws', 'bases', 'sequential', 'candidates'] as const) if (!(c[k] > 0)) throw new Error(`instrumented ${k} counted 0 per cadre-year: the model no longer calls what floor.ts patches`);
  return c;
}

/** Nanoseconds per dependent read from a random cyclic permutation of `mib` MiB. */
function latency(mib: number): number {
  const n = (mib << 20) >> 2;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let x = 12345;
  for (let i = n - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    const t = perm[i]!; perm[i] = perm[j]!; perm[j] = t;
  }
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) next[perm[i]!] = perm[(i + 1) % n]!;
  let p = 0;
  const steps = 10_000_000;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) p = next[p]!;
  const ns = ((performance.now() - t0) / steps) * 1e6;
  return p < 0 ? NaN : ns;
}

/** Nanoseconds per independent random read from `mib` MiB (the addresses known in advance, so the processor overlaps the misses). */
function independentRead(mib: number): number {
  const n = (mib << 20) >> 2;
  const data = new Int32Array(n).fill(1);
  const steps = 10_000_000;
  const idx = new Int32Array(steps);
  let x = 12345;
  for (let i = 0; i < steps; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; idx[i] = x % n; }
  let s = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) s += data[idx[i]!]!;
  const ns = ((performance.now() - t0) / steps) * 1e6;
  return s < 0 ? NaN : ns;
}

// Nanoseconds per draw, each in a loop of its own (one shared timing loop calling closures would
// measure an indirect call instead of the inlined draw the model makes).
const N_TIMED = 20_000_000;
function drawNs(): number {
  let s = 0;
  for (let i = 0; i < 1_000_000; i++) s += uniformAt(0x9e3779b9, i);
  const t0 = performance.now();
  for (let i = 0; i < N_TIMED; i++) s += uniformAt(0x9e3779b9, i);
  return s < 0 ? NaN : ((performance.now() - t0) / N_TIMED) * 1e6;
}
function baseNs(): number {
  let s = 0;
  for (let i = 0; i < 1_000_000; i++) s += drawBase(7, i);
  const t0 = performance.now();
  for (let i = 0; i < N_TIMED; i++) s += drawBase(7, i);
  return s < 0 ? NaN : ((performance.now() - t0) / N_TIMED) * 1e6;
}
function nextNs(): number {
  const stream = new Stream(1, 'floor', 2026);
  let s = 0;
  for (let i = 0; i < 1_000_000; i++) s += stream.next();
  const t0 = performance.now();
  for (let i = 0; i < N_TIMED; i++) s += stream.next();
  return s < 0 ? NaN : ((performance.now() - t0) / N_TIMED) * 1e6;
}

const d = countDraws();
const lat = [1, 8, 32, 128].map((m) => [m, latency(m)] as const);
// A draw from a base (hashAt) and a base (hash2): uniform() is one of each.
const tDraw = drawNs();
const tBase = baseNs();
const tNext = nextNs();
const overlapped = independentRead(32);
const floorNs = d.draws * tDraw + d.bases * tBase + d.sequential * tNext + d.candidates * overlapped;
let out = `### ${new Date().toISOString().slice(0, 10)} — the floor of a cadre-year (${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version})\n\n`;
out += '| measure | value |\n|---|---|\n';
out += `| counter-based draws (hashAt) per cadre-year, steady year, gansu:0.8 (${d.cadres} cadres) | ${d.draws.toFixed(2)} |\n`;
out += `| draw bases (hash2) per cadre-year | ${d.bases.toFixed(2)} |\n`;
out += `| sequential draws (Stream.next) per cadre-year | ${d.sequential.toFixed(2)} |\n`;
out += `| candidates read from the pools (fill phase, drawFrom) per cadre-year | ${d.candidates.toFixed(2)} |\n`;
out += `| one draw from a base / one base / one sequential draw | ${tDraw.toFixed(1)} / ${tBase.toFixed(1)} / ${tNext.toFixed(1)} ns |\n`;
out += `| one dependent random read from 1 / 8 / 32 / 128 MiB | ${lat.map(([, ns]) => ns.toFixed(0)).join(' / ')} ns |\n`;
out += `| one random read from 32 MiB whose address is known in advance (misses overlapped) | ${overlapped.toFixed(1)} ns |\n`;
out += `| floor of a cadre-year: its draws (counter-based, bases, sequential), and one overlapped read per candidate read from a pool (nothing else: no utility, no columns of the candidate) | ${floorNs.toFixed(0)} ns = at most ${(1000 / floorNs).toFixed(1)} M cadre-years/s |\n`;
process.stdout.write(out + '\n');
