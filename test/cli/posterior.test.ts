/**
 * End-to-end tests of `--posterior FILE` for run, compare, sweep and slurm (the built CLI; npm test
 * builds first): replicate k runs the same particle in every arm, the particle column and the
 * manifest's hash, the same bytes on one and two threads, parametric_share where the answer is
 * known, and bad posterior files (exit 2, nothing written).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';
import { summarize } from '../../src/experiment/stats.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (...p: string[]) => readFileSync(path.join(tmp, ...p), 'utf8');
const rows = (...p: string[]) => read(...p).trim().split('\n').map((l) => l.split(','));
const bytes = (...p: string[]) => readFileSync(path.join(tmp, ...p));

const BASE = { name: 'base', seed: 5, startYear: 2026, years: 3, burnIn: 6, replicates: 8, world: { preset: 'gansu', scale: 0.04 } };
// A reform that leaves policy.maxTenure to the posterior.
const REFORM = { ...BASE, name: 'reform', seed: 99, reforms: [{ year: 2027, policy: { keyMaxTenure: 5, careRate: 0.6 } }] };
// policy.maxTenure decides stagnation_share (leading cadres 10 years or more in post): about 0 under a
// 3-year limit, far above under a 30-year one, whatever the seed. The particle of weight 0 is never drawn.
const STRONG = 'generation,particle,weight,distance,policy.maxTenure\n7,0,0.5,1.1,3\n7,1,0,1.4,12\n7,2,0.5,1.2,30\n';
// Three particles with the same value: the runs are those of --set policy.maxTenure=8.
const SAME = 'generation,particle,weight,distance,policy.maxTenure\n2,0,0.2,1,8\n2,1,0.5,1,8\n2,2,0.3,1,8\n';

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-posterior-cli-'));
  writeFileSync(path.join(tmp, 'base.json'), JSON.stringify(BASE));
  writeFileSync(path.join(tmp, 'reform.json'), JSON.stringify(REFORM));
  writeFileSync(path.join(tmp, 'strong.csv'), STRONG);
  writeFileSync(path.join(tmp, 'same.csv'), SAME);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const TIMESERIES = ['point', 'replicate', 'seed', 'year', ...METRIC_NAMES, 'particle'];
const iParticle = TIMESERIES.length - 1;

/** parametric_share of `metric` in `year` from summary.csv. */
function summaryShare(dir: string, metric: string, year: number): number {
  const t = rows(dir, 'summary.csv');
  const j = t[0]!.indexOf('parametric_share');
  return Number(t.find((r) => r[1] === metric && r[2] === String(year))![j]);
}

