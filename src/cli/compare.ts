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

function timeseriesCsv(runs: PackedResult[][], labels: string[]): string {
  const m = METRIC_NAMES.length;
  let out = csvRow(['scenario', ...TIMESERIES_HEADER]);
  runs.forEach((rs, p) => {
    rs.forEach((r, rep) => {
      r.years.forEach((year, i) => {
        out += csvRow([labels[p]!, p, rep, r.seed, year, ...Array.from(r.metrics.subarray(i * m, (i + 1) * m))]);
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
  const max = maxReplicatesOption(o.maxReplicates, initial, targets.length > 0);
  // Common random numbers: replicate k of every scenario runs with seed k of the first scenario.
  const scenarios = loaded.map((s) => ({ ...s, seed: first.seed }));
  const labels = scenarioLabels(scenarios.map((s) => s.name), files);

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
        const tasks = seeds.flatMap((s, k) => scenarios.map((scenario, i) => ({ scenario, seed: s, point: i, replicate: from + k })));
        const label = `compare ${labels.join(' vs ')}${from > 0 ? ` (replicates ${from + 1}–${to})` : ''}`;
        const bar = progress(tasks.length, label, 'runs', o.quiet);
        usedThreads = Math.max(usedThreads, Math.min(threads, tasks.length));
        const flat = await runAll(tasks, { threads: Math.min(threads, tasks.length), onResult: () => bar.tick() });
        bar.stop();
        return seeds.map((_, k) => flat.slice(k * scenarios.length, (k + 1) * scenarios.length));
      },
      measure: (rs, metric) => worstDiffHalfWidth(transpose(rs, scenarios.length), metric, horizon),
    });
    const secs = (performance.now() - t0) / 1000;
    const n = results.length;
    const runs = transpose(results, scenarios.length);
    const rows = compareRows(runs, labels, at);
    dir.write('compare.csv', compareCsv(rows));
    dir.write('timeseries.csv', timeseriesCsv(runs, labels));
    const manifest = {
      ...baseManifest('compare'),
      scenarioFiles: files.map((f) => path.resolve(f)),
      sets: o.set ?? [],
      labels,
      reference: labels[0],
      pairing: 'common random numbers: replicate k of every scenario runs with seed k of the first scenario',
      scenarios: scenarios.map((s) => ({ ...s, replicates: n })),
      replicates: n,
      seeds: replicateSeeds(first, n),
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
      process.stdout.write(`compare ${labels.join(' vs ')}: ${n} replicates × ${first.years} years, ${w.regions} regions, ${w.posts} posts; replicate k of every scenario runs with the same seed (common random numbers)\n`);
      process.stdout.write(`${CELL_LEGEND}; Δ = paired difference against ${labels[0]} (mean of per-replicate differences ± 95% CI half-width)\n\n`);
      process.stdout.write(`${compareTable(rows, labels, at)}\n\n`);
      if (outcomes.length) process.stdout.write(precisionLines(outcomes, `difference against ${labels[0]} in ${horizon}`));
      process.stdout.write(`${secs.toFixed(1)} s on ${usedThreads} thread(s); every metric in compare.csv; results in ${path.relative(process.cwd(), dir.target) || '.'}\n`);
    }
  } catch (e) {
    dir.abandon();
    throw e;
  }
}
