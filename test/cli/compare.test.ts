/** End-to-end tests of `cadreflow compare` and of `--precision` for run and compare (the built CLI; npm test builds first). */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HEADLINE, METRIC_NAMES } from '../../src/metrics/definitions.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (...p: string[]) => readFileSync(path.join(tmp, ...p), 'utf8');

const BASE = { name: 'base', seed: 5, startYear: 2026, years: 3, burnIn: 6, replicates: 3, world: { preset: 'gansu', scale: 0.04 } };
// A different seed on purpose: compare runs every scenario on the first scenario's seeds.
const TENURE = { ...BASE, name: 'tenure6', seed: 77, reforms: [{ year: 2026, policy: { maxTenure: 6 } }] };

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-compare-'));
  writeFileSync(path.join(tmp, 'base.json'), JSON.stringify(BASE));
  writeFileSync(path.join(tmp, 'tenure6.json'), JSON.stringify(TENURE));
  writeFileSync(path.join(tmp, 'longer.json'), JSON.stringify({ ...TENURE, name: 'longer', years: 2 }));
  writeFileSync(path.join(tmp, 'later.json'), JSON.stringify({ ...BASE, name: 'later', startYear: 2027 }));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('cadreflow compare', { timeout: 120_000 }, () => {
  it('writes compare.csv, timeseries.csv and manifest.json, and prints the headline metrics with paired differences', () => {
    const r = cf(['compare', 'base.json', 'tenure6.json', '--threads', '2']);
    expect(r.err).not.toMatch(/error|bad input/i);
    expect(r.code).toBe(0);
    for (const m of HEADLINE) expect(r.out).toContain(m);
    expect(r.out).toMatch(/Δ 2028/);
    expect(r.out).toMatch(/common random numbers/);
    const dir = path.join(tmp, 'results', 'compare-base-vs-tenure6');
    expect(readdirSync(dir).sort()).toEqual(['charts', 'compare.csv', 'manifest.json', 'report.html', 'timeseries.csv']);

    const csv = read('results', 'compare-base-vs-tenure6', 'compare.csv').trim().split('\n');
    expect(csv[0]).toBe('metric,year,scenario,n,mean,ci_low,ci_high,diff_mean,diff_ci_low,diff_ci_high,diff_sd,unpaired_diff_ci_low,unpaired_diff_ci_high,parametric_share,diff_parametric_share');
    expect(csv.length).toBe(1 + METRIC_NAMES.length * 2);
    const base = csv[1]!.split(',');
    const tenure = csv[2]!.split(',');
    expect(base.slice(0, 4)).toEqual(['stagnation_share', '2028', 'base', '3']);
    expect(base.slice(7)).toEqual(['', '', '', '', '', '', '', '']);
    expect(tenure.slice(0, 4)).toEqual(['stagnation_share', '2028', 'tenure6', '3']);
    const num = tenure.map(Number);
    expect(num[7]).toBeCloseTo(num[4]! - Number(base[4]), 8); // mean of differences = difference of means when all pairs are defined
    expect(num[8]).toBeLessThan(num[7]!);
    expect(num[9]).toBeGreaterThan(num[7]!);
    expect(num[10]).toBeGreaterThan(0);
    expect(num[11]).toBeLessThan(num[9]!);

    const ts = read('results', 'compare-base-vs-tenure6', 'timeseries.csv').trim().split('\n');
    expect(ts[0]).toBe(['scenario', 'point', 'replicate', 'seed', 'year', ...METRIC_NAMES, 'particle'].join(','));
    expect(ts.length).toBe(1 + 2 * 3 * 3);
    const seedsOf = (label: string) => ts.slice(1).filter((l) => l.startsWith(`${label},`)).map((l) => l.split(',')[3]);
    expect(seedsOf('tenure6')).toEqual(seedsOf('base'));

    const m = JSON.parse(read('results', 'compare-base-vs-tenure6', 'manifest.json'));
    expect(m.command).toBe('compare');
    expect(m.scenarios.map((s: { name: string }) => s.name)).toEqual(['base', 'tenure6']);
    expect(m.scenarios[1].seed).toBe(5);
    expect(m.seeds.length).toBe(3);
    expect(m.seeds.map(String)).toEqual(seedsOf('base').filter((_, i) => i % 3 === 0));
    expect(m.threads).toBe(2);
    expect(m.at).toEqual([2028]);
    expect(m.precision).toBeUndefined();
  });

  it('--at chooses the years; --set applies to every scenario', () => {
    const r = cf(['compare', 'base.json', 'tenure6.json', '--threads', '1', '--out', 'at', '--at', '2026,2028', '--set', 'behavior.stigma=0.5', '--replicates', '2', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    const csv = read('at', 'compare.csv').trim().split('\n');
    expect(csv.length).toBe(1 + METRIC_NAMES.length * 2 * 2);
    expect(csv.slice(1, 5).map((l) => l.split(',').slice(1, 3).join(','))).toEqual(['2026,base', '2026,tenure6', '2028,base', '2028,tenure6']);
    const m = JSON.parse(read('at', 'manifest.json'));
    expect(m.scenarios.map((s: { behavior: { stigma: number } }) => s.behavior.stigma)).toEqual([0.5, 0.5]);
    expect(m.replicates).toBe(2);
  });

  it('gives byte-identical compare.csv and timeseries.csv with 1 and 2 threads', () => {
    expect(cf(['compare', 'base.json', 'tenure6.json', '--threads', '1', '--out', 'th1', '--quiet']).code).toBe(0);
    expect(cf(['compare', 'base.json', 'tenure6.json', '--threads', '2', '--out', 'th2', '--quiet']).code).toBe(0);
    for (const f of ['compare.csv', 'timeseries.csv']) {
      expect(readFileSync(path.join(tmp, 'th1', f)).equals(readFileSync(path.join(tmp, 'th2', f))), f).toBe(true);
    }
  });

  it('refuses scenarios that report different years: exit 2 naming the file and the field, nothing written', () => {
    const r = cf(['compare', 'base.json', 'longer.json', '--out', 'bad-years']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/longer\.json: years: 2: 3, as in base\.json/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(tmp, 'bad-years'))).toBe(false);
    const s = cf(['compare', 'base.json', 'later.json', '--out', 'bad-start']);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/later\.json: startYear: 2027: 2026, as in base\.json/);
    // --years sets the years of every scenario, which makes them comparable.
    expect(cf(['compare', 'base.json', 'longer.json', '--years', '2', '--replicates', '2', '--threads', '2', '--out', 'years2', '--quiet']).code).toBe(0);
  });

  it('rejects one scenario, a year outside the reported ones and an existing --out', () => {
    expect(cf(['compare', 'base.json']).err).toMatch(/at least two scenario files/);
    const r = cf(['compare', 'base.json', 'tenure6.json', '--at', '2030', '--out', 'bad-at']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--at: "2030": reported years from 2026 to 2028/);
    expect(existsSync(path.join(tmp, 'bad-at'))).toBe(false);
    const again = cf(['compare', 'base.json', 'tenure6.json', '--out', 'th1', '--quiet']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/--force/);
  });
});

