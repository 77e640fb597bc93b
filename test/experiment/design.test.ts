import { describe, expect, it } from 'vitest';
import { designPoints, gridPoints, lhsUnit, valueAt } from '../../src/experiment/design.js';
import { Stream } from '../../src/random/stream.js';

describe('designs', () => {
  it('grid: full factorial, last parameter fastest', () => {
    expect(gridPoints({ a: [1, 2], b: ['x', 'y', 'z'] })).toEqual([
      { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' },
    ]);
  });
  it('Latin hypercube: every stratum of every dimension holds exactly one sample', () => {
    const n = 50;
    const u = lhsUnit(n, 4, new Stream(1, 'lhs', 0));
    for (let d = 0; d < 4; d++) {
      const strata = u.map((row) => Math.floor(row[d]! * n)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });
  it('maps unit draws to ranges, integer ranges (ends included) and choices', () => {
    expect(valueAt({ min: 2, max: 4, integer: false }, 0.5)).toBe(3);
    expect(valueAt({ min: 5, max: 7, integer: true }, 0)).toBe(5);
    expect(valueAt({ min: 5, max: 7, integer: true }, 0.999)).toBe(7);
    expect(valueAt({ values: [false, true] }, 0.6)).toBe(true);
  });
  it('lhs and random designs are deterministic for a seed and differ between seeds', () => {
    const d = { type: 'lhs' as const, samples: 10, seed: 3, parameters: { 'policy.maxTenure': { min: 5, max: 15, integer: true }, 'policy.matching': { values: ['directive', 'two-way'] } } };
    expect(designPoints(d, 0)).toEqual(designPoints(d, 0));
    expect(designPoints({ ...d, seed: 4 }, 0)).not.toEqual(designPoints(d, 0));
    const r = designPoints({ ...d, type: 'random' }, 0);
    expect(r.length).toBe(10);
    for (const p of r) expect(Number.isInteger(p['policy.maxTenure'])).toBe(true);
  });
});
