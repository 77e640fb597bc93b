/**
 * NSGA-II (src/analysis/nsga2.ts; Deb, Pratap, Agarwal & Meyarivan 2002):
 * non-dominated sorting, crowding distance and constraint-domination on
 * hand-made sets whose answers are worked out below, and the whole algorithm
 * on problems whose Pareto fronts are known exactly: ZDT1 (Zitzler, Deb &
 * Thiele 2000; 30 variables, front f2 = 1 − √f1 for f1 in [0, 1]), the same
 * with a constraint that cuts the front, and a mixed problem of integers and
 * choices.
 */
import { describe, expect, it } from 'vitest';
import { constrainedDominates, crowdingDistances, dominates, Nsga2, nonDominatedSort, ranks, survive, type Evaluation } from '../../src/analysis/nsga2.js';

const ev = (f: number[], violation = 0): Evaluation => ({ f, violation });

function zdt1(x: number[]): number[] {
  const n = x.length;
  let s = 0;
  for (let i = 1; i < n; i++) s += x[i]!;
  const g = 1 + (9 * s) / (n - 1);
  return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
}

/** Distance of a point to the front f2 = 1 − √f1, f1 in [0, 1] (a fine grid, then a local refinement). */
function distanceToZdt1Front(p: number[]): number {
  let best = Infinity, bestT = 0;
  const grid = 2000;
  for (let k = 0; k <= grid; k++) {
    const t = k / grid;
    const d = Math.hypot(p[0]! - t, p[1]! - (1 - Math.sqrt(t)));
    if (d < best) [best, bestT] = [d, t];
  }
  for (let k = -100; k <= 100; k++) {
    const t = Math.min(1, Math.max(0, bestT + k / (grid * 100)));
    best = Math.min(best, Math.hypot(p[0]! - t, p[1]! - (1 - Math.sqrt(t))));
  }
  return best;
}

function optimise(nsga: Nsga2, generations: number, evaluate: (x: number[]) => Evaluation): void {
  for (let g = 0; g < generations; g++) {
    const xs = nsga.propose();
    nsga.update(xs, xs.map(evaluate));
  }
}

describe('dominance and sorting', () => {
  it('Pareto dominance and constraint-domination', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
    // Feasible beats infeasible whatever the objectives; of two infeasible ones the smaller violation wins.
    expect(constrainedDominates(ev([9, 9]), ev([0, 0], 0.1))).toBe(true);
    expect(constrainedDominates(ev([0, 0], 0.1), ev([9, 9]))).toBe(false);
    expect(constrainedDominates(ev([9, 9], 0.1), ev([0, 0], 0.2))).toBe(true);
    expect(constrainedDominates(ev([0, 0], 0.2), ev([9, 9], 0.2))).toBe(false);
    expect(constrainedDominates(ev([0, 0], Infinity), ev([9, 9], Infinity))).toBe(false);
  });

  it('sorts a hand-made set into its fronts', () => {
    // Front 1: (1,5) (2,3) (4,1); front 2: (2,5) (3,4) (5,2) — each dominated by one of front 1 only;
    // front 3: (5,5), dominated by (3,4); and two infeasible ones after every feasible one, the smaller violation first.
    const pop = [ev([3, 4]), ev([1, 5]), ev([5, 5]), ev([0, 0], 2), ev([2, 3]), ev([5, 2]), ev([4, 1]), ev([2, 5]), ev([0, 0], 1)];
    expect(nonDominatedSort(pop)).toEqual([[1, 4, 6], [0, 5, 7], [2], [8], [3]]);
    expect(ranks(pop)).toEqual([2, 1, 3, 5, 1, 2, 1, 2, 4]);
  });

  it('gives crowding distances worked out by hand', () => {
    // Front sorted by f1: (0,10) (1,6) (3,3) (6,1) (10,0). Ranges 10 and 10.
    // (1,6): (3−0)/10 + (10−3)/10 = 1.0; (3,3): (6−1)/10 + (6−1)/10 = 1.0; (6,1): (10−3)/10 + (3−0)/10 = 1.0 … make them differ:
    const pop = [ev([3, 3]), ev([0, 10]), ev([10, 0]), ev([1, 8]), ev([6, 1])];
    // f1 order: 1 (0), 3 (1), 0 (3), 4 (6), 2 (10); f2 order: 2 (0), 4 (1), 0 (3), 3 (8), 1 (10).
    // member 3 (1,8): f1 (3−0)/10 = 0.3, f2 (10−3)/10 = 0.7 → 1.0
    // member 0 (3,3): f1 (6−1)/10 = 0.5, f2 (8−1)/10 = 0.7 → 1.2
    // member 4 (6,1): f1 (10−3)/10 = 0.7, f2 (3−0)/10 = 0.3 → 1.0
    const d = crowdingDistances(pop, [0, 1, 2, 3, 4]);
    expect(d[1]).toBe(Infinity);
    expect(d[2]).toBe(Infinity);
    expect(d[3]).toBeCloseTo(1.0, 12);
    expect(d[0]).toBeCloseTo(1.2, 12);
    expect(d[4]).toBeCloseTo(1.0, 12);
    // Survival of 4 of them (one front): the ends, then (3,3), then the first of the tied (1,8) and (6,1).
    const s = survive(pop.map((p, i) => ({ ...p, x: [i] })), 4);
    expect(s.map((p) => p.x[0])).toEqual([1, 2, 0, 3]);
    expect(s.every((p) => p.rank === 1)).toBe(true);
  });

  it('fills the next population front by front', () => {
    const pop = [ev([3, 4]), ev([1, 5]), ev([5, 5]), ev([2, 3]), ev([5, 2]), ev([4, 1]), ev([2, 5])].map((p, i) => ({ ...p, x: [i] }));
    const s = survive(pop, 5);
    // Front 1 (1,5) (2,3) (4,1) whole; front 2 (3,4) (5,2) (2,5) cut to its two ends on each objective: (2,5) and (5,2).
    expect(s.map((p) => p.x[0])).toEqual([1, 3, 5, 4, 6]);
    expect(s.map((p) => p.rank)).toEqual([1, 1, 1, 2, 2]);
  });
});

