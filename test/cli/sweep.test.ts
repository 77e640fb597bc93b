/** End-to-end tests of sweep, shards, merge, resume after SIGKILL and failed runs (built CLI). */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killAfter } from '../helpers.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;
const FILES = ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv'];

function cf(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (dir: string, f: string) => readFileSync(path.join(tmp, dir, f));
function same(a: string, b: string) {
  for (const f of FILES) expect(read(a, f).equals(read(b, f)), `${f} of ${a} and ${b}`).toBe(true);
}

/**
 * Waits until a sweep writing into `dir` has its first checkpoint, so that it is under way and
 * handles Ctrl-C (a fixed delay can fall before that on a loaded machine).
 */
async function started(dir: string): Promise<void> {
  const f = path.join(tmp, dir, 'progress.json');
  for (let i = 0; i < 400 && !existsSync(f); i++) await new Promise((r) => setTimeout(r, 50));
  expect(existsSync(f), `${dir}/progress.json`).toBe(true);
}

const BASE = { name: 'b', seed: 3, years: 3, burnIn: 4, world: { preset: 'gansu', scale: 0.04 } };
const SWEEP = {
  name: 'grid', base: 'base.json', replicates: 2, set: { 'policy.minTenure': 2 },
  design: { type: 'grid', parameters: { 'policy.maxTenure': [5, 10, 15], 'policy.matching': ['directive', 'two-way'] } },
};

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-sweep-'));
  writeFileSync(path.join(tmp, 'base.json'), JSON.stringify(BASE));
  writeFileSync(path.join(tmp, 'grid.json'), JSON.stringify(SWEEP));
  expect(cf(['sweep', 'grid.json', '--out', 'ref', '--threads', '1', '--quiet']).code).toBe(0);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('cadreflow sweep', () => {
  it('writes points, runs, timeseries and summary in (point, replicate, year) order', () => {
    const points = read('ref', 'points.csv').toString().trim().split('\n');
    expect(points).toEqual(['point,policy.maxTenure,policy.matching', '0,5,directive', '1,5,two-way', '2,10,directive', '3,10,two-way', '4,15,directive', '5,15,two-way']);
    const runs = read('ref', 'runs.csv').toString().trim().split('\n');
    expect(runs.length).toBe(1 + 12);
    expect(runs.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(Array.from({ length: 12 }, (_, i) => `${Math.floor(i / 2)},${i % 2}`));
    const ts = read('ref', 'timeseries.csv').toString().trim().split('\n');
    expect(ts.length).toBe(1 + 12 * 3);
    const m = JSON.parse(read('ref', 'manifest.json').toString());
    expect(m.complete).toBe(true);
    expect(m.points).toBe(6);
    expect(m.sweepHash).toMatch(/^[0-9a-f]+$/);
    expect(existsSync(path.join(tmp, 'ref', 'report.html'))).toBe(true);
  });

  it('writes boolean levers as TRUE and FALSE, and an allowance table with its scale against the 2011 scheme, in points.csv and runs.csv', () => {
    const tripled = [0.072, 0.126, 0.21, 0.24, 0.408, 0.6];
    writeFileSync(path.join(tmp, 'bools.json'), JSON.stringify({
      name: 'bools', base: 'base.json', replicates: 1, set: { years: 1 },
      design: { type: 'list', points: [{ 'policy.registry': true }, { 'policy.registry': false, 'policy.hardshipAllowance': tripled }, { 'policy.maxTenure': 8 }] },
    }));
    const r = cf(['sweep', 'bools.json', '--out', 'bools', '--threads', '1', '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(read('bools', 'points.csv').toString()).toBe([
      'point,policy.registry,policy.hardshipAllowance,policy.hardshipAllowance.scale,policy.maxTenure',
      '0,TRUE,,,',
      '1,FALSE,"[0.072,0.126,0.21,0.24,0.408,0.6]",3,',
      '2,,,,8',
      '',
    ].join('\n'));
    const runs = read('bools', 'runs.csv').toString().trim().split('\n');
    expect(runs[0]!.startsWith('point,replicate,seed,status,policy.registry,policy.hardshipAllowance,policy.hardshipAllowance.scale,policy.maxTenure,')).toBe(true);
    expect(runs.slice(1).map((l) => l.split(',')[3] + ',' + l.split(',')[4])).toEqual(['ok,TRUE', 'ok,FALSE', 'ok,']);
    expect(runs[2]).toContain(',FALSE,"[0.072,0.126,0.21,0.24,0.408,0.6]",3,,');
  });

  it('gives byte-identical files with 1 and 2 threads', () => {
    expect(cf(['sweep', 'grid.json', '--out', 'two', '--threads', '2', '--quiet']).code).toBe(0);
    same('ref', 'two');
  });

  it('shards and merge reproduce the unsharded sweep byte for byte; merge refuses incomplete or mixed shards', () => {
    for (const i of [1, 2, 3, 4]) expect(cf(['sweep', 'grid.json', '--out', `s${i}`, '--shard', `${i}/4`, '--threads', '1', '--quiet']).code).toBe(0);
    const r = cf(['merge', 's1', 's2', 's3', 's4', '--out', 'merged']);
    expect(r.code).toBe(0);
    same('ref', 'merged');
    expect(JSON.parse(read('merged', 'manifest.json').toString()).complete).toBe(true);
    // A shard has no report of its own; the merged sweep has one.
    expect(existsSync(path.join(tmp, 's1', 'report.html'))).toBe(false);
    expect(existsSync(path.join(tmp, 'merged', 'report.html'))).toBe(true);
    const missing = cf(['merge', 's1', 's2', 's4', '--out', 'm2']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing 3\/4/);
    writeFileSync(path.join(tmp, 'grid2.json'), JSON.stringify({ ...SWEEP, replicates: 1 }));
    expect(cf(['sweep', 'grid2.json', '--out', 'other1', '--shard', '1/4', '--threads', '1', '--quiet']).code).toBe(0);
    const mixed = cf(['merge', 'other1', 's2', 's3', 's4', '--out', 'm3']);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/another sweep/);
    expect(existsSync(path.join(tmp, 'm3'))).toBe(false);
    // The merge may not write over one of its own shards.
    const before = read('s1', 'runs.csv');
    const onto = cf(['merge', 's1', 's2', 's3', 's4', '--out', 's1', '--force']);
    expect(onto.code).toBe(2);
    expect(onto.err).toMatch(/--out: "s1": a directory other than the shards being merged/);
    expect(read('s1', 'runs.csv').equals(before)).toBe(true);
    expect(cf(['sweep', 'grid.json', '--shard', '5/4']).code).toBe(2);
  });

  it('a sweep killed with SIGKILL at any moment and resumed ends byte-identical', async () => {
    let partial = 0;
    for (const delay of [150, 500, 900, 1300]) {
      const out = `killed${delay}`;
      await killAfter(bin, ['sweep', 'grid.json', '--out', out, '--threads', '2', '--quiet'], tmp, delay);
      if (!existsSync(path.join(tmp, out, 'progress.json'))) continue; // killed before it began: nothing to resume
      if (!JSON.parse(readFileSync(path.join(tmp, out, 'progress.json'), 'utf8')).complete) partial++;
      const r = cf(['sweep', 'grid.json', '--out', out, '--threads', '2', '--resume', '--quiet']);
      expect(r.code, r.err).toBe(0);
      same('ref', out);
    }
    expect(partial, 'at least one kill left a sweep half done').toBeGreaterThan(0);
    // Resuming a finished sweep runs nothing and changes nothing.
    expect(cf(['sweep', 'grid.json', '--out', 'killed900', '--resume', '--quiet']).code).toBe(0);
    same('ref', 'killed900');
  });

  it('--resume of a sweep stopped before its first checkpoint (manifest.json, no progress.json) starts it again; of another sweep, refuses', () => {
    // The state a kill leaves between the manifest and the first checkpoint: this sweep's unfinished manifest, files with partial rows.
    mkdirSync(path.join(tmp, 'early'));
    const m = JSON.parse(read('ref', 'manifest.json').toString());
    delete m.finished;
    writeFileSync(path.join(tmp, 'early', 'manifest.json'), JSON.stringify({ ...m, complete: false }));
    writeFileSync(path.join(tmp, 'early', 'runs.csv'), 'point,rep');
    const r = cf(['sweep', 'grid.json', '--out', 'early', '--threads', '1', '--resume', '--quiet']);
    expect(r.code, r.err).toBe(0);
    same('ref', 'early');
    mkdirSync(path.join(tmp, 'early-other'));
    writeFileSync(path.join(tmp, 'early-other', 'manifest.json'), JSON.stringify({ ...m, sweepHash: 'another', complete: false }));
    const other = cf(['sweep', 'grid.json', '--out', 'early-other', '--resume', '--quiet']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/--resume: "early-other": a sweep results directory with progress\.json/);
    mkdirSync(path.join(tmp, 'early-empty'));
    expect(cf(['sweep', 'grid.json', '--out', 'early-empty', '--threads', '1', '--resume', '--quiet']).code).toBe(0);
    same('ref', 'early-empty');
  });

  it('Ctrl-C stops cleanly, keeping what finished; --resume completes it', async () => {
    const child = spawn(process.execPath, [bin, 'sweep', 'grid.json', '--out', 'intr', '--threads', '1', '--quiet'], { cwd: tmp });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('exit', r));
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGINT');
    const code = await exited;
    if (code === 130) expect(err).toMatch(/--resume/);
    expect(cf(['sweep', 'grid.json', '--out', 'intr', '--threads', '1', '--resume', '--quiet']).code).toBe(0);
    same('ref', 'intr');
  });

  it('an unfinished sweep says so: manifest.json complete false until it is done, and report warns and gives the command that continues it', async () => {
    const longer = ['--set', 'years=30'];
    const child = spawn(process.execPath, [bin, 'sweep', 'grid.json', '--out', 'unfinished', '--threads', '1', '--quiet', ...longer], { cwd: tmp });
    const exited = new Promise((r) => child.on('exit', r));
    await started('unfinished');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const m = JSON.parse(read('unfinished', 'manifest.json').toString());
    expect(m.complete).toBe(false);
    expect(m.finished).toBeUndefined();
    // points.csv lists the whole design from the start; runs.csv only the runs done.
    expect(read('unfinished', 'points.csv').toString().trim().split('\n').length).toBe(1 + 6);
    const runs = read('unfinished', 'runs.csv').toString().trim().split('\n').length - 1;
    expect(runs).toBeLessThan(12);
    const r = cf(['report', 'unfinished']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`cadreflow: note: unfinished holds a sweep that is not complete (manifest.json: "complete": false)`);
    expect(r.err).toContain(`runs.csv has ${runs} runs, while points.csv lists all 6 design points`);
    expect(r.err).toContain(`--resume --out unfinished --set years=30`);
    expect(read('unfinished', 'report.html').toString()).toContain('This sweep is not complete');
    const done = cf(['sweep', 'grid.json', '--out', 'unfinished', '--threads', '2', '--resume', '--quiet', ...longer]);
    expect(done.code, done.err).toBe(0);
    expect(JSON.parse(read('unfinished', 'manifest.json').toString()).complete).toBe(true);
    const again = cf(['report', 'unfinished']);
    expect(again.code).toBe(0);
    expect(again.err).toBe('');
    expect(read('unfinished', 'report.html').toString()).not.toContain('This sweep is not complete');
  });

  it('--force keeps the earlier sweep whole until the new one completes; the hint to resume repeats the --set options', async () => {
    expect(cf(['sweep', 'grid.json', '--out', 'old', '--threads', '1', '--quiet']).code).toBe(0);
    const longer = ['--set', 'years=30'];
    expect(cf(['sweep', 'grid.json', '--out', 'longer', '--threads', '2', '--quiet', ...longer]).code).toBe(0);
    const child = spawn(process.execPath, [bin, 'sweep', 'grid.json', '--out', 'old', '--force', '--threads', '1', '--quiet', ...longer], { cwd: tmp });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('exit', r));
    await started('.old.replacing');
    child.kill('SIGINT');
    expect(await exited, err).toBe(130);
    expect(err).toContain('--resume --out old --set years=30');
    same('ref', 'old'); // the earlier result, untouched
    expect(existsSync(path.join(tmp, '.old.replacing', 'progress.json'))).toBe(true);
    const r = cf(['sweep', 'grid.json', '--resume', '--out', 'old', '--threads', '2', '--quiet', ...longer]);
    expect(r.code, r.err).toBe(0);
    same('longer', 'old');
    expect(existsSync(path.join(tmp, '.old.replacing'))).toBe(false);
  });

  it('records failed runs with point, replicate, seed and message; the others go on; exit code 1', () => {
    const r = cf(['sweep', 'grid.json', '--out', 'fail', '--threads', '2', '--quiet'], { CADREFLOW_INJECT_FAILURE: '1/1,4/0' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/2 run\(s\) failed/);
    const failures = read('fail', 'failures.csv').toString().trim().split('\n');
    expect(failures.length).toBe(3);
    expect(failures[1]).toMatch(/^1,1,\d+,"injected failure at point 1, replicate 1"$/);
    const runs = read('fail', 'runs.csv').toString().trim().split('\n');
    expect(runs.filter((l) => l.includes(',failed,')).length).toBe(2);
    expect(runs.filter((l) => l.includes(',ok,')).length).toBe(10);
  });

  it('runs on worker processes (CADREFLOW_WORKERS=processes) with the same bytes as on one thread; failed runs and a worker process that dies are recorded and the others go on', () => {
    const r = cf(['sweep', 'grid.json', '--out', 'procs', '--threads', '2', '--quiet'], { CADREFLOW_WORKERS: 'processes' });
    expect(r.code, r.err).toBe(0);
    same('ref', 'procs');
    const f = cf(['sweep', 'grid.json', '--out', 'procs-fail', '--threads', '2', '--quiet'], { CADREFLOW_WORKERS: 'processes', CADREFLOW_INJECT_FAILURE: '1/1,4/0!' });
    expect(f.code).toBe(1);
    const failures = read('procs-fail', 'failures.csv').toString().trim().split('\n');
    expect(failures.slice(1)).toEqual([
      expect.stringMatching(/^1,1,\d+,"injected failure at point 1, replicate 1"$/),
      expect.stringMatching(/^4,0,\d+,the worker process running this run exited \(code 3\)$/),
    ]);
    const runs = read('procs-fail', 'runs.csv').toString().trim().split('\n');
    expect(runs.filter((l) => l.includes(',ok,')).length).toBe(10);
    // The runs that did not fail are those of the reference.
    const ok = (dir: string) => read(dir, 'runs.csv').toString().trim().split('\n').filter((l) => l.includes(',ok,'));
    expect(ok('ref').filter((l) => !/^(1,1|4,0),/.test(l))).toEqual(ok('procs-fail'));
  });

  it('rejects an unknown CADREFLOW_WORKERS with exit code 2 before writing anything', () => {
    const r = cf(['sweep', 'grid.json', '--out', 'bad-workers', '--threads', '2', '--quiet'], { CADREFLOW_WORKERS: 'forks' });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`CADREFLOW_WORKERS (environment): "forks": 'threads' or 'processes'`);
    expect(existsSync(path.join(tmp, 'bad-workers'))).toBe(false);
  });

  it('rejects bad sweep files with exit code 2, naming the field and value', () => {
    const bad = (name: string, sweep: object) => {
      writeFileSync(path.join(tmp, `${name}.json`), JSON.stringify(sweep));
      const r = cf(['sweep', `${name}.json`, '--out', `bad-${name}`]);
      expect(r.code).toBe(2);
      expect(existsSync(path.join(tmp, `bad-${name}`))).toBe(false);
      return r.err;
    };
    expect(bad('badvalue', { ...SWEEP, design: { type: 'grid', parameters: { 'policy.maxTenure': [5, 0] } } })).toMatch(/design point 1 \(policy\.maxTenure=0\): policy\.maxTenure: 0: must be ≥ 1/);
    expect(bad('badpath', { ...SWEEP, design: { type: 'grid', parameters: { 'policy.maxTenur': [5] } } })).toMatch(/policy\.maxTenur.*unknown field/);
    expect(bad('badrange', { ...SWEEP, design: { type: 'lhs', samples: 4, parameters: { 'policy.maxTenure': { min: 9, max: 3 } } } })).toMatch(/max must be ≥ min/);
    expect(bad('badtype', { ...SWEEP, design: { type: 'factorial', parameters: {} } })).toMatch(/design\.type: "factorial": one of "grid", "lhs", "random", "list"/);
    expect(bad('listforrange', { ...SWEEP, design: { type: 'random', samples: 3, seed: 1, parameters: { 'policy.maxTenure': [5, 6] } } })).toMatch(/policy\.maxTenure: \[5,6\]: a range \{min, max\}.* or a choice \{values/);
    expect(bad('nobase', { name: 'x', replicates: 1, design: SWEEP.design })).toMatch(/base: \(missing\): a required field; expected string or object/);
    expect(bad('scenario', BASE)).toMatch(/scenario\.json.*a sweep file .*this is a scenario file/);
    expect(bad('badbase', { ...SWEEP, base: 'nope.json' })).toMatch(/nope\.json.*does not exist/);
    const tens = Object.fromEntries(['maxTenure', 'keyMaxTenure', 'minTenure', 'electionCycle', 'tenureFromRank', 'exchangeQuota', 'careRate'].map((k) => [`policy.${k}`, Array.from({ length: 10 }, (_, i) => i + 1)]));
    // A combination of levers that makes no sense rejects the whole sweep before any run, naming the points and how many.
    const combos = bad('combos', { ...SWEEP, design: { type: 'grid', parameters: { 'policy.maxTenure': [4, 6, 8], 'policy.minTenure': [3, 5, 7] } } });
    expect(combos).toMatch(/combos\.json: design point 1 \(policy\.maxTenure=4, policy\.minTenure=5\): policy\.minTenure: 5: at most policy\.maxTenure \(4\)/);
    expect(combos).toMatch(/design point 5 \(policy\.maxTenure=6, policy\.minTenure=7\)/);
    expect(combos).toMatch(/combos\.json: design: "3 of 9 points": a design whose every point is valid; nothing was run: change the values/);
    const sampled = bad('combos-lhs', { ...SWEEP, design: { type: 'lhs', samples: 40, seed: 1, parameters: { 'policy.maxTenure': { min: 2, max: 4, integer: true }, 'policy.minTenure': { min: 5, max: 9, integer: true } } } });
    expect(sampled.match(/: policy\.minTenure: \d: at most policy\.maxTenure \(\d\)/g)!.length).toBe(5);
    expect(sampled).toMatch(/design: "40 of 40 points": .*the first 5 invalid points are shown above; nothing was run: narrow the ranges/);
    expect(bad('hugegrid', { ...SWEEP, design: { type: 'grid', parameters: tens } })).toMatch(/design\.parameters: .*a grid of at most 1000000 points .*this one has 10000000/);
    expect(cf(['sweep', 'grid.json', '--out', 'bad-maxrep', '--max-replicates', '9']).err).toMatch(/--max-replicates: "9": only with --precision/);
    const exists = cf(['sweep', 'grid.json', '--out', 'ref']);
    expect(exists.code).toBe(2);
    expect(exists.err).toMatch(/--resume/);
  });
});
