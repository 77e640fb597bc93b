/**
 * `node dist/bench/pair.js OLD_DIST NEW_DIST [scale] [years] [burnIn]`: two
 * builds of the model run side by side in one process on the gansu preset,
 * one year of each in turn, so that both see the same load of a shared
 * machine. Prints, for the timed years, the median CPU time of a year of each
 * (user + system), the median of the per-year ratios new/old, the means
 * (fairer where some years do more work: the store is reordered every few
 * years), and the medians of each phase (wall time of the phase clocks).
 */
import path from 'node:path';

const [oldDist, newDist] = [process.argv[2]!, process.argv[3]!];
const scale = Number(process.argv[4] ?? 0.8);
const years = Number(process.argv[5] ?? 12);
const burnIn = Number(process.argv[6] ?? 6);

interface Build { stepper: { step(): unknown; clock: Float64Array }; phases: readonly string[]; cadres: () => number }
async function load(dist: string): Promise<Build> {
  const { parseScenario } = await import(path.resolve(dist, 'src/scenario/load.js'));
  const { PHASES, YearStepper } = await import(path.resolve(dist, 'src/model/simulate.js'));
  const { buildWorld } = await import(path.resolve(dist, 'src/world/world.js'));
  const s = parseScenario({ name: 'bench', seed: 1, burnIn, years, world: { preset: 'gansu', scale } });
  const world = buildWorld(s.world);
  const stepper = new YearStepper(s, 1, world, {});
  return { stepper, phases: PHASES, cadres: () => stepper.sim.store.count };
}

const builds = [await load(oldDist), await load(newDist)];
const cpu: number[][] = [[], []];
const phase: number[][][] = [[], []];
const med = (a: number[]) => { const b = a.slice().sort((x, y) => x - y); return b.length % 2 ? b[b.length >> 1]! : (b[b.length / 2 - 1]! + b[b.length / 2]!) / 2; };
for (let y = 0; y < burnIn + years; y++) {
  // Alternate which build goes first, so that neither always follows the other's year.
  const order = y % 2 ? [1, 0] : [0, 1];
  for (const i of order) {
    const b = builds[i]!;
    const c0 = b.stepper.clock.slice();
    const u0 = process.cpuUsage();
    b.stepper.step();
    const u1 = process.cpuUsage();
    if (y >= burnIn) {
      cpu[i]!.push((u1.user - u0.user + u1.system - u0.system) / 1000);
      phase[i]!.push(Array.from(b.stepper.clock, (v, j) => v - c0[j]!));
    }
  }
}
const ratios = cpu[0]!.map((o, i) => cpu[1]![i]! / o);
const n = builds[1]!.cadres();
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
console.log(`gansu:${scale}, ${n} cadres, ${years} paired years after ${burnIn}: CPU ms per year old ${med(cpu[0]!).toFixed(1)}, new ${med(cpu[1]!).toFixed(1)}; median ratio new/old ${med(ratios).toFixed(3)}; new ${(n / med(cpu[1]!) / 1000).toFixed(2)} M cadre-years/s`);
// Means over the paired years: the fair comparison where some years do more than others (the store is reordered every few years).
console.log(`means: old ${mean(cpu[0]!).toFixed(1)}, new ${mean(cpu[1]!).toFixed(1)} ms a year; ratio ${(mean(cpu[1]!) / mean(cpu[0]!)).toFixed(3)}`);
console.log(builds[0]!.phases.map((p, j) => `${p} ${med(phase[0]!.map((x) => x[j]!)).toFixed(1)}→${med(phase[1]!.map((x) => x[j]!)).toFixed(1)}`).join(', '));
