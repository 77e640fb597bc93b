/**
 * Design points of a sweep: full-factorial grids, Latin hypercube samples,
 * uniform random samples and explicit lists. Deterministic: the same design
 * and seed give the same points in the same order.
 */
import type { Design, ParamValue, Point } from './sweep-schema.js';
import { Stream } from '../random/stream.js';

type Ranged = { min: number; max: number; integer: boolean } | { values: ParamValue[] };

/** Maps u in [0,1) to a value of the parameter's range or choice. */
export function valueAt(r: Ranged, u: number): ParamValue {
  if ('values' in r) return r.values[Math.min(r.values.length - 1, Math.floor(u * r.values.length))]!;
  if (r.integer) return Math.min(r.max, Math.floor(r.min + u * (r.max - r.min + 1)));
  return r.min + u * (r.max - r.min);
}

/** Full factorial; the last parameter varies fastest (as itertools.product and expand.grid's reverse). */
export function gridPoints(params: Record<string, ParamValue[]>): Point[] {
  let out: Point[] = [{}];
  for (const [path, values] of Object.entries(params)) {
    const next: Point[] = [];
    for (const p of out) for (const v of values) next.push({ ...p, [path]: v });
    out = next;
  }
  return out;
}

/** Latin hypercube: each parameter's range cut into n equal strata, one sample per stratum, strata shuffled independently. */
export function lhsUnit(n: number, dims: number, rng: Stream): number[][] {
  const cols: number[][] = [];
  for (let d = 0; d < dims; d++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    cols.push(perm.map((stratum) => (stratum + rng.next()) / n));
  }
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
}

export function designPoints(design: Design, defaultSeed: number): Point[] {
  switch (design.type) {
    case 'grid':
      return gridPoints(design.parameters);
    case 'list':
      return design.points;
    case 'lhs':
    case 'random': {
      const paths = Object.keys(design.parameters);
      const rng = new Stream(design.seed ?? defaultSeed, `design.${design.type}`, 0);
      const unit = design.type === 'lhs'
        ? lhsUnit(design.samples, paths.length, rng)
        : Array.from({ length: design.samples }, () => paths.map(() => rng.next()));
      return unit.map((row) => Object.fromEntries(paths.map((p, d) => [p, valueAt(design.parameters[p] as Ranged, row[d]!)])));
    }
  }
}

/** The parameter paths of a design, in column order. */
export function designPaths(design: Design, points: Point[]): string[] {
  if (design.type !== 'list') return Object.keys(design.parameters);
  const seen: string[] = [];
  for (const p of points) for (const k of Object.keys(p)) if (!seen.includes(k)) seen.push(k);
  return seen;
}
