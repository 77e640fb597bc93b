/**
 * The parameter columns of a sweep's points.csv and runs.csv: each parameter's
 * value in the point (a list as one JSON cell), and after a list-valued
 * parameter whose lever has a numeric default — `policy.hardshipAllowance`,
 * the allowance shares by hardship class — a column `<path>.scale` that a plot
 * can use as a number:
 *
 *   scale = Σ_k value[k] / Σ_k default[k]
 *
 * the ratio of the sums of the list and of the lever's default (for
 * hardshipAllowance the 2011 scheme [0.024, 0.042, 0.07, 0.08, 0.136, 0.2],
 * Σ 0.552). It is 1 for the default, c for the default multiplied by c, and
 * for a list of another shape the factor by which the default would have to be
 * multiplied to give the same sum over the classes (classes are not weighted by
 * how many regions or cadres they hold). A point that does not set the
 * parameter, or sets it to something other than a list, has an empty cell.
 */
import { parseScenario } from '../scenario/load.js';
import type { Point } from './sweep-schema.js';

export interface ParamColumn {
  /** The parameter (dotted path) the column belongs to. */
  path: string;
  header: string;
  /** For a `.scale` column: the default list it is measured against. */
  reference?: number[];
}

let defaults: unknown;

/** The scenario default of a list-valued lever at `path` (a reform's lever: the lever's default), if it is a list of numbers with a positive sum. */
export function listDefault(path: string): number[] | undefined {
  defaults ??= parseScenario({});
  const keys = path.replace(/\[(\d+)\]/g, '.$1').replace(/^reforms\.\d+\./, '').split('.');
  let v: unknown = defaults;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number')) return undefined;
  return v.reduce((a, b) => a + b, 0) > 0 ? (v as number[]) : undefined;
}

/** Σ values / Σ reference. */
export function listScale(values: number[], reference: number[]): number {
  let s = 0;
  for (const x of values) s += x;
  let r = 0;
  for (const x of reference) r += x;
  return s / r;
}

const memo = new WeakMap<object, ParamColumn[]>();

/** The columns of a design's parameters (memoised per plan). */
export function paramColumns(plan: { paths: string[]; points: Point[] }): ParamColumn[] {
  let cols = memo.get(plan);
  if (cols) return cols;
  cols = [];
  for (const path of plan.paths) {
    cols.push({ path, header: path });
    if (!plan.points.some((pt) => Array.isArray(pt[path]))) continue;
    const reference = listDefault(path);
    if (reference) cols.push({ path, header: `${path}.scale`, reference });
  }
  memo.set(plan, cols);
  return cols;
}

/** A point's cells in those columns: numbers, booleans (TRUE/FALSE), text, a list as JSON; empty where the point leaves the parameter as it is. */
export function paramCells(cols: ParamColumn[], pt: Point): (string | number | boolean)[] {
  return cols.map((c) => {
    const v = pt[c.path];
    if (c.reference) return Array.isArray(v) ? listScale(v, c.reference) : '';
    return v === undefined ? '' : Array.isArray(v) ? JSON.stringify(v) : v;
  });
}
