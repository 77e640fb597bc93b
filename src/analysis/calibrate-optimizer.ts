/**
 * The search of a calibration, in the unit cube of the free parameters:
 *
 * 1. the start point (the base scenario's own values), if asked;
 * 2. a Latin-hypercube screening of the whole box, evaluated as one parallel
 *    batch — global, and robust to the noise and plateaus of a stochastic
 *    model;
 * 3. Nelder–Mead (1965) from the best point so far, with the standard
 *    coefficients (reflection 1, expansion 2, contraction ½, shrink ½) and
 *    points projected onto the box; the d points of a new simplex and of a
 *    shrink are evaluated as parallel batches. When the simplex collapses
 *    (its vertices all within `minStep` of the best, or its values equal) it
 *    restarts around the best point with half the step, until the step falls
 *    below `minStep` or the budget is spent.
 *
 * With common random numbers the replicate mean is a deterministic function
 * of the parameters (sample-path optimisation, Robinson 1996), so Nelder–Mead
 * compares like with like; the final fit is then checked on fresh seeds.
 * The search is deterministic given the evaluations, which is what lets an
 * interrupted calibration resume by replaying its history.
 */
import { lhsUnit } from '../experiment/design.js';
import type { Stream } from '../random/stream.js';

/** Evaluates a batch of unit-cube points; `phase` labels them in the history. */
export type Evaluate = (xs: number[][], phase: string) => Promise<number[]>;

export interface SearchOptions {
  d: number;
  budget: number;
  screening: number;
  start?: number[];
  initialStep: number;
  minStep: number;
  rng: Stream;
}

export interface SearchResult {
  x: number[];
  f: number;
  evaluations: number;
  /** Why it ended: the budget (spent, or too small for the next batch) or the step below minStep. */
  ended: 'budget' | 'converged';
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const project = (x: number[]) => x.map(clamp01);

export async function search(evaluate: Evaluate, o: SearchOptions): Promise<SearchResult> {
  let used = 0;
  let best = { x: [] as number[], f: Infinity };
  let outOfBudget = false;
  const ev = async (xs: number[][], phase: string): Promise<number[] | undefined> => {
    if (xs.length === 0) return undefined;
    if (used + xs.length > o.budget) {
      outOfBudget = true;
      return undefined;
    }
    used += xs.length;
    const fs = await evaluate(xs, phase);
    fs.forEach((f, i) => {
      if (f < best.f) best = { x: xs[i]!, f };
    });
    return fs;
  };

  if (o.start) await ev([project(o.start)], 'start');
  const nScreen = Math.min(o.screening, o.budget - used);
  if (nScreen > 0) await ev(lhsUnit(nScreen, o.d, o.rng), 'screen');
  if (!Number.isFinite(best.f)) {
    // Nothing evaluated yet (no start, no screening): begin at the centre.
    const r = await ev([Array.from({ length: o.d }, () => 0.5)], 'start');
    if (!r) return { x: best.x, f: best.f, evaluations: used, ended: 'budget' };
  }

  let step = o.initialStep;
  while (step >= o.minStep && used < o.budget) {
    const done = await nelderMead(ev, best.x, best.f, step, o);
    if (done === 'budget') break;
    step /= 2;
  }
  return { x: best.x, f: best.f, evaluations: used, ended: outOfBudget || used >= o.budget ? 'budget' : 'converged' };
}

type Ev = (xs: number[][], phase: string) => Promise<number[] | undefined>;

async function nelderMead(ev: Ev, x0: number[], f0: number, step: number, o: SearchOptions): Promise<'budget' | 'converged'> {
  const d = o.d;
  const verts: number[][] = [x0];
  for (let i = 0; i < d; i++) {
    const v = x0.slice();
    v[i] = x0[i]! + step <= 1 ? x0[i]! + step : x0[i]! - step;
    verts.push(project(v));
  }
  const fInit = await ev(verts.slice(1), 'simplex');
  if (!fInit) return 'budget';
  let simplex = verts.map((x, i) => ({ x, f: i === 0 ? f0 : fInit[i - 1]! }));
  for (;;) {
    simplex.sort((a, b) => a.f - b.f);
    const b0 = simplex[0]!;
    const worst = simplex[d]!;
    const spread = worst.f - b0.f;
    const size = Math.max(...simplex.slice(1).map((v) => Math.max(...v.x.map((xi, i) => Math.abs(xi - b0.x[i]!)))));
    if (size < o.minStep || spread <= 1e-12 * (1 + Math.abs(b0.f))) return 'converged';
    const c = Array.from({ length: d }, (_, i) => simplex.slice(0, d).reduce((s, v) => s + v.x[i]!, 0) / d);
    const along = (t: number) => project(c.map((ci, i) => ci + t * (worst.x[i]! - ci)));
    const xr = along(-1);
    const fr = (await ev([xr], 'reflect'))?.[0];
    if (fr === undefined) return 'budget';
    if (fr < b0.f) {
      const xe = along(-2);
      const fe = (await ev([xe], 'expand'))?.[0];
      if (fe === undefined) return 'budget';
      simplex[d] = fe < fr ? { x: xe, f: fe } : { x: xr, f: fr };
      continue;
    }
    if (fr < simplex[d - 1]!.f) {
      simplex[d] = { x: xr, f: fr };
      continue;
    }
    const outside = fr < worst.f;
    const xc = along(outside ? -0.5 : 0.5);
    const fc = (await ev([xc], outside ? 'contract-out' : 'contract-in'))?.[0];
    if (fc === undefined) return 'budget';
    if (fc < (outside ? fr : worst.f)) {
      simplex[d] = { x: xc, f: fc };
      continue;
    }
    // Shrink toward the best vertex.
    const xs = simplex.slice(1).map((v) => project(v.x.map((xi, i) => b0.x[i]! + 0.5 * (xi - b0.x[i]!))));
    const fs = await ev(xs, 'shrink');
    if (!fs) return 'budget';
    simplex = [b0, ...xs.map((x, i) => ({ x, f: fs[i]! }))];
  }
}
