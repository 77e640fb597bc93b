/**
 * The cases of scenario discovery (`cadreflow discover DIR`, README "Scenario
 * discovery"): from a finished sweep (or merge) or an `optimize` results
 * directory, one case per run — or per design point — with its inputs (the
 * design's levers and, over a posterior, the particle's parameter values) and
 * whether the condition on the metrics holds.
 *
 * Sweeps: a case is a (point, replicate) of timeseries.csv; with
 * `cases: 'points'` a point, with the mean over its replicates. Its inputs are
 * the design's parameters (manifest.json `parameters`) as points.csv holds
 * them: a column of numbers is numeric, any other (TRUE/FALSE, text) is
 * categorical, and a list-valued lever is measured by its `.scale` column. A
 * point that leaves a parameter unset has the category "(base)", so such a
 * parameter is categorical. Over a posterior (manifest.json `posterior`) each
 * parameter of the posterior file is a numeric input too, the value of the
 * particle the replicate ran (timeseries.csv `particle`); the file is read from
 * where the manifest names it (or `posterior`) and must have the SHA-256 that
 * the manifest records. A metric's value is the metric in `year` (default the
 * last reported year) or its mean over the defined years of `window`; with
 * `versus`, its difference against the same replicate of that point (common
 * random numbers), the reference point's own cases left out. A case whose value
 * is undefined (the metric undefined in every year of the window; the
 * reference run missing) is left out and counted.
 *
 * optimize: a case is a row of evaluations.csv, one per candidate: the lever
 * columns (dotted paths, a list lever by its `.scale`) are the inputs, and a
 * condition names any other column (an objective's mean, `_ci_low`,
 * `_ci_high`, a constraint metric, `rank`; `feasible` reads TRUE as 1 and
 * FALSE as 0).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, inputError } from '../scenario/errors.js';
import { parseCsv, type Table } from '../report/csv-read.js';
import { LineReader } from '../experiment/line-reader.js';
import { readPosterior } from '../experiment/posterior.js';
import type { PrimInput } from './prim.js';

export type Op = '<' | '<=' | '>' | '>=' | '==';
export interface Condition {
  metric: string;
  op: Op;
  value: number;
  /** As given, normalised: "stagnation_share < 0.15". */
  text: string;
}

const CONDITION = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|==|<|>|=)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;
const CONDITION_ALLOWED = 'METRIC OP NUMBER, e.g. "stagnation_share < 0.15", OP one of <, <=, >, >=, == (several --where must all hold)';

export function parseCondition(s: string): Condition {
  const m = CONDITION.exec(s);
  if (!m) throw inputError('--where', s, CONDITION_ALLOWED);
  const op = (m[2] === '=' ? '==' : m[2]) as Op;
  const value = Number(m[3]);
  return { metric: m[1]!, op, value, text: `${m[1]} ${op} ${m[3]}` };
}

export function holds(c: Condition, x: number): boolean {
  switch (c.op) {
    case '<': return x < c.value;
    case '<=': return x <= c.value;
    case '>': return x > c.value;
    case '>=': return x >= c.value;
    default: return x === c.value;
  }
}

export interface CaseOptions {
  where: Condition[];
  year?: number;
  window?: [number, number];
  versus?: number;
  cases?: 'replicates' | 'points';
  /** Where the posterior file is, when not where the manifest says. */
  posterior?: string;
}

export interface Cases {
  kind: 'sweep' | 'optimize';
  /** The columns that name a case (point, replicate, particle; or row) and their cells. */
  idHeader: string[];
  ids: (number | string)[][];
  inputs: PrimInput[];
  /** Per condition, the column name of its value in cases.csv (the metric, `<metric>_diff` against a point) and the values. */
  valueHeader: string[];
  values: number[][];
  y: Uint8Array;
  /** Cases left out, and why. */
  leftOut: { n: number; why: string }[];
  /** What the values are: "in 2050", "mean over 2045–2050", and the reference point. */
  years?: { from: number; to: number };
  versus?: number;
  caseMode: 'replicates' | 'points' | 'candidates';
  posterior?: { file: string; sha256: string; parameters: string[] };
  manifest: Record<string, any>;
}

