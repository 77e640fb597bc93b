/** `cadreflow observe`: the model's metrics on career records (a spells file), in the years of a scenario. */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { InputError, inputError } from '../scenario/errors.js';
import { ResultsDir } from '../experiment/results-dir.js';
import { baseManifest } from '../experiment/manifest.js';
import { csvRow, quote } from '../experiment/csv.js';
import { summaries, summaryRows, SUMMARY_HEADER, TIMESERIES_HEADER } from '../experiment/replicates.js';
import type { PackedResult } from '../experiment/run-one.js';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { observe, type ObserveResult } from '../spells/observe.js';
import { forEachLine } from '../spells/read.js';
import type { ObservedReplicate } from '../spells/rebuild.js';
import { CELL_LEGEND, headlineTable } from './table.js';

export interface ObserveOptions {
  scenario: string;
  set?: string[];
  out?: string;
  skipBad?: boolean;
  force?: boolean;
  quiet?: boolean;
}

/** What a need means, for the lines that list the metrics left empty. */
const NEED_TEXT: Record<string, string> = {
  rank: 'the rank column', region: 'the region column', system: 'the system column', domain: 'the domain column',
  leader: 'the leader column', team: 'the team column', key: 'the key_post column', home: 'the home column',
  start_kind: 'the start_kind column', end_kind: 'the end_kind column', history: 'careers known from entry (the start_kind column)',
  posts: 'a post of the scenario’s world in every spell (so that vacant posts are known)',
  ties: 'local ties, a latent trait that career records do not carry',
  chains: 'vacancy chains, traced through the posts of the scenario’s world from the recruits (post and start_kind columns; push docking forms none)',
};

export async function observeCommand(file: string, o: ObserveOptions): Promise<void> {
  if (!existsSync(file) || !statSync(file).isFile()) throw inputError('spells file', file, 'an existing spells file (CSV, docs/SPELLS.md)');
  const scenario = loadScenario(o.scenario, o.set ?? []);
  let world;
  try {
    world = buildWorld(scenario.world);
  } catch (e) {
    throw e instanceof InputError ? e.withFile(o.scenario) : e;
  }
  const out = o.out ?? path.join('results', `observe-${path.basename(file).replace(/\.[^.]*$/, '')}`);
  // Read and check before anything is written: bad records without --skip-bad stop here.
  const t0 = performance.now();
  let res: ObserveResult;
  try {
    res = observe(file, scenario, world, { skipBad: o.skipBad });
  } catch (e) {
    throw e instanceof InputError && !e.file ? e.withFile(file) : e;
  }
  const secs = (performance.now() - t0) / 1000;
  const dir = ResultsDir.open(out, !!o.force);
  const started = new Date().toISOString();
  try {
    let ts = csvRow(TIMESERIES_HEADER);
    const m = METRIC_NAMES.length;
    for (const r of res.replicates) {
      r.years.forEach((year, i) => { ts += csvRow([0, r.replicate, '', year, ...Array.from(r.metrics.subarray(i * m, (i + 1) * m)), '']); });
    }
    dir.write('timeseries.csv', ts);
    const packed = res.replicates.map(packedOf);
    if (packed.length) dir.write('summary.csv', csvRow(SUMMARY_HEADER) + summaryRows(packed));
    if (res.rejected.length) writeRejected(file, res, dir.file('rejected.csv'));
    const files = ['timeseries.csv', ...(packed.length ? ['summary.csv'] : []), ...(res.rejected.length ? ['rejected.csv'] : []), 'manifest.json'];
    const manifest = {
      ...baseManifest('observe'),
      spellsFile: path.resolve(file),
      spellsSha256: sha256(file),
      scenarioFile: path.resolve(o.scenario),
      sets: o.set ?? [],
      scenario,
      years: [scenario.startYear, scenario.startYear + scenario.years - 1],
      replicates: res.replicates.map((r) => r.replicate),
      rows: res.rowCount,
      rowsUsed: res.used,
      rowsRejected: res.rejected.length,
      people: res.people,
      worldPosts: res.worldPosts,
      recordsGive: res.has,
      notMeasured: res.notMeasured,
      leftEmptyInSomeYears: Object.entries(res.yearly).filter(([, ms]) => ms.length).map(([need, metrics]) => ({
        need, metrics, years: Object.fromEntries(res.replicates.filter((r) => r.emptyYears[need as keyof ObservedReplicate['emptyYears']].length).map((r) => [r.replicate, r.emptyYears[need as keyof ObservedReplicate['emptyYears']]])),
      })),
      started,
      finished: new Date().toISOString(),
      seconds: secs,
      metrics: METRIC_NAMES,
      files,
    };
    dir.write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
    dir.commit();
  } catch (e) {
    dir.abandon();
    throw e;
  }
  report(file, res, out, secs, o.quiet);
}

