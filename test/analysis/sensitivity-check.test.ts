/**
 * The check that a Sobol analysis had enough base samples: indices that no
 * model can have (0 ≤ S1 ≤ ST ≤ 1), beyond their 95% intervals, say that N is
 * too small, in sensitivity.csv's note column and on the terminal.
 */
import { describe, expect, it } from 'vitest';
import { saltelliDesign, sobolIndices } from '../../src/analysis/sensitivity-methods.js';
import { sensitivityCsv, sobolSampleCheck, sobolWarning, SENSITIVITY_HEADER, type SensitivityRow } from '../../src/analysis/sensitivity.js';
import { Stream } from '../../src/random/stream.js';

const row = (parameter: string, S1: [number, number, number], ST: [number, number, number]): SensitivityRow => ({
  parameter, metric: 'stagnation_share', S1: S1[0], S1Low: S1[1], S1High: S1[2], ST: ST[0], STLow: ST[1], STHigh: ST[2], n: 8,
});

describe('Sobol sample-size check', () => {
  it('flags S1 above 1 or below 0, ST above 1 and ST below S1 only beyond their intervals, and suggests a larger N', () => {
    const rows = [
      row('a', [1.4, 1.1, 1.8], [1.5, 0.9, 2]),
      row('b', [-0.3, -0.5, -0.1], [0.2, 0.1, 0.3]),
      row('c', [0.6, 0.5, 0.7], [0.2, 0.1, 0.3]),
      row('d', [0.3, 0.2, 0.4], [1.6, 1.2, 2.1]),
      // Within their intervals: noise, not a sign of too few samples.
      row('e', [1.2, 0.8, 1.5], [1.1, 0.9, 1.3]),
      row('f', [-0.05, -0.2, 0.1], [0.01, 0, 0.05]),
      row('g', [0.02, 0, 0.05], [0.01, 0, 0.04]),
      // No intervals (bootstrap 0): not checked.
      { parameter: 'h', metric: 'stagnation_share', S1: 1.5, S1Low: NaN, S1High: NaN, ST: 0.1, STLow: NaN, STHigh: NaN, n: 8 },
    ];
    const c = sobolSampleCheck(rows, 8);
    expect(c.tooSmall).toBe(true);
    expect(c.suggestedSamples).toBe(32);
    expect(c.problems.map((p) => [p.parameter, p.problem])).toEqual([
      ['a', 'S1 = 1.4 [1.1, 1.8] is above 1 beyond its 95% interval'],
      ['b', 'S1 = -0.3 [-0.5, -0.1] is below 0 beyond its 95% interval'],
      ['c', 'ST = 0.2 [0.1, 0.3] is below S1 = 0.6 [0.5, 0.7] beyond their 95% intervals'],
      ['d', 'ST = 1.6 [1.2, 2.1] is above 1 beyond its 95% interval'],
    ]);
    expect(sobolSampleCheck(rows.slice(4), 64)).toEqual({ samples: 64, tooSmall: false, suggestedSamples: null, problems: [] });
    expect(sobolSampleCheck([rows[0]!], 100).suggestedSamples).toBe(512);
  });

  it('writes a note on the flagged rows of sensitivity.csv and a warning for the terminal', () => {
    const rows = [row('a', [0.6, 0.5, 0.7], [0.2, 0.1, 0.3]), row('g', [0.02, 0, 0.05], [0.01, 0, 0.04])];
    const c = sobolSampleCheck(rows, 4);
    const csv = sensitivityCsv(rows, c).trim().split('\n');
    expect(csv[0]).toBe(SENSITIVITY_HEADER.join(','));
    expect(SENSITIVITY_HEADER.at(-1)).toBe('note');
    expect(csv[1]).toMatch(/,8,"ST = 0\.2 \[0\.1, 0\.3\] is below S1 = 0\.6 \[0\.5, 0\.7\] beyond their 95% intervals: N = 4 base samples are too few for these indices; use sobol\.samples of 16 or more"$/);
    expect(csv[2]!.endsWith(',8,')).toBe(true);
    const w = sobolWarning(c);
    expect(w).toMatch(/^cadreflow: warning: N = 4 base samples are too few for these Sobol indices: 1 index is impossible/);
    expect(w).toContain('  stagnation_share, a: ST = 0.2');
    expect(w).toContain('a larger sobol.samples, e.g. 16');
    expect(sobolWarning(sobolSampleCheck([rows[1]!], 4))).toBe('');
  });

  it('fires on the estimates of a noisy model with too few samples, not with enough', () => {
    const check = (n: number) => {
      const design = saltelliDesign(3, n);
      const noise = new Stream(7, 'noise', 0);
      const y = design.unit.map((u) => u[0]! + 0.3 * u[1]! + 2 * (noise.next() - 0.5));
      const boot = new Stream(1, 'bootstrap', 0);
      const rows = sobolIndices(design, y, { bootstrap: 500, rng: () => boot.next() }).map((s, i) => ({ parameter: `x${i + 1}`, metric: 'y', ...s }));
      return sobolSampleCheck(rows, n);
    };
    const small = check(16);
    expect(small.tooSmall).toBe(true);
    expect(small.problems[0]!.problem).toMatch(/below 0 beyond its 95% interval/);
    expect(check(1024).tooSmall).toBe(false);
  });
});
