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
import { simulate } from '../src/model/simulate.js';
import { buildWorld } from '../src/world/world.js';

interface Measure { scale: number; cadres: number; posts: number; msPerYear: number; cyps: number; bytesPerCadre: number; phases: Record<string, number> }

function measureOne(scale: number, burnIn: number, years: number): Measure {
  const rss0 = process.memoryUsage().rss;
  const s = parseScenario({ name: 'bench', seed: 1, burnIn, years, world: { preset: 'gansu', scale } });
  const world = buildWorld(s.world);
  const stamps: number[] = [performance.now()];
  const r = simulate(s, 1, { world, onYear: () => stamps.push(performance.now()) });
  const per = stamps.slice(2).map((t, i) => t - stamps[i + 1]!).sort((a, b) => a - b);
  const ms = per[Math.floor(per.length / 2)]!;
  const peak = process.resourceUsage().maxRSS * 1024;
  const total = burnIn + years;
  const phases = Object.fromEntries(Object.entries(r.phaseSeconds).map(([k, v]) => [k, (v * 1000) / total]));
  return { scale, cadres: r.cadres, posts: world.nPosts, msPerYear: ms, cyps: r.cadres / (ms / 1000), bytesPerCadre: (peak - rss0) / r.cadres, phases };
}

const child = process.argv[2] === '--one';
if (child) {
  const m = measureOne(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
  process.stdout.write(JSON.stringify(m));
} else {
  const sizes = (process.env.BENCH_SCALES ?? '0.08,0.8,8').split(',').map(Number);
  const rows: Measure[] = [];
  for (const scale of sizes) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--one', String(scale), '8', '7'], { encoding: 'utf8' });
    if (r.status !== 0) { process.stderr.write(r.stderr); process.exit(1); }
    const m = JSON.parse(r.stdout) as Measure;
    rows.push(m);
    process.stderr.write(`scale ${scale}: ${m.cadres} cadres, ${m.msPerYear.toFixed(1)} ms/year, ${(m.cyps / 1e6).toFixed(2)} M cadre-years/s\n`);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  let out = `### ${new Date().toISOString().slice(0, 10)} — ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n\n`;
  out += '| gansu scale | posts | cadres | ms per year (median) | M cadre-years/s | peak RSS bytes per cadre | ms/year by phase (mean incl. burn-in) |\n|---|---|---|---|---|---|---|\n';
  for (const m of rows) {
    const ph = Object.entries(m.phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
    out += `| ${m.scale} | ${m.posts} | ${m.cadres} | ${m.msPerYear.toFixed(1)} | ${(m.cyps / 1e6).toFixed(2)} | ${m.bytesPerCadre.toFixed(0)} | ${ph} |\n`;
  }
  process.stdout.write(out + '\n');
}
