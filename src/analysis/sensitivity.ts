/**
 * Running a sensitivity analysis and computing its indices. The design
 * points × replicates run as a sweep into DIR/runs (experiment/sweep-run.ts:
 * all cores, byte-identical whatever the thread count, checkpointed, and
 * continued with --resume after any interruption). The indices are then
 * computed from DIR/runs/timeseries.csv: each output is averaged over the
 * last `lastYears` reported years within a run, then over the replicates of
 * a point, and the estimators of sensitivity-methods.ts are applied to these
 * point means. Written: DIR/design.csv (unit-cube coordinates and the role of
 * each point), DIR/outputs.csv (point means), DIR/sensitivity.csv and
 * DIR/manifest.json.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeDir, resumableDir } from '../experiment/results-dir.js';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { inputError } from '../scenario/errors.js';
import { csvRow } from '../experiment/csv.js';
import { baseManifest } from '../experiment/manifest.js';
import { runSweep, type SweepOutcome } from '../experiment/sweep-run.js';
import { runSeed } from '../random/hash.js';
import { Stream } from '../random/stream.js';
import { morrisIndices, sobolIndices } from './sensitivity-methods.js';
import type { SensitivityPlan } from './sensitivity-plan.js';

export interface SensitivityRow {
  parameter: string;
  metric: string;
  muStar?: number;
  sigma?: number;
  mu?: number;
  muStarLow?: number;
  muStarHigh?: number;
  S1?: number;
  S1Low?: number;
  S1High?: number;
  ST?: number;
  STLow?: number;
  STHigh?: number;
  /** Elementary effects (Morris) or base rows (Sobol) behind the estimate. */
  n: number;
}

export const SENSITIVITY_HEADER = ['parameter', 'metric', 'mu_star', 'sigma', 'S1', 'S1_low', 'S1_high', 'ST', 'ST_low', 'ST_high', 'mu', 'mu_star_low', 'mu_star_high', 'n', 'note'];

export interface SensitivityOptions {
  out: string;
  threads: number;
  resume: boolean;
  force: boolean;
  stop?: { requested: boolean };
  onProgress?: (done: number, total: number) => void;
}

export interface SensitivityOutcome {
  sweep: SweepOutcome;
  rows?: SensitivityRow[];
  /** Sobol: whether N was large enough for the indices. */
  check?: SobolSampleCheck;
}

/** Per point and output: the mean over replicates of the per-run mean over the last k years (NaN where undefined). */
export function pointOutputs(timeseriesCsv: string, points: number, outputs: string[], lastYears: number): number[][] {
  const lines = timeseriesCsv.split('\n');
  const header = lines[0]!.split(',');
  const cols = outputs.map((o) => header.indexOf(o));
  const iPoint = header.indexOf('point');
  const iRep = header.indexOf('replicate');
  const iYear = header.indexOf('year');
  let lastYear = -Infinity;
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]) continue;
    const c = lines[l]!.split(',', iYear + 1);
    lastYear = Math.max(lastYear, Number(c[iYear]));
  }
  const from = lastYear - lastYears + 1;
  // sums per (point, replicate, output) over the window
  const runSum = new Map<string, { p: number; s: number[]; n: number[] }>();
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l]) continue;
    const c = lines[l]!.split(',');
    if (Number(c[iYear]) < from) continue;
    const key = `${c[iPoint]}/${c[iRep]}`;
    let e = runSum.get(key);
    if (!e) runSum.set(key, (e = { p: Number(c[iPoint]), s: outputs.map(() => 0), n: outputs.map(() => 0) }));
    cols.forEach((j, o) => {
      const cell = c[j]!;
      if (cell === '') return;
      const v = Number(cell);
      if (Number.isFinite(v)) {
        e!.s[o]! += v;
        e!.n[o]!++;
      }
    });
  }
  const sum = Array.from({ length: points }, () => outputs.map(() => 0));
  const cnt = Array.from({ length: points }, () => outputs.map(() => 0));
  for (const e of runSum.values()) {
    outputs.forEach((_, o) => {
      if (e.n[o]! > 0) {
        sum[e.p]![o]! += e.s[o]! / e.n[o]!;
        cnt[e.p]![o]!++;
      }
    });
  }
  return sum.map((row, p) => row.map((s, o) => (cnt[p]![o]! > 0 ? s / cnt[p]![o]! : NaN)));
}

