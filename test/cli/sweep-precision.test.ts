/**
 * End-to-end tests of `cadreflow sweep --precision` (built CLI): each point gets the replicates it
 * needs, with the sweep's guarantees — the same bytes with 1 and 2 threads, after a kill and
 * --resume, and from shards and merge.
 *
 * The design makes the outcome independent of the model's details: with zero hardship allowances
 * `allowance_cost` is 0 in every replicate (half-width 0, met with the initial 2 replicates), with
 * the default allowances it varies, so a target of 1e-9 is never met and those points stop at
 * --max-replicates.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAfter } from '../helpers.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;
const FILES = ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv'];
const MAX = 8;
const PREC = ['--precision', 'allowance_cost=1e-9', '--max-replicates', String(MAX)];

function cf(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (dir: string, f: string) => readFileSync(path.join(tmp, dir, f));
const lines = (dir: string, f: string) => read(dir, f).toString().trim().split('\n');
const manifest = (dir: string) => JSON.parse(read(dir, 'manifest.json').toString());
function same(a: string, b: string) {
  for (const f of FILES) expect(read(a, f).equals(read(b, f)), `${f} of ${a} and ${b}`).toBe(true);
}

const BASE = { name: 'b', seed: 3, years: 3, burnIn: 4, world: { preset: 'gansu', scale: 0.04 } };
const ZERO = [0, 0, 0, 0, 0, 0];
const SWEEP = {
  name: 'prec', base: 'base.json', replicates: 2,
  design: { type: 'list', points: [{ 'policy.maxTenure': 8 }, { 'policy.hardshipAllowance': ZERO }, { 'policy.maxTenure': 12 }, { 'policy.hardshipAllowance': ZERO, 'policy.maxTenure': 6 }] },
};
// Point 0 and 2 stop at the maximum, 1 and 3 are met with the initial replicates.
const NEEDED = [MAX, 2, MAX, 2];
let refOut = '';

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-sweep-precision-'));
  writeFileSync(path.join(tmp, 'base.json'), JSON.stringify(BASE));
  writeFileSync(path.join(tmp, 'prec.json'), JSON.stringify(SWEEP));
  const r = cf(['sweep', 'prec.json', '--out', 'ref', '--threads', '1', ...PREC]);
  expect(r.code, r.err).toBe(0);
  refOut = r.out;
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('cadreflow sweep --precision', () => {
  it('gives each point the replicates it needs, in (point, replicate, year) order, and says so in points.csv, manifest.json and on the terminal', () => {
    const points = lines('ref', 'points.csv');
    expect(points[0]).toBe('point,policy.maxTenure,policy.hardshipAllowance,policy.hardshipAllowance.scale,replicates,precision_met,allowance_cost_half_width');
    expect(points[2]!.startsWith('1,,"[0,0,0,0,0,0]",0,')).toBe(true);
    const rows = points.slice(1).map((l) => l.split(','));
    expect(rows.map((c) => Number(c[0]))).toEqual([0, 1, 2, 3]);
    expect(rows.map((c) => Number(c[c.length - 3]))).toEqual(NEEDED);
    expect(rows.map((c) => c[c.length - 2])).toEqual(['FALSE', 'TRUE', 'FALSE', 'TRUE']);
    expect(rows.map((c) => Number(c[c.length - 1]))).toEqual([expect.any(Number), 0, expect.any(Number), 0]);
    expect(Number(rows[0]![rows[0]!.length - 1])).toBeGreaterThan(1e-9);

    // runs.csv and timeseries.csv: replicates 0..n−1 of each point in order, seeds as in a sweep without --precision.
    const runs = lines('ref', 'runs.csv').slice(1).map((l) => l.split(',').slice(0, 2).join(','));
    expect(runs).toEqual(NEEDED.flatMap((n, p) => Array.from({ length: n }, (_, k) => `${p},${k}`)));
    const ts = lines('ref', 'timeseries.csv').slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
    expect(ts.length).toBe(3 * NEEDED.reduce((a, b) => a + b, 0));
    for (let i = 1; i < ts.length; i++) {
      const [a, b] = [ts[i - 1]!, ts[i]!];
      expect(a[0]! < b[0]! || (a[0] === b[0] && (a[1]! < b[1]! || (a[1] === b[1] && a[3]! < b[3]!))), `row ${i + 1} of timeseries.csv in order`).toBe(true);
    }
    // summary.csv: n is the replicates each point ran.
    const header = lines('ref', 'summary.csv')[0]!.split(',');
    const nAt = header.indexOf('n');
    const last = lines('ref', 'summary.csv').filter((l) => l.includes(',allowance_cost,2028,')).map((l) => Number(l.split(',')[nAt]));
    expect(last).toEqual(NEEDED);

    const m = manifest('ref');
    expect(m.replicates).toBe(2);
    expect(m.tasks).toBe(20);
    expect(m.precision).toMatchObject({
      targets: [{ metric: 'allowance_cost', target: 1e-9 }], initialReplicates: 2, maxReplicates: MAX,
      points: 4, met: 2, notMet: 2, notMetPoints: [0, 2], pointsByReplicates: { '2': 2, '8': 2 }, runs: 20,
    });
    expect(refOut).toMatch(/prec: 4 points × 2–8 replicates \(--precision\); 20 runs/);
    expect(refOut).toMatch(/precision: 95% CI half-width in the last year allowance_cost ≤ 1e-9: met at 2 of 4 points; not met at 2 \(stopped at the maximum of 8 replicates\): points 0, 2/);
    expect(refOut).toMatch(/replicates per point: 2 at 2 points, 8 at 2 points \(20 runs/);
  });

  it('gives byte-identical files with 1 and 2 threads, and the rows of a sweep run with that many replicates', () => {
    const r = cf(['sweep', 'prec.json', '--out', 'two', '--threads', '2', '--quiet', ...PREC]);
    expect(r.code, r.err).toBe(0);
    same('ref', 'two');
    // Replicate k of a point has the same seed and rows whatever the batches: point 0 stopped at 8 replicates.
    writeFileSync(path.join(tmp, 'fixed.json'), JSON.stringify({ ...SWEEP, replicates: MAX, design: { type: 'list', points: SWEEP.design.points.slice(0, 1) } }));
    expect(cf(['sweep', 'fixed.json', '--out', 'fixed', '--threads', '2', '--quiet']).code).toBe(0);
    for (const f of ['timeseries.csv', 'summary.csv']) {
      expect(lines('ref', f).filter((l) => l.startsWith('0,'))).toEqual(lines('fixed', f).slice(1));
    }
    const seeds = (dir: string) => lines(dir, 'runs.csv').slice(1).filter((l) => l.startsWith('0,')).map((l) => l.split(',').slice(0, 3).join(','));
    expect(seeds('ref')).toEqual(seeds('fixed'));
  });

  it('a larger maximum lets the points that need it go on; the points met early are unchanged', () => {
    const r = cf(['sweep', 'prec.json', '--out', 'max16', '--threads', '2', '--quiet', '--precision', 'allowance_cost=1e-9', '--max-replicates', '16']);
    expect(r.code, r.err).toBe(0);
    const rows = lines('max16', 'points.csv').slice(1).map((l) => l.split(','));
    expect(rows.map((c) => Number(c[c.length - 3]))).toEqual([16, 2, 16, 2]);
    for (const p of [1, 3]) expect(lines('max16', 'runs.csv').filter((l) => l.startsWith(`${p},`))).toEqual(lines('ref', 'runs.csv').filter((l) => l.startsWith(`${p},`)));
    expect(manifest('max16').precision).toMatchObject({ met: 2, notMet: 2, runs: 36 });
  });

  it('shards and merge reproduce the unsharded sweep byte for byte', () => {
    for (const n of [2, 3]) {
      const dirs: string[] = [];
      for (let i = 1; i <= n; i++) {
        const d = `sh${n}-${i}`;
        dirs.push(d);
        const r = cf(['sweep', 'prec.json', '--out', d, '--shard', `${i}/${n}`, '--threads', '2', '--quiet', ...PREC]);
        expect(r.code, r.err).toBe(0);
      }
      // A shard's points.csv holds its own points.
      expect(lines(dirs[0]!, 'points.csv').slice(1).map((l) => l.split(',')[0])).toEqual(n === 2 ? ['0', '2'] : ['0', '3']);
      const r = cf(['merge', ...dirs, '--out', `merged${n}`]);
      expect(r.code, r.err).toBe(0);
      same('ref', `merged${n}`);
      const { started: _a, finished: _b, merged: _c, ...mm } = manifest(`merged${n}`);
      void _a; void _b; void _c;
      expect(mm.precision).toEqual(manifest('ref').precision);
      expect(mm.tasks).toBe(20);
    }
    // Shards of another precision are another sweep.
    expect(cf(['sweep', 'prec.json', '--out', 'other2', '--shard', '2/2', '--threads', '2', '--quiet', '--precision', 'allowance_cost=1e-9', '--max-replicates', '4']).code).toBe(0);
    const mixed = cf(['merge', 'sh2-1', 'other2', '--out', 'mixed']);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/another sweep/);
  });

  it('a sweep killed with SIGKILL at any moment and resumed ends byte-identical; another --precision cannot resume it', async () => {
    let partial = 0;
    // The later delays only when no earlier kill caught the sweep half done (a loaded machine starts slowly).
    for (const delay of [300, 700, 1100, 1600, 2500, 4000, 6000]) {
      if (delay > 1600 && partial > 0) break;
      const out = `killed${delay}`;
      await killAfter(bin, ['sweep', 'prec.json', '--out', out, '--threads', '2', '--quiet', '--precision', 'allowance_cost=1e-9', '--max-replicates', '16'], tmp, delay);
      if (!existsSync(path.join(tmp, out, 'progress.json'))) continue; // killed before it began: nothing to resume
      if (!JSON.parse(readFileSync(path.join(tmp, out, 'progress.json'), 'utf8')).complete) partial++;
      const other = cf(['sweep', 'prec.json', '--out', out, '--threads', '2', '--resume', '--quiet', '--precision', 'allowance_cost=1e-6', '--max-replicates', '16']);
      expect(other.code).toBe(2);
      expect(other.err).toMatch(/--precision/);
      const r = cf(['sweep', 'prec.json', '--out', out, '--threads', '2', '--resume', '--quiet', '--precision', 'allowance_cost=1e-9', '--max-replicates', '16']);
      expect(r.code, r.err).toBe(0);
      same('max16', out);
      expect(manifest(out).precision).toEqual(manifest('max16').precision);
    }
    expect(partial, 'at least one kill left a sweep half done').toBeGreaterThan(0);
  });

  it('records failed runs and goes on; a failed run counts as no value', () => {
    const r = cf(['sweep', 'prec.json', '--out', 'fail', '--threads', '2', '--quiet', ...PREC], { CADREFLOW_INJECT_FAILURE: '1/0,0/5' });
    expect(r.code).toBe(1);
    expect(lines('fail', 'failures.csv').length).toBe(3);
    // Point 1 had one value after its first batch (no CI): it doubled to 4 replicates and was then met.
    const rows = lines('fail', 'points.csv').slice(1).map((l) => l.split(','));
    expect(rows.map((c) => Number(c[c.length - 3]))).toEqual([MAX, 4, MAX, 2]);
    expect(rows[1]![rows[1]!.length - 2]).toBe('TRUE');
  });

  it('rejects a bad METRIC=H or --max-replicates with exit code 2, writing nothing', () => {
    const bad = (args: string[], re: RegExp) => {
      const r = cf(['sweep', 'prec.json', '--out', 'bad', '--threads', '1', ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(existsSync(path.join(tmp, 'bad'))).toBe(false);
    };
    bad(['--precision', 'nosuchmetric=0.1'], /--precision nosuchmetric: "nosuchmetric": a metric name: stagnation_share, /);
    bad(['--precision', 'stagnation_share=0'], /--precision stagnation_share: "0": a positive number/);
    bad(['--precision', 'stagnation_share=abc'], /--precision stagnation_share: "abc": a positive number/);
    bad(['--precision', 'stagnation_share'], /--precision: "stagnation_share": METRIC=H/);
    bad(['--precision', 'stagnation_share=0.1', '--max-replicates', '1'], /--max-replicates: "1": at least the initial replicates \(2\)/);
    bad(['--precision', 'stagnation_share=0.1', '--max-replicates', 'many'], /--max-replicates: "many": an integer/);
  });
});
