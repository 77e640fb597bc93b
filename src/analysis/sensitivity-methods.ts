/**
 * The estimators of global sensitivity analysis, as pure functions of a
 * design and its model outputs (no simulation here, so they are tested on
 * functions whose indices are known):
 *
 * - Morris elementary effects (Morris 1991; μ* of Campolongo, Cariboni &
 *   Saltelli 2007): r one-at-a-time trajectories on a grid of p levels in the
 *   unit cube, steps of Δ = p / (2(p − 1)); μ* = mean |EE|, μ = mean EE,
 *   σ = standard deviation of EE; a bootstrap interval of μ* over trajectories.
 * - Sobol indices by Saltelli sampling (Saltelli 2002; Saltelli et al. 2010):
 *   matrices A and B from the first and last d coordinates of a 2d-dimensional
 *   Sobol sequence, and AB_i = A with column i from B; first order
 *   S1_i = E[f(B)(f(AB_i) − f(A))] / V (Saltelli 2010, table 2 (b); f
 *   centred on its mean first), total
 *   ST_i = E[(f(A) − f(AB_i))²] / 2V (Jansen 1999); V the variance of f over
 *   A and B together; percentile bootstrap intervals over the N base rows.
 *
 * Points are in the unit cube; callers map them to parameter values. Rows
 * whose outputs are not finite (a metric undefined in a run) are left out of
 * the estimates that need them.
 */
import { sobolPoints, SOBOL_MAX_DIMENSIONS } from './sobol-sequence.js';

/** A uniform random number generator on [0, 1). */
export type Rng = () => number;

// ---------------------------------------------------------------- Morris

export interface MorrisDesign {
  d: number;
  trajectories: number;
  levels: number;
  /** Step in unit coordinates: p / (2(p − 1)). */
  delta: number;
  /** trajectories × (d + 1) points, trajectory-major. */
  unit: number[][];
  /** For trajectory t and step j = 1..d (index j − 1): the parameter moved and the signed step (±delta). */
  moves: { param: number; step: number }[][];
}

/**
 * r Morris trajectories in d dimensions on p levels (p even, so that Δ is a
 * whole number of grid steps and every point lies on the grid). Each starts
 * at a random grid point; each coordinate, in a random order, moves by +Δ if
 * it can and by −Δ otherwise (equivalent to Morris's random orientation).
 */
