/** `--precision METRIC=H`: parsing, the doubling batches and the loop, without simulation. */
import { describe, expect, it } from 'vitest';
import { isReached, maxReplicatesOption, nextBatch, parsePrecision, precisionManifest, runToPrecision } from '../../src/experiment/precision.js';
import { InputError } from '../../src/scenario/errors.js';

describe('parsePrecision', () => {
  it('reads one pair or several', () => {
    expect(parsePrecision('stagnation_share=0.01')).toEqual([{ metric: 'stagnation_share', target: 0.01 }]);
    expect(parsePrecision('stagnation_share=0.01, reverse_share=5e-3')).toEqual([
      { metric: 'stagnation_share', target: 0.01 },
      { metric: 'reverse_share', target: 0.005 },
    ]);
  });

  it('rejects unknown metrics with the valid names, and H that is not a positive number', () => {
    const bad = (spec: string) => {
      try {
        parsePrecision(spec);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error(`accepted ${spec}`);
    };
    expect(bad('nosuchmetric=0.1')).toMatch(/--precision nosuchmetric: "nosuchmetric": a metric name: stagnation_share, .*reverse_share/);
    expect(bad('stagnation_share=0')).toMatch(/"0": a positive number/);
    expect(bad('stagnation_share=-1')).toMatch(/a positive number/);
    expect(bad('stagnation_share=abc')).toMatch(/a positive number/);
    expect(bad('stagnation_share=')).toMatch(/a positive number/);
    expect(bad('stagnation_share')).toMatch(/METRIC=H/);
    expect(bad('stagnation_share=0.1,')).toMatch(/METRIC=H/);
    expect(bad('stagnation_share=0.1,stagnation_share=0.2')).toMatch(/each metric once/);
  });
});

describe('batches', () => {
  it('double from the initial count, capped at the maximum', () => {
    const sizes = [3];
    while (nextBatch(sizes.at(-1)!, 200, false) > 0) sizes.push(sizes.at(-1)! + nextBatch(sizes.at(-1)!, 200, false));
    expect(sizes).toEqual([3, 6, 12, 24, 48, 96, 192, 200]);
    expect(nextBatch(5, 200, true)).toBe(0);
    expect(nextBatch(6, 6, false)).toBe(0);
  });

  it('--max-replicates: default 200, at least the initial count with targets, and only with targets', () => {
    expect(maxReplicatesOption(undefined, 8)).toBe(200);
    expect(maxReplicatesOption(undefined, 300)).toBe(300);
    expect(maxReplicatesOption('6', 3)).toBe(6);
    expect(() => maxReplicatesOption('2', 3)).toThrow(/--max-replicates: "2": at least the initial replicates \(3\)/);
    expect(() => maxReplicatesOption('2', 3, false)).toThrow(/--max-replicates: "2": only with --precision/);
    expect(maxReplicatesOption(undefined, 3, false)).toBe(200);
    expect(() => maxReplicatesOption('x', 3)).toThrow(/an integer/);
  });

  it('an undefined half-width is never reached', () => {
    expect(isReached(NaN, 1)).toBe(false);
    expect(isReached(0.5, 0.5)).toBe(true);
    expect(isReached(0.51, 0.5)).toBe(false);
  });
});

describe('runToPrecision', () => {
  // A fake metric whose half-width is 1/n.
  const loop = (target: number, max: number) => {
    const calls: [number, number][] = [];
    return {
      calls,
      run: runToPrecision<number>({
        targets: [{ metric: 'stagnation_share', target }],
        initial: 3,
        max,
        runBatch: async (from, to) => {
          calls.push([from, to]);
          return Array.from({ length: to - from }, (_, i) => from + i);
        },
        measure: (rs) => 1 / rs.length,
      }),
    };
  };

  it('stops as soon as the target is reached, with replicate k in place k', async () => {
    const l = loop(0.1, 200);
    const r = await l.run;
    expect(l.calls).toEqual([[0, 3], [3, 6], [6, 12]]);
    expect(r.results).toEqual(Array.from({ length: 12 }, (_, k) => k));
    expect(r.outcomes).toEqual([{ metric: 'stagnation_share', target: 0.1, achieved: 1 / 12, replicates: 12, reached: true }]);
  });

  it('stops at the maximum and says the target was not reached', async () => {
    const l = loop(0.01, 20);
    const r = await l.run;
    expect(l.calls).toEqual([[0, 3], [3, 6], [6, 12], [12, 20]]);
    expect(r.outcomes[0]).toMatchObject({ replicates: 20, reached: false, achieved: 0.05 });
    expect(precisionManifest(r.outcomes)).toEqual(r.outcomes[0]);
    expect(precisionManifest([])).toBeNull();
  });

  it('without targets runs the initial replicates once', async () => {
    const calls: [number, number][] = [];
    const r = await runToPrecision<number>({ targets: [], initial: 4, max: 200, runBatch: async (f, t) => (calls.push([f, t]), [f, t]), measure: () => NaN });
    expect(calls).toEqual([[0, 4]]);
    expect(r.outcomes).toEqual([]);
  });
});
