/**
 * Targets and the distance a calibration minimises. A target's value in one
 * run is the mean of its metric over its years (years where the metric is
 * undefined are left out); its simulated value is the mean of that over the
 * replicates. A target's observed figure is given, or read from a timeseries.csv
 * of observed metrics (observedFile: `cadreflow observe` on career records) as a
 * run's value is: averaged over its years within each replicate of the file, then
 * over the replicates. The distance is Σ_t w_t · (dev_t / s_t)², where dev_t is
 * simulated − observed (for `at-least` only a shortfall counts, for
 * `at-most` only an excess), and s_t is the target's tolerance (or, without
 * one, |observed|, so the error is relative). A target whose metric is
 * undefined in every replicate adds w_t · MISSING_PENALTY.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { METRIC_NAMES } from '../metrics/definitions.js';
import type { PackedResult } from '../experiment/run-one.js';
import type { Target } from './calibrate-schema.js';
import { checkMetrics } from './sensitivity-plan.js';

/** Distance added by a target that is undefined in every replicate: as if it were ten tolerances off. */
export const MISSING_PENALTY = 100;

export interface ResolvedTarget extends Omit<Target, 'observed'> {
  /** The observed figure: given, or read from observedFile. */
  observed: number;
  label: string;
  metricIndex: number;
  yearList: number[];
  /** The years as written in fit.csv: "2006", "2006-2010" or "2006;2011". */
  windowText: string;
}

export function resolveTargets(file: string, targets: Target[], base: Scenario): ResolvedTarget[] {
  checkMetrics(file, targets.map((t, i) => ({ path: `targets[${i}].metric`, name: t.metric })));
  const first = base.startYear;
  const last = base.startYear + base.years - 1;
  const seen = new Set<string>();
  const problems: InputError['problems'] = [];
  const out = targets.map((t, i) => {
    let yearList: number[];
    let windowText: string;
    let field: string;
    if (t.year !== undefined) {
      yearList = [t.year];
      windowText = String(t.year);
      field = 'year';
    } else if (t.window) {
      yearList = [];
      for (let y = t.window[0]; y <= t.window[1]; y++) yearList.push(y);
      windowText = `${t.window[0]}-${t.window[1]}`;
      field = 'window';
    } else {
      yearList = [...t.years!];
      windowText = yearList.join(';');
      field = 'years';
    }
    const outside = yearList.filter((y) => y < first || y > last);
    if (outside.length) problems.push({ path: `targets[${i}].${field}`, value: t.year ?? t.window ?? t.years, allowed: `years the base scenario reports, ${first}–${last} (startYear ${first}, ${base.years} years)` });
    let label = t.name ?? t.metric;
    if (seen.has(label)) label = `${label}_${i + 1}`;
    seen.add(label);
    let observed = t.observed ?? NaN;
    if (t.observedFile !== undefined && !outside.length && METRIC_NAMES.includes(t.metric)) {
      const read = observedValue(path.resolve(path.dirname(file), t.observedFile), t.metric, yearList);
      if (typeof read === 'string') problems.push({ path: `targets[${i}].observedFile`, value: t.observedFile, allowed: read });
      else observed = read;
    }
    return { ...t, observed, label, metricIndex: METRIC_NAMES.indexOf(t.metric), yearList, windowText };
  });
  if (problems.length) throw new InputError(problems, file);
  return out;
}

/**
 * A metric's observed value in a timeseries.csv (of observe, or of run): within each replicate
 * the mean of its defined values in `years`, then the mean over the replicates that have one — as
 * runValue and finiteMean make a run's. A string says what is wrong with the file.
 */
export function observedValue(file: string, metric: string, years: number[]): number | string {
  if (!existsSync(file)) return 'a timeseries.csv of observed metrics (cadreflow observe writes one); there is no such file';
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
  const header = (lines[0] ?? '').split(',');
  const col = header.indexOf(metric), yc = header.indexOf('year'), rc = header.indexOf('replicate');
  if (col < 0 || yc < 0) return `a timeseries.csv with the columns year and ${metric}`;
  const want = new Set(years);
  const byRep = new Map<string, number[]>();
  let inYears = 0;
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (!want.has(Number(cells[yc]))) continue;
    inYears++;
    const rep = rc >= 0 ? cells[rc]! : '';
    if (!byRep.has(rep)) byRep.set(rep, []);
    const cell = cells[col] ?? '';
    if (cell !== '') byRep.get(rep)!.push(Number(cell));
  }
  if (!inYears) return `a timeseries.csv with rows in the target's years (${years[0]}–${years[years.length - 1]}); this one has none`;
  const v = finiteMean([...byRep.values()].map((xs) => finiteMean(xs)));
  if (!Number.isFinite(v)) return `a timeseries.csv in which ${metric} has a value in the target's years; it is empty there (the records cannot give it: see notMeasured and leftEmptyInSomeYears in observe's manifest.json)`;
  return v;
}

/** The target's value in one run: the mean of its metric over its years (NaN if undefined in all of them). */
export function runValue(t: ResolvedTarget, r: PackedResult): number {
  const m = METRIC_NAMES.length;
  let s = 0;
  let n = 0;
  for (const y of t.yearList) {
    const i = r.years.indexOf(y);
    if (i < 0) continue;
    const v = r.metrics[i * m + t.metricIndex]!;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** Mean of the finite values (NaN if none). */
export function finiteMean(xs: number[]): number {
  let s = 0;
  let n = 0;
  for (const x of xs) if (Number.isFinite(x)) { s += x; n++; }
  return n ? s / n : NaN;
}

/** What the distance reads of a target. */
export type Scored = Pick<ResolvedTarget, 'observed' | 'relation' | 'tolerance' | 'weight'>;

/** Signed deviation that counts: simulated − observed, clipped to the side that matters for at-least / at-most. */
export function deviation(t: Scored, simulated: number): number {
  const d = simulated - t.observed;
  if (t.relation === 'at-least') return Math.min(0, d);
  if (t.relation === 'at-most') return Math.max(0, d);
  return d;
}

export function scaleOf(t: Scored): number {
  return t.tolerance ?? (Math.abs(t.observed) > 0 ? Math.abs(t.observed) : 1);
}

/** One target's share of the distance. */
export function targetDistance(t: Scored, simulated: number): number {
  if (!Number.isFinite(simulated)) return t.weight * MISSING_PENALTY;
  return t.weight * (deviation(t, simulated) / scaleOf(t)) ** 2;
}

export function objective(targets: Scored[], means: number[]): number {
  let f = 0;
  targets.forEach((t, i) => (f += targetDistance(t, means[i]!)));
  return f;
}

/** Within tolerance (undefined without a tolerance or a simulated value). */
export function within(t: Scored, simulated: number): boolean | undefined {
  if (t.tolerance === undefined || !Number.isFinite(simulated)) return undefined;
  return Math.abs(deviation(t, simulated)) <= t.tolerance + 1e-12;
}
