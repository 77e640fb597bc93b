/** `cadreflow run`: replicates of a scenario in worker threads, the results directory and a table of headline metrics. */
import path from 'node:path';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { SPELL_HEADER } from '../spells/format.js';
import { loadScenario } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { InputError } from '../scenario/errors.js';
import { ResultsDir } from '../experiment/results-dir.js';
import { baseManifest } from '../experiment/manifest.js';
import { defaultThreads, runAll } from '../experiment/pool.js';
import { maxReplicatesOption, parsePrecision, precisionLines, precisionManifest, replicateHalfWidth, runToPrecision } from '../experiment/precision.js';
import {
  EVENTS_HEADER, eventRowsCsv, replicateSeeds, summaries, summaryRows, SUMMARY_HEADER, timeseriesRows, TIMESERIES_HEADER,
} from '../experiment/replicates.js';
import { csvRow } from '../experiment/csv.js';
import { HEADLINE, METRIC_NAMES } from '../metrics/definitions.js';
import {
  checkPosterior, parametricShareLine, posteriorLegend, posteriorManifest, posteriorOptions, posteriorReplicates, replicateGroups, replicateParticle, replicateParticles, setOverrides, type PosteriorRun,
} from '../experiment/posterior.js';
import type { Scenario } from '../scenario/schema.js';
import { scenarioSets } from './options.js';
import { progress } from './progress.js';
import { CELL_LEGEND, headlineTable } from './table.js';

export interface RunOptions {
  replicates?: string;
  seed?: string;
  years?: string;
  threads?: string;
  set?: string[];
  out?: string;
  events?: boolean;
  spells?: boolean;
  check?: boolean;
  precision?: string;
  maxReplicates?: string;
  force?: boolean;
  quiet?: boolean;
  posterior?: string;
  seedsPerParticle?: string;
}

