/**
 * `node dist/bench/wasm-probe.js [scale] [reps]`: what the streaming passes
 * of a year would gain compiled to WebAssembly, measured on two of them. The
 * gansu preset (scale 8, about 10^6 cadres, by default) runs 5 years; then,
 * on the state of the next year, the age pass (phase 1) and the exit
 * decisions (phase 2: retirement, quit, dismissal; the slots not freed) run
 * in JavaScript and in the WebAssembly kernels of bench/wasm/kernels.wasm
 * (AssemblyScript source beside it: scalar, and 128-bit SIMD), on copies of
 * the same columns in the kernels' memory, `reps` times in turn (11 by
 * default). The kernels must give the same bytes: the age pass's ten columns
 * and draw bases as the engine's own age(), the exit codes and counts as the
 * JavaScript decisions, which are checked in turn against the engine's exit()
 * (the slots it frees, its counters); the probe exits 1 before timing
 * anything that differs. Prints medians and ratios for bench/RESULTS.md.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../src/scenario/load.js';
import { YearStepper } from '../src/model/simulate.js';
import { buildWorld } from '../src/world/world.js';
import { age } from '../src/model/phases/age.js';
import { exit, exitTables } from '../src/model/phases/exit.js';
import { uniformAt } from '../src/random/hash.js';
import { D_DISMISS, D_QUIT, yearKey } from '../src/model/draws.js';
import { setRules } from '../src/model/sim.js';
import { rulesAt } from '../src/model/policy-at.js';
import { updatePay } from '../src/model/wages.js';
import type { CadreStore } from '../src/model/store.js';

const scale = Number(process.argv[2] ?? 8);
const reps = Number(process.argv[3] ?? 11);
const here = path.dirname(fileURLToPath(import.meta.url));
const wasmFile = path.resolve(here, '../../bench/wasm/kernels.wasm');

type Column = Int32Array | Uint32Array | Int16Array | Uint8Array | Float32Array;
type Kernel = (...args: number[]) => void;

const s = parseScenario({ name: 'wasm-probe', burnIn: 4, years: 2, world: { preset: 'gansu', scale } });
const stepper = new YearStepper(s, 1, buildWorld(s.world));
for (let i = 0; i < 5; i++) stepper.step();
const sim = stepper.sim;
sim.year++;
const rules = rulesAt(s, sim.year);
setRules(sim, rules.policy, rules.behavior);
updatePay(sim);
const S = sim.store;
const cap = S.capacity;
const cadres = S.count;
const w = sim.world, b = sim.behavior;

// The kernels' memory: a copy of each column they read or write, 16-byte aligned, then the exit tables.
const memory = new WebAssembly.Memory({ initial: Math.ceil(((1 << 20) + cap * 64 + 16 * w.nRegions) / 65536) + 1 });
const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), { env: { memory, abort: () => { throw new Error('kernel abort'); } } });
const K = instance.exports as unknown as Record<string, Kernel> & Record<'retirements' | 'quits' | 'dismissals', WebAssembly.Global>;
// The module's static data (Math.exp's tables) lies in the first kilobytes of the memory: the columns start at 1 MiB.
let top = 1 << 20;
const at: Record<string, number> = {};
const view: Record<string, Column> = {};
function place<T extends Column>(name: string, make: (buf: ArrayBuffer, off: number, n: number) => T, n: number, src?: ArrayLike<number>): T {
  top = (top + 15) & ~15;
  const v = make(memory.buffer, top, n);
  if (src) v.set(src);
  at[name] = top;
  view[name] = v;
  top += n * v.BYTES_PER_ELEMENT;
  return v;
}
const COPIED = ['post', 'age', 'yearsInPost', 'yearsInRank', 'yearsInRegion', 'ties', 'familyPeak', 'familyBurden', 'mover', 'withheld',
  'target', 'moved', 'key', 'female', 'rank', 'region', 'satisfaction', 'perfPct'] as const satisfies readonly (keyof CadreStore)[];
for (const name of COPIED) {
  const col = S[name] as Column;
  const Ctor = col.constructor as new (buf: ArrayBuffer, off: number, n: number) => Column;
  place(name, (buf, off, n) => new Ctor(buf, off, n), cap, col);
}
if (view.region!.BYTES_PER_ELEMENT !== 2 || view.target!.BYTES_PER_ELEMENT !== 2) throw new Error('the kernels take 16-bit region columns');
place('base', (buf, off, n) => new Int32Array(buf, off, n), cap);
const codes = place('out', (buf, off, n) => new Uint8Array(buf, off, n), cap);

const same = (x: Column, y: Column): boolean => Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(y.buffer, y.byteOffset, y.byteLength)) === 0;
function fail(what: string): never {
  console.error(`wasm-probe: ${what}: the kernels no longer compute what the engine does (rebuild bench/wasm/kernels.wasm after changing kernels.ts; port any change of the passes)`);
  process.exit(1);
}

// Age: the engine's pass on the store, the kernel on the copies, once, compared.
const tieGrowth = b.tieGrowth;
let kYear = 0;
const ageWasm = (k: Kernel) => () => k(cap, at.post!, at.age!, at.yearsInPost!, at.yearsInRank!, at.yearsInRegion!, at.ties!, at.familyPeak!, at.familyBurden!,
  at.mover!, at.withheld!, at.target!, at.moved!, at.key!, at.base!, tieGrowth, kYear);
const ageColumns = ['age', 'yearsInPost', 'yearsInRank', 'yearsInRegion', 'ties', 'familyBurden', 'mover', 'withheld', 'target', 'moved'] as const;
// Both kernels on copies of the same columns before the pass: the second from a fresh copy.
const before = Object.fromEntries(ageColumns.map((n) => [n, (S[n] as Column).slice()])) as Record<(typeof ageColumns)[number], Column>;
age(sim);
kYear = yearKey(sim);
for (const kernel of ['age', 'ageSimd']) {
  for (const n of ageColumns) view[n]!.set(before[n]);
  ageWasm(K[kernel]!)();
  for (const n of ageColumns) if (!same(S[n] as Column, view[n]!)) fail(`${kernel}: column ${n}`);
  const base = view.base as Int32Array;
  for (let c = 0; c < cap; c++) if (S.post[c]! >= 0 && base[c] !== sim.base[c]) fail(`${kernel}: the draw base of slot ${c}`);
}

// Exit decisions, on the state after the age pass.
const { retire, gap, expSatisfied } = exitTables(sim);
// 16 bytes, the first 8 used: the SIMD kernel looks the ages up by a byte shuffle of one vector.
place('retire', (buf, off, n) => new Uint8Array(buf, off, n), 16, retire);
top = (top + 7) & ~7;
new Float64Array(memory.buffer, top, w.nRegions).set(gap);
at.gap = top;
top += 8 * w.nRegions;
new Float64Array(memory.buffer, top, w.nRegions).set(expSatisfied);
at.expSat = top;

/** The exit phase's decisions in JavaScript, as in exit.ts, one code a slot, without freeing the slots. */
const jsCodes = new Uint8Array(cap);
function exitDecideJs(): [number, number, number] {
  const base = sim.base;
  let nr = 0, nq = 0, nd = 0;
  for (let c = 0; c < cap; c++) {
    jsCodes[c] = 0;
    if (S.post[c]! < 0) continue;
    if (S.age[c]! >= retire[S.female[c]! * 4 + S.rank[c]!]!) { jsCodes[c] = 1; nr++; continue; }
    const young = S.age[c]! < 35 ? 2 : 1;
    const dis = -S.satisfaction[c]!;
    const g = S.region[c]!;
    const e = dis > 0 ? Math.exp(b.quitPayGap * gap[g]! + b.quitDissatisfaction * dis) : expSatisfied[g]!;
    const hq = b.quitBase * young * e;
    if (uniformAt(base[c]!, D_QUIT) < hq) { jsCodes[c] = 2; nq++; }
    else if (uniformAt(base[c]!, D_DISMISS) < b.dismissRate * S.ties[c]! * 2 * (1 - S.perfPct[c]!)) { jsCodes[c] = 3; nd++; }
  }
  return [nr, nq, nd];
}
const exitWasm = (k: Kernel) => (): [number, number, number] => {
  K.retirements!.value = K.quits!.value = K.dismissals!.value = 0;
  k(cap, at.post!, at.age!, at.female!, at.rank!, at.region!, at.satisfaction!, at.ties!, at.perfPct!, at.base!, at.out!, at.retire!, at.gap!, at.expSat!,
    b.quitBase, b.quitPayGap, b.quitDissatisfaction, b.dismissRate);
  return [K.retirements!.value as number, K.quits!.value as number, K.dismissals!.value as number];
};
const counts = exitDecideJs();
for (const kernel of ['exitDecide', 'exitDecideSimd']) {
  const got = exitWasm(K[kernel]!)();
  if (got.join() !== counts.join() || !same(codes, jsCodes)) fail(`${kernel}: exit codes`);
}

