/** End-to-end tests of the built CLI (npm test builds first): a run, determinism across threads, each kind of bad input, --force. */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SMALL = { name: 'small', seed: 5, startYear: 2026, years: 3, burnIn: 4, replicates: 3, world: { preset: 'gansu', scale: 0.04 } };

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-cli-'));
  writeFileSync(path.join(tmp, 'small.json'), JSON.stringify(SMALL));
});

describe('cadreflow run', () => {
  it('writes the results directory and prints headline metrics', () => {
    const r = cf(['run', 'small.json', '--out', 'out1', '--threads', '1', '--events', '--check']);
    expect(r.err).not.toMatch(/error|bad input/i);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/stagnation_share/);
    expect(r.out).toMatch(/2026/);
    const dir = path.join(tmp, 'out1');
    expect(readdirSync(dir).sort()).toEqual(['charts', 'events.csv', 'manifest.json', 'report.html', 'summary.csv', 'timeseries.csv']);
    const ts = readFileSync(path.join(dir, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(ts[0]).toBe(['point', 'replicate', 'seed', 'year', ...METRIC_NAMES].join(','));
    expect(ts.length).toBe(1 + 3 * 3);
    const summary = readFileSync(path.join(dir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(summary[0]).toBe('point,metric,year,n,mean,sd,ci_low,ci_high');
    expect(summary.length).toBe(1 + METRIC_NAMES.length * 3);
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(m.scenario.name).toBe('small');
    expect(m.seeds.length).toBe(3);
    expect(m.version).toMatch(/\d+\.\d+\.\d+/);
    const ev = readFileSync(path.join(dir, 'events.csv'), 'utf8').split('\n');
    expect(ev[0]).toBe('replicate,year,cadre,type,from_post,to_post,from_region,to_region,from_rank,to_rank,reverse,downward');
    expect(ev.length).toBeGreaterThan(100);
    // No partial directories left beside the result.
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('gives byte-identical CSVs with 1 and 2 threads, and for the same seed twice', () => {
    expect(cf(['run', 'small.json', '--out', 't1', '--threads', '1', '--events', '--quiet']).code).toBe(0);
    expect(cf(['run', 'small.json', '--out', 't2', '--threads', '2', '--events', '--quiet']).code).toBe(0);
    expect(cf(['run', 'small.json', '--out', 't3', '--threads', '2', '--events', '--quiet']).code).toBe(0);
    for (const f of ['timeseries.csv', 'summary.csv', 'events.csv']) {
      const a = readFileSync(path.join(tmp, 't1', f));
      expect(a.equals(readFileSync(path.join(tmp, 't2', f))), f).toBe(true);
      expect(a.equals(readFileSync(path.join(tmp, 't3', f))), f).toBe(true);
    }
    expect(cf(['run', 'small.json', '--out', 't4', '--threads', '1', '--seed', '6', '--quiet']).code).toBe(0);
    expect(readFileSync(path.join(tmp, 't4', 'timeseries.csv')).equals(readFileSync(path.join(tmp, 't1', 'timeseries.csv')))).toBe(false);
  });

  it('does not overwrite an earlier result without --force, and replaces it with --force', () => {
    expect(cf(['run', 'small.json', '--out', 'keep', '--threads', '1', '--quiet']).code).toBe(0);
    const before = readFileSync(path.join(tmp, 'keep', 'timeseries.csv'));
    const r = cf(['run', 'small.json', '--out', 'keep', '--threads', '1', '--quiet', '--seed', '9']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: "keep".*--force/);
    expect(readFileSync(path.join(tmp, 'keep', 'timeseries.csv')).equals(before)).toBe(true);
    expect(cf(['run', 'small.json', '--out', 'keep', '--threads', '1', '--quiet', '--seed', '9', '--force']).code).toBe(0);
    expect(readFileSync(path.join(tmp, 'keep', 'timeseries.csv')).equals(before)).toBe(false);
  });

  it('applies --set overrides', () => {
    expect(cf(['run', 'small.json', '--out', 'set', '--threads', '1', '--quiet', '--set', 'policy.maxTenure=4', '--set', 'years=2']).code).toBe(0);
    const m = JSON.parse(readFileSync(path.join(tmp, 'set', 'manifest.json'), 'utf8'));
    expect(m.scenario.policy.maxTenure).toBe(4);
    expect(m.scenario.years).toBe(2);
  });
});

describe('bad input: exit code 2, file, field, value and what is allowed; no stack trace; nothing written', () => {
  const bad = (name: string, content: string | object, args: string[] = []) => {
    const file = `${name}.json`;
    writeFileSync(path.join(tmp, file), typeof content === 'string' ? content : JSON.stringify(content));
    const r = cf(['run', file, '--out', `bad-${name}`, '--threads', '1', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(tmp, `bad-${name}`))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
    return r.err;
  };
  it('a missing file', () => {
    const r = cf(['run', 'nope.json', '--out', 'bad-missing']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.json.*does not exist/);
    expect(existsSync(path.join(tmp, 'bad-missing'))).toBe(false);
  });
  it('invalid JSON', () => {
    expect(bad('json', '{"name": "x",')).toMatch(/json\.json.*valid JSON/);
  });
  it('an unknown field', () => {
    expect(bad('unknown', { ...SMALL, policy: { maxTenur: 8 } })).toMatch(/unknown\.json: policy\.maxTenur: 8: unknown field "maxTenur"/);
  });
  it('a value out of range', () => {
    expect(bad('range', { ...SMALL, policy: { exchangeQuota: 3 } })).toMatch(/range\.json: policy\.exchangeQuota: 3: must be ≤ 1/);
  });
  it('a wrong type', () => {
    expect(bad('type', { ...SMALL, years: 'many' })).toMatch(/type\.json: years: "many": expected number/);
  });
  it('an impossible world: more leadership posts than cadres can fill', () => {
    expect(bad('pyramid', { ...SMALL, world: { preset: 'gansu', scale: 0.04, posts: { county: [2, 10, 10], prefecture: [2, 10, 10, 10], province: [2, 10, 10, 10] } } })).toMatch(/pyramid\.json: world\.posts: .*impossible pyramid/);
  });
  it('a zero-sized region', () => {
    expect(bad('zero', { ...SMALL, world: { preset: 'gansu', posts: { county: [0, 0, 0] } } })).toMatch(/zero\.json: world\.posts\.county: \[0,0,0\]: .*zero-sized/);
    expect(bad('zeropop', { ...SMALL, world: { preset: 'explicit', regions: [{ code: 'P', name: 'P', parent: -1, level: 3, wageIndex: 1, population: 0 }] } })).toMatch(/world\.regions\[0\]\.population: 0/);
  });
  it('a bad --set and a bad option value', () => {
    expect(bad('set', SMALL, ['--set', 'policy.maxTenure=-1'])).toMatch(/policy\.maxTenure: -1: must be ≥ 1/);
    expect(bad('threads', SMALL, ['--threads', 'two'])).toMatch(/--threads: "two": an integer/);
  });
  it('an unknown option', () => {
    const r = cf(['run', 'small.json', '--colour']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option/);
  });
});

describe('cadreflow validate', () => {
  it('accepts the shipped scenarios and sweeps and reports every bad file', () => {
    const files = [
      ...readdirSync(path.join(root, 'scenarios')).filter((f) => f.endsWith('.json') && f !== 'schema.json').map((f) => path.join(root, 'scenarios', f)),
      ...readdirSync(path.join(root, 'scenarios', 'sweeps')).map((f) => path.join(root, 'scenarios', 'sweeps', f)),
    ];
    const ok = cf(['validate', ...files]);
    expect(ok.code).toBe(0);
    expect(ok.out.split('\n').filter((l) => l.startsWith('ok ')).length).toBe(files.length);
    writeFileSync(path.join(tmp, 'v1.json'), JSON.stringify({ policy: { matching: 'lottery' } }));
    writeFileSync(path.join(tmp, 'v2.json'), JSON.stringify({ years: 0 }));
    const r = cf(['validate', 'v1.json', 'v2.json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/v1\.json: policy\.matching: "lottery"/);
    expect(r.err).toMatch(/v2\.json: years: 0/);
  });
});