function readJson(file: string, shown: string): Record<string, any> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw inputError(shown, undefined, `valid JSON (${(e as Error).message})`);
  }
}

function readTable(file: string, shown: string): Table {
  if (!existsSync(file)) throw inputError('<DIR>', shown, `a results directory with ${path.basename(file)}`);
  return parseCsv(readFileSync(file, 'utf8'));
}

const isNumberCell = (s: string) => s !== '' && Number.isFinite(Number(s)) && !/^\s|\s$/.test(s);

/** An input from one column's cells: numeric when every cell is a number, else categorical (labels in sorted order; an empty cell is "(base)"). */
function inputFrom(name: string, cells: string[]): PrimInput {
  if (cells.length && cells.every(isNumberCell)) return { name, kind: 'numeric', values: cells.map(Number) };
  const labels = [...new Set(cells.map((c) => (c === '' ? '(base)' : c)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const code = new Map(labels.map((l, i) => [l, i]));
  return { name, kind: 'categorical', labels, codes: cells.map((c) => code.get(c === '' ? '(base)' : c)!) };
}

/** The input columns among `header`: each path, or its `.scale` column where there is one. */
function inputColumns(header: string[], paths: string[]): { name: string; index: number }[] {
  return paths.map((p) => {
    const scale = header.indexOf(`${p}.scale`);
    const index = scale >= 0 ? scale : header.indexOf(p);
    return { name: scale >= 0 ? `${p}.scale` : p, index };
  });
}

/** The case's cell of `header` in a fresh table of `name` column per case (numbers or labels). */
export function inputCell(inp: PrimInput, i: number): string | number {
  return inp.kind === 'numeric' ? inp.values[i]! : inp.labels[inp.codes[i]!]!;
}

export function loadCases(dir: string, o: CaseOptions): Cases {
  const abs = path.resolve(dir);
  if (!existsSync(abs)) throw inputError('<DIR>', dir, 'a results directory of cadreflow sweep, merge or optimize');
  if (!o.where.length) throw inputError('--where', undefined, CONDITION_ALLOWED);
  const mf = path.join(abs, 'manifest.json');
  const manifest = existsSync(mf) ? readJson(mf, `${dir}/manifest.json`) : {};
  if (existsSync(path.join(abs, 'evaluations.csv'))) return optimizeCases(abs, dir, manifest, o);
  if (manifest.command === 'sweep' || manifest.command === 'merge') return sweepCases(abs, dir, manifest, o);
  throw inputError('<DIR>', dir, 'a results directory of cadreflow sweep or merge (manifest.json with "command": "sweep" or "merge") or of optimize (with evaluations.csv)');
}

function optimizeCases(abs: string, dir: string, manifest: Record<string, any>, o: CaseOptions): Cases {
  for (const [flag, v] of [['--year', o.year], ['--window', o.window], ['--versus', o.versus], ['--cases', o.cases], ['--posterior', o.posterior]] as const) {
    if (v !== undefined) throw inputError(flag, Array.isArray(v) ? v.join(':') : v, `nothing for an optimize directory: evaluations.csv has one value per candidate (its objectives already averaged over their years and replicates)`);
  }
  const file = path.join(abs, 'evaluations.csv');
  const shown = path.join(dir, 'evaluations.csv');
  const t = parseCsv(readFileSync(file, 'utf8'));
  const levers = t.header.filter((h) => h.includes('.') && !h.endsWith('.scale'));
  if (!levers.length) throw new InputError([{ path: '(header)', value: t.header.join(','), allowed: 'a lever column per lever path (a dotted path such as policy.maxTenure), then the metric columns' }], shown);
  const cols = inputColumns(t.header, levers);
  const inputs = cols.map((c) => inputFrom(c.name, t.rows.map((r) => r[c.index] ?? '')));
  const leverSet = new Set(t.header.filter((h) => h.includes('.')));
  const metricCols = o.where.map((c) => {
    const j = t.header.indexOf(c.metric);
    if (j < 0 || leverSet.has(c.metric)) {
      throw new InputError([{ path: '--where', value: c.text, allowed: `a condition on a column of evaluations.csv other than the levers: ${t.header.filter((h) => !leverSet.has(h)).join(', ')}` }], shown);
    }
    return j;
  });
  const cell = (s: string | undefined): number => (s === 'TRUE' || s === 'true' ? 1 : s === 'FALSE' || s === 'false' ? 0 : s === undefined || s === '' ? NaN : Number(s));
  const keep: number[] = [];
  const values: number[][] = o.where.map(() => []);
  let undef = 0;
  t.rows.forEach((r, i) => {
    const v = metricCols.map((j) => cell(r[j]));
    const bad = v.findIndex((x) => Number.isNaN(x));
    if (bad >= 0) {
      const raw = r[metricCols[bad]!] ?? '';
      if (raw !== '') throw new InputError([{ path: `row ${i + 1}, column ${o.where[bad]!.metric}`, value: raw, allowed: 'a number, TRUE or FALSE, or an empty cell (undefined)' }], shown);
      undef++;
      return;
    }
    keep.push(i);
    v.forEach((x, c) => values[c]!.push(x));
  });
  return finish({
    kind: 'optimize', idHeader: ['row'], ids: keep.map((i) => [i + 1]),
    inputs: inputs.map((inp) => subset(inp, keep)), valueHeader: o.where.map((c) => c.metric), values,
    leftOut: undef ? [{ n: undef, why: 'a condition’s column is empty (undefined)' }] : [], caseMode: 'candidates', manifest,
  }, o);
}

function subset(inp: PrimInput, keep: number[]): PrimInput {
  if (inp.kind === 'numeric') return { ...inp, values: keep.map((i) => inp.values[i]!) };
  // Re-code to the categories that remain, so that a category absent from the cases is no box's limit.
  return inputFrom(inp.name, keep.map((i) => (inp.labels[inp.codes[i]!] === '(base)' ? '' : inp.labels[inp.codes[i]!]!)));
}

function finish(c: Omit<Cases, 'y'>, o: CaseOptions): Cases {
  const n = c.ids.length;
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = o.where.every((w, k) => holds(w, c.values[k]![i]!)) ? 1 : 0;
  return { ...c, y };
}

function sweepCases(abs: string, dir: string, manifest: Record<string, any>, o: CaseOptions): Cases {
  const mfShown = path.join(dir, 'manifest.json');
  if (manifest.complete === false) throw new InputError([{ path: 'complete', value: false, allowed: 'a complete sweep', message: `${dir} holds a sweep that is not complete (manifest.json: "complete": false); finish it with cadreflow sweep --resume first` }], mfShown);
  const paths: string[] = Array.isArray(manifest.parameters) ? manifest.parameters : [];
  if (!paths.length) throw new InputError([{ path: 'parameters', value: manifest.parameters, allowed: 'the design’s parameters (a list of dotted paths)' }], mfShown);
  const points = readTable(path.join(abs, 'points.csv'), dir);
  const nPoints = points.rows.length;
  const cols = inputColumns(points.header, paths);
  const missing = cols.find((c) => c.index < 0);
  if (missing) throw new InputError([{ path: '(header)', value: missing.name, allowed: `a column of each design parameter (${paths.join(', ')})` }], path.join(dir, 'points.csv'));
  const iPoint = points.header.indexOf('point');
  const pointRow = new Map(points.rows.map((r, i) => [Number(r[iPoint]), i]));
  if (o.versus !== undefined && !pointRow.has(o.versus)) throw inputError('--versus', o.versus, `a point of ${path.join(dir, 'points.csv')}: 0 to ${nPoints - 1}`);
  const mode = o.cases ?? 'replicates';

  // The posterior the replicates ran over, checked against the manifest's hash.
  let posterior: Cases['posterior'];
  let particleValues: Map<number, number[]> | undefined;
  if (manifest.posterior) {
    const rec = manifest.posterior as { file: string; sha256: string };
    const file = o.posterior ?? rec.file;
    const shown = o.posterior ? '--posterior' : 'posterior.file';
    if (!existsSync(file)) {
      throw new InputError([{ path: shown, value: file, allowed: `the posterior file the sweep ran over (SHA-256 ${rec.sha256}); it is not there: give its copy with --posterior FILE`, file: o.posterior ? 'command line' : mfShown }]);
    }
    const post = readPosterior(file);
    if (post.sha256 !== rec.sha256) {
      throw new InputError([{ path: shown, value: file, allowed: `the posterior file the sweep ran over, SHA-256 ${rec.sha256} (manifest.json); this file's is ${post.sha256}`, file: o.posterior ? 'command line' : mfShown }]);
    }
    posterior = { file: path.resolve(file), sha256: post.sha256, parameters: post.paths };
    particleValues = new Map(post.particles.map((p) => [p.particle, p.values]));
  } else if (o.posterior !== undefined) {
    throw inputError('--posterior', o.posterior, `only for a sweep run over a posterior; ${mfShown} has no posterior`);
  }

  // timeseries.csv, streamed: per (point, replicate), the sum and count of each metric's defined values in the years.
  const tsFile = path.join(abs, 'timeseries.csv');
  const tsShown = path.join(dir, 'timeseries.csv');
  if (!existsSync(tsFile)) throw inputError('<DIR>', dir, 'a sweep results directory with timeseries.csv');
  const reader = new LineReader(tsFile);
  const header = (reader.next() ?? '').replace(/\r$/, '').split(',');
  const iP = header.indexOf('point'), iR = header.indexOf('replicate'), iY = header.indexOf('year'), iPart = header.indexOf('particle');
  const metricAllowed = header.filter((h) => !['point', 'replicate', 'seed', 'year', 'particle'].includes(h));
  const iM = o.where.map((c) => {
    const j = header.indexOf(c.metric);
    if (j < 0 || !metricAllowed.includes(c.metric)) {
      reader.close();
      throw new InputError([{ path: '--where', value: c.text, allowed: `a condition on a metric of timeseries.csv: ${metricAllowed.join(', ')}` }], tsShown);
    }
    return j;
  });
  if (posterior && iPart < 0) {
    reader.close();
    throw new InputError([{ path: '(header)', value: 'particle', allowed: 'a particle column (the sweep ran over a posterior)' }], tsShown);
  }
  // Rows are in (point, replicate, year) order; a run's years are first read, then folded when the window is known.
  type Run = { point: number; replicate: number; particle: number; years: number[]; vals: number[][] };
  const runs: Run[] = [];
  let yearMin = Infinity, yearMax = -Infinity;
  let cur: Run | undefined;
  let lineNo = 1;
  try {
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      lineNo++;
      if (line === '' || line === '\r') continue;
      const c = line.replace(/\r$/, '').split(',');
      const p = Number(c[iP]), r = Number(c[iR]), yr = Number(c[iY]);
      if (!Number.isInteger(p) || !Number.isInteger(r) || !Number.isInteger(yr)) throw new InputError([{ path: `line ${lineNo}`, value: line.slice(0, 40), allowed: 'a row of point, replicate, seed, year and the metrics' }], tsShown);
      if (!cur || cur.point !== p || cur.replicate !== r) {
        const part = posterior ? Number(c[iPart]) : NaN;
        if (posterior && !particleValues!.has(part)) throw new InputError([{ path: `line ${lineNo}, column particle`, value: c[iPart], allowed: `a particle of ${posterior.file}` }], tsShown);
        cur = { point: p, replicate: r, particle: part, years: [], vals: o.where.map(() => []) };
        runs.push(cur);
      }
      cur.years.push(yr);
      iM.forEach((j, k) => cur!.vals[k]!.push(c[j] === '' || c[j] === undefined ? NaN : Number(c[j])));
      if (yr < yearMin) yearMin = yr;
      if (yr > yearMax) yearMax = yr;
    }
  } finally {
    reader.close();
  }
  if (!runs.length) throw inputError('<DIR>', dir, 'a sweep with runs in timeseries.csv (it has none)');
  const span = `${yearMin} to ${yearMax}, the reported years of ${tsShown}`;
  let from = yearMax, to = yearMax;
  if (o.year !== undefined && o.window !== undefined) throw inputError('--window', o.window.join(':'), 'either --year or --window, not both');
  if (o.year !== undefined) {
    if (o.year < yearMin || o.year > yearMax) throw inputError('--year', o.year, `a year from ${span}`);
    from = to = o.year;
  }
  if (o.window) {
    [from, to] = o.window;
    if (from > to || from < yearMin || to > yearMax) throw inputError('--window', `${from}:${to}`, `FROM:TO with FROM ≤ TO, both from ${span}`);
  }
  const valueOf = (run: Run, k: number): number => {
    let s = 0, n = 0;
    run.years.forEach((yr, t) => {
      const v = run.vals[k]![t]!;
      if (yr >= from && yr <= to && Number.isFinite(v)) { s += v; n++; }
    });
    return n ? s / n : NaN;
  };
  const runValues = runs.map((run) => o.where.map((_, k) => valueOf(run, k)));
  const byKey = new Map(runs.map((run, i) => [`${run.point}:${run.replicate}`, i]));

  // Per run: its values (or differences against the reference point's same replicate).
  const leftOut = new Map<string, number>();
  const drop = (why: string) => leftOut.set(why, (leftOut.get(why) ?? 0) + 1);
  type Kept = { run: Run; v: number[] };
  const kept: Kept[] = [];
  runs.forEach((run, i) => {
    if (!pointRow.has(run.point)) throw new InputError([{ path: 'point', value: run.point, allowed: `a point of points.csv (0 to ${nPoints - 1})` }], tsShown);
    if (o.versus !== undefined && run.point === o.versus) return;
    let v = runValues[i]!;
    if (o.versus !== undefined) {
      const ref = byKey.get(`${o.versus}:${run.replicate}`);
      if (ref === undefined) { drop(`point ${o.versus} has no replicate of the same number`); return; }
      v = v.map((x, k) => x - runValues[ref]![k]!);
    }
    if (v.some((x) => !Number.isFinite(x))) { drop(o.versus !== undefined ? 'a condition’s metric is undefined in the window (here or at the reference point)' : 'a condition’s metric is undefined in every year of the window'); return; }
    kept.push({ run, v });
  });

  const valueHeader = o.where.map((c) => (o.versus !== undefined ? `${c.metric}_diff` : c.metric));
  const inputCells = (pt: number) => cols.map((c) => points.rows[pointRow.get(pt)!]![c.index] ?? '');
  let ids: (number | string)[][];
  let values: number[][];
  let inputs: PrimInput[];
  if (mode === 'points') {
    const byPoint = new Map<number, Kept[]>();
    for (const k of kept) {
      const list = byPoint.get(k.run.point);
      if (list) list.push(k);
      else byPoint.set(k.run.point, [k]);
    }
    const pts = [...byPoint.keys()];
    ids = pts.map((p) => [p, byPoint.get(p)!.length]);
    values = o.where.map((_, c) => pts.map((p) => {
      const l = byPoint.get(p)!;
      return l.reduce((a, k) => a + k.v[c]!, 0) / l.length;
    }));
    const cells = pts.map(inputCells);
    inputs = cols.map((c, j) => inputFrom(c.name, cells.map((r) => r[j]!)));
    return finish({
      kind: 'sweep', idHeader: ['point', 'replicates'], ids, inputs, valueHeader, values,
      leftOut: [...leftOut].map(([why, n]) => ({ n, why: `runs left out: ${why}` })), years: { from, to }, versus: o.versus, caseMode: 'points', posterior, manifest,
    }, o);
  }
  ids = kept.map((k) => (posterior ? [k.run.point, k.run.replicate, k.run.particle] : [k.run.point, k.run.replicate]));
  values = o.where.map((_, c) => kept.map((k) => k.v[c]!));
  const cells = kept.map((k) => inputCells(k.run.point));
  inputs = cols.map((c, j) => inputFrom(c.name, cells.map((r) => r[j]!)));
  if (posterior) posterior.parameters.forEach((p, j) => inputs.push({ name: p, kind: 'numeric', values: kept.map((k) => particleValues!.get(k.run.particle)![j]!) }));
  return finish({
    kind: 'sweep', idHeader: posterior ? ['point', 'replicate', 'particle'] : ['point', 'replicate'], ids, inputs, valueHeader, values,
    leftOut: [...leftOut].map(([why, n]) => ({ n, why })), years: { from, to }, versus: o.versus, caseMode: 'replicates', posterior, manifest,
  }, o);
}