// Timing: each variant once per round, rounds in turn; the exit decisions first (they change nothing),
// then the age passes (repeated on the same year: ages and tenures climb by one a round, alike in both).
const variants: [string, () => unknown][] = [
  ['age, JavaScript (the engine)', () => age(sim)],
  ['age, WebAssembly', ageWasm(K.age!)],
  ['age, WebAssembly SIMD', ageWasm(K.ageSimd!)],
  ['exit decisions, JavaScript', exitDecideJs],
  ['exit decisions, WebAssembly', exitWasm(K.exitDecide!)],
  ['exit decisions, WebAssembly SIMD', exitWasm(K.exitDecideSimd!)],
];
const times = variants.map(() => [] as number[]);
for (const group of [[3, 4, 5], [0, 1, 2]]) {
  for (let r = 0; r < reps; r++) {
    for (const i of group) {
      const t0 = performance.now();
      variants[i]![1]();
      times[i]!.push(performance.now() - t0);
    }
  }
}

// The JavaScript decisions are the engine's: its exit() frees exactly the slots coded and counts the same.
// (Repeated age passes have moved the ages on: decide again first.)
const final = exitDecideJs();
const k = sim.counters;
k.retirements = k.quits = k.dismissals = 0;
exit(sim);
if ([k.retirements, k.quits, k.dismissals].join() !== final.join()) fail('the JavaScript decisions against exit()');
for (let c = 0; c < cap; c++) if ((jsCodes[c]! > 0) !== (S.post[c]! < 0 && view.post![c]! >= 0)) fail(`the JavaScript decisions against exit() at slot ${c}`);

const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const m = times.map(med);
console.log(`### ${new Date().toISOString().slice(0, 10)} — the age pass and the exit decisions in WebAssembly (gansu:${scale}, ${cadres.toLocaleString('en')} cadres; ${os.cpus()[0]?.model.trim()}, Node ${process.version}; median of ${reps})\n`);
console.log('| pass | ms | JavaScript / this |');
console.log('|---|---|---|');
variants.forEach(([name], i) => {
  const js = i < 3 ? m[0]! : m[3]!;
  console.log(`| ${name} | ${m[i]!.toFixed(2)} | ${(js / m[i]!).toFixed(2)} |`);
});
console.log('\nSame bytes: the age pass\'s columns and draw bases, the exit codes and counts (checked before timing).');
