/** Running over a posterior (src/experiment/posterior.ts): the variance split behind parametric_share, the draws by weight, reading a posterior file. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  checkPosterior, drawParticle, oneWayRandomEffects, parametricShare, readPosterior, replicateGroups, replicateParticles, type Posterior,
} from '../../src/experiment/posterior.js';
import { InputError } from '../../src/scenario/errors.js';
import { hashString, normal } from '../../src/random/hash.js';
import { parseScenario } from '../../src/scenario/load.js';
import { groupMeans, summarize } from '../../src/experiment/stats.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-posterior-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
}

function inputProblems(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('no InputError');
}

describe('oneWayRandomEffects (parametric_share)', () => {
  it('gives the hand-worked ANOVA of three groups of two', () => {
    // Groups {1, 3}, {5, 7}, {2, 4}: means 2, 6, 3, grand mean 11/3.
    // SSB = 2·((2 − 11/3)² + (6 − 11/3)² + (3 − 11/3)²) = 52/3, MSB = 26/3; SSW = 6, MSW = 6/(6 − 3) = 2;
    // σ²_b = (26/3 − 2)/2 = 10/3, σ²_w = 2, share = (10/3)/(16/3) = 0.625.
    const v = oneWayRandomEffects([1, 3, 5, 7, 2, 4], [0, 0, 1, 1, 2, 2]);
    expect(v.groups).toBe(3);
    expect(v.n).toBe(6);
    expect(v.n0).toBe(2);
    expect(v.msb).toBeCloseTo(26 / 3, 12);
    expect(v.msw).toBeCloseTo(2, 12);
    expect(v.between).toBeCloseTo(10 / 3, 12);
    expect(v.within).toBeCloseTo(2, 12);
    expect(v.share).toBeCloseTo(0.625, 12);
    expect(parametricShare([1, 3, 5, 7, 2, 4], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.625, 12);
  });

  it('floors the between-particle variance at 0 when the group means differ less than the seeds would make them', () => {
    // Means 5 and 5: MSB = 0 < MSW = (50 + 32)/2 = 41.
    const v = oneWayRandomEffects([0, 10, 1, 9], [0, 0, 1, 1]);
    expect(v.msb).toBe(0);
    expect(v.msw).toBe(41);
    expect(v.between).toBe(0);
    expect(v.share).toBe(0);
  });

  it('is 1 when the seeds change nothing and the particles differ', () => {
    expect(parametricShare([0.2, 0.2, 0.5, 0.5, 0.9, 0.9], [0, 0, 1, 1, 2, 2])).toBe(1);
  });

  it('leaves out undefined values and uses n0 for unequal groups (hand-worked)', () => {
    // Groups {1, 3, 5} and {10} (its second value undefined): N = 4, a = 2, n0 = (4 − (9 + 1)/4)/1 = 1.5;
    // grand mean 19/4; SSB = 3·(3 − 4.75)² + (10 − 4.75)² = 36.75 = MSB; SSW = 8, MSW = 8/2 = 4;
    // σ²_b = (36.75 − 4)/1.5 = 65.5/3, share = (65.5/3)/(65.5/3 + 4) = 65.5/77.5.
    const v = oneWayRandomEffects([1, 3, 5, 10, NaN], [0, 0, 0, 1, 1]);
    expect(v.n).toBe(4);
    expect(v.groups).toBe(2);
    expect(v.n0).toBeCloseTo(1.5, 12);
    expect(v.msb).toBeCloseTo(36.75, 12);
    expect(v.msw).toBeCloseTo(4, 12);
    expect(v.share).toBeCloseTo(65.5 / 77.5, 12);
  });

  it('is undefined with one group, without a group of two values, or without variance', () => {
    expect(parametricShare([1, 2, 3], [0, 0, 0])).toBeNaN();
    expect(parametricShare([1, 2, 3], [0, 1, 2])).toBeNaN();
    expect(parametricShare([4, 4, 4, 4], [0, 0, 1, 1])).toBeNaN();
    expect(parametricShare([], [])).toBeNaN();
  });

  it('recovers known variance components of synthetic data (σ²_b = 1, σ²_w = 3: share 0.25; σ²_b = 9, σ²_w = 1: share 0.9)', () => {
    for (const [sb, sw, m, share] of [[1, 3, 2, 0.25], [9, 1, 2, 0.9], [1, 3, 5, 0.25], [0, 2, 2, 0]] as const) {
      const groups = 4000;
      const values: number[] = [];
      const group: number[] = [];
      const sa = hashString('test.posterior.between'), se = hashString('test.posterior.within');
      for (let g = 0; g < groups; g++) {
        const a = Math.sqrt(sb) * normal(sa, g, 0);
        for (let i = 0; i < m; i++) {
          values.push(5 + a + Math.sqrt(sw) * normal(se, g, i));
          group.push(g);
        }
      }
      const v = oneWayRandomEffects(values, group);
      // Within 4 standard errors of the estimators: SE(MSB) ≈ √(2/(a − 1))·(σ²_w + m·σ²_b), SE(MSW) ≈ √(2/(N − a))·σ²_w.
      const seBetween = (Math.sqrt(2 / (groups - 1)) * (sw + m * sb) + Math.sqrt(2 / (groups * (m - 1))) * sw) / m;
      expect(Math.abs(v.between - sb), `σ²_b ${sb}, m ${m}`).toBeLessThan(4 * seBetween);
      expect(Math.abs(v.within - sw)).toBeLessThan(4 * Math.sqrt(2 / (groups * (m - 1))) * sw);
      expect(Math.abs(v.share - share)).toBeLessThan(0.04);
    }
  });
});

describe('the mean and CI over a posterior (experiment/stats.ts summarize with groups)', () => {
  it('takes the mean and CI from the draws’ means, n and sd from the replicates (hand-worked)', () => {
    // Draw means 2, 6, 3: mean 11/3, sd √(13/3) = 2.0816660, half-width t(0.975, 2) · sd / √3 = 4.303 · 2.0816660 / √3 = 5.1715624.
    // Over the 6 replicates: sd √(70/3 / 5) = 2.1602469.
    const s = summarize([1, 3, 5, 7, 2, 4], false, [0, 0, 1, 1, 2, 2]);
    expect(s.n).toBe(6);
    expect(s.mean).toBeCloseTo(11 / 3, 12);
    expect(s.sd).toBeCloseTo(2.1602469, 6);
    expect(s.ciLow).toBeCloseTo(11 / 3 - 5.1715624, 6);
    expect(s.ciHigh).toBeCloseTo(11 / 3 + 5.1715624, 6);
    // Treating the 6 replicates as independent would give t(0.975, 5) · 2.1602469 / √6 = 2.571 · 0.8819171 = 2.2674: too narrow.
    expect(summarize([1, 3, 5, 7, 2, 4]).ciHigh - 11 / 3).toBeCloseTo(2.2674, 3);
    expect(groupMeans([1, NaN, 5, 7, NaN, NaN], [0, 0, 1, 1, 2, 2])).toEqual([1, 6]);
  });
});

describe('reading and drawing a posterior', () => {
  const good = () => file('good.csv', 'generation,particle,weight,distance,policy.maxTenure,behavior.stigma\n3,0,0.6,1.5,6,0.5\n3,1,0,1.7,8,0.6\n3,2,0.3,1.9,12,0.4\n3,3,0.1,2.5,20,1\n');

  it('reads the particles, their weights and the file hash', () => {
    const p = readPosterior(good());
    expect(p.paths).toEqual(['policy.maxTenure', 'behavior.stigma']);
    expect(p.particles.map((x) => x.particle)).toEqual([0, 1, 2, 3]);
    expect(p.particles[2]!.values).toEqual([12, 0.4]);
    expect(Array.from(p.cumulative)).toEqual([0.6, 0.6, 0.6 + 0.3, 0.6 + 0.3 + 0.1]);
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('draws particles in proportion to their weights, never one of weight 0, the same way every time', () => {
    const p = readPosterior(good());
    const counts = [0, 0, 0, 0];
    const n = 40000;
    for (let g = 0; g < n; g++) counts[drawParticle(p, 7, g)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / n).toBeCloseTo(0.6, 1);
    expect(Math.abs(counts[0]! / n - 0.6)).toBeLessThan(0.01);
    expect(Math.abs(counts[2]! / n - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(counts[3]! / n - 0.1)).toBeLessThan(0.01);
    const again = Array.from({ length: 50 }, (_, g) => drawParticle(p, 7, g));
    expect(Array.from({ length: 50 }, (_, g) => drawParticle(p, 7, g))).toEqual(again);
    expect(Array.from({ length: 50 }, (_, g) => drawParticle(p, 8, g))).not.toEqual(again);
  });

  it('gives replicate k draw ⌊k/m⌋: m replicates in a row run one particle', () => {
    const p = readPosterior(good());
    const pr = { posterior: p, seedsPerParticle: 3, seed: 5 };
    const idx = replicateParticles(pr, 12);
    expect(replicateGroups(pr, 12)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    for (let g = 0; g < 4; g++) {
      expect(idx.slice(3 * g, 3 * g + 3)).toEqual([drawParticle(p, 5, g), drawParticle(p, 5, g), drawParticle(p, 5, g)]);
    }
  });

  it('applies a particle over the scenario (the posterior wins) and checks its values against the schema', () => {
    const p: Posterior = readPosterior(good());
    const base = parseScenario({ name: 'x', policy: { maxTenure: 9 }, behavior: { stigma: 0.2, applyRate: 0.4 } });
    const [per] = checkPosterior(p, [{ scenario: base, label: 'x.json' }]);
    expect(per!.map((s) => s.policy.maxTenure)).toEqual([6, 8, 12, 20]);
    expect(per![3]!.behavior.stigma).toBe(1);
    expect(per![3]!.behavior.applyRate).toBe(0.4);
    const out = file('range.csv', 'generation,particle,weight,distance,policy.maxTenure\n0,0,1,0,50\n0,1,1,0,6.5\n');
    const msg = inputProblems(() => checkPosterior(readPosterior(out), [{ scenario: base, label: 'x.json' }]));
    expect(msg).toContain('range.csv: row 1 (line 2), column policy.maxTenure: 50: must be ≤ 40');
    expect(msg).toContain('range.csv: row 2 (line 3), column policy.maxTenure: 6.5: a whole number');
    const order = file('order.csv', 'generation,particle,weight,distance,policy.minTenure\n0,0,1,0,10\n');
    expect(inputProblems(() => checkPosterior(readPosterior(order), [{ scenario: base, label: 'x.json' }]))).toMatch(/order\.csv: row 1 \(line 2\), column policy\.minTenure: 10: at most policy\.maxTenure \(9\)/);
    expect(inputProblems(() => checkPosterior(p, [{ scenario: base, label: 'x.json' }], [{ path: 'behavior.stigma', what: 'a --set option' }]))).toMatch(/column behavior\.stigma: .*--set option sets it too/);
  });

  it('refuses a file that is not a posterior, with the file, row, column, value and what is allowed', () => {
    const cases: [string, RegExp][] = [
      ['a,b\n1,2\n', /header \(line 1\): "a,b": the header of an ABC-SMC posterior, generation,particle,weight,distance/],
      ['generation,particle,weight,distance\n0,0,1,0\n', /at least one parameter column/],
      ['generation,particle,weight,distance,policy.maxTenure\n', /at least one particle row/],
      ['generation,particle,weight,distance,seed\n0,0,1,0,3\n', /column 5: "seed": a model parameter/],
      ['generation,particle,weight,distance,policy.maxTenure,policy.maxTenure\n0,0,1,0,3,3\n', /each parameter once/],
      ['generation,particle,weight,distance,policy.maxTenure\n0,0,-0.5,0,3\n', /row 1 \(line 2\), column weight: "-0.5": a number ≥ 0/],
      ['generation,particle,weight,distance,policy.maxTenure\n0,0,1,0,abc\n', /row 1 \(line 2\), column policy\.maxTenure: "abc": a number/],
      ['generation,particle,weight,distance,policy.maxTenure\n0,0,1,0,3\n0,0,1,0,4\n', /row 2 \(line 3\), column particle: 0: a number of its own \(line 2 has it too\)/],
      ['generation,particle,weight,distance,policy.maxTenure\n0,0,0,0,3\n0,1,0,0,4\n', /column weight: 0: weights that sum to more than 0/],
      ['generation,particle,weight,distance,policy.maxTenure\n1,0,1,0,3\n2,1,1,0,4\n', /column generation: 2: 1, as line 2: the particles of one generation/],
      ['generation,particle,weight,distance,policy.maxTenure\n0,0,1,0\n', /row 1 \(line 2\): "0,0,1,0": 5 cells/],
    ];
    cases.forEach(([text, re], i) => {
      const f = file(`bad-${i}.csv`, text);
      const msg = inputProblems(() => readPosterior(f));
      expect(msg, text).toMatch(re);
      expect(msg.startsWith(f)).toBe(true);
    });
    expect(inputProblems(() => readPosterior(path.join(tmp, 'missing.csv')))).toMatch(/missing\.csv: --posterior: .*the file does not exist/);
  });
});
