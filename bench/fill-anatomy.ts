/**
 * `node dist/bench/fill-anatomy.js [scale] [years] [burnIn]`: where a year of the
 * fill phase (phase 6, directive matching) goes, on the gansu preset (scale 8,
 * about 10^6 cadres, by default; 2 timed years after 4 of burn-in). An
 * instrumented copy of the build (bench/instrument.ts) times the pool build,
 * the queues of open posts, each rank's matching (its shortlists apart at
 * ranks ≥ 1, its recruits at rank 0) and the rotation,
 * and counts the open posts, draws, admitted candidates, refusal draws,
 * utilities computed, recruits and the rotation's work. The timers cost a
 * little (a few per cent of the phase); the counts are exact. Prints a
 * Markdown table for bench/RESULTS.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { patch, runInstrumented } from './instrument.js';

const scale = Number(process.argv[2] ?? 8);
const years = Number(process.argv[3] ?? 2);
const burnIn = Number(process.argv[4] ?? 4);

// Slots of the counters (one Float64Array shared by the patched files).
const T_BUILD = 0, T_RANK = 1, T_ROT = 5, T_SHORT = 6, N_POSTS = 10, N_DRAWS = 14, N_DRAWN = 18, N_ADMIT = 22;
const N_REFUSE = 26, N_UTIL = 27, ROT_WALK = 28, ROT_MAND = 29, ROT_TRY = 30, ROT_SWAP = 31, N_RECRUIT = 32, T_RECRUIT = 33, T_START = 34;
const DECL = 'const __C = (globalThis.__fa ??= new Float64Array(40));\n';

const out = runInstrumented('.fill-anatomy-', (src) => {
  const f = (p: string) => path.join(src, p);
  const fill = f('model/phases/fill.js'), short = f('model/phases/fill/shortlist.js'), dir = f('model/phases/fill/directive.js');
  const rot = f('model/phases/fill/rotation.js'), pop = f('model/population.js'), chains = f('model/phases/fill/chains.js');
  // The counters first in each file (ahead of its imports, which ES modules hoist anyway).
  for (const file of [fill, short, dir, rot, pop, chains]) writeFileSync(file, DECL + readFileSync(file, 'utf8'));
  patch(fill, 'buildPools(sim, st);', `{ const t0 = performance.now(); buildPools(sim, st); __C[${T_BUILD}] += performance.now() - t0; }`);
  patch(fill, 'fillDirective(ctx, r);', `{ const t0 = performance.now(); fillDirective(ctx, r); __C[${T_RANK} + r] += performance.now() - t0; }`);
  patch(fill, 'startChains(sim, st);', `{ const t0 = performance.now(); startChains(sim, st); __C[${T_START}] += performance.now() - t0; }`);
  patch(chains, '    recruit(sim, q);\n', `    { const t0 = performance.now(); recruit(sim, q); __C[${T_RECRUIT}] += performance.now() - t0; }\n`);
  patch(fill, 'rotate(ctx, r);', `{ const t0 = performance.now(); rotate(ctx, r); __C[${T_ROT}] += performance.now() - t0; }`);
  patch(short, '    if (nd === 0)\n', `    { const r = ctx.sim.world.postRank[q]; __C[${N_POSTS} + r]++; __C[${N_DRAWS} + r] += nd; if (nd > 0) __C[${N_DRAWN} + r]++; }\n    if (nd === 0)\n`);
  patch(short, '    return n;\n}\n', `    __C[${N_ADMIT} + ctx.sim.world.postRank[q]] += n;\n    return n;\n}\n`);
  patch(dir, 'const u = uniformAt(', `__C[${N_REFUSE}]++;\n    const u = uniformAt(`);
  patch(dir, 'const cu = ctx.cu;', `__C[${N_UTIL}]++;\n    const cu = ctx.cu;`);
  patch(dir, 'const n = shortlist(ctx, q, r, st.openRegion, st.openSystem);',
    `const t0 = r > 0 ? performance.now() : 0; const n = shortlist(ctx, q, r, st.openRegion, st.openSystem); if (r > 0) __C[${T_SHORT} + r] += performance.now() - t0;`);
  patch(rot, 'for (let i = 0; i < pool.count(key); i++) {', `for (let i = 0; i < pool.count(key); i++) { __C[${ROT_WALK}]++;`);
  patch(rot, 'for (let t = 0; t < k && partner < 0; t++) {', `__C[${ROT_MAND}]++; for (let t = 0; t < k && partner < 0; t++) { __C[${ROT_TRY}]++;`);
  patch(rot, 'if (partner >= 0)', `if (partner >= 0) __C[${ROT_SWAP}]++; if (partner >= 0)`);
  patch(pop, 'sim.counters.recruits++;', `sim.counters.recruits++; __C[${N_RECRUIT}]++;`);
}, (url) => `
  const { parseScenario } = await import(${url('src/scenario/load.js')});
  const { PHASES, YearStepper } = await import(${url('src/model/simulate.js')});
  const { buildWorld } = await import(${url('src/world/world.js')});
  const s = parseScenario({ name: 'anatomy', seed: 1, burnIn: ${burnIn}, years: ${years}, world: { preset: 'gansu', scale: ${scale} } });
  const st = new YearStepper(s, 1, buildWorld(s.world));
  for (let i = 0; i < ${burnIn}; i++) st.step();
  const C = globalThis.__fa;
  C.fill(0);
  const fi = PHASES.indexOf('fill');
  const fill0 = st.clock[fi];
  let cadres = 0;
  for (let i = 0; i < ${years}; i++) { st.step(); cadres += st.sim.store.count; }
  process.stdout.write(JSON.stringify({ c: Array.from(C, (x) => x / ${years}), fill: (st.clock[fi] - fill0) / ${years}, cadres: cadres / ${years} }));`);

const { c, fill, cadres } = JSON.parse(out) as { c: number[]; fill: number; cadres: number };
if (!(c[N_POSTS]! > 0 && c[N_DRAWS + 1]! > 0)) throw new Error('the instrumented copy counted no shortlists: the model no longer calls what fill-anatomy.ts patches');
const k = (x: number) => Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
const ms = (x: number) => x.toFixed(1);
let md = `### ${new Date().toISOString().slice(0, 10)} — anatomy of the fill phase (gansu:${scale}, ${k(cadres)} cadres; means of ${years} years after ${burnIn}; ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version})\n\n`;
md += `The fill phase takes ${ms(fill)} ms a year (phase clock of the instrumented copy).\n\n`;
md += '| part | ms a year | open posts | shortlists that drew anyone | draws | admitted | µs an open post | ns a draw (all in) |\n|---|---|---|---|---|---|---|---|\n';
md += `| pool build | ${ms(c[T_BUILD]!)} | | | | | | |\n`;
md += `| queues of the posts vacant at the start | ${ms(c[T_START]!)} | | | | | | |\n`;
for (let r = 3; r >= 0; r--) {
  const t = c[T_RANK + r]!, posts = c[N_POSTS + r]!, draws = c[N_DRAWS + r]!;
  md += `| rank ${r}${r > 0 ? ` (its shortlists ${ms(c[T_SHORT + r]!)})` : ` (its recruits ${ms(c[T_RECRUIT]!)})`} | ${ms(t)} | ${k(posts)} | ${k(c[N_DRAWN + r]!)} | ${k(draws)} | ${k(c[N_ADMIT + r]!)} | ${posts ? ((1000 * t) / posts).toFixed(2) : '—'} | ${draws ? ((1e6 * t) / draws).toFixed(0) : '—'} |\n`;
}
md += `| rotation | ${ms(c[T_ROT]!)} | | | | | | |\n\n`;
md += `Refusal draws ${k(c[N_REFUSE]!)}, of which ${k(c[N_UTIL]!)} needed the candidate's utilities; recruits ${k(c[N_RECRUIT]!)} (made at rank 0); rotation: ${k(c[ROT_WALK]!)} mover records walked, ${k(c[ROT_MAND]!)} mandatory movers still without a post, ${k(c[ROT_TRY]!)} partner tries, ${k(c[ROT_SWAP]!)} swaps.\n`;
process.stdout.write(md + '\n');