function packedOf(r: ObservedReplicate): PackedResult {
  return { seed: NaN, years: r.years, metrics: r.metrics, phaseSeconds: {}, cadres: 0, posts: 0 };
}

/** What was measured and what was not: stderr always (the metrics left empty), stdout unless quiet (the table). */
function report(file: string, res: ObserveResult, out: string, secs: number, quiet?: boolean): void {
  const err: string[] = [];
  if (res.notMeasured.length) {
    err.push(`observe: ${res.notMeasured.length} metric${res.notMeasured.length === 1 ? '' : 's'} left empty: the records cannot give ${res.notMeasured.length === 1 ? 'it' : 'them'}`);
    const byLack = new Map<string, string[]>();
    for (const x of res.notMeasured) {
      const k = x.lacks.join(', ');
      byLack.set(k, [...(byLack.get(k) ?? []), x.metric]);
    }
    for (const [lacks, metrics] of byLack) err.push(`  ${metrics.join(', ')}: ${lacks.split(', ').map((l) => `needs ${NEED_TEXT[l] ?? l}`).join('; ')}`);
  }
  for (const [need, metrics] of Object.entries(res.yearly)) {
    const n = res.replicates.reduce((a, r) => a + r.emptyYears[need as keyof ObservedReplicate['emptyYears']].length, 0);
    if (!metrics.length || !n) continue;
    const why = need === 'history' ? 'someone in post had a career that began before the records (first spell not a recruit)'
      : need === 'start_kind' ? 'someone entered with an empty start_kind' : 'someone left with an empty end_kind';
    err.push(`observe: ${metrics.join(', ')} left empty in ${n} replicate-year(s), where ${why} (manifest.json: leftEmptyInSomeYears)`);
  }
  if (res.rejected.length) {
    const byReason = new Map<string, number>();
    for (const r of res.rejected) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    err.push(`observe: ${res.rejected.length} rows set aside in rejected.csv: ${[...byReason].map(([r, n]) => `${n} ${r}`).join(', ')}`);
  }
  if (err.length) process.stderr.write(err.join('\n') + '\n');
  if (quiet) return;
  const packed = res.replicates.map(packedOf);
  process.stdout.write(`${file}: ${res.rowCount} rows, ${res.people} people, ${res.replicates.length} replicate(s)${res.worldPosts ? ' (posts of the scenario’s world)' : ''}\n`);
  if (packed.length && packed[0]!.years.length) {
    const ys = packed[0]!.years;
    const show = [...new Set([ys[0]!, ys[Math.floor((ys.length - 1) / 2)]!, ys[ys.length - 1]!])];
    process.stdout.write(`${CELL_LEGEND}\n\n${headlineTable(summaries(packed), show)}\n\n`);
  }
  process.stdout.write(`${secs.toFixed(1)} s; results in ${path.relative(process.cwd(), path.resolve(out)) || '.'}\n`);
}

/** rejected.csv: line, reason, detail, then the row as it was in the file. */
function writeRejected(file: string, res: ObserveResult, to: string): void {
  const byLine = new Map(res.rejected.map((p) => [p.line, p]));
  let text = `line,reason,detail,${res.header.map(quote).join(',')}\n`;
  forEachLine(file, (line, no) => {
    const p = byLine.get(no);
    if (p) text += `${no},${p.reason},${quote(p.detail)},${line}\n`;
  });
  writeFileSync(to, text);
}

function sha256(file: string): string {
  const h = createHash('sha256');
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