describe('run --posterior', { timeout: 120_000 }, () => {
  it('runs replicate k on particle draw ⌊k/2⌋, writes the particle column and the file’s hash, and the parametric share', () => {
    const r = cf(['run', 'base.json', '--posterior', 'strong.csv', '--out', 'run1', '--threads', '1']);
    expect(r.err).not.toMatch(/error|bad input/i);
    expect(r.code).toBe(0);
    expect(r.out).toContain('8 replicates (4 particles drawn from the posterior × 2 seeds)');
    expect(r.out).toContain('intervals over the posterior (3 particles of strong.csv, 2 seeds per drawn particle)');
    expect(r.out).toMatch(/due to the parameters \(parametric_share\) in 2028: stagnation_share 1\.00/);

    const ts = rows('run1', 'timeseries.csv');
    expect(ts[0]).toEqual(TIMESERIES);
    expect(ts.length).toBe(1 + 8 * 3);
    const particleOf = (k: number) => ts.find((c) => c[1] === String(k))![iParticle]!;
    const particles = Array.from({ length: 8 }, (_, k) => particleOf(k));
    for (let k = 0; k < 8; k += 2) expect(particles[k + 1]).toBe(particles[k]);
    expect(particles).not.toContain('1'); // weight 0
    // This seed draws both particles, so the between-particle variance is there to find.
    expect(new Set(particles)).toEqual(new Set(['0', '2']));
    // Every year of a replicate names its particle.
    for (const c of ts.slice(1)) expect(c[iParticle]).toBe(particles[Number(c[1])]);

    const m = JSON.parse(read('run1', 'manifest.json'));
    expect(m.posterior.file).toBe(path.join(tmp, 'strong.csv'));
    expect(m.posterior.sha256).toBe(createHash('sha256').update(STRONG).digest('hex'));
    expect(m.posterior.particles).toBe(3);
    expect(m.posterior.parameters).toEqual(['policy.maxTenure']);
    expect(m.posterior.seedsPerParticle).toBe(2);
    expect(m.posterior.particleOfReplicate.map(String)).toEqual(particles);
    expect(m.seeds.map(String)).toEqual(Array.from({ length: 8 }, (_, k) => ts.find((c) => c[1] === String(k))![2]));

    // The particles differ strongly and the seeds hardly matter: nearly all of the variance is the parameters'.
    expect(rows('run1', 'summary.csv')[0]!.at(-1)).toBe('parametric_share');
    expect(summaryShare('run1', 'stagnation_share', 2028)).toBeGreaterThan(0.9);
    expect(summaryShare('run1', 'mean_years_in_post', 2028)).toBeGreaterThan(0.9);
    // The mean and CI are over the 4 draws' means (their replicates share the parameters), n and sd over the 8 replicates.
    const vals = ts.filter((c) => c[3] === '2028').map((c) => Number(c[4]));
    const sum = rows('run1', 'summary.csv').find((c) => c[1] === 'stagnation_share' && c[2] === '2028')!;
    const want = summarize(vals, true, [0, 0, 1, 1, 2, 2, 3, 3]);
    // The values read back are rounded to 13 significant digits and the summary is of the unrounded ones:
    // equal to within that rounding (times the t quantile), not always to the last digit.
    const got = sum.slice(3, 8).map(Number);
    expect(got[0]).toBe(8);
    const scale = Math.max(...vals.map(Math.abs));
    [want.mean, want.sd, want.ciLow, want.ciHigh].forEach((x, i) => expect(Math.abs(got[i + 1]! - x)).toBeLessThanOrEqual(1e-9 * scale));
    expect(want.ciHigh - want.ciLow).toBeGreaterThan(summarize(vals, true).ciHigh - summarize(vals, true).ciLow);
    // The runs of maxTenure 3 and 30 are far apart.
    const stag = (p: string) => ts.filter((c) => c[iParticle] === p && c[3] === '2028').map((c) => Number(c[4]));
    expect(Math.max(...stag('0'))).toBeLessThan(Math.min(...stag('2')));

    expect(read('run1', 'report.html')).toContain('over the posterior (3 particles)');
  });

  it('gives byte-identical files with 1 and 2 threads', () => {
    expect(cf(['run', 'base.json', '--posterior', 'strong.csv', '--out', 'run2', '--threads', '2', '--quiet']).code).toBe(0);
    for (const f of ['timeseries.csv', 'summary.csv']) expect(bytes('run2', f).equals(bytes('run1', f)), f).toBe(true);
  });

  it('with identical particles, runs as --set would and leaves little to the parameters', () => {
    // 16 replicates: 8 draws, so that the estimate of a between-particle variance of 0 is not too noisy.
    expect(cf(['run', 'base.json', '--posterior', 'same.csv', '--replicates', '16', '--out', 'same', '--threads', '2', '--quiet']).code).toBe(0);
    expect(cf(['run', 'base.json', '--set', 'policy.maxTenure=8', '--replicates', '16', '--out', 'set8', '--threads', '2', '--quiet']).code).toBe(0);
    const a = rows('same', 'timeseries.csv');
    const b = rows('set8', 'timeseries.csv');
    expect(a.map((c) => c.slice(0, -1))).toEqual(b.map((c) => c.slice(0, -1)));
    expect(b.slice(1).every((c) => c.at(-1) === '')).toBe(true);
    expect(a.slice(1).every((c) => ['0', '1', '2'].includes(c.at(-1)!))).toBe(true);
    // Without a posterior the column is there, empty.
    expect(rows('set8', 'summary.csv').slice(1).every((c) => c.at(-1) === '')).toBe(true);
    // With identical particles the share is noise around 0 — 0 (floored) wherever the draws' means differ
    // less than their seeds make them, which is about half the cells — against most of the variance
    // when the particles differ strongly (the run over strong.csv).
    const shares = (dir: string) => rows(dir, 'summary.csv').slice(1).map((c) => c.at(-1)!).filter((x) => x !== '').map(Number);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const same = shares('same');
    expect(same.length).toBeGreaterThan(100);
    expect(same.filter((x) => x === 0).length / same.length).toBeGreaterThan(0.3);
    expect(mean(same)).toBeLessThan(0.25);
    expect(same.filter((x) => x > 0.5).length / same.length).toBeLessThan(0.2);
    expect(mean(shares('run1'))).toBeGreaterThan(mean(same) + 0.3);
    expect(summaryShare('same', 'mean_years_in_post', 2028)).toBeLessThan(0.5);
  });
});