export async function runCommand(file: string, o: RunOptions): Promise<void> {
  const { sets, threads } = scenarioSets(o, defaultThreads);
  const targets = o.precision === undefined ? [] : parsePrecision(o.precision);
  const { posterior, seedsPerParticle } = posteriorOptions(o);
  const scenario = loadScenario(file, sets);
  let maxReps = maxReplicatesOption(o.maxReplicates, scenario.replicates, targets.length > 0);
  // Over a posterior: replicate k runs particle draw ⌊k/m⌋, keyed on the scenario seed (experiment/posterior.ts).
  let pr: PosteriorRun | undefined;
  let particleScenarios: Scenario[] = [];
  if (posterior) {
    maxReps = posteriorReplicates(scenario.replicates, maxReps, seedsPerParticle, o, file);
    particleScenarios = checkPosterior(posterior, [{ scenario, label: file }], setOverrides(o.set ?? []))[0]!;
    pr = { posterior, seedsPerParticle, seed: scenario.seed };
  }
  const scenarioOf = (k: number) => (pr ? particleScenarios[replicateParticle(pr, k)]! : scenario);
  let world;
  try {
    world = buildWorld(scenario.world);
  } catch (e) {
    throw e instanceof InputError ? e.withFile(file) : e;
  }
  const out = o.out ?? path.join('results', scenario.name);
  const dir = ResultsDir.open(out, !!o.force);
  const started = new Date().toISOString();
  const events = !!o.events || scenario.outputs.events;
  try {
    const t0 = performance.now();
    const horizon = scenario.startYear + scenario.years - 1;
    // With --precision, replicates are added in doubling batches; replicate k always has seed k (experiment/precision.ts).
    const { results, outcomes } = await runToPrecision({
      targets,
      initial: scenario.replicates,
      max: maxReps,
      runBatch: async (from, to) => {
        const bar = progress(to - from, `run ${scenario.name}${from > 0 ? ` (replicates ${from + 1}–${to})` : ''}`, 'runs', o.quiet);
        const seeds = replicateSeeds(scenario, to).slice(from);
        const rs = await runAll(seeds.map((seed, i) => ({
          scenario: scenarioOf(from + i), seed, check: o.check, events, replicate: from + i, ...(o.spells ? { spells: spellsPart(dir, from + i) } : {}),
        })), { threads: Math.min(threads, to - from), onResult: () => bar.tick() });
        bar.stop();
        return rs;
      },
      measure: (rs, metric) => replicateHalfWidth(rs, metric, horizon, pr ? replicateGroups(pr, rs.length) : undefined),
    });
    const n = results.length;
    const secs = (performance.now() - t0) / 1000;
    const particles = pr ? replicateParticles(pr, n).map((j) => pr.posterior.particles[j]!.particle) : undefined;
    const groups = pr ? replicateGroups(pr, n) : undefined;
    dir.write('timeseries.csv', csvRow(TIMESERIES_HEADER) + timeseriesRows(results, 0, particles));
    dir.write('summary.csv', csvRow(SUMMARY_HEADER) + summaryRows(results, 0, groups));
    if (events) dir.write('events.csv', csvRow(EVENTS_HEADER) + eventRowsCsv(results));
    if (o.spells) joinSpells(dir, n);
    const manifest = {
      ...baseManifest('run'),
      scenarioFile: path.resolve(file),
      sets: o.set ?? [],
      scenario: { ...scenario, replicates: n },
      replicates: n,
      seeds: replicateSeeds(scenario, n),
      ...(pr ? { posterior: posteriorManifest(pr, n) } : {}),
      threads: Math.min(threads, n),
      ...(targets.length ? { precision: precisionManifest(outcomes), maxReplicates: maxReps } : {}),
      check: !!o.check,
      started,
      finished: new Date().toISOString(),
      seconds: secs,
      world: { regions: world.nRegions, posts: world.nPosts, cadresAtEnd: results.map((r) => r.cadres) },
      metrics: METRIC_NAMES,
      files: ['timeseries.csv', 'summary.csv', ...(events ? ['events.csv'] : []), ...(o.spells ? ['spells.csv'] : []), 'manifest.json'],
    };
    dir.write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
    (await import('../report/report.js')).writeReportAfterRun(dir.partial, dir.target);
    dir.commit();
    if (!o.quiet) {
      const ys = results[0]!.years;
      const show = [...new Set([ys[0]!, ys[Math.floor((ys.length - 1) / 2)]!, ys[ys.length - 1]!])];
      const cadreYears = results.reduce((a, r) => a + r.cadres * (scenario.years + scenario.burnIn), 0);
      process.stdout.write(`${scenario.name}: ${n} replicates${pr ? ` (${n / pr.seedsPerParticle} particles drawn from the posterior × ${pr.seedsPerParticle} seeds)` : ''} × ${scenario.years} years (after ${scenario.burnIn} of burn-in), ${world.nRegions} regions, ${world.nPosts} posts, ~${results[0]!.cadres} cadres\n`);
      const summ = summaries(results, groups);
      process.stdout.write(`${CELL_LEGEND}${pr ? `\n${posteriorLegend(pr)}` : ''}\n\n${headlineTable(summ, show)}\n\n`);
      if (pr) {
        const last = show[show.length - 1]!;
        process.stdout.write(parametricShareLine(HEADLINE.map((metric) => ({ metric, share: summ.find((x) => x.metric === metric && x.year === last)?.parametricShare ?? NaN })), last));
      }
      if (outcomes.length) process.stdout.write(precisionLines(outcomes, `in ${horizon}`));
      process.stdout.write(`${secs.toFixed(1)} s on ${Math.min(threads, n)} thread(s), ${(cadreYears / secs / 1e6).toFixed(2)} M cadre-years/s; results in ${path.relative(process.cwd(), dir.target) || '.'}\n`);
    }
  } catch (e) {
    dir.abandon();
    throw e;
  }
}

/** Where replicate k writes its career records, in the partial results directory. */
function spellsPart(dir: ResultsDir, k: number): string {
  return dir.file(`.spells-${k}.part`);
}

/** spells.csv: the header, then the records of replicates 0 … n − 1 in order (copied in chunks; each part is removed). */
function joinSpells(dir: ResultsDir, n: number): void {
  const out = openSync(dir.file('spells.csv'), 'w');
  const buf = Buffer.alloc(1 << 20);
  try {
    writeSync(out, csvRow(SPELL_HEADER));
    for (let k = 0; k < n; k++) {
      const part = spellsPart(dir, k);
      const fd = openSync(part, 'r');
      try {
        for (let m; (m = readSync(fd, buf, 0, buf.length, null)) > 0;) writeSync(out, buf, 0, m);
      } finally {
        closeSync(fd);
      }
      rmSync(part);
    }
  } finally {
    closeSync(out);
  }
}