/** The indices of every parameter for every output, ranked within each output (μ* for Morris, ST for Sobol, largest first). */
export function computeIndices(plan: SensitivityPlan, y: number[][]): SensitivityRow[] {
  const rows: SensitivityRow[] = [];
  plan.sa.outputs.forEach((metric, o) => {
    const col = y.map((r) => r[o]!);
    const rng = new Stream(plan.seed, `sensitivity.bootstrap.${metric}`, 0);
    let rs: SensitivityRow[];
    if (plan.morris) {
      rs = morrisIndices(plan.morris, col, { bootstrap: plan.sa.morris.bootstrap, rng: () => rng.next() }).map((m, i) => ({
        parameter: plan.paths[i]!, metric, muStar: m.muStar, sigma: m.sigma, mu: m.mu, muStarLow: m.muStarLow, muStarHigh: m.muStarHigh, n: m.n,
      }));
      rs.sort((a, b) => rank(b.muStar) - rank(a.muStar));
    } else {
      rs = sobolIndices(plan.saltelli!, col, { bootstrap: plan.sa.sobol.bootstrap, rng: () => rng.next() }).map((s, i) => ({
        parameter: plan.paths[i]!, metric, S1: s.S1, S1Low: s.S1Low, S1High: s.S1High, ST: s.ST, STLow: s.STLow, STHigh: s.STHigh, n: s.n,
      }));
      rs.sort((a, b) => rank(b.ST) - rank(a.ST));
    }
    rows.push(...rs);
  });
  return rows;
}

const rank = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : -Infinity);
const cell = (x: number | undefined) => (x === undefined ? '' : x);

/** An index that no function can have (Sobol: 0 ≤ S1 ≤ ST ≤ 1), beyond what its 95% interval allows. */
export interface SobolProblem {
  parameter: string;
  metric: string;
  problem: string;
}

/** What the Sobol check found: the base samples N, the impossible indices and, if any, a larger N to use. */
export interface SobolSampleCheck {
  samples: number;
  tooSmall: boolean;
  /** The next power of two from 4N (intervals about half as wide); null when N is not too small. */
  suggestedSamples: number | null;
  problems: SobolProblem[];
}

const show = (x: number) => Number(x.toPrecision(3)).toString();
const fin = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);
const interval = (lo: number | undefined, hi: number | undefined) => (fin(lo) && fin(hi) ? ` [${show(lo)}, ${show(hi)}]` : '');

/**
 * Indices that cannot be true (0 ≤ S1 ≤ ST ≤ 1 for any model): S1 above 1 or
 * below 0, ST above 1, or ST below S1, beyond their 95% bootstrap intervals
 * (S1_low > 1, S1_high < 0, ST_low > 1, ST_high < S1_low).
 * Estimates that stray so far mean N base samples are too few for these
 * indices. Without intervals (bootstrap 0) nothing can be said, and an index
 * is not checked: noise alone puts a small S1 below 0 or above ST.
 */
export function sobolSampleCheck(rows: SensitivityRow[], samples: number): SobolSampleCheck {
  const problems: SobolProblem[] = [];
  for (const r of rows) {
    if (![r.S1, r.S1Low, r.S1High, r.ST, r.STLow, r.STHigh].every(fin)) continue;
    const s1 = `S1 = ${show(r.S1!)}${interval(r.S1Low, r.S1High)}`;
    let problem: string | undefined;
    if (r.S1Low! > 1) problem = `${s1} is above 1 beyond its 95% interval`;
    else if (r.S1High! < 0) problem = `${s1} is below 0 beyond its 95% interval`;
    else if (r.STLow! > 1) problem = `ST = ${show(r.ST!)}${interval(r.STLow, r.STHigh)} is above 1 beyond its 95% interval`;
    else if (r.STHigh! < r.S1Low!) problem = `ST = ${show(r.ST!)}${interval(r.STLow, r.STHigh)} is below ${s1} beyond their 95% intervals`;
    if (problem) problems.push({ parameter: r.parameter, metric: r.metric, problem });
  }
  const tooSmall = problems.length > 0;
  return { samples, tooSmall, suggestedSamples: tooSmall ? 2 ** Math.ceil(Math.log2(4 * samples)) : null, problems };
}

/** The note of an index that the check found impossible. */
function noteOf(check: SobolSampleCheck, p: SobolProblem): string {
  return `${p.problem}: N = ${check.samples} base samples are too few for these indices; use sobol.samples of ${check.suggestedSamples} or more`;
}

