/**
 * PRIM (src/analysis/prim.ts; Friedman & Fisher 1999, as the EMA Workbench's
 * prim module) on data whose answer is known: trajectories worked out by hand,
 * a noise-free box in [0,1]^4 found within the peel's granularity, categorical
 * inputs, pasting that provably widens a box, covering, and quasi-p-values
 * against the binomial tail computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { binomialUpperTail, inLimits, initialLimits, pasteBox, peelQuantile, prim, StepOutOfRange, type PrimData } from '../../src/analysis/prim.js';
import { hashString, uniform } from '../../src/random/hash.js';

const num = (name: string, values: number[]) => ({ name, kind: 'numeric' as const, values });
const cat = (name: string, codes: number[], labels: string[]) => ({ name, kind: 'categorical' as const, codes, labels });

describe('peelQuantile (sdtoolkit/EMA)', () => {
  it('puts the limit halfway between two observed values and steps over ties', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i);
    expect(peelQuantile(xs, 0.05)).toBe(0.5); // (n−1)·0.05 = 0.95: between 0 and 1
    expect(peelQuantile(xs, 0.95)).toBe(18.5); // 18.05: between 18 and 19
    expect(peelQuantile([1, 1, 1, 2, 3], 0.05)).toBe(1.5); // ties at the bottom: up to the next value
    expect(peelQuantile([1, 2, 3, 3, 3], 0.95)).toBe(2.5); // ties at the top: down to the next value
    expect(peelQuantile([4, 4, 4], 0.05)).toBe(4); // one value: no peel
  });
});

describe('binomialUpperTail', () => {
  it('is the binomial tail worked by hand', () => {
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 14); // (3 + 1) / 8
    expect(binomialUpperTail(3, 4, 0.3)).toBeCloseTo(4 * 0.3 ** 3 * 0.7 + 0.3 ** 4, 14);
    expect(binomialUpperTail(10, 10, 0.375)).toBeCloseTo(0.375 ** 10, 18);
    expect(binomialUpperTail(0, 5, 0.2)).toBe(1);
    expect(binomialUpperTail(6, 5, 0.2)).toBe(0);
  });
});

describe('peeling', () => {
  it('follows the trajectory worked by hand in one dimension', () => {
    // x = 0…19, of interest x ≥ 15. Each step peels the lowest case (limit k − 0.5): peeling the top
    // would remove a case of interest. It stops at density 1, where any peel leaves the density as it is.
    const x = Array.from({ length: 20 }, (_, i) => i);
    const data: PrimData = { inputs: [num('x', x)], y: x.map((v) => (v >= 15 ? 1 : 0)) };
    const r = prim(data, { threshold: 1, maxBoxes: 1 });
    const box = r.boxes[0]!;
    expect(box.peeling.length).toBe(16);
    box.peeling.forEach((s, k) => {
      expect(s.limits.lo[0]).toBe(k === 0 ? 0 : k - 0.5);
      expect(s.limits.hi[0]).toBe(19);
      expect(s.stats).toEqual({ n: 20 - k, k: 5, coverage: 1, density: 5 / (20 - k), mass: (20 - k) / 20, restricted: k === 0 ? 0 : 1 });
    });
    expect(box.chosen).toBe(15);
    expect(box.pasting).toEqual([]);
    expect(box.result!.limits.lo[0]).toBe(14.5);
  });

  it('stops at the minimum mass', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const data: PrimData = { inputs: [num('x', x)], y: x.map((v) => (v >= 15 ? 1 : 0)) };
    // At least 8 of 20 cases: the last step keeps x ≥ 12.
    const r = prim(data, { minMass: 0.4, threshold: 0, maxBoxes: 1 });
    const last = r.boxes[0]!.peeling.at(-1)!;
    expect(last.stats.n).toBe(8);
    expect(last.limits.lo[0]).toBe(11.5);
  });

  it('finds a noise-free box in [0,1]^4 within the peel’s granularity', () => {
    // y = 1 inside [0.2, 0.6] × [0.5, 1] (inputs a, b), 0 elsewhere; c and d are irrelevant.
    const n = 2000;
    const key = hashString('prim.test');
    const cols = [0, 1, 2, 3].map((j) => Array.from({ length: n }, (_, i) => uniform(key, j, i)));
    const y = cols[0]!.map((a, i) => (a >= 0.2 && a <= 0.6 && cols[1]![i]! >= 0.5 ? 1 : 0));
    const data: PrimData = { inputs: ['a', 'b', 'c', 'd'].map((nm, j) => num(nm, cols[j]!)), y };
    const r = prim(data, { threshold: 1, maxBoxes: 1 });
    const res = r.boxes[0]!.result!;
    expect(res.stats.density).toBe(1);
    // Restricted: a on both sides, b below; c and d left at their observed ranges.
    expect(res.stats.restricted).toBe(2);
    expect(res.limits.lo[0]).toBeGreaterThan(0.2 - 1e-9);
    expect(res.limits.lo[0]).toBeLessThan(0.2 + 0.03); // a peel moves a face by about α of the box's width
    expect(res.limits.hi[0]).toBeLessThan(0.6 + 1e-9);
    expect(res.limits.hi[0]).toBeGreaterThan(0.6 - 0.03);
    expect(res.limits.lo[1]).toBeGreaterThan(0.5 - 1e-9);
    expect(res.limits.lo[1]).toBeLessThan(0.5 + 0.03);
    for (const j of [2, 3]) expect([res.limits.lo[j], res.limits.hi[j]]).toEqual([r.init.lo[j], r.init.hi[j]]);
    // Coverage, density and mass are those of the cases inside the limits, counted afresh.
    const inside = y.map((_, i) => i).filter((i) => inLimits(data, i, res.limits));
    const k = inside.filter((i) => y[i] === 1).length;
    const K = y.filter((v) => v === 1).length;
    expect(res.stats).toEqual({ n: inside.length, k, coverage: k / K, density: 1, mass: inside.length / n, restricted: 2 });
    expect(res.stats.coverage).toBeGreaterThan(0.85);
    // Every step of the trajectory trades coverage for density.
    const t = r.boxes[0]!.peeling;
    for (let s = 1; s < t.length; s++) {
      expect(t[s]!.stats.density).toBeGreaterThan(t[s - 1]!.stats.density);
      expect(t[s]!.stats.coverage).toBeLessThanOrEqual(t[s - 1]!.stats.coverage);
    }
  });

  it('peels a categorical input one category at a time, as worked by hand', () => {
    // Four categories of 10 cases: a all of interest, b half, c and d none. Removing c (then d) gains
    // (15/30 − 15/40)/10 (then (15/20 − 15/30)/10); removing b then gains (10/10 − 15/20)/10.
    const codes = Array.from({ length: 40 }, (_, i) => Math.floor(i / 10));
    const y = codes.map((c, i) => (c === 0 || (c === 1 && i % 2 === 0) ? 1 : 0));
    const data: PrimData = { inputs: [cat('g', codes, ['a', 'b', 'c', 'd'])], y };
    const r = prim(data, { threshold: 0.7, maxBoxes: 1, paste: false });
    const t = r.boxes[0]!.peeling;
    expect(t.map((s) => s.limits.allowed[0])).toEqual([[0, 1, 2, 3], [0, 1, 3], [0, 1], [0]]);
    expect(t.map((s) => s.stats.density)).toEqual([15 / 40, 15 / 30, 15 / 20, 1]);
    expect(t.map((s) => s.stats.coverage)).toEqual([1, 1, 1, 10 / 15]);
    // The threshold 0.7 chooses the step of largest coverage with density ≥ 0.7: {a, b}.
    expect(r.boxes[0]!.chosen).toBe(2);
    // Quasi-p of box {a, b}: 15 of 20 inside against p' = 15/40 with the restriction lifted.
    expect(r.boxes[0]!.qp![0]).toBeCloseTo(binomialUpperTail(15, 20, 15 / 40), 15);
    // With the step given: box {a}, quasi-p 0.375^10.
    const g = prim(data, { boxSteps: [3], maxBoxes: 1 });
    expect(g.boxes[0]!.given).toBe(true);
    expect(g.boxes[0]!.result!.limits.allowed[0]).toEqual([0]);
    expect(g.boxes[0]!.qp![0]).toBeCloseTo(0.375 ** 10, 18);
  });

  it('finds a box in a mixed numeric and categorical space', () => {
    const n = 1600;
    const key = hashString('prim.mixed');
    const x = Array.from({ length: n }, (_, i) => uniform(key, 0, i));
    const codes = Array.from({ length: n }, (_, i) => i % 4);
    const y = x.map((v, i) => (v < 0.5 && codes[i]! <= 1 ? 1 : 0));
    const data: PrimData = { inputs: [num('x', x), cat('m', codes, ['a', 'b', 'c', 'd'])], y };
    const res = prim(data, { threshold: 1, maxBoxes: 1 }).boxes[0]!.result!;
    expect(res.stats.density).toBe(1);
    expect(res.limits.allowed[1]).toEqual([0, 1]);
    expect(res.limits.hi[0]).toBeLessThan(0.5 + 1e-9);
    expect(res.limits.hi[0]).toBeGreaterThan(0.5 - 0.03);
  });

  it('refuses a chosen step beyond the trajectory', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const data: PrimData = { inputs: [num('x', x)], y: x.map((v) => (v >= 15 ? 1 : 0)) };
    expect(() => prim(data, { boxSteps: [16] })).toThrow(StepOutOfRange);
  });
});

describe('pasting', () => {
  it('widens a box whose neighbouring strip is denser, as worked by hand', () => {
    // x = 0…9, of interest 4, 5, 7, 8, 9. From the box [3.5, 7.5] (4, 5, 6, 7: density 3/4) the strip
    // above holds 8 and 9, both of interest: the α-quantile of {8, 9} is 8.5, giving x = 4…8 (4/5);
    // then 9 (hi = 9, the observed maximum: unrestricted; 5/6). Pasting below would add 3 (not of
    // interest) and lower the density, so it stops.
    const x = Array.from({ length: 10 }, (_, i) => i);
    const y = [0, 0, 0, 0, 1, 1, 0, 1, 1, 1];
    const data: PrimData = { inputs: [num('x', x)], y };
    const from = { ...initialLimits(data), lo: [3.5], hi: [7.5] };
    const steps = pasteBox(data, from);
    expect(steps.map((s) => [s.limits.lo[0], s.limits.hi[0]])).toEqual([[3.5, 8.5], [3.5, 9]]);
    expect(steps.map((s) => s.stats.density)).toEqual([4 / 5, 5 / 6]);
    expect(steps.at(-1)!.stats).toEqual({ n: 6, k: 5, coverage: 1, density: 5 / 6, mass: 0.6, restricted: 1 });
  });

  it('adds back a category that an early peel removed', () => {
    // Inputs x (0…9, ten cases each) and g ∈ {a, b}. Of interest: x ≥ 5 in a and in b. A box of
    // x ≥ 4.5 and g = a has density 1 in a; adding b keeps it 1: no gain. Make b denser than the
    // box's mean: the box x ≥ 2.5, g = a (a: of interest x ≥ 5) has density 5/7; b's cases in x ≥ 2.5
    // are all of interest, so adding b raises it to 12/14.
    const x: number[] = [];
    const codes: number[] = [];
    const y: number[] = [];
    for (let v = 0; v < 10; v++) {
      x.push(v, v);
      codes.push(0, 1);
      y.push(v >= 5 ? 1 : 0, v >= 3 ? 1 : 0);
    }
    const data: PrimData = { inputs: [num('x', x), cat('g', codes, ['a', 'b'])], y };
    const from = { lo: [2.5, NaN], hi: [9, NaN], allowed: [undefined, [0]] };
    const steps = pasteBox(data, from);
    expect(steps[0]!.limits.allowed[1]).toEqual([0, 1]);
    expect(steps[0]!.stats.density).toBe(12 / 14);
  });

  it('in a full run, restores what a coarse peel cut off, as worked by hand', () => {
    // x = 0…99, of interest 20…29 and 40…99 (density 0.7). With α = 0.3, step 1 keeps x ≥ 29.5 (the
    // 0.3-quantile of 0…99 lies between 29 and 30): 70 cases, 60 of interest. Chosen, it is pasted
    // downwards with α_paste = 0.05: the strip 0…29 gives 27.5 (adds 28, 29: 62/72), then
    // 25.5 (64/74), 23.5 (66/76), 21.5 (68/78), 19.5 (70/80: every case of interest); the next, 18.5,
    // would add 19, not of interest (70/81 < 70/80), so pasting stops.
    const x = Array.from({ length: 100 }, (_, i) => i);
    const y = x.map((v) => (v >= 40 || (v >= 20 && v < 30) ? 1 : 0));
    const data: PrimData = { inputs: [num('x', x)], y };
    const r = prim(data, { alpha: 0.3, boxSteps: [1], maxBoxes: 1 });
    const b = r.boxes[0]!;
    expect(b.peeling.map((s) => s.limits.lo[0])).toEqual([0, 29.5, 50.5]);
    expect(b.peeling[1]!.stats.density).toBe(60 / 70);
    expect(b.pasting.map((s) => s.limits.lo[0])).toEqual([27.5, 25.5, 23.5, 21.5, 19.5]);
    expect(b.pasting.map((s) => s.stats.density)).toEqual([62 / 72, 64 / 74, 66 / 76, 68 / 78, 70 / 80]);
    expect(b.result!.stats).toEqual({ n: 80, k: 70, coverage: 1, density: 70 / 80, mass: 0.8, restricted: 1 });
    // Without pasting the box is the chosen step.
    const np = prim(data, { alpha: 0.3, boxSteps: [1], maxBoxes: 1, paste: false }).boxes[0]!;
    expect(np.result!.limits.lo[0]).toBe(29.5);
  });
});

describe('covering', () => {
  it('finds two disjoint boxes one after the other, coverage and mass relative to all cases', () => {
    // Of interest: x < 0.3, or x > 0.7 with z > 0.8. The first box is x < 0.3 (peeled from above in x);
    // the second, sought among the other cases, the corner x > 0.7, z > 0.8. Together they cover every
    // case of interest.
    const n = 1000;
    const key = hashString('prim.cover');
    const x = Array.from({ length: n }, (_, i) => uniform(key, 0, i));
    const z = Array.from({ length: n }, (_, i) => uniform(key, 1, i));
    const y = x.map((v, i) => (v < 0.3 || (v > 0.7 && z[i]! > 0.8) ? 1 : 0));
    const data: PrimData = { inputs: [num('x', x), num('z', z)], y };
    const r = prim(data, { threshold: 1, maxBoxes: 3 });
    const found = r.boxes.filter((b) => b.result);
    expect(found.length).toBe(2);
    const [b1, b2] = found.map((b) => b.result!);
    expect(b1!.limits.hi[0]).toBeLessThanOrEqual(0.3);
    expect(b1!.limits.hi[0]).toBeGreaterThan(0.3 - 0.03);
    expect(b1!.stats.restricted).toBe(1);
    expect(b2!.limits.lo[0]).toBeGreaterThanOrEqual(0.7);
    expect(b2!.limits.lo[0]).toBeLessThan(0.7 + 0.03);
    expect(b2!.limits.lo[1]).toBeGreaterThanOrEqual(0.8);
    expect(b2!.limits.lo[1]).toBeLessThan(0.8 + 0.03);
    // Coverage and mass against all cases: the second box's cases of interest are counted out of K too.
    const K = y.filter((v) => v === 1).length;
    expect(b2!.stats.coverage).toBe(b2!.stats.k / K);
    expect(b2!.stats.mass).toBe(b2!.stats.n / n);
    expect(b1!.stats.coverage + b2!.stats.coverage).toBeGreaterThan(0.9);
    expect(found[1]!.remaining).toBe(n - b1!.stats.n);
    // A third box is sought among the rest (the few cases of interest just below x = 0.3): none is dense enough.
    expect(r.boxes.length).toBe(3);
    expect(r.stop).toBe('threshold');
    for (const b of found) expect(b.result!.stats.density).toBe(1);
  });

  it('stops when no step reaches the threshold', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const y = x.map((v) => (v % 2 === 0 ? 1 : 0)); // nowhere denser than 1/2 over a run of cases
    const r = prim({ inputs: [num('x', x)], y }, { threshold: 0.9 });
    expect(r.boxes.length).toBe(1);
    expect(r.boxes[0]!.chosen).toBeUndefined();
    expect(r.stop).toBe('threshold');
  });
});
