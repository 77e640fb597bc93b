/** One run for profiling (`node --cpu-prof dist/bench/profile-run.js [scale] [years] [burnIn] [preset]`). */
import { parseScenario } from '../src/scenario/load.js';
import { PHASES, simulate } from '../src/model/simulate.js';
import { buildWorld } from '../src/world/world.js';

const scale = Number(process.argv[2] ?? 4);
const years = Number(process.argv[3] ?? 5);
const burnIn = Number(process.argv[4] ?? 0);
const preset = (process.argv[5] ?? 'gansu') as 'gansu';
const s = parseScenario({ name: 'profile', burnIn, years, world: { preset, scale } });
const t0 = performance.now();
const world = buildWorld(s.world);
const t1 = performance.now();
const stamps: number[] = [];
const clock = new Float64Array(PHASES.length);
const clocks: Float64Array[] = [];
const r = simulate(s, 1, { world, phaseClock: clock, onYear: () => { stamps.push(performance.now()); clocks.push(clock.slice()); } });
if (stamps.length > 1) {
  // Steady years: from the first reported year's end to the last's (the first year after a burn-in of 0 is not steady).
  const per = (stamps[stamps.length - 1]! - stamps[0]!) / (stamps.length - 1);
  const first = clocks[0]!, last = clocks[clocks.length - 1]!;
  const phases = PHASES.map((p, i) => `${p} ${((last[i]! - first[i]!) / (clocks.length - 1)).toFixed(0)}`).join(', ');
  console.log(`steady years: ${per.toFixed(0)} ms/yr, ${((r.cadres / per) * 1000 / 1e6).toFixed(2)} M cadre-years/s; ms/yr: ${phases}`);
}
const t2 = performance.now();
const secs = (t2 - t1) / 1000;
console.log(`posts ${world.nPosts}, cadres ${r.cadres}; world ${((t1 - t0) / 1000).toFixed(2)} s; run ${secs.toFixed(2)} s; ${((r.cadres * years) / secs / 1e6).toFixed(2)} M cadre-years/s`);
console.log(Object.entries(r.phaseSeconds).map(([k, v]) => `${k} ${(v / (years + burnIn) * 1000).toFixed(0)} ms/yr`).join(', ') + ' (mean incl. burn-in)');
