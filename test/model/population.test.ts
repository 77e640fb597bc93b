import { describe, expect, it } from 'vitest';
import { emptySim } from '../helpers.js';
import { sampleHome } from '../../src/model/population.js';

describe('sampleHome', () => {
  // The tiny world: province 0, prefecture 1, counties A = 2 (population 200 000) and B = 3 (100 000).
  const w = emptySim().world;
  const share = (g: number, locality: number) => {
    const n = 3000;
    let a = 0;
    for (let i = 0; i < n; i++) {
      const h = sampleHome(w, g, locality, 0.5, (i + 0.5) / n);
      expect([2, 3]).toContain(h);
      if (h === 2) a++;
    }
    return a / n;
  };
  it('draws home counties of the province in proportion to their population', () => {
    expect(share(0, 1)).toBeCloseTo(2 / 3, 3);
    expect(share(1, 0)).toBeCloseTo(2 / 3, 3);
  });
  it('draws a local home among the counties of a prefecture in proportion to population, and a county is its own', () => {
    expect(share(1, 1)).toBeCloseTo(2 / 3, 3);
    expect(sampleHome(w, 3, 1, 0.5, 0.1)).toBe(3);
    expect(sampleHome(w, 3, 0.4, 0.5, 0.1)).toBe(2); // not local: the first county holds the first 2/3 of the weight
  });
});