export function sensitivityCsv(rows: SensitivityRow[], check?: SobolSampleCheck): string {
  const notes = new Map((check?.problems ?? []).map((p) => [`${p.parameter}\u0000${p.metric}`, noteOf(check!, p)]));
  let s = csvRow(SENSITIVITY_HEADER);
  for (const r of rows) {
    const note = notes.get(`${r.parameter}\u0000${r.metric}`) ?? '';
    s += csvRow([r.parameter, r.metric, cell(r.muStar), cell(r.sigma), cell(r.S1), cell(r.S1Low), cell(r.S1High), cell(r.ST), cell(r.STLow), cell(r.STHigh), cell(r.mu), cell(r.muStarLow), cell(r.muStarHigh), r.n, note]);
  }
  return s;
}

/** The terminal's warning when the check found N too small (stderr, even with --quiet). */
export function sobolWarning(check: SobolSampleCheck, shown = 5): string {
  if (!check.tooSmall) return '';
  const lines = check.problems.slice(0, shown).map((p) => `  ${p.metric}, ${p.parameter}: ${p.problem}\n`);
  const more = check.problems.length > shown ? `  … and ${check.problems.length - shown} more (sensitivity.csv, column note)\n` : '';
  return `cadreflow: warning: N = ${check.samples} base samples are too few for these Sobol indices: ${check.problems.length} ${check.problems.length === 1 ? 'index is' : 'indices are'} impossible (0 ≤ S1 ≤ ST ≤ 1 for any model) beyond their 95% intervals:\n${lines.join('')}${more}  Run the analysis again with a larger sobol.samples, e.g. ${check.suggestedSamples} (the runs grow in proportion: N · (d + 2) points).\n`;
}

function designCsv(plan: SensitivityPlan): string {
  let s = csvRow(['point', 'group', 'role', ...plan.paths.map((p) => `u:${p}`)]);
  const d = plan.paths.length;
  plan.unit.forEach((u, p) => {
    let group: number;
    let role: string;
    if (plan.morris) {
      group = Math.floor(p / (d + 1));
      const j = p % (d + 1);
      role = j === 0 ? 'start' : `step:${plan.paths[plan.morris.moves[group]![j - 1]!.param]}`;
    } else {
      group = Math.floor(p / (d + 2));
      const j = p % (d + 2);
      role = j === 0 ? 'A' : j === d + 1 ? 'B' : `AB:${plan.paths[j - 1]}`;
    }
    s += csvRow([p, group, role, ...u]);
  });
  return s;
}