describe('NSGA-II on problems with known fronts', () => {
  it('converges to the front of ZDT1 (30 variables) and spreads over it', () => {
    const nsga = new Nsga2({ variables: Array.from({ length: 30 }, () => ({ kind: 'real' as const, min: 0, max: 1 })), population: 100, seed: 1 });
    optimise(nsga, 250, (x) => ev(zdt1(x)));
    const front = nsga.population.map((p) => p.f);
    // Generational distance (Van Veldhuizen 1999, the mean distance to the true front); Deb et al. (2002) report 0.0335 on average for real-coded NSGA-II after 250 generations of 100.
    const gd = front.reduce((s, f) => s + distanceToZdt1Front(f), 0) / front.length;
    expect(gd).toBeLessThan(0.01);
    expect(nsga.population.every((p) => p.rank === 1)).toBe(true);
    // The front covers f1 from 0 to 1, without a gap wider than 0.1.
    const f1 = front.map((f) => f[0]!).sort((a, b) => a - b);
    expect(f1[0]).toBeLessThan(0.01);
    expect(f1[f1.length - 1]).toBeGreaterThan(0.99);
    for (let i = 1; i < f1.length; i++) expect(f1[i]! - f1[i - 1]!).toBeLessThan(0.1);
  });

  it('is deterministic given the seed, and differs with another seed', () => {
    const run = (seed: number) => {
      const nsga = new Nsga2({ variables: [{ kind: 'real', min: 0, max: 1 }, { kind: 'integer', min: 0, max: 9 }, { kind: 'choice', count: 3 }], population: 8, seed });
      optimise(nsga, 5, (x) => ev([x[0]! + x[1]!, 1 - x[0]! + x[2]!]));
      return nsga.population.map((p) => p.x);
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('keeps to the feasible part of a front cut by a constraint', () => {
    // ZDT1 with f1 ≥ 0.5: the constrained front is f2 = 1 − √f1 for f1 in [0.5, 1].
    const nsga = new Nsga2({ variables: Array.from({ length: 10 }, () => ({ kind: 'real' as const, min: 0, max: 1 })), population: 60, seed: 2 });
    optimise(nsga, 150, (x) => {
      const f = zdt1(x);
      return ev(f, Math.max(0, 0.5 - f[0]!));
    });
    const front = nsga.population.map((p) => p.f);
    expect(nsga.population.every((p) => p.violation === 0)).toBe(true);
    const f1 = front.map((f) => f[0]!).sort((a, b) => a - b);
    expect(f1[0]).toBeGreaterThanOrEqual(0.5);
    expect(f1[0]).toBeLessThan(0.52);
    expect(f1[f1.length - 1]).toBeGreaterThan(0.99);
    expect(front.reduce((s, f) => s + distanceToZdt1Front(f), 0) / front.length).toBeLessThan(0.01);
  });

  it('finds the front of a problem of integers and choices', () => {
    // Minimise (n + c, 10 − n + 3c) for n in 0..10 and a choice c in {0, 1, 2}: c = 0 is best for both,
    // so the front is n = 0 … 10 with c = 0, f = (n, 10 − n).
    const nsga = new Nsga2({ variables: [{ kind: 'integer', min: 0, max: 10 }, { kind: 'choice', count: 3 }], population: 24, seed: 5 });
    optimise(nsga, 40, (x) => ev([x[0]! + x[1]!, 10 - x[0]! + 3 * x[1]!]));
    expect(nsga.population.every((p) => Number.isInteger(p.x[0]) && p.x[1] === 0 && p.rank === 1)).toBe(true);
    expect(new Set(nsga.population.map((p) => p.x[0]))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  });
});
