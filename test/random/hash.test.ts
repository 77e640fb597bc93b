import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drawBase, hash3, normal, normalAt, runSeed, streamKey, uniform, uniformAt } from '../../src/random/hash.js';
import { Stream } from '../../src/random/stream.js';

describe('counter-based draws', () => {
  it('from a drawBase are the same draws, and uniform is hash3 scaled', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(fc.property(u32, u32, fc.integer({ min: 0, max: 1 << 20 }), (stream, key, k) => {
      const b = drawBase(stream, key);
      return uniformAt(b, k) === uniform(stream, key, k) && normalAt(b, k) === normal(stream, key, k) && uniform(stream, key, k) === hash3(stream, key, k) / 4294967296;
    }), { numRuns: 5000 });
  });

  it('are uniform on [0,1) with the right mean and variance', () => {
    const k = streamKey(1, 'test', 2026);
    let s = 0, s2 = 0;
    const n = 200000;
    const bins = new Array(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = uniform(k, i);
      expect(u >= 0 && u < 1).toBe(true);
      s += u; s2 += u * u;
      bins[Math.floor(u * 10)]++;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
    // Chi-square with 9 df: 99.9% quantile is 27.9.
    const chi = bins.reduce((a, b) => a + (b - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.9);
  });
  it('normal draws have mean 0 and sd 1', () => {
    const k = streamKey(3, 'n', 0);
    let s = 0, s2 = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) { const z = normal(k, i); s += z; s2 += z * z; }
    expect(s / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(s2 / n)).toBeCloseTo(1, 1);
  });
  it('neighbouring keys, counters, streams and years are uncorrelated', () => {
    const a = streamKey(1, 'exit.quit', 2026), b = streamKey(1, 'exit.quit', 2027), c = streamKey(1, 'fill.refuse', 2026);
    const corr = (f: (i: number) => number, g: (i: number) => number) => {
      const n = 50000; let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < n; i++) { const x = f(i), y = g(i); sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y; }
      return (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    };
    expect(Math.abs(corr((i) => uniform(a, i), (i) => uniform(a, i + 1)))).toBeLessThan(0.02);
    expect(Math.abs(corr((i) => uniform(a, i), (i) => uniform(b, i)))).toBeLessThan(0.02);
    expect(Math.abs(corr((i) => uniform(a, i), (i) => uniform(c, i)))).toBeLessThan(0.02);
    expect(Math.abs(corr((i) => uniform(a, i, 0), (i) => uniform(a, i, 1)))).toBeLessThan(0.02);
  });
  it('are pure functions of their inputs', () => {
    expect(uniform(5, 6, 7)).toBe(uniform(5, 6, 7));
    expect(runSeed(1, 0, 3)).toBe(runSeed(1, 0, 3));
    expect(runSeed(1, 0, 3)).not.toBe(runSeed(1, 0, 4));
    expect(new Stream(1, 'x', 2026).next()).toBe(new Stream(1, 'x', 2026).next());
    expect(new Stream(1, 'x', 2026).next()).not.toBe(new Stream(1, 'x', 2027).next());
  });
});
