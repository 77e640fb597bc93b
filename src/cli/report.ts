/** `cadreflow report <DIR>`: DIR/report.html and DIR/charts/*.svg from a results directory of run, compare, sweep or sensitivity. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, inputError } from '../scenario/errors.js';
import { writeReport } from '../report/report.js';
import { redrawPosteriorReport } from '../report/posterior.js';
import { readProgress } from '../experiment/sweep-run.js';
import { resumeHint } from './options.js';

export interface ReportCliOptions {
  lang?: string;
  metric?: string;
  x?: string;
  y?: string;
  zoom?: boolean;
  quiet?: boolean;
}

/** Data rows of a CSV file (0 when it is missing). */
function dataRows(file: string): number {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * What an unfinished sweep or sensitivity analysis holds (manifest.json
 * `complete: false`; a sweep of an earlier version: no `finished` time), or
 * undefined when the results are complete.
 */
export function unfinished(dir: string): { command: string; text: string; resume?: string } | undefined {
  const mf = path.join(dir, 'manifest.json');
  if (!existsSync(mf)) return undefined;
  let m: Record<string, any>;
  try {
    m = JSON.parse(readFileSync(mf, 'utf8'));
  } catch {
    return undefined; // the report says what is wrong with it
  }
  const incomplete = m.complete === false || (m.complete === undefined && m.command === 'sweep' && !m.finished);
  if (!incomplete) return undefined;
  if (m.command === 'sweep') {
    const prog = readProgress(dir);
    const shard = m.shard ? ` (shard ${m.shard.index}/${m.shard.count})` : '';
    const done = prog?.nextPoint !== undefined ? `${prog.nextPoint} design points complete, ` : '';
    const precision = m.precision?.targets as { metric: string; target: number }[] | undefined;
    const resume = resumeHint('sweep', String(m.sweepFile ?? 'SWEEP.json'), [
      ['--out', dir],
      ['--shard', m.shard ? `${m.shard.index}/${m.shard.count}` : undefined],
      ['--precision', precision?.map((t) => `${t.metric}=${t.target}`).join(',')],
      ['--max-replicates', precision ? String(m.precision.maxReplicates) : undefined],
    ], m.overrides ?? []);
    return {
      command: 'sweep',
      text: `${dir} holds a sweep that is not complete${shard} (manifest.json: "complete": false): ${done}runs.csv has ${dataRows(path.join(dir, 'runs.csv'))} runs, while points.csv lists all ${m.points ?? '?'} design points`,
      resume,
    };
  }
  if (m.command === 'sensitivity') {
    const resume = resumeHint('sensitivity', String(m.file ?? 'ANALYSIS.json'), [['--method', m.method], ['--out', dir]], m.overrides ?? []);
    return {
      command: 'sensitivity',
      text: `${dir} holds a sensitivity analysis that is not complete (manifest.json: "complete": false): runs/runs.csv has ${dataRows(path.join(dir, 'runs', 'runs.csv'))} of its ${m.runs ?? '?'} runs, and its indices (sensitivity.csv) are computed when all are done`,
      resume,
    };
  }
  return { command: String(m.command), text: `${dir} holds results that are not complete (manifest.json: "complete": false)` };
}

export async function reportCommand(dir: string, o: ReportCliOptions): Promise<void> {
  if (o.lang !== undefined && o.lang !== 'en' && o.lang !== 'zh') throw inputError('--lang', o.lang, 'en or zh');
  const partial = unfinished(dir);
  // An analysis has nothing to report before its indices exist.
  if (partial && partial.command !== 'sweep') {
    throw new InputError([{ path: '<DIR>', value: dir, allowed: 'complete results', message: `${partial.text}; there is nothing to report yet${partial.resume ? `: continue it with ${partial.resume}` : ''}` }]);
  }
  // An ABC-SMC calibration has a report of its own (its posterior's pair plot).
  const posterior = redrawPosteriorReport(dir);
  if (posterior) {
    if (!o.quiet) process.stdout.write(`calibration report: ${path.relative(process.cwd(), posterior) || posterior} (2 charts, also as SVG in ${path.relative(process.cwd(), path.join(dir, 'charts')) || 'charts'})\n`);
    return;
  }
  // So has an optimization (its Pareto front).
  const front = (await import('../report/optimize.js')).redrawOptimizeReport(dir);
  if (front) {
    if (!o.quiet) process.stdout.write(`optimization report: ${path.relative(process.cwd(), front) || front} (the Pareto front, also as SVG in ${path.relative(process.cwd(), path.join(dir, 'charts')) || 'charts'})\n`);
    return;
  }
  const r = writeReport(dir, { lang: o.lang as 'en' | 'zh' | undefined, metric: o.metric, x: o.x, y: o.y, zoom: o.zoom });
  if (partial) process.stderr.write(`cadreflow: note: ${partial.text}; the report shows the runs written so far (and says so). Continue the sweep with: ${partial.resume}\n`);
  if (!o.quiet) {
    const rel = (f: string) => path.relative(process.cwd(), f) || '.';
    process.stdout.write(`${r.kind} report: ${rel(r.html)} (${r.charts.length} charts, also as SVG in ${rel(path.join(dir, 'charts'))})\n`);
  }
}
