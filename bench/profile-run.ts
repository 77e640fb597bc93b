/** One run for profiling (`node --cpu-prof dist/bench/profile-run.js [scale] [years]`). */
import { parseScenario } from '../src/scenario/load.js';
import { simulate } from '../src/model/simulate.js';
import { buildWorld } from '../src/world/world.js';

const scale = Number(process.argv[2] ?? 4);
const years = Number(process.argv[3] ?? 5);
const burnIn = Number(process.argv[4] ?? 0);
const s = parseScenario({ name: 'profile', burnIn, years, world: { preset: 'gansu', scale } });
const t0 = performance.now();
const world = buildWorld(s.world);
const t1 = performance.now();
const stamps: number[] = [];
const r = simulate(s, 1, { world, onYear: () => stamps.push(performance.now()) });
if (stamps.length > 1) {
  const per = (stamps[stamps.length - 1]! - stamps[0]!) / (stamps.length - 1);
  console.log(`steady years: ${per.toFixed(0)} ms/yr, ${((r.cadres / per) * 1000 / 1e6).toFixed(2)} M cadre-years/s`);
}
const t2 = performance.now();
const secs = (t2 - t1) / 1000;
console.log(`posts ${world.nPosts}, cadres ${r.cadres}; world ${((t1 - t0) / 1000).toFixed(2)} s; run ${secs.toFixed(2)} s; ${((r.cadres * years) / secs / 1e6).toFixed(2)} M cadre-years/s`);
console.log(Object.entries(r.phaseSeconds).map(([k, v]) => `${k} ${(v / years * 1000).toFixed(0)} ms/yr`).join(', '));