/** A JSON file's content, or undefined when it is missing or unreadable. */
function readJson(file: string): Record<string, any> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function runSensitivity(plan: SensitivityPlan, o: SensitivityOptions): Promise<SensitivityOutcome> {
  const out = resumableDir(o.out, o, 'analysis');
  const dir = out.dir;
  const runsDir = path.join(dir, 'runs');
  if (out.resuming) {
    const other = () => inputError('--resume', o.out, 'the results of this same analysis file with the same --method, --set options and program version; this directory holds another analysis (use another --out, or --force to start again)');
    if (!existsSync(path.join(runsDir, 'progress.json'))) {
      // Stopped before the first checkpoint of its runs: it starts them again if the directory is this analysis's.
      const m = readJson(path.join(dir, 'manifest.json'));
      if (!m && readdirSync(dir).length > 0) throw inputError('--resume', o.out, 'a sensitivity results directory with runs/progress.json; this directory has none (use --force to start again)');
      if (m && m.sweepHash !== plan.sweep.hash) throw other();
    } else if (readJson(path.join(runsDir, 'manifest.json'))?.sweepHash !== plan.sweep.hash) {
      throw other();
    }
  }
  makeDir(dir, o.out);
  // Until the indices are written, manifest.json says that the analysis is not complete (replaced at the end).
  // It is written first: a directory with it is recognisably this analysis's (--resume, --force) even if stopped at once.
  const mf = path.join(dir, 'manifest.json');
  const earlier = out.resuming ? readJson(mf) : undefined;
  const started: string = earlier?.started ?? new Date().toISOString();
  if (earlier?.complete !== false) {
    writeFileSync(mf, JSON.stringify({
      ...baseManifest('sensitivity'),
      complete: false,
      file: path.resolve(plan.file),
      overrides: plan.sweep.overrides,
      method: plan.method,
      parameters: plan.paths,
      outputs: plan.sa.outputs,
      points: plan.unit.length,
      replicates: plan.sa.replicates,
      runs: plan.unit.length * plan.sa.replicates,
      sweepHash: plan.sweep.hash,
      started,
    }, null, 2) + '\n');
  }
  writeFileSync(path.join(dir, 'design.csv'), designCsv(plan));
  const sweep = await runSweep(plan.sweep, { out: runsDir, threads: o.threads, resume: o.resume && existsSync(runsDir), force: false, stop: o.stop, onProgress: o.onProgress });
  if (sweep.interrupted) return { sweep };
  const points = plan.unit.length;
  const y = pointOutputs(readFileSync(path.join(runsDir, 'timeseries.csv'), 'utf8'), points, plan.sa.outputs, plan.sa.lastYears);
  let outs = csvRow(['point', ...plan.sa.outputs]);
  y.forEach((r, p) => (outs += csvRow([p, ...r])));
  writeFileSync(path.join(dir, 'outputs.csv'), outs);
  const rows = computeIndices(plan, y);
  const check = plan.saltelli ? sobolSampleCheck(rows, plan.saltelli.n) : undefined;
  writeFileSync(path.join(dir, 'sensitivity.csv'), sensitivityCsv(rows, check));
  writeFileSync(mf, JSON.stringify({
    ...baseManifest('sensitivity'),
    complete: true,
    file: path.resolve(plan.file),
    overrides: plan.sweep.overrides,
    analysis: plan.sa,
    method: plan.method,
    parameters: plan.paths,
    outputs: plan.sa.outputs,
    lastYears: plan.sa.lastYears,
    points,
    replicates: plan.sa.replicates,
    runs: points * plan.sa.replicates,
    failedRuns: sweep.failed.length,
    commonRandomNumbers: 'replicate k of every point runs with seed runSeed(base seed, 0, k)',
    replicateSeeds: Array.from({ length: plan.sa.replicates }, (_, k) => runSeed(plan.base.seed, 0, k)),
    design: plan.morris
      ? { type: 'morris', trajectories: plan.morris.trajectories, levels: plan.morris.levels, delta: plan.morris.delta, seed: plan.seed }
      : { type: 'saltelli', samples: plan.saltelli!.n, sequence: 'Sobol (Joe–Kuo 2008 direction numbers), points 1..N', estimators: 'S1 Saltelli 2010, ST Jansen 1999', seed: plan.seed },
    ...(check ? { sampleCheck: check } : {}),
    baseScenario: plan.base,
    sweepHash: plan.sweep.hash,
    metrics: METRIC_NAMES,
    threads: o.threads,
    started,
    finished: new Date().toISOString(),
    files: ['design.csv', 'outputs.csv', 'sensitivity.csv', 'manifest.json', 'runs/'],
  }, null, 2) + '\n');
  out.commit();
  return { sweep, rows, check };
}

/** A ranked table per output for the terminal. */
export function sensitivityTable(rows: SensitivityRow[], method: 'morris' | 'sobol', top = Infinity): string {
  const f = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? '–' : Math.abs(x) >= 1000 ? x.toExponential(2) : x.toFixed(d));
  const out: string[] = [];
  const metrics = [...new Set(rows.map((r) => r.metric))];
  for (const m of metrics) {
    const rs = rows.filter((r) => r.metric === m).slice(0, top);
    const header = method === 'morris' ? ['#', 'parameter', 'μ*', 'μ* 95% CI', 'σ', 'μ'] : ['#', 'parameter', 'ST', 'ST 95% CI', 'S1', 'S1 95% CI'];
    const body = rs.map((r, i) =>
      method === 'morris'
        ? [String(i + 1), r.parameter, f(r.muStar, 4), `[${f(r.muStarLow, 4)}, ${f(r.muStarHigh, 4)}]`, f(r.sigma, 4), f(r.mu, 4)]
        : [String(i + 1), r.parameter, f(r.ST), `[${f(r.STLow)}, ${f(r.STHigh)}]`, f(r.S1), `[${f(r.S1Low)}, ${f(r.S1High)}]`],
    );
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    out.push(`${m}${method === 'morris' ? ' (Morris, ranked by μ*)' : ' (Sobol, ranked by total index ST)'}`, line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line), '');
  }
  return out.join('\n');
}