describe('compare --posterior', { timeout: 120_000 }, () => {
  it('runs replicate k of every scenario on the same particle and seed, on 1 and 2 threads alike', () => {
    const r = cf(['compare', 'base.json', 'reform.json', '--posterior', 'strong.csv', '--out', 'cmp1', '--threads', '1']);
    expect(r.err).not.toMatch(/error|bad input/i);
    expect(r.code).toBe(0);
    expect(r.out).toContain('intervals over the posterior (3 particles of strong.csv');
    expect(r.out).toMatch(/diff_parametric_share, Δ of reform\) in 2028/);
    const ts = rows('cmp1', 'timeseries.csv');
    expect(ts[0]).toEqual(['scenario', ...TIMESERIES]);
    const arm = (label: string) => ts.filter((c) => c[0] === label).map((c) => `${c[2]},${c[3]},${c[4]},${c.at(-1)}`);
    // Replicate, seed, year and particle: the same in both arms.
    expect(arm('reform')).toEqual(arm('base'));
    // The first scenario's arm is the run over the same posterior (compare uses its seeds).
    expect(ts.filter((c) => c[0] === 'base').map((c) => c.slice(1))).toEqual(rows('run1', 'timeseries.csv').slice(1));

    const csv = rows('cmp1', 'compare.csv');
    expect(csv[0]!.slice(-2)).toEqual(['parametric_share', 'diff_parametric_share']);
    const at = (sc: string) => csv.find((c) => c[0] === 'stagnation_share' && c[1] === '2028' && c[2] === sc)!;
    expect(Number(at('base')[13])).toBeGreaterThan(0.9);
    expect(Number(at('reform')[13])).toBeGreaterThan(0.9);
    expect(at('base')[14]).toBe('');
    expect(at('reform')[14]).not.toBe('');
    const m = JSON.parse(read('cmp1', 'manifest.json'));
    expect(m.posterior.sha256).toBe(createHash('sha256').update(STRONG).digest('hex'));
    expect(m.pairing).toMatch(/same posterior particle/);
    expect(read('cmp1', 'report.html')).toContain('over the posterior (3 particles)');

    expect(cf(['compare', 'base.json', 'reform.json', '--posterior', 'strong.csv', '--out', 'cmp2', '--threads', '2', '--quiet']).code).toBe(0);
    for (const f of ['compare.csv', 'timeseries.csv']) expect(bytes('cmp2', f).equals(bytes('cmp1', f)), f).toBe(true);
  });
});

