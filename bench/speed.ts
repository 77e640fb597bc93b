/**
 * `npm run bench`: speed of the whole model (every phase, all metrics) on one
 * thread at about 10^4, 10^5 and 10^6 cadres, and peak memory per cadre.
 * Each size runs in its own process (clean memory figures); the yearly time is
 * the median of the timed years after a burn-in. Prints a Markdown table to
 * paste into bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseScenario } from '../src/scenario/load.js';
import { PHASES, simulate } from '../src/model/simulate.js';
import { buildWorld } from '../src/world/world.js';
import { kernel } from './kernel.js';

interface Measure { preset: string; scale: number; cadres: number; posts: number; msPerYear: number; cyps: number; bytesPerCadre: number; arrayBytesPerCadre: number; phases: Record<string, number> }

function measureOne(preset: string, scale: number, burnIn: number | undefined, years: number | undefined): Measure {
  const rss0 = process.memoryUsage().rss;
  const world = buildWorld(parseScenario({ name: 'bench', world: { preset: preset as 'gansu', scale } }).world);
  // Small worlds run more years, so that the timed years come after the JIT has settled
  // (a year of 10^4 cadres takes about 10 ms) and the median is taken over more of them.
  const small = world.nPosts < 300_000;
  burnIn ??= small ? 30 : 8;
  years ??= small ? 15 : 7;
  const s = parseScenario({ name: 'bench', seed: 1, burnIn, years, world: { preset: preset as 'gansu', scale } });
  const stamps: number[] = [performance.now()];
  let arrayBytes = 0;
  const clock = new Float64Array(PHASES.length);
  const clocks: Float64Array[] = [];
  const r = simulate(s, 1, {
    world,
    phaseClock: clock,
    onYear: () => {
      stamps.push(performance.now());
      clocks.push(clock.slice());
      // Typed arrays of the world, the store, posts, indexes and working state (what the run itself holds), at their largest.
      arrayBytes = Math.max(arrayBytes, process.memoryUsage().arrayBuffers);
    },
  });
  const per = stamps.slice(2).map((t, i) => t - stamps[i + 1]!).sort((a, b) => a - b);
  const ms = per[Math.floor(per.length / 2)]!;
  const peak = process.resourceUsage().maxRSS * 1024;
  // Phases: mean over the timed years after the first reported one (the same years as the median).
  const c0 = clocks[0]!, c1 = clocks[clocks.length - 1]!;
  const phases = Object.fromEntries(PHASES.map((p, i) => [p, (c1[i]! - c0[i]!) / Math.max(1, clocks.length - 1)]));
  return { preset, scale, cadres: r.cadres, posts: world.nPosts, msPerYear: ms, cyps: r.cadres / (ms / 1000), bytesPerCadre: (peak - rss0) / r.cadres, arrayBytesPerCadre: arrayBytes / r.cadres, phases };
}

const child = process.argv[2] === '--one';
if (child) {
  const opt = (x: string | undefined) => (x === undefined || x === '-' ? undefined : Number(x));
  const m = measureOne(process.argv[6] ?? 'gansu', Number(process.argv[3]), opt(process.argv[4]), opt(process.argv[5]));
  process.stdout.write(JSON.stringify(m));
} else {
  // Sizes as preset:scale; BENCH_SIZES="national:1.55" is the national preset at about 7 million cadres.
  // Burn-in and timed years: BENCH_BURNIN and BENCH_YEARS, by default 8 and 7 (30 and 15 below 300 000 posts).
  const sizes = (process.env.BENCH_SIZES ?? 'gansu:0.08,gansu:0.8,gansu:8').split(',').map((x) => x.split(':') as [string, string]);
  const burn = process.env.BENCH_BURNIN ?? '-', timed = process.env.BENCH_YEARS ?? '-';
  const rows: Measure[] = [];
  for (const [preset, scaleText] of sizes) {
    const scale = Number(scaleText);
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--one', String(scale), burn, timed, preset], { encoding: 'utf8' });
    if (r.status !== 0) { process.stderr.write(r.stderr); process.exit(1); }
    const m = JSON.parse(r.stdout) as Measure;
    rows.push(m);
    process.stderr.write(`scale ${scale}: ${m.cadres} cadres, ${m.msPerYear.toFixed(1)} ms/year, ${(m.cyps / 1e6).toFixed(2)} M cadre-years/s\n`);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  let out = `### ${new Date().toISOString().slice(0, 10)} — ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n\n`;
  const k = kernel(1_000_000, 9);
  out += `Reference kernel (bench/kernel.ts, 10^6 cadres): ${(k.cadreYearsPerSec / 1e6).toFixed(1)} M cadre-years/s.\n\n`;
  out += '| preset:scale | posts | cadres | ms per year (median) | M cadre-years/s | share of kernel | peak RSS bytes per cadre | typed-array bytes per cadre | ms/year by phase (mean of the timed years) |\n|---|---|---|---|---|---|---|---|---|\n';
  for (const m of rows) {
    const ph = Object.entries(m.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    out += `| ${m.preset}:${m.scale} | ${m.posts} | ${m.cadres} | ${m.msPerYear.toFixed(1)} | ${(m.cyps / 1e6).toFixed(2)} | ${((100 * m.cyps) / k.cadreYearsPerSec).toFixed(1)}% | ${m.bytesPerCadre.toFixed(0)} | ${m.arrayBytesPerCadre.toFixed(0)} | ${ph} |\n`;
  }
  process.stdout.write(out + '\n');
}
