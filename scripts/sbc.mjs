#!/usr/bin/env node
/**
 * Simulation-based calibration (Talts et al. 2018, arXiv:1804.06788) of the
 * ABC-SMC calibration at a small scale: for each truth, a parameter vector
 * drawn from the prior, summaries simulated at it, an ABC-SMC calibration to
 * those summaries, and where the truth falls in the posterior
 * (src/analysis/sbc.ts; docs/VALIDATION.md, "Simulation-based calibration").
 *
 *   npm run build && node scripts/sbc.mjs [--truths 30] [--seed 1] [--threads 1] [--out results/sbc] [--force]
 *
 * Writes OUT/sbc.csv (one row per truth and parameter), OUT/coverage.csv (per
 * parameter and over all) and OUT/run.json (settings, run time), and prints
 * the coverage. sbc.csv and coverage.csv are a function of the settings and
 * the seed (the same bytes on any number of threads).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'src', 'analysis', 'sbc.js');
if (!existsSync(dist)) {
  console.error(`scripts/sbc.mjs: ${path.relative(root, dist)} is missing: run npm run build`);
  process.exit(2);
}
const { runSbc, writeSbc, cadreflowSimulator } = await import(dist);

/**
 * A tiny Gansu (world.scale 0.03, about 4 400 cadres), 10 years of burn-in and
 * four reported years; three behavioural and policy parameters and three
 * targets, each averaged over the four years, that respond to them
 * (exchange_coverage mostly to regionBias; moves_per_100 to tenureEnforcement
 * and applyRate; reverse_share to both, in other proportions). Each
 * tolerance is the replicate sd of the target's per-run value, pooled over
 * eight points of the prior box (6 replicates each), so that each target
 * counts by its noise. One replicate per evaluation and per observation.
 */
const SETTINGS = {
  base: 'scenarios/gansu-2008.json',
  sets: ['world.scale=0.03', 'burnIn=10', 'years=4'],
  parameters: [
    { name: 'behavior.regionBias', min: 0, max: 5 },
    { name: 'behavior.applyRate', min: 0.05, max: 0.6 },
    { name: 'policy.tenureEnforcement', min: 0, max: 1 },
  ],
  targets: [
    { metric: 'exchange_coverage', window: [2006, 2009], tolerance: 0.022 },
    { metric: 'moves_per_100', window: [2006, 2009], tolerance: 0.22 },
    { metric: 'reverse_share', window: [2006, 2009], tolerance: 0.01 },
  ],
  replicates: 1,
  abc: { particles: 100, alpha: 0.5, minAcceptance: 0.05, generations: 8 },
};

const { values } = parseArgs({
  options: {
    truths: { type: 'string', default: '30' },
    seed: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    out: { type: 'string', default: path.join('results', 'sbc') },
    force: { type: 'boolean', default: false },
  },
});
const truths = Number(values.truths);
const seed = Number(values.seed);
const threads = Number(values.threads);
for (const [name, v, min] of [['--truths', truths, 1], ['--seed', seed, 0], ['--threads', threads, 1]]) {
  if (!Number.isInteger(v) || v < min) {
    console.error(`command line: ${name}: ${v}: a whole number ≥ ${min}`);
    process.exit(2);
  }
}
const out = path.resolve(values.out);
if (existsSync(out) && readdirSync(out).length && !values.force) {
  console.error(`command line: ${values.out} exists; use --force or --out`);
  process.exit(2);
}

const base = JSON.parse(readFileSync(path.join(root, SETTINGS.base), 'utf8'));
const simulator = cadreflowSimulator({ base, sets: SETTINGS.sets, parameters: SETTINGS.parameters, targets: SETTINGS.targets, replicates: SETTINGS.replicates, threads });
const started = new Date();
const t0 = performance.now();
let records;
try {
  records = await runSbc({
    parameters: SETTINGS.parameters,
    abc: SETTINGS.abc,
    truths,
    seed,
    simulator,
    onTruth: (r) => {
      const s = ((performance.now() - t0) / 1000).toFixed(0);
      const inside = r.parameters.map((p) => (p.inside ? 'in' : 'OUT')).join(' ');
      console.error(`truth ${r.index + 1}/${truths}: ${r.generations} generations, ${r.evaluations} evaluations, epsilon ${r.history.map((g) => g.epsilon.toPrecision(3)).join(' → ')}, acceptance ${r.history.slice(1).map((g) => g.acceptance.toFixed(2)).join(' ')}; ${inside}; ${s} s`);
    },
  });
} finally {
  await simulator.close();
}
const seconds = (performance.now() - t0) / 1000;
const rows = writeSbc(out, SETTINGS.parameters, records);
writeFileSync(
  path.join(out, 'run.json'),
  JSON.stringify({ method: 'simulation-based calibration (Talts et al. 2018) of ABC-SMC (src/analysis/sbc.ts)', settings: SETTINGS, truths, seed, threads, runs: simulator.runs(), started: started.toISOString(), seconds: Math.round(seconds) }, null, 2) + '\n',
);

const pct = (x) => `${(100 * x).toFixed(1)}%`;
console.log(`${truths} truths, ${simulator.runs()} runs, ${(seconds / 60).toFixed(1)} min on ${threads} thread${threads > 1 ? 's' : ''}; files in ${path.relative(process.cwd(), out) || '.'}`);
console.log('parameter                   inside   90% coverage [95% CI]     mean rank  rank bins');
for (const r of rows) {
  console.log(`${r.parameter.padEnd(27)} ${`${r.inside}/${r.n}`.padEnd(8)} ${pct(r.coverage).padEnd(6)} [${pct(r.low)}, ${pct(r.high)}]`.padEnd(62) + `${r.meanRank.toFixed(3)}      ${r.rankBins.join(' ')}`);
}
