/**
 * `cadreflow compare a.json b.json …`: every scenario on the same replicate
 * seeds (those of the first scenario), paired differences against the first,
 * compare.csv, timeseries.csv and manifest.json in a results directory written
 * all or nothing, and a table of the headline metrics.
 */
import path from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { InputError, inputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { ResultsDir } from '../experiment/results-dir.js';
import { baseManifest } from '../experiment/manifest.js';
import { defaultThreads, runAll } from '../experiment/pool.js';
import { replicateSeeds, TIMESERIES_HEADER } from '../experiment/replicates.js';
import type { PackedResult } from '../experiment/run-one.js';
import { csvRow } from '../experiment/csv.js';
import { maxReplicatesOption, parsePrecision, precisionLines, precisionManifest, runToPrecision } from '../experiment/precision.js';
import { HEADLINE, METRIC_NAMES } from '../metrics/definitions.js';
import { compareCsv, compareRows, scenarioLabels, worstDiffHalfWidth, type CompareRow } from '../analysis/compare.js';
import {
  checkPosterior, parametricShareLine, posteriorLegend, posteriorManifest, posteriorOptions, posteriorReplicates, replicateGroups, replicateParticle, replicateParticles, setOverrides, type PosteriorRun,
} from '../experiment/posterior.js';
import { scenarioSets } from './options.js';
import { progress } from './progress.js';
import { CELL_LEGEND, diffCell, digitsFor, levelCell } from './table.js';

export interface CompareOptions {
  replicates?: string;
  seed?: string;
  years?: string;
  threads?: string;
  set?: string[];
  out?: string;
  at?: string;
  precision?: string;
  maxReplicates?: string;
  force?: boolean;
  quiet?: boolean;
  posterior?: string;
  seedsPerParticle?: string;
}

/** `--at 2030,2040`: reported years (default: the last). */
export function parseAt(spec: string | undefined, first: Scenario): number[] {
  const last = first.startYear + first.years - 1;
  if (spec === undefined) return [last];
  const allowed = `reported years from ${first.startYear} to ${last}, comma-separated, e.g. ${last}`;
  const parts = spec.split(',').map((p) => p.trim());
  const years: number[] = [];
  for (const p of parts) {
    const y = Number(p);
    if (p === '' || !Number.isInteger(y) || y < first.startYear || y > last) throw inputError('--at', p === '' ? spec : p, allowed);
    if (!years.includes(y)) years.push(y);
  }
  return years;
}

/** Headline metrics × scenarios; per year the mean [95% CI] and the paired difference ± half-width (cli/table.ts). */
export function compareTable(rows: CompareRow[], labels: string[], years: number[]): string {
  const byKey = new Map(rows.map((r) => [`${r.metric}@${r.year}@${r.scenario}`, r]));
  const header = ['metric', 'scenario', ...years.flatMap((y) => [String(y), `Δ ${y}`])];
  const body: string[][] = [];
  for (const metric of HEADLINE) {
    labels.forEach((label, i) => {
      const cells = [i === 0 ? metric : '', label];
      for (const y of years) {
        const r = byKey.get(`${metric}@${y}@${label}`)!;
        const base = byKey.get(`${metric}@${y}@${labels[0]}`)!;
        const d = digitsFor(base.s.mean);
        cells.push(levelCell(r.s, d));
        cells.push(r.diff ? diffCell(r.diff, d) : '');
      }
      body.push(cells);
    });
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** timeseries.csv: `scenario`, then run's columns; `particles[k]`, the posterior particle replicate k ran (empty without). */
function timeseriesCsv(runs: PackedResult[][], labels: string[], particles?: number[]): string {
  const m = METRIC_NAMES.length;
  let out = csvRow(['scenario', ...TIMESERIES_HEADER]);
  runs.forEach((rs, p) => {
    rs.forEach((r, rep) => {
      const particle = particles ? particles[rep]! : '';
      r.years.forEach((year, i) => {
        out += csvRow([labels[p]!, p, rep, r.seed, year, ...Array.from(r.metrics.subarray(i * m, (i + 1) * m)), particle]);
      });
    });
  });
  return out;
}

function transpose(byReplicate: PackedResult[][], scenarios: number): PackedResult[][] {
  return Array.from({ length: scenarios }, (_, i) => byReplicate.map((rep) => rep[i]!));
}

export async function compareCommand(files: string[], o: CompareOptions): Promise<void> {
  if (files.length < 2) throw inputError('<scenarios>', files, 'at least two scenario files: the first is the reference, the others are compared with it');
  const { sets, threads } = scenarioSets(o, defaultThreads);
  const targets = o.precision === undefined ? [] : parsePrecision(o.precision);
  const { posterior, seedsPerParticle } = posteriorOptions(o);

  const loaded = files.map((file) => loadScenario(file, sets));
  const first = loaded[0]!;
  loaded.forEach((s, i) => {
    for (const field of ['startYear', 'years'] as const) {
      if (s[field] !== first[field]) {
        throw new InputError([{ path: field, value: s[field], allowed: `${first[field]}, as in ${files[0]}: every scenario of a comparison must report the same years (same startYear and years; --years sets years for all)` }], files[i]);
      }
    }
  });
  const worlds = new Map<string, { regions: number; posts: number }>();
  loaded.forEach((s, i) => {
    const key = JSON.stringify(s.world);
    if (worlds.has(key)) return;
    try {
      const w = buildWorld(s.world);
      worlds.set(key, { regions: w.nRegions, posts: w.nPosts });
    } catch (e) {
      throw e instanceof InputError ? e.withFile(files[i]!) : e;
    }
  });
  const at = parseAt(o.at, first);
  const horizon = first.startYear + first.years - 1;
  const initial = first.replicates;
  let max = maxReplicatesOption(o.maxReplicates, initial, targets.length > 0);
  // Common random numbers: replicate k of every scenario runs with seed k of the first scenario.
  const scenarios = loaded.map((s) => ({ ...s, seed: first.seed }));
  const labels = scenarioLabels(scenarios.map((s) => s.name), files);
  // Over a posterior, replicate k of every scenario also runs the same particle: draw ⌊k/m⌋, keyed on the first scenario's seed.
  let pr: PosteriorRun | undefined;
  let particleScenarios: Scenario[][] = [];
  if (posterior) {
    max = posteriorReplicates(initial, max, seedsPerParticle, o, files[0]);
    particleScenarios = checkPosterior(posterior, scenarios.map((scenario, i) => ({ scenario, label: files[i]! })), setOverrides(o.set ?? []), { several: true });
    pr = { posterior, seedsPerParticle, seed: first.seed };
  }
  const scenarioOf = (i: number, k: number) => (pr ? particleScenarios[i]![replicateParticle(pr, k)]! : scenarios[i]!);

  const out = o.out ?? path.join('results', `compare-${labels.join('-vs-')}`.replace(/[\\/:*?"<>|\s]+/g, '_'));
  const dir = ResultsDir.open(out, !!o.force);
  const started = new Date().toISOString();
  let usedThreads = 1;
  try {
    const t0 = performance.now();
    const { results, outcomes } = await runToPrecision<PackedResult[]>({
      targets,
      initial,
      max,
      runBatch: async (from, to) => {
        const seeds = replicateSeeds(first, to).slice(from);
        const tasks = seeds.flatMap((s, k) => scenarios.map((_, i) => ({ scenario: scenarioOf(i, from + k), seed: s, point: i, replicate: from + k })));
        const label = `compare ${labels.join(' vs ')}${from > 0 ? ` (replicates ${from + 1}–${to})` : ''}`;
        const bar = progress(tasks.length, label, 'runs', o.quiet);
        usedThreads = Math.max(usedThreads, Math.min(threads, tasks.length));
        const flat = await runAll(tasks, { threads: Math.min(threads, tasks.length), onResult: () => bar.tick() });
        bar.stop();
        return seeds.map((_, k) => flat.slice(k * scenarios.length, (k + 1) * scenarios.length));
      },
      measure: (rs, metric) => worstDiffHalfWidth(transpose(rs, scenarios.length), metric, horizon, pr ? replicateGroups(pr, rs.length) : undefined),
    });
    const secs = (performance.now() - t0) / 1000;
    const n = results.length;
    const runs = transpose(results, scenarios.length);
    const rows = compareRows(runs, labels, at, METRIC_NAMES, pr ? replicateGroups(pr, n) : undefined);
    dir.write('compare.csv', compareCsv(rows));
    dir.write('timeseries.csv', timeseriesCsv(runs, labels, pr ? replicateParticles(pr, n).map((j) => pr.posterior.particles[j]!.particle) : undefined));
    const manifest = {
      ...baseManifest('compare'),
      scenarioFiles: files.map((f) => path.resolve(f)),
      sets: o.set ?? [],
      labels,
      reference: labels[0],
      pairing: `common random numbers: replicate k of every scenario runs with seed k of the first scenario${pr ? ' and the same posterior particle' : ''}`,
      scenarios: scenarios.map((s) => ({ ...s, replicates: n })),
      replicates: n,
      seeds: replicateSeeds(first, n),
      ...(pr ? { posterior: posteriorManifest(pr, n) } : {}),
      at,
      threads: usedThreads,
      ...(targets.length ? { precision: precisionManifest(outcomes), maxReplicates: max } : {}),
      started,
      finished: new Date().toISOString(),
      seconds: secs,
      metrics: METRIC_NAMES,
      files: ['compare.csv', 'timeseries.csv', 'manifest.json'],
    };
    dir.write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
    (await import('../report/report.js')).writeReportAfterRun(dir.partial, dir.target);
    dir.commit();
    if (!o.quiet) {
      const w = worlds.get(JSON.stringify(first.world))!;
      process.stdout.write(`compare ${labels.join(' vs ')}: ${n} replicates${pr ? ` (${n / pr.seedsPerParticle} particles drawn from the posterior × ${pr.seedsPerParticle} seeds)` : ''} × ${first.years} years, ${w.regions} regions, ${w.posts} posts; replicate k of every scenario runs with the same seed (common random numbers)\n`);
      process.stdout.write(`${CELL_LEGEND}; Δ = paired difference against ${labels[0]} (mean of per-replicate differences ± 95% CI half-width)${pr ? `\n${posteriorLegend(pr)}; replicate k of every scenario runs the same particle` : ''}\n\n`);
      process.stdout.write(`${compareTable(rows, labels, at)}\n\n`);
      if (pr) {
        const y = at[at.length - 1]!;
        for (const label of labels.slice(1)) {
          const shares = HEADLINE.map((metric) => ({ metric, share: rows.find((r) => r.metric === metric && r.year === y && r.scenario === label)?.diffParametricShare ?? NaN }));
          process.stdout.write(parametricShareLine(shares, y, `diff_parametric_share, Δ of ${label}`));
        }
      }
      if (outcomes.length) process.stdout.write(precisionLines(outcomes, `difference against ${labels[0]} in ${horizon}`));
      process.stdout.write(`${secs.toFixed(1)} s on ${usedThreads} thread(s); every metric in compare.csv; results in ${path.relative(process.cwd(), dir.target) || '.'}\n`);
    }
  } catch (e) {
    dir.abandon();
    throw e;
  }
}