export function morrisDesign(d: number, r: number, p: number, rng: Rng): MorrisDesign {
  if (!Number.isInteger(p) || p < 2 || p % 2 !== 0) throw new RangeError(`Morris levels must be an even number ≥ 2, not ${p}`);
  const half = p / 2;
  const delta = half / (p - 1);
  const unit: number[][] = [];
  const moves: MorrisDesign['moves'] = [];
  for (let t = 0; t < r; t++) {
    const level = Array.from({ length: d }, () => Math.floor(rng() * p));
    const order = Array.from({ length: d }, (_, i) => i);
    for (let i = d - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let x = level.map((l) => l / (p - 1));
    unit.push(x);
    const tm: { param: number; step: number }[] = [];
    for (const i of order) {
      const up = level[i]! + half <= p - 1;
      level[i] = up ? level[i]! + half : level[i]! - half;
      x = x.slice();
      x[i] = level[i]! / (p - 1);
      unit.push(x);
      tm.push({ param: i, step: up ? delta : -delta });
    }
    moves.push(tm);
  }
  return { d, trajectories: r, levels: p, delta, unit, moves };
}

export interface MorrisIndex {
  /** Mean elementary effect (signed). */
  mu: number;
  /** Mean absolute elementary effect. */
  muStar: number;
  /** Standard deviation of the elementary effects (n − 1). */
  sigma: number;
  /** Percentile bootstrap interval of μ* over trajectories. */
  muStarLow: number;
  muStarHigh: number;
  /** Elementary effects used (trajectories with finite outputs). */
  n: number;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const meanOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Elementary effects of each parameter, per trajectory, from outputs y in design order. */
export function elementaryEffects(design: MorrisDesign, y: ArrayLike<number>): number[][] {
  const ee: number[][] = Array.from({ length: design.d }, () => []);
  design.moves.forEach((tm, t) => {
    const base = t * (design.d + 1);
    tm.forEach((m, j) => {
      const a = y[base + j]!;
      const b = y[base + j + 1]!;
      if (Number.isFinite(a) && Number.isFinite(b)) ee[m.param]!.push((b - a) / m.step);
    });
  });
  return ee;
}

export function morrisIndices(design: MorrisDesign, y: ArrayLike<number>, opts: { bootstrap?: number; rng?: Rng } = {}): MorrisIndex[] {
  const B = opts.bootstrap ?? 0;
  return elementaryEffects(design, y).map((e) => {
    const n = e.length;
    const mu = meanOf(e);
    const abs = e.map(Math.abs);
    const muStar = meanOf(abs);
    const sigma = n > 1 ? Math.sqrt(e.reduce((s, v) => s + (v - mu) ** 2, 0) / (n - 1)) : NaN;
    let muStarLow = NaN;
    let muStarHigh = NaN;
    if (B > 0 && n > 1 && opts.rng) {
      const boots: number[] = [];
      for (let b = 0; b < B; b++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += abs[Math.floor(opts.rng() * n)]!;
        boots.push(s / n);
      }
      boots.sort((a, b) => a - b);
      muStarLow = percentile(boots, 0.025);
      muStarHigh = percentile(boots, 0.975);
    }
    return { mu, muStar, sigma, muStarLow, muStarHigh, n };
  });
}

// ---------------------------------------------------------------- Sobol (Saltelli)

/** Largest number of parameters Saltelli sampling supports with the shipped direction numbers. */
export const SALTELLI_MAX_PARAMETERS = Math.floor(SOBOL_MAX_DIMENSIONS / 2);

export interface SaltelliDesign {
  d: number;
  /** Base rows N. */
  n: number;
  /** N × (d + 2) points: for each base row j, A_j, AB_j^1 … AB_j^d, B_j. */
  unit: number[][];
}

/**
 * Saltelli's design from Sobol points 1..N (the origin, point 0, is skipped:
 * there A = B and the row carries no information).
 */
export function saltelliDesign(d: number, n: number): SaltelliDesign {
  if (d < 1 || d > SALTELLI_MAX_PARAMETERS) throw new RangeError(`Saltelli sampling supports 1..${SALTELLI_MAX_PARAMETERS} parameters, not ${d}`);
  const pts = sobolPoints(n + 1, 2 * d).slice(1);
  const unit: number[][] = [];
  for (const row of pts) {
    const a = row.slice(0, d);
    const b = row.slice(d);
    unit.push(a);
    for (let i = 0; i < d; i++) {
      const ab = a.slice();
      ab[i] = b[i]!;
      unit.push(ab);
    }
    unit.push(b);
  }
  return { d, n, unit };
}

export interface SobolIndex {
  S1: number;
  S1Low: number;
  S1High: number;
  ST: number;
  STLow: number;
  STHigh: number;
  /** Base rows used (finite outputs). */
  n: number;
}

interface Rows {
  fA: number[];
  fB: number[];
  fAB: number[][]; // per parameter
}

function rowsOf(design: SaltelliDesign, y: ArrayLike<number>): Rows {
  const d = design.d;
  const fA: number[] = [];
  const fB: number[] = [];
  const fAB: number[][] = Array.from({ length: d }, () => []);
  for (let j = 0; j < design.n; j++) {
    const o = j * (d + 2);
    fA.push(y[o]!);
    for (let i = 0; i < d; i++) fAB[i]!.push(y[o + 1 + i]!);
    fB.push(y[o + d + 1]!);
  }
  return { fA, fB, fAB };
}

/** Point estimates of S1 and ST for the base rows `idx` (indices into the rows, repeats allowed). */
function estimate(rows: Rows, idx: ArrayLike<number>, d: number): { S1: number[]; ST: number[]; n: number[] } {
  // Total variance over A and B together (rows with both finite).
  let s = 0;
  let s2 = 0;
  let m = 0;
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k]!;
    const a = rows.fA[j]!;
    const b = rows.fB[j]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    s += a + b;
    s2 += a * a + b * b;
    m += 2;
  }
  const V = m > 1 ? (s2 - (s * s) / m) / m : NaN;
  // Centre on the mean of f over A and B: leaves the first-order estimator
  // unbiased (E[f(AB_i) − f(A)] = 0) and cuts its variance when the mean is
  // large against the spread, as it is for shares near a steady state.
  const f0 = m > 0 ? s / m : 0;
  const S1: number[] = [];
  const ST: number[] = [];
  const ns: number[] = [];
  for (let i = 0; i < d; i++) {
    let n = 0;
    let first = 0;
    let total = 0;
    const ab = rows.fAB[i]!;
    for (let k = 0; k < idx.length; k++) {
      const j = idx[k]!;
      const a = rows.fA[j]!;
      const b = rows.fB[j]!;
      const c = ab[j]!;
      if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) continue;
      first += (b - f0) * (c - a);
      total += (a - c) * (a - c);
      n++;
    }
    const ok = n > 0 && V > 0;
    S1.push(ok ? first / n / V : NaN);
    ST.push(ok ? total / n / (2 * V) : NaN);
    ns.push(n);
  }
  return { S1, ST, n: ns };
}

/** First-order and total Sobol indices with percentile bootstrap intervals (B resamples of the base rows). */
export function sobolIndices(design: SaltelliDesign, y: ArrayLike<number>, opts: { bootstrap?: number; rng?: Rng } = {}): SobolIndex[] {
  const d = design.d;
  const rows = rowsOf(design, y);
  const all = Array.from({ length: design.n }, (_, j) => j);
  const point = estimate(rows, all, d);
  const B = opts.bootstrap ?? 0;
  const bootS1: number[][] = Array.from({ length: d }, () => []);
  const bootST: number[][] = Array.from({ length: d }, () => []);
  if (B > 0 && opts.rng && design.n > 1) {
    const idx = new Int32Array(design.n);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < design.n; k++) idx[k] = Math.floor(opts.rng() * design.n);
      const e = estimate(rows, idx, d);
      for (let i = 0; i < d; i++) {
        if (Number.isFinite(e.S1[i]!)) bootS1[i]!.push(e.S1[i]!);
        if (Number.isFinite(e.ST[i]!)) bootST[i]!.push(e.ST[i]!);
      }
    }
  }
  return Array.from({ length: d }, (_, i) => {
    const s1 = bootS1[i]!.sort((a, b) => a - b);
    const st = bootST[i]!.sort((a, b) => a - b);
    return {
      S1: point.S1[i]!,
      S1Low: percentile(s1, 0.025),
      S1High: percentile(s1, 0.975),
      ST: point.ST[i]!,
      STLow: percentile(st, 0.025),
      STHigh: percentile(st, 0.975),
      n: point.n[i]!,
    };
  });
}
