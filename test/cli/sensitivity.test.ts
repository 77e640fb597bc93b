/** End-to-end tests of `cadreflow sensitivity` on a tiny scenario (built CLI): files, thread independence, resume, bad input. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SENSITIVITY_HEADER } from '../../src/analysis/sensitivity.js';
import { killAfter } from '../helpers.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (...p: string[]) => readFileSync(path.join(tmp, ...p), 'utf8');
const write = (f: string, o: unknown) => writeFileSync(path.join(tmp, f), JSON.stringify(o));

const BASE = { name: 'b', seed: 3, years: 3, burnIn: 4, world: { preset: 'gansu', scale: 0.04 } };
const SA = {
  name: 'tiny',
  base: 'base.json',
  replicates: 2,
  parameters: {
    'policy.maxTenure': { min: 4, max: 12, integer: true },
    'behavior.stigma': { min: 0, max: 2 },
    'policy.matching': { values: ['directive', 'two-way'] },
  },
  outputs: ['stagnation_share', 'skill_diversity', 'reverse_share'],
  lastYears: 2,
  morris: { trajectories: 3, bootstrap: 50 },
  sobol: { samples: 4, bootstrap: 50 },
};

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-sa-'));
  write('base.json', BASE);
  write('sa.json', SA);
  const r = cf(['sensitivity', 'sa.json', '--out', 'm1', '--threads', '1']);
  expect(r.code, r.err).toBe(0);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('cadreflow sensitivity', () => {
  it('Morris: writes the design, the runs as a sweep, point outputs and ranked indices; prints a ranked table', () => {
    const sens = read('m1', 'sensitivity.csv').trim().split('\n');
    expect(sens[0]).toBe(SENSITIVITY_HEADER.join(','));
    expect(sens.length).toBe(1 + 3 * 3);
    for (const metric of SA.outputs) {
      const rows = sens.slice(1).map((l) => l.split(',')).filter((c) => c[1] === metric);
      expect(rows.map((c) => c[0]).sort()).toEqual(Object.keys(SA.parameters).sort());
      const mu = rows.map((c) => Number(c[2]));
      expect(mu).toEqual([...mu].sort((a, b) => b - a)); // ranked by μ*
      for (const c of rows) {
        expect(c[4]).toBe(''); // S1: the other method's cells are empty
        expect(c[7]).toBe('');
        expect(Number(c[3])).toBeGreaterThanOrEqual(0);
      }
    }
    const points = 3 * (3 + 1);
    expect(read('m1', 'design.csv').trim().split('\n').length).toBe(1 + points);
    expect(read('m1', 'outputs.csv').trim().split('\n').length).toBe(1 + points);
    const runs = read('m1', 'runs', 'runs.csv').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(runs.length).toBe(points * 2);
    // Common random numbers: replicate k has the same seed at every point.
    for (const k of ['0', '1']) expect(new Set(runs.filter((c) => c[1] === k).map((c) => c[2])).size).toBe(1);
    const m = JSON.parse(read('m1', 'manifest.json'));
    expect(m.complete).toBe(true);
    expect(m.method).toBe('morris');
    expect(m.points).toBe(points);
    // The report: the Morris μ*–σ chart of each output, offline.
    const html = read('m1', 'report.html');
    expect(html).toMatch(/Morris/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(existsSync(path.join(tmp, 'm1', 'charts'))).toBe(true);
    const again = cf(['sensitivity', 'sa.json', '--out', 'm1b', '--threads', '2']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/stagnation_share \(Morris, ranked by μ\*\)/);
    expect(read('m1b', 'sensitivity.csv')).toBe(read('m1', 'sensitivity.csv')); // whatever the thread count
  });

  it('Sobol: N·(d + 2) points, S1 and ST with intervals, Morris cells empty', () => {
    const r = cf(['sensitivity', 'sa.json', '--method', 'sobol', '--out', 's1', '--threads', '2', '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe('');
    const sens = read('s1', 'sensitivity.csv').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(sens.length).toBe(9);
    for (const c of sens) {
      expect(c[2]).toBe('');
      expect(Number.isFinite(Number(c[7]))).toBe(true);
      expect(Number(c[8])).toBeLessThanOrEqual(Number(c[9]));
    }
    expect(read('s1', 'design.csv').trim().split('\n').length).toBe(1 + 4 * 5);
    const m = JSON.parse(read('s1', 'manifest.json'));
    expect(m.design.type).toBe('saltelli');
    // N = 4 is tiny: the indices it makes impossible are noted in sensitivity.csv, the manifest and on the terminal, and agree.
    expect(m.sampleCheck.samples).toBe(4);
    const notes = sens.filter((c) => c.at(-1) !== '');
    expect(notes.length).toBe(m.sampleCheck.problems.length);
    expect(m.sampleCheck.tooSmall).toBe(notes.length > 0);
    if (notes.length) {
      expect(m.sampleCheck.suggestedSamples).toBe(16);
      expect(r.err).toMatch(/^cadreflow: warning: N = 4 base samples are too few for these Sobol indices/);
      expect(read('s1', 'sensitivity.csv')).toContain('N = 4 base samples are too few for these indices; use sobol.samples of 16 or more');
    } else {
      expect(r.err).toBe('');
    }
  });

  it('an analysis killed with SIGKILL and resumed ends with the same indices', async () => {
    let resumed = 0;
    let partial = 0;
    let reported = 0;
    for (const delay of [500, 900, 1400]) {
      const out = `k${delay}`;
      await killAfter(bin, ['sensitivity', 'sa.json', '--out', out, '--threads', '1', '--quiet'], tmp, delay);
      if (!existsSync(path.join(tmp, out))) continue;
      if (!existsSync(path.join(tmp, out, 'sensitivity.csv'))) {
        partial++;
        // Unfinished: the manifest (written before any run) says so, and report says there is nothing to report yet.
        if (existsSync(path.join(tmp, out, 'runs'))) {
          expect(JSON.parse(read(out, 'manifest.json')).complete).toBe(false);
          const rep = cf(['report', out]);
          expect(rep.code).toBe(2);
          expect(rep.err).toContain(`${out} holds a sensitivity analysis that is not complete (manifest.json: "complete": false)`);
          expect(rep.err).toMatch(/there is nothing to report yet: continue it with cadreflow sensitivity .*sa\.json --resume --method morris --out k\d+/);
          expect(existsSync(path.join(tmp, out, 'report.html'))).toBe(false);
          reported++;
        }
      }
      const r = cf(['sensitivity', 'sa.json', '--out', out, '--threads', '2', '--resume', '--quiet']);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(read(out, 'manifest.json')).complete).toBe(true);
      expect(read(out, 'sensitivity.csv')).toBe(read('m1', 'sensitivity.csv'));
      expect(read(out, 'runs', 'runs.csv')).toBe(read('m1', 'runs', 'runs.csv'));
      resumed++;
    }
    expect(resumed).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0); // at least one kill fell in the middle of the runs
    expect(reported).toBeGreaterThan(0);
  });

  it('refuses to overwrite without --force and to resume another analysis', () => {
    const r = cf(['sensitivity', 'sa.json', '--out', 'm1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out.*--resume.*--force/);
    write('sa2.json', { ...SA, replicates: 1 });
    const other = cf(['sensitivity', 'sa2.json', '--out', 'm1', '--resume']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/another analysis/);
    const method = cf(['sensitivity', 'sa.json', '--out', 'm1', '--resume', '--method', 'sobol']);
    expect(method.code).toBe(2);
    expect(method.err).toMatch(/--resume: "m1": .*same --method/);
    expect(cf(['sensitivity', 'sa2.json', '--out', 'm1', '--force', '--quiet']).code).toBe(0);
  });

  it('bad input is exit code 2 with the file, the field, the value and what is allowed', () => {
    const bad = (over: Record<string, unknown>, re: RegExp, args: string[] = []) => {
      write('bad.json', { ...SA, ...over });
      const r = cf(['sensitivity', 'bad.json', '--out', 'never', ...args]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err).not.toMatch(/at .*\.js:\d+/); // no stack trace
      expect(existsSync(path.join(tmp, 'never'))).toBe(false);
    };
    bad({ outputs: ['stagnation'] }, /bad\.json: outputs\[0\]: "stagnation": a metric name, one of: stagnation_share, .*reverse_share/);
    bad({ parameters: { 'policy.maxTenur': { min: 1, max: 5 } } }, /bad\.json: parameters\.policy\.maxTenur: 1: .*unknown field/);
    bad({ parameters: { 'policy.maxTenure': { min: 4, max: 80 } } }, /parameters\.policy\.maxTenure: 80: .*≤ 40/);
    bad({ parameters: { 'policy.matching': { values: ['directive', 'lottery'] } } }, /parameters\.policy\.matching: "lottery"/);
    bad({ parameters: { 'behavior.stigma': { min: 2, max: 1 } } }, /parameters\.behavior\.stigma\.max.*max must be > min/);
    // Ranges whose every combination has minTenure above maxTenure (each end is valid with the base): rejected before any run.
    bad({ parameters: { 'policy.maxTenure': { min: 3, max: 5, integer: true }, 'policy.minTenure': { min: 6, max: 10, integer: true } } },
      /bad\.json: design point 0 \(policy\.maxTenure=[345], policy\.minTenure=\d+\): policy\.minTenure: \d+: at most policy\.maxTenure \([345]\).*bad\.json: parameters: "9 of 9 points": .*the first 5 invalid points are shown above; nothing was run: narrow the ranges/s);
    bad({ parameters: { 'policy.maxTenure': { min: 2, max: 8, integer: true } } }, /parameters\.policy\.maxTenure: 2: a value the base scenario accepts with its other levers \(there policy\.minTenure 3 must be at most policy\.maxTenure \(2\)/);
    bad({ morris: { levels: 5 } }, /morris\.levels: 5: an even number of levels/);
    bad({ lastYears: 9 }, /lastYears: 9: at most the base scenario's reported years \(3\)/);
    bad({ base: 'missing.json' }, /missing\.json.*does not exist/);
    bad({ colour: 'red' }, /colour: "red": unknown field/);
    bad({}, /--method: "fast": morris or sobol/, ['--method', 'fast']);
    bad({}, /--threads: "0"/, ['--threads', '0']);
  });
});
