import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Stream } from '../../src/random/stream.js';

describe('Stream', () => {
  it('gives exactly the sequence of seedrandom.alea for its seed string', () => {
    for (const seed of [0, 1, 12345, 0xffffffff]) {
      for (const name of ['fill.shortlist', 'docking.pull', '']) {
        for (const year of [1990, 2026]) {
          const ref = seedrandom.alea(`${seed >>> 0}:${name}:${year}`);
          const s = new Stream(seed, name, year);
          for (let i = 0; i < 5000; i++) {
            const a = ref(), b = s.next();
            if (a !== b) expect(b, `${seed}:${name}:${year} draw ${i}`).toBe(a);
          }
        }
      }
    }
  });
  it('int(n) is uniform on 0..n-1', () => {
    const s = new Stream(7, 'test', 2026);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50000; i++) counts[s.int(5)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
  });
});