describe('sweep and slurm --posterior', { timeout: 120_000 }, () => {
  const SWEEP = { name: 'sw', base: 'base.json', replicates: 4, design: { type: 'grid', parameters: { 'behavior.stigma': [0.3, 1.2] } } };

  it('applies the same draws at every point, on 1 and 2 threads alike; without a posterior the files are as before', () => {
    writeFileSync(path.join(tmp, 'sw.json'), JSON.stringify(SWEEP));
    expect(cf(['sweep', 'sw.json', '--posterior', 'strong.csv', '--out', 'sw1', '--threads', '1', '--quiet']).code).toBe(0);
    expect(cf(['sweep', 'sw.json', '--posterior', 'strong.csv', '--out', 'sw2', '--threads', '2', '--quiet']).code).toBe(0);
    for (const f of ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv']) expect(bytes('sw2', f).equals(bytes('sw1', f)), f).toBe(true);
    const ts = rows('sw1', 'timeseries.csv');
    expect(ts[0]!.at(-1)).toBe('particle');
    const runs = rows('sw1', 'runs.csv');
    expect(runs[0]!.slice(-2)).toEqual(['error', 'particle']);
    const of = (p: number) => runs.filter((c) => c[0] === String(p)).map((c) => c.at(-1));
    expect(of(0)).toEqual(of(1));
    // The draws are keyed on the base seed: the first four replicates of the run above.
    expect(of(0)).toEqual(JSON.parse(read('run1', 'manifest.json')).posterior.particleOfReplicate.slice(0, 4).map(String));
    expect(rows('sw1', 'summary.csv')[0]!.at(-1)).toBe('parametric_share');
    expect(JSON.parse(read('sw1', 'manifest.json')).posterior.sha256).toBe(createHash('sha256').update(STRONG).digest('hex'));

    expect(cf(['sweep', 'sw.json', '--out', 'sw0', '--threads', '2', '--quiet']).code).toBe(0);
    expect(rows('sw0', 'timeseries.csv')[0]).toEqual(['point', 'replicate', 'seed', 'year', ...METRIC_NAMES]);
    expect(rows('sw0', 'summary.csv')[0]).toEqual(['point', 'metric', 'year', 'n', 'mean', 'sd', 'ci_low', 'ci_high']);
    // --resume of the sweep over the posterior needs the same posterior.
    const other = cf(['sweep', 'sw.json', '--posterior', 'same.csv', '--out', 'sw1', '--resume', '--quiet']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/another sweep/);
  });

  it('slurm passes --posterior and --seeds-per-particle to every shard', () => {
    const r = cf(['slurm', 'sw.json', '--posterior', 'strong.csv', '--seeds-per-particle', '2', '--out', 'job']);
    expect(r.code).toBe(0);
    expect(read('job', 'sweep.sbatch')).toContain(`--posterior ${path.join(tmp, 'strong.csv')} --seeds-per-particle 2`);
  });
});

describe('bad input with --posterior', { timeout: 120_000 }, () => {
  const cases: [string, string, string[], RegExp][] = [
    ['not a posterior', 'a,b,c\n1,2,3\n', [], /bad\.csv: header \(line 1\): "a,b,c": the header of an ABC-SMC posterior/],
    ['unknown parameter', 'generation,particle,weight,distance,policy.maxTenur\n0,0,1,0,5\n', [], /bad\.csv: header \(line 1\), column policy\.maxTenur: .*no such field/],
    ['negative weight', 'generation,particle,weight,distance,policy.maxTenure\n0,0,-1,0,5\n0,1,1,0,6\n', [], /bad\.csv: row 1 \(line 2\), column weight: "-1": a number ≥ 0/],
    ['weights all 0', 'generation,particle,weight,distance,policy.maxTenure\n0,0,0,0,5\n', [], /weights that sum to more than 0/],
    ['out of range', 'generation,particle,weight,distance,policy.maxTenure\n0,0,1,0,5\n0,1,1,0,41\n', [], /bad\.csv: row 2 \(line 3\), column policy\.maxTenure: 41: must be ≤ 40/],
    ['not an integer', 'generation,particle,weight,distance,policy.maxTenure\n0,0,1,0,5.5\n', [], /column policy\.maxTenure: 5\.5: a whole number/],
    ['--set of a parameter', STRONG, ['--set', 'policy.maxTenure=9'], /column policy\.maxTenure: .*--set policy\.maxTenure=9\) sets it too/],
    ['odd replicates', STRONG, ['--replicates', '5'], /--replicates: 5: with --posterior, a multiple of --seeds-per-particle \(2\) and at least 4/],
    ['one seed per particle', STRONG, ['--seeds-per-particle', '1'], /--seeds-per-particle: "1": an integer from 2/],
  ];
  for (const [what, text, extra, re] of cases) {
    it(`${what}: exit 2 and nothing written, for run and compare`, () => {
      writeFileSync(path.join(tmp, 'bad.csv'), text);
      const before = readdirSync(tmp).sort();
      for (const args of [['run', 'base.json'], ['compare', 'base.json', 'reform.json']]) {
        const r = cf([...args, '--posterior', 'bad.csv', '--out', 'never', ...extra]);
        expect(r.code, r.err).toBe(2);
        expect(r.err).toMatch(re);
        expect(r.err).not.toMatch(/at .*\.js:\d+/); // no stack trace
        expect(readdirSync(tmp).sort()).toEqual(before);
      }
    });
  }
  it('--seeds-per-particle without --posterior, and a missing file, for sweep too', () => {
    const before = readdirSync(tmp).sort();
    const r = cf(['run', 'base.json', '--seeds-per-particle', '3', '--out', 'never']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--seeds-per-particle: "3": only with --posterior/);
    const s = cf(['sweep', 'sw.json', '--posterior', 'missing.csv', '--out', 'never']);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/missing\.csv: --posterior: "missing\.csv": the file does not exist/);
    // A design parameter that the posterior also sets.
    writeFileSync(path.join(tmp, 'bad.csv'), 'generation,particle,weight,distance,behavior.stigma\n0,0,1,0,0.5\n');
    const d = cf(['sweep', 'sw.json', '--posterior', 'bad.csv', '--out', 'never']);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/column behavior\.stigma: .*the sweep's design \(sw\.json\) sets it too/);
    expect(readdirSync(tmp).sort()).toEqual(before);
  });
});
