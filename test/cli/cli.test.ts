/** End-to-end tests of the built CLI (npm test builds first): a run, determinism across threads, each kind of bad input, --force. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
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

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
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
    expect(ts[0]).toBe(['point', 'replicate', 'seed', 'year', ...METRIC_NAMES, 'particle'].join(','));
    expect(ts.length).toBe(1 + 3 * 3);
    const summary = readFileSync(path.join(dir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(summary[0]).toBe('point,metric,year,n,mean,sd,ci_low,ci_high,parametric_share');
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
    expect(r.err).toContain('command line: keep exists; use --force or --out (--force replaces it; --out DIR writes elsewhere)');
    expect(readFileSync(path.join(tmp, 'keep', 'timeseries.csv')).equals(before)).toBe(true);
    expect(cf(['run', 'small.json', '--out', 'keep', '--threads', '1', '--quiet', '--seed', '9', '--force']).code).toBe(0);
    expect(readFileSync(path.join(tmp, 'keep', 'timeseries.csv')).equals(before)).toBe(false);
  });

  it('--force replaces only a results directory: not the working directory, a parent of it, a directory of other files or a file', () => {
    mkdirSync(path.join(tmp, 'mine'));
    writeFileSync(path.join(tmp, 'mine', 'notes.txt'), 'x');
    for (const out of ['.', '..', 'mine', 'small.json']) {
      const r = cf(['run', 'small.json', '--out', out, '--force', '--threads', '1', '--quiet']);
      expect(r.code, out).toBe(2);
      expect(r.err).toMatch(/--out: /);
    }
    expect(readFileSync(path.join(tmp, 'mine', 'notes.txt'), 'utf8')).toBe('x');
    expect(existsSync(path.join(tmp, 'small.json'))).toBe(true);
    // A path under a file is the user's error too (exit 2), not an internal one.
    const r = cf(['run', 'small.json', '--out', 'small.json/sub', '--threads', '1', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: "small\.json\/sub": .*small\.json is a file/);
  });

  it('Ctrl-C during a run leaves nothing behind and keeps the earlier result', async () => {
    expect(cf(['run', 'small.json', '--out', 'kept', '--threads', '1', '--quiet']).code).toBe(0);
    const before = readFileSync(path.join(tmp, 'kept', 'timeseries.csv'));
    const child = spawn(process.execPath, [bin, 'run', 'small.json', '--out', 'kept', '--force', '--threads', '1', '--quiet', '--set', 'world.scale=0.3', '--replicates', '8'], { cwd: tmp });
    const exited = new Promise((r) => child.on('exit', r));
    // Once the partial directory exists the run is under way (and handles Ctrl-C); a fixed delay
    // would fall before that on a loaded machine, where Node's default SIGINT ends the process.
    for (let i = 0; i < 400 && !readdirSync(tmp).some((f) => f.startsWith('.kept.partial-')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp).some((f) => f.startsWith('.kept.partial-'))).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(readdirSync(tmp).filter((f) => f.includes('.partial'))).toEqual([]);
    expect(readFileSync(path.join(tmp, 'kept', 'timeseries.csv')).equals(before)).toBe(true);
  });

  it('reads a scenario file that starts with a byte-order mark', () => {
    writeFileSync(path.join(tmp, 'bom.json'), '\uFEFF' + JSON.stringify(SMALL));
    const r = cf(['validate', 'bom.json']);
    expect(r.code, r.err).toBe(0);
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
  it('a reform after the last reported year (it would never take effect)', () => {
    expect(bad('latereform', { ...SMALL, reforms: [{ year: 2040, policy: { maxTenure: 5 } }] })).toMatch(/latereform\.json: reforms\[0\]\.year: 2040: a reported year, 2026–2028/);
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
    expect(bad('hexseed', SMALL, ['--seed', '0x10'])).toMatch(/--seed: "0x10": an integer/);
    expect(bad('expreps', SMALL, ['--replicates', '1e1'])).toMatch(/--replicates: "1e1": an integer/);
  });
  it('an unknown option', () => {
    const r = cf(['run', 'small.json', '--colour']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option/);
  });
});

describe('cadreflow validate', () => {
  it('accepts the shipped scenarios, sweeps, calibrations, sensitivity analyses and schema, and reports every bad file', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (e.name.endsWith('.json')) files.push(path.join(dir, e.name));
      }
    };
    walk(path.join(root, 'scenarios'));
    for (const sub of ['sweeps', 'calibration', 'sensitivity']) expect(files.some((f) => f.includes(`${path.sep}${sub}${path.sep}`)), sub).toBe(true);
    const ok = cf(['validate', ...files]);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const okLines = ok.out.split('\n').filter((l) => l.startsWith('ok '));
    expect(okLines.length).toBe(files.length);
    expect(okLines.filter((l) => /: calibration "/.test(l)).length).toBe(readdirSync(path.join(root, 'scenarios', 'calibration')).length);
    expect(okLines.filter((l) => /: sensitivity analysis "/.test(l)).length).toBe(readdirSync(path.join(root, 'scenarios', 'sensitivity')).length);
    expect(okLines.filter((l) => /: sweep "/.test(l)).length).toBe(readdirSync(path.join(root, 'scenarios', 'sweeps')).length);

    writeFileSync(path.join(tmp, 'v1.json'), JSON.stringify({ policy: { matching: 'lottery' } }));
    writeFileSync(path.join(tmp, 'v2.json'), JSON.stringify({ years: 0 }));
    // A calibration: a target with an unknown metric, and one read outside the reported years.
    writeFileSync(path.join(tmp, 'vcal.json'), JSON.stringify({
      name: 'c', base: 'small.json', parameters: { 'policy.maxTenure': { min: 4, max: 12, integer: true } },
      targets: [{ metric: 'exchange_coverage_rank9', year: 2027, observed: 0.4 }, { metric: 'stagnation_share', window: [2020, 2027], observed: 0.2 }],
    }));
    writeFileSync(path.join(tmp, 'vcal2.json'), JSON.stringify({ name: 'c2', base: 'small.json', parameters: { 'policy.maxTenure': { min: 4, max: 12 } }, targets: [{ metric: 'stagnation_share', observed: 0.2 }] }));
    // A sensitivity analysis: an unknown output, and a parameter range the scenario does not accept.
    writeFileSync(path.join(tmp, 'vsens.json'), JSON.stringify({ name: 's', base: 'small.json', parameters: { 'policy.exchangeQuota': { min: 0, max: 3 } }, outputs: ['stagnation_share', 'stagnaton_share'] }));
    writeFileSync(path.join(tmp, 'vsens2.json'), JSON.stringify({ name: 's2', base: 'small.json', parameters: { 'policy.maxTenure': { min: 4, max: 12 } }, outputs: ['stagnation_share'], morris: { levels: 3 } }));
    // Files in a calibration or sensitivity folder are checked as such even when their distinguishing field is missing.
    const mk = (dir: string, name: string, body: object) => {
      mkdirSync(path.join(tmp, dir), { recursive: true });
      writeFileSync(path.join(tmp, dir, name), JSON.stringify(body));
    };
    mk('calibration', 'nocal.json', { name: 'n', base: '../small.json', parameters: { 'policy.maxTenure': { min: 4, max: 12 } } });
    mk('sensitivity', 'nosens.json', { name: 'n', base: '../small.json', parameters: { 'policy.maxTenure': { min: 4, max: 12 } } });
    writeFileSync(path.join(tmp, 'vamb.json'), JSON.stringify({ name: 'a', base: 'small.json', parameters: {} }));
    const bad = ['v1.json', 'v2.json', 'vcal.json', 'vcal2.json', 'vsens.json', 'vsens2.json', 'calibration/nocal.json', 'sensitivity/nosens.json', 'vamb.json'];
    const r = cf(['validate', 'small.json', ...bad]);
    expect(r.code).toBe(2);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toMatch(/^ok small\.json: scenario "small"/);
    expect(r.err).toMatch(/v1\.json: policy\.matching: "lottery"/);
    expect(r.err).toMatch(/v2\.json: years: 0/);
    expect(r.err).toMatch(/vcal\.json: targets\[0\]\.metric: "exchange_coverage_rank9": a metric name, one of: stagnation_share, /);
    expect(r.err).toMatch(/vcal2\.json: targets\[0\]: .*exactly one of year, window or years/);
    expect(r.err).toMatch(/vsens\.json: outputs\[1\]: "stagnaton_share": a metric name, one of: /);
    expect(r.err).toMatch(/vsens2\.json: morris\.levels: 3: an even number of levels/);
    expect(r.err).toMatch(/calibration\/nocal\.json: targets: \(missing\)/);
    expect(r.err).toMatch(/sensitivity\/nosens\.json: outputs: \(missing\)/);
    expect(r.err).toMatch(/vamb\.json: \(top level\): .*a sweep \(with design\), a calibration \(with targets\) or a sensitivity analysis \(with outputs\)/);
    // The parameter range the scenario does not accept, once the outputs are right.
    writeFileSync(path.join(tmp, 'vsens.json'), JSON.stringify({ name: 's', base: 'small.json', parameters: { 'policy.exchangeQuota': { min: 0, max: 3 } }, outputs: ['stagnation_share'] }));
    const r2 = cf(['validate', 'vsens.json']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/vsens\.json: parameters\.policy\.exchangeQuota: 3: a value the scenario field policy\.exchangeQuota accepts: must be ≤ 1/);
  });
});
