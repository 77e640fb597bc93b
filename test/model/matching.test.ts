import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deferredAcceptance } from '../../src/model/matching.js';

/** Builds the compressed input from preference lists and receivers' rankings (lower rank = better). */
function input(prefs: number[][], recvRank: number[][]) {
  const start = new Int32Array(prefs.length + 1);
  prefs.forEach((p, i) => (start[i + 1] = start[i]! + p.length));
  const recv = Int32Array.from(prefs.flat());
  const score = Float64Array.from(prefs.flatMap((p, i) => p.map((r) => -recvRank[r]!.indexOf(i))));
  return { start, recv, score };
}

describe('deferred acceptance', () => {
  it('gives the proposer-optimal stable matching on a textbook example', () => {
    // Proposers A,B,C; receivers X,Y,Z. A: X>Y>Z, B: Y>X>Z, C: X>Y>Z. X: B>A>C, Y: A>B>C, Z: A>B>C.
    // Two matchings are stable: {A-X, B-Y, C-Z} (best for proposers) and {A-Y, B-X, C-Z}.
    const { start, recv, score } = input([[0, 1, 2], [1, 0, 2], [0, 1, 2]], [[1, 0, 2], [0, 1, 2], [0, 1, 2]]);
    const m = deferredAcceptance(3, 3, start, recv, score);
    expect(Array.from(m.proposerMatch)).toEqual([0, 1, 2]);
    expect(Array.from(m.receiverMatch)).toEqual([0, 1, 2]);
  });

  it('leaves unacceptable pairs unmatched', () => {
    // Two proposers both only accept receiver 0; receiver 0 prefers proposer 1.
    const { start, recv, score } = input([[0], [0]], [[1, 0]]);
    const m = deferredAcceptance(2, 1, start, recv, score);
    expect(Array.from(m.proposerMatch)).toEqual([-1, 0]);
  });

  it('always returns a stable matching (no blocking pair) on random markets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (np, nr, rand) => {
          const it = rand[Symbol.iterator]();
          const next = () => it.next().value as number;
          // Random acceptable sets and orders; random receiver scores.
          const prefs = Array.from({ length: np }, () => Array.from({ length: nr }, (_, r) => r).filter(() => next() < 0.7).sort(() => next() - 0.5));
          const recvScore = Array.from({ length: nr }, () => Array.from({ length: np }, () => next()));
          const start = new Int32Array(np + 1);
          prefs.forEach((p, i) => (start[i + 1] = start[i]! + p.length));
          const recv = Int32Array.from(prefs.flat());
          const score = Float64Array.from(prefs.flatMap((p, i) => p.map((r) => recvScore[r]![i]!)));
          const m = deferredAcceptance(np, nr, start, recv, score);
          for (let i = 0; i < np; i++) {
            const mine = m.proposerMatch[i]!;
            for (const r of prefs[i]!) {
              if (r === mine) break; // only receivers i prefers to its match
              const h = m.receiverMatch[r]!;
              if (h < 0) return false; // r is free and acceptable: blocking
              if (recvScore[r]![i]! > recvScore[r]![h]!) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