describe('--precision', { timeout: 120_000 }, () => {
  it('compare stops at the initial replicates when the target is already met, and says so', () => {
    const r = cf(['compare', 'base.json', 'tenure6.json', '--threads', '2', '--out', 'prec-easy', '--precision', 'stagnation_share=0.5']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/precision: stagnation_share difference against base in 2028 95% CI half-width [\d.e-]+ ≤ 0\.5 reached with 3 replicates/);
    const m = JSON.parse(read('prec-easy', 'manifest.json'));
    expect(m.replicates).toBe(3);
    expect(m.precision).toMatchObject({ metric: 'stagnation_share', target: 0.5, replicates: 3, reached: true });
    expect(m.precision.achieved).toBeLessThanOrEqual(0.5);
  });

  it('compare adds replicates up to the maximum, and gives the files of a run with that many replicates', () => {
    const r = cf(['compare', 'base.json', 'tenure6.json', '--threads', '2', '--out', 'prec-max', '--replicates', '2', '--precision', 'mean_ties=1e-9', '--max-replicates', '5']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/not reached: stopped at the maximum of 5 replicates/);
    const m = JSON.parse(read('prec-max', 'manifest.json'));
    expect(m.precision).toMatchObject({ metric: 'mean_ties', replicates: 5, reached: false });
    expect(m.replicates).toBe(5);
    expect(cf(['compare', 'base.json', 'tenure6.json', '--threads', '2', '--out', 'fixed5', '--replicates', '5', '--quiet']).code).toBe(0);
    for (const f of ['compare.csv', 'timeseries.csv']) expect(read('prec-max', f)).toBe(read('fixed5', f));
  });

  it('an unknown metric or a bad H is exit code 2, listing the valid names', () => {
    const r = cf(['compare', 'base.json', 'tenure6.json', '--out', 'bad-prec', '--precision', 'nosuchmetric=0.1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--precision nosuchmetric: "nosuchmetric": a metric name: stagnation_share, /);
    for (const m of HEADLINE) expect(r.err).toContain(m);
    expect(existsSync(path.join(tmp, 'bad-prec'))).toBe(false);
    const h = cf(['run', 'base.json', '--out', 'bad-h', '--precision', 'stagnation_share=-0.1']);
    expect(h.code).toBe(2);
    expect(h.err).toMatch(/"-0\.1": a positive number/);
    const max = cf(['run', 'base.json', '--out', 'bad-max', '--precision', 'stagnation_share=0.1', '--max-replicates', '2']);
    expect(max.code).toBe(2);
    expect(max.err).toMatch(/--max-replicates: "2": at least the initial replicates \(3\)/);
  });

  it('run with a tight target stops at --max-replicates, says so in the manifest, and matches --replicates at that number', () => {
    const r = cf(['run', 'base.json', '--threads', '2', '--out', 'run-prec', '--precision', 'stagnation_share=0.000001', '--max-replicates', '6']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/precision: stagnation_share in 2028 95% CI half-width .* > 0\.000001 not reached: stopped at the maximum of 6 replicates/);
    const m = JSON.parse(read('run-prec', 'manifest.json'));
    expect(m.replicates).toBe(6);
    expect(m.seeds.length).toBe(6);
    expect(m.scenario.replicates).toBe(6);
    expect(m.precision).toMatchObject({ metric: 'stagnation_share', target: 0.000001, replicates: 6, reached: false });
    expect(m.precision.achieved).toBeGreaterThan(0.000001);
    expect(cf(['run', 'base.json', '--threads', '1', '--out', 'run-6', '--replicates', '6', '--quiet']).code).toBe(0);
    for (const f of ['timeseries.csv', 'summary.csv']) expect(read('run-prec', f)).toBe(read('run-6', f));
  });
});
