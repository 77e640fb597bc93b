#!/usr/bin/env node
// Held-out checks of an ABC-SMC calibration (docs/VALIDATION.md): for each target, a
// posterior on the other targets alone, and what it predicts for the one left out.
//
//   node scripts/held-out.mjs CALIBRATION.json RESULTS_DIR [--keep 0.1]
//
// The first generation of an ABC-SMC calibration is a sample of the prior (each
// particle a run mean over the calibration's replicates), so a posterior on any
// subset of the targets can be had from it by rejection ABC (Pritchard et al.
// 1999): keep the share --keep of the particles closest on the other targets
// (distance as the calibration's: Σ ((simulated − observed) / tolerance)², an
// at-least target counting only a shortfall, an at-most target only an excess).
// The kept particles' simulated values of the held-out target are its posterior
// predictive (of a run mean over the same replicates); the script prints their 5%,
// 50% and 95% quantiles beside the observed value, and the same when the
// rejection keeps the particles closest on all targets (the fitted reference;
// the calibration's own posterior predictive is its fit.csv). It reads files only
// and writes nothing.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const keepAt = args.indexOf('--keep');
const keep = keepAt >= 0 ? Number(args.splice(keepAt, 2)[1]) : 0.1;
const [calFile, dir] = args;
if (!calFile || !dir || !(keep > 0 && keep <= 1)) {
  console.error('usage: node scripts/held-out.mjs CALIBRATION.json RESULTS_DIR [--keep SHARE]');
  process.exit(2);
}
const cal = JSON.parse(readFileSync(calFile, 'utf8'));

function readCsv(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}

const targetYears = (t) => (t.years ? t.years : Array.from({ length: t.window[1] - t.window[0] + 1 }, (_, i) => t.window[0] + i));

/** Per point of a generation's sweep: each target's value, the mean over replicates of the mean over its years. */
function pointValues(genDir) {
  const rows = readCsv(path.join(genDir, 'timeseries.csv'));
  const byRun = new Map();
  for (const r of rows) {
    const key = `${r.point}/${r.replicate}`;
    if (!byRun.has(key)) byRun.set(key, { point: Number(r.point), years: new Map() });
    byRun.get(key).years.set(Number(r.year), r);
  }
  const perPoint = new Map();
  for (const run of byRun.values()) {
    const v = cal.targets.map((t) => {
      const xs = targetYears(t).map((y) => Number(run.years.get(y)?.[t.metric])).filter((x) => Number.isFinite(x));
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
    });
    if (!perPoint.has(run.point)) perPoint.set(run.point, []);
    perPoint.get(run.point).push(v);
  }
  return [...perPoint.entries()].sort((a, b) => a[0] - b[0]).map(([point, runs]) => ({
    point,
    values: cal.targets.map((_, j) => {
      const xs = runs.map((r) => r[j]).filter((x) => Number.isFinite(x));
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
    }),
  }));
}

function term(t, x) {
  if (!Number.isFinite(x)) return Infinity;
  let dev = x - t.observed;
  if (t.relation === 'at-least') dev = Math.min(0, dev);
  if (t.relation === 'at-most') dev = Math.max(0, dev);
  return (t.weight ?? 1) * (dev / t.tolerance) ** 2;
}

function quantiles(pairs, qs) {
  const s = pairs.filter(([x]) => Number.isFinite(x)).sort((a, b) => a[0] - b[0]);
  const total = s.reduce((a, [, w]) => a + w, 0);
  return qs.map((q) => {
    let acc = 0;
    for (const [x, w] of s) { acc += w; if (acc >= q * total - 1e-12) return x; }
    return s.at(-1)?.[0] ?? NaN;
  });
}

const prior = pointValues(path.join(dir, 'generations', 'generation-1'));
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(3) : '—');
const bound = (t) => (t.relation === 'at-least' ? `≥ ${t.observed}` : t.relation === 'at-most' ? `≤ ${t.observed}` : `${t.observed} ± ${t.tolerance}`);
const nKeep = Math.max(2, Math.round(keep * prior.length));
console.log(`held-out checks: rejection ABC on ${prior.length} prior particles of generation 1, the ${nKeep} closest on the other targets kept`);
console.log('| held-out target | observed | predicted from the other targets: median [5%, 95%] | observed inside | fitted on all targets: median [5%, 95%] |');
console.log('|---|---|---|---|---|');
for (let h = 0; h < cal.targets.length; h++) {
  const t = cal.targets[h];
  const ranked = prior
    .map((p) => ({ p, d: cal.targets.reduce((a, u, j) => (j === h ? a : a + term(u, p.values[j])), 0) }))
    .sort((a, b) => a.d - b.d || a.p.point - b.p.point)
    .slice(0, nKeep);
  const [q05, q50, q95] = quantiles(ranked.map((r) => [r.p.values[h], 1]), [0.05, 0.5, 0.95]);
  const inside = t.relation === 'at-least' ? q95 >= t.observed : t.relation === 'at-most' ? q05 <= t.observed : q05 <= t.observed && t.observed <= q95;
  const all = prior.map((p) => ({ p, d: cal.targets.reduce((a, u, j) => a + term(u, p.values[j]), 0) })).sort((a, b) => a.d - b.d || a.p.point - b.p.point).slice(0, nKeep);
  const [f05, f50, f95] = quantiles(all.map((r) => [r.p.values[h], 1]), [0.05, 0.5, 0.95]);
  console.log(`| ${t.name} (\`${t.metric}\`) | ${bound(t)} | ${fmt(q50)} [${fmt(q05)}, ${fmt(q95)}] | ${inside ? 'yes' : 'no'} | ${fmt(f50)} [${fmt(f05)}, ${fmt(f95)}] |`);
}
