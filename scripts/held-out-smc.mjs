#!/usr/bin/env node
// A held-out check of an ABC-SMC calibration by ABC-SMC itself (docs/VALIDATION.md §7):
// the calibration run again without one target, and what its posterior predicts for
// the target left out, beside what the full posterior predicts.
//
//   node scripts/held-out-smc.mjs CALIBRATION.json METRIC OUT_DIR
//        [--generations G] [--draws D] [--threads T] [--full POSTERIOR.csv]
//
// 1. OUT_DIR/calibration.json: CALIBRATION.json without its target on METRIC (its base
//    made absolute, its `calibrated` block dropped so that nothing outside OUT_DIR is
//    written; --generations G caps the generations).
// 2. `cadreflow calibrate` of it into OUT_DIR/calibrate (--resume: a re-run continues).
// 3. The posterior predictive of METRIC, from the held-out posterior and from the full
//    one (--full, default the calibration's calibrated.posterior): `cadreflow run` of
//    the base with the calibration's `set`, D particle draws × the calibration's
//    replicates (--seeds-per-particle), into OUT_DIR/predict-held-out and
//    OUT_DIR/predict-all. A draw's value is the mean over its seeds of the run's mean of
//    METRIC over the target's years, as a calibration particle's; the script prints the
//    5%, 50% and 95% quantiles of the D draws, and whether the observed value (or
//    bound) lies inside, as a row of the table in docs/VALIDATION.md §7.
// Needs a built project (npm run build). Writes only under OUT_DIR.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli', 'main.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : def;
};
const generations = opt('--generations', undefined);
const draws = Number(opt('--draws', '64'));
const threads = opt('--threads', undefined);
let full = opt('--full', undefined);
const [calFile, metric, outDir] = args;
if (!calFile || !metric || !outDir || !(Number.isInteger(draws) && draws >= 2)) {
  console.error('usage: node scripts/held-out-smc.mjs CALIBRATION.json METRIC OUT_DIR [--generations G] [--draws D ≥ 2] [--threads T] [--full POSTERIOR.csv]');
  process.exit(2);
}
const calDir = path.dirname(path.resolve(calFile));
const cal = JSON.parse(readFileSync(calFile, 'utf8'));
const held = cal.targets.find((t) => t.metric === metric);
if (!held) {
  console.error(`${calFile}: no target on "${metric}"; its targets' metrics: ${cal.targets.map((t) => t.metric).join(', ')}`);
  process.exit(2);
}
if (cal.method?.type !== 'abc-smc') {
  console.error(`${calFile}: method.type is "${cal.method?.type}"; a held-out check by ABC-SMC needs an abc-smc calibration`);
  process.exit(2);
}
if (typeof cal.base !== 'string') {
  console.error(`${calFile}: base is inline; give a calibration whose base is a scenario file`);
  process.exit(2);
}
full ??= cal.calibrated?.posterior ? path.resolve(calDir, cal.calibrated.posterior) : undefined;
if (!full) {
  console.error(`${calFile}: no calibrated.posterior; give the full posterior with --full`);
  process.exit(2);
}
const base = path.resolve(calDir, cal.base);
const m = cal.replicates ?? 2;

const cadreflow = (words) => {
  const r = spawnSync(process.execPath, [cli, ...words, ...(threads ? ['--threads', threads] : [])], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

// 1. The calibration without the held-out target.
mkdirSync(outDir, { recursive: true });
const heldOut = { ...cal, name: `${cal.name}-without-${held.name}`, base, targets: cal.targets.filter((t) => t !== held) };
delete heldOut.calibrated;
if (generations !== undefined) heldOut.method = { ...cal.method, generations: Number(generations) };
heldOut.description = `${cal.name} without its target ${held.name} (${metric}), held out (scripts/held-out-smc.mjs)`;
const heldFile = path.join(outDir, 'calibration.json');
writeFileSync(heldFile, JSON.stringify(heldOut, null, 2) + '\n');

// 2. Its posterior.
cadreflow(['calibrate', heldFile, '--out', path.join(outDir, 'calibrate'), '--resume']);

// 3. The predictive of the held-out metric, from both posteriors.
const years = new Set(held.years ?? Array.from({ length: held.window[1] - held.window[0] + 1 }, (_, i) => held.window[0] + i));
const sets = Object.entries(cal.set ?? {}).flatMap(([k, v]) => ['--set', `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`]);
function predict(posterior, dir) {
  cadreflow(['run', base, ...sets, '--posterior', posterior, '--seeds-per-particle', String(m), '--replicates', String(draws * m), '--out', dir, '--force']);
  const lines = readFileSync(path.join(dir, 'timeseries.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const iR = head.indexOf('replicate'), iY = head.indexOf('year'), iM = head.indexOf(metric);
  const perRun = new Map();
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    if (!years.has(Number(c[iY])) || c[iM] === '') continue;
    const a = perRun.get(Number(c[iR])) ?? [];
    a.push(Number(c[iM]));
    perRun.set(Number(c[iR]), a);
  }
  const perDraw = new Map();
  for (const [r, a] of perRun) {
    const g = Math.floor(r / m);
    const d = perDraw.get(g) ?? [];
    d.push(a.reduce((x, y) => x + y, 0) / a.length);
    perDraw.set(g, d);
  }
  const v = [...perDraw.values()].map((d) => d.reduce((x, y) => x + y, 0) / d.length).sort((a, b) => a - b);
  const q = (p) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))];
  return [q(0.05), q(0.5), q(0.95)];
}
const [h05, h50, h95] = predict(path.join(outDir, 'calibrate', 'posterior-particles.csv'), path.join(outDir, 'predict-held-out'));
const [f05, f50, f95] = predict(full, path.join(outDir, 'predict-all'));
const inside = held.relation === 'at-least' ? h95 >= held.observed : held.relation === 'at-most' ? h05 <= held.observed : h05 <= held.observed && held.observed <= h95;
const bound = held.relation === 'at-least' ? `≥ ${held.observed}` : held.relation === 'at-most' ? `≤ ${held.observed}` : `${held.observed} ± ${held.tolerance}`;
const f = (x) => x.toFixed(3);
console.log('| held out | observed | predicted from the others (ABC-SMC) | inside | predicted from all |');
console.log('|---|---|---|---|---|');
console.log(`| \`${metric}\` | ${bound} | ${f(h50)} [${f(h05)}, ${f(h95)}] | ${inside ? 'yes' : 'no'} | ${f(f50)} [${f(f05)}, ${f(f95)}] |`);
