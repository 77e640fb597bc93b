/**
 * End-to-end tests of `cadreflow discover DIR` (the built CLI; npm test builds first): on a small
 * sweep whose answer is known — a tenure limit of 3 years leaves no leading cadre 10 years in post,
 * one of 30 leaves many, whatever the matching — PRIM must find the box policy.maxTenure ≤ 16.5
 * (halfway between the grid's 3 and 30) with coverage, density and quasi-p computed by hand; the
 * values in cases.csv are checked against timeseries.csv (year, window, --versus, --cases points);
 * over a posterior the particle's policy.maxTenure is the input that explains the outcome; an
 * optimize directory's evaluations.csv (hand-made, of the documented shape); the same bytes twice;
 * bad input (exit 2, nothing written).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv, records } from '../../src/report/csv-read.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (...p: string[]) => readFileSync(path.join(tmp, ...p), 'utf8');
const table = (...p: string[]) => records(parseCsv(read(...p)));

const BASE = { name: 'base', seed: 5, startYear: 2026, years: 3, burnIn: 6, replicates: 4, world: { preset: 'gansu', scale: 0.04 } };
const GRID = { name: 'grid', base: 'base.json', replicates: 4, design: { type: 'grid', parameters: { 'policy.maxTenure': [3, 30], 'policy.matching': ['directive', 'two-way'] } } };
const POST = { name: 'post', base: 'base.json', replicates: 8, design: { type: 'grid', parameters: { 'policy.matching': ['directive', 'two-way'] } } };
// The particle of weight 0 is never drawn; the others set a 3- or a 30-year limit.
const STRONG = 'generation,particle,weight,distance,policy.maxTenure\n7,0,0.5,1.1,3\n7,1,0,1.4,12\n7,2,0.5,1.2,30\n';

/** stagnation_share of (point, replicate) in `year` from the sweep's timeseries.csv. */
function ts(dir: string, year: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of table(dir, 'timeseries.csv')) if (Number(r.year) === year) m.set(`${r.point}:${r.replicate}`, Number(r.stagnation_share));
  return m;
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-discover-'));
  writeFileSync(path.join(tmp, 'base.json'), JSON.stringify(BASE));
  writeFileSync(path.join(tmp, 'grid.json'), JSON.stringify(GRID));
  writeFileSync(path.join(tmp, 'post.json'), JSON.stringify(POST));
  writeFileSync(path.join(tmp, 'strong.csv'), STRONG);
  for (const args of [['sweep', 'grid.json', '--out', 'g'], ['sweep', 'post.json', '--out', 'p', '--posterior', 'strong.csv']]) {
    const r = cf([...args, '--quiet', '--threads', '1']);
    if (r.code !== 0) throw new Error(r.err);
  }
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('discover on a sweep', { timeout: 120_000 }, () => {
  it('finds the known box, with coverage, density, mass and quasi-p worked by hand', () => {
    const r = cf(['discover', 'g', '--where', 'stagnation_share < 0.05']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('condition: stagnation_share < 0.05 in 2028');
    expect(r.out).toContain('16 runs (point × replicate), 8 of interest (50%)');
    expect(r.out).toMatch(/policy\.maxTenure\s+≤ 16\.5\s+3 to 30\s+0\.0039/);
    const boxes = table('g', 'discover', 'boxes.csv');
    expect(boxes.length).toBe(1);
    // 8 runs of the 16 in the box, all of interest; with the restriction lifted the density is 8/16,
    // so the quasi-p-value is P(Binomial(8, 1/2) ≥ 8) = 2^-8.
    expect(boxes[0]).toMatchObject({ box: '1', coverage: '1', density: '1', mass: '0.5', cases: '8', cases_of_interest: '8', restricted: '1', 'policy.maxTenure_min': '', 'policy.maxTenure_max': '16.5', 'policy.matching': '', 'policy.maxTenure_qp': '0.00390625', 'policy.matching_qp': '' });
    // cases.csv: each run's value is the metric in the last year of timeseries.csv.
    const last = ts('g', 2028);
    const cases = table('g', 'discover', 'cases.csv');
    expect(cases.length).toBe(16);
    for (const c of cases) {
      expect(Number(c.stagnation_share)).toBeCloseTo(last.get(`${c.point}:${c.replicate}`)!, 9);
      expect(c.of_interest).toBe(Number(c.stagnation_share) < 0.05 ? 'TRUE' : 'FALSE');
      expect(c.box).toBe(c['policy.maxTenure'] === '3' ? '1' : '');
    }
    // The trajectory starts from every case and ends at the chosen step.
    const t = table('g', 'discover', 'trajectory.csv');
    expect(t[0]).toMatchObject({ box: '1', step: '0', phase: 'start', coverage: '1', density: '0.5', mass: '1' });
    expect(t.filter((s) => s.chosen === 'TRUE').length).toBe(1);
    const m = JSON.parse(read('g', 'discover', 'manifest.json'));
    expect(m).toMatchObject({ command: 'discover', condition: { where: ['stagnation_share < 0.05'], years: { from: 2028, to: 2028 }, cases: 'replicates' }, cases: 16, casesOfInterest: 8 });
    const html = read('g', 'discover', 'report.html');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(readdirSync(path.join(tmp, 'g', 'discover', 'charts'))).toContain('trajectory-box-1.svg');
  });

  it('writes the same bytes twice, and replaces an output only with --force', () => {
    const a = cf(['discover', 'g', '--where', 'stagnation_share < 0.05', '--out', 'd1', '--quiet']);
    const b = cf(['discover', 'g', '--where', 'stagnation_share < 0.05', '--out', 'd2', '--quiet']);
    expect([a.code, b.code]).toEqual([0, 0]);
    for (const f of ['boxes.csv', 'trajectory.csv', 'cases.csv', 'manifest.json', 'report.html', 'charts/trajectory-box-1.svg']) expect(read('d1', f), f).toBe(read('d2', f));
    const again = cf(['discover', 'g', '--where', 'stagnation_share < 0.01', '--out', 'd1']);
    expect(again.code).toBe(2);
    expect(again.err).toContain('d1 exists; use --force or --out');
    expect(read('d1', 'manifest.json')).toBe(read('d2', 'manifest.json'));
    const forced = cf(['discover', 'g', '--where', 'stagnation_share < 0.01', '--out', 'd1', '--force', '--quiet']);
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(read('d1', 'manifest.json')).condition.where).toEqual(['stagnation_share < 0.01']);
  });

  it('takes the mean over a window, and the difference against a point replicate by replicate', () => {
    const r = cf(['discover', 'g', '--where', 'stagnation_share > 0.05', '--window', '2027:2028', '--versus', 'point=0', '--out', 'dv', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const y27 = ts('g', 2027), y28 = ts('g', 2028);
    const mean = (k: string) => ((y27.get(k) ?? NaN) + (y28.get(k) ?? NaN)) / 2;
    const cases = table('dv', 'cases.csv');
    // Point 0 is the reference: its own runs are left out.
    expect(cases.length).toBe(12);
    for (const c of cases) expect(Number(c.stagnation_share_diff)).toBeCloseTo(mean(`${c.point}:${c.replicate}`) - mean(`0:${c.replicate}`), 9);
    const boxes = table('dv', 'boxes.csv');
    expect(boxes[0]).toMatchObject({ coverage: '1', density: '1', cases: '8', 'policy.maxTenure_min': '16.5', 'policy.maxTenure_max': '' });
    expect(JSON.parse(read('dv', 'manifest.json')).condition).toEqual({ where: ['stagnation_share > 0.05'], years: { from: 2027, to: 2028 }, versus: 0, cases: 'replicates' });
  });

  it('with --cases points, one case per point: the mean over its replicates', () => {
    const r = cf(['discover', 'g', '--where', 'stagnation_share < 0.05', '--year', '2027', '--cases', 'points', '--out', 'dp', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const y = ts('g', 2027);
    const cases = table('dp', 'cases.csv');
    expect(cases.map((c) => c.point)).toEqual(['0', '1', '2', '3']);
    for (const c of cases) {
      const m = [0, 1, 2, 3].reduce((a, k) => a + y.get(`${c.point}:${k}`)!, 0) / 4;
      expect(Number(c.stagnation_share)).toBeCloseTo(m, 9);
      expect(c.replicates).toBe('4');
    }
  });

  it('changes the box with the options: --threshold, --box-step, --no-paste, --boxes', () => {
    // Two-way matching lowers stagnation a little at a 30-year limit: below 0.142 are all the 3-year
    // runs and some of the 30-year ones.
    const k = [...ts('g', 2028).values()].filter((v) => v < 0.142).length;
    expect(k).toBeGreaterThan(8);
    expect(k).toBeLessThan(16);
    const base = ['discover', 'g', '--where', 'stagnation_share < 0.142', '--quiet'];
    expect(cf([...base, '--out', 'o1', '--threshold', '0.5']).code).toBe(0);
    expect(cf([...base, '--out', 'o2', '--threshold', '0.95']).code).toBe(0);
    expect(cf([...base, '--out', 'o3', '--threshold', '0.95', '--box-step', '1', '--boxes', '1']).code).toBe(0);
    expect(cf([...base, '--out', 'o4', '--threshold', '0.95', '--no-paste', '--boxes', '1']).code).toBe(0);
    const [b1, b2, b3, b4] = ['o1', 'o2', 'o3', 'o4'].map((d) => table(d, 'boxes.csv'));
    // Threshold 0.5: the whole space already qualifies; 0.95: a smaller, denser box.
    expect(b1![0]).toMatchObject({ step: '0', density: String(k / 16), mass: '1', restricted: '0' });
    expect(Number(b2![0]!.density)).toBeGreaterThanOrEqual(0.95);
    expect(Number(b2![0]!.mass)).toBeLessThan(1);
    expect(b3!.length).toBe(1);
    expect(b3![0]!.step).toBe('1');
    expect(b4![0]!.paste_steps).toBe('0');
    expect(b2!.length).toBeGreaterThanOrEqual(1);
  });

  it('refuses bad input with exit code 2, writing nothing', () => {
    const bad: [string[], string][] = [
      [['--where', 'stagnation_share <'], '--where: "stagnation_share <": METRIC OP NUMBER'],
      [['--where', 'no_such_metric < 1'], 'a condition on a metric of timeseries.csv: stagnation_share'],
      [[], '--where: (missing)'],
      [['--where', 'stagnation_share < 1', '--year', '2040'], '--year: 2040: a year from 2026 to 2028'],
      [['--where', 'stagnation_share < 1', '--window', '2028:2026'], '--window: "2028:2026": FROM:TO with FROM ≤ TO'],
      [['--where', 'stagnation_share < 1', '--versus', '9'], '--versus: 9: a point of'],
      [['--where', 'stagnation_share < 1', '--cases', 'runs'], '--cases: "runs": replicates'],
      [['--where', 'stagnation_share < 1', '--threshold', '2'], '--threshold: "2": a density from 0 to 1'],
      [['--where', 'stagnation_share < 1', '--alpha', '0.5'], '--alpha: "0.5"'],
      [['--where', 'stagnation_share < 0.05', '--box-step', '9'], '--box-step: "9": for box 1, a step of its peeling trajectory: 0 to'],
      [['--where', 'stagnation_share < 1', '--posterior', 'strong.csv'], 'only for a sweep run over a posterior'],
    ];
    for (const [args, msg] of bad) {
      const r = cf(['discover', 'g', ...args, '--out', 'bad']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain(msg);
      expect(existsSync(path.join(tmp, 'bad')), args.join(' ')).toBe(false);
    }
    // An unfinished sweep.
    cpSync(path.join(tmp, 'g'), path.join(tmp, 'unfinished'), { recursive: true });
    rmSync(path.join(tmp, 'unfinished', 'discover'), { recursive: true, force: true });
    const mf = path.join(tmp, 'unfinished', 'manifest.json');
    writeFileSync(mf, JSON.stringify({ ...JSON.parse(readFileSync(mf, 'utf8')), complete: false }));
    const u = cf(['discover', 'unfinished', '--where', 'stagnation_share < 1']);
    expect(u.code).toBe(2);
    expect(u.err).toContain('not complete');
    expect(existsSync(path.join(tmp, 'unfinished', 'discover'))).toBe(false);
    const nd = cf(['discover', 'nowhere', '--where', 'stagnation_share < 1']);
    expect(nd.code).toBe(2);
  });
});

describe('discover over a posterior', { timeout: 120_000 }, () => {
  it('finds the particle parameter that decides the outcome, and checks the posterior file', () => {
    const r = cf(['discover', 'p', '--where', 'stagnation_share < 0.05']);
    expect(r.code, r.err).toBe(0);
    const cases = table('p', 'discover', 'cases.csv');
    expect(Object.keys(cases[0]!)).toEqual(['point', 'replicate', 'particle', 'policy.matching', 'policy.maxTenure', 'stagnation_share', 'of_interest', 'box']);
    for (const c of cases) expect(c['policy.maxTenure']).toBe(c.particle === '0' ? '3' : '30');
    const box = table('p', 'discover', 'boxes.csv')[0]!;
    const n3 = cases.filter((c) => c.particle === '0').length;
    expect(box).toMatchObject({ coverage: '1', density: '1', cases: String(n3), 'policy.maxTenure_max': '16.5', 'policy.matching': '' });
    expect(Number(box['policy.maxTenure_qp'])).toBeCloseTo((n3 / 16) ** n3, 12);
    const m = JSON.parse(read('p', 'discover', 'manifest.json'));
    expect(m.posterior.parameters).toEqual(['policy.maxTenure']);
    // The file moved: found again with --posterior, by its hash; another file with the same name is refused.
    copyFileSync(path.join(tmp, 'strong.csv'), path.join(tmp, 'moved.csv'));
    rmSync(path.join(tmp, 'strong.csv'));
    const gone = cf(['discover', 'p', '--where', 'stagnation_share < 0.05', '--out', 'pp']);
    expect(gone.code).toBe(2);
    expect(gone.err).toContain('it is not there: give its copy with --posterior FILE');
    const moved = cf(['discover', 'p', '--where', 'stagnation_share < 0.05', '--out', 'pp', '--posterior', 'moved.csv', '--quiet']);
    expect(moved.code, moved.err).toBe(0);
    expect(read('pp', 'boxes.csv')).toBe(read('p', 'discover', 'boxes.csv'));
    writeFileSync(path.join(tmp, 'other.csv'), STRONG.replace('0.5,1.1,3', '0.5,1.1,4'));
    const other = cf(['discover', 'p', '--where', 'stagnation_share < 0.05', '--out', 'po', '--posterior', 'other.csv']);
    expect(other.code).toBe(2);
    expect(other.err).toContain('SHA-256');
    expect(existsSync(path.join(tmp, 'po'))).toBe(false);
  });
});

describe('discover on an optimize directory (evaluations.csv)', { timeout: 60_000 }, () => {
  it('reads the lever columns as inputs and conditions on any metric column', () => {
    // 40 candidates: maxTenure 3…12 (each four times), two-way matching on the odd rows (maxTenure 4, 6,
    // …, 12); the objective's upper CI bound is below 0.1 exactly when maxTenure ≤ 6 and matching is
    // two-way (8 candidates): the box is two-way and maxTenure ≤ 7, halfway between 6 and 8.
    const lines = ['policy.maxTenure,policy.matching,policy.hardshipAllowance,policy.hardshipAllowance.scale,stagnation_share,stagnation_share_ci_low,stagnation_share_ci_high,quit_rate,feasible,rank'];
    for (let i = 0; i < 40; i++) {
      const t = 3 + (i % 10), two = i % 2 === 1;
      const hi = t <= 6 && two ? 0.05 : 0.2;
      lines.push(`${t},${two ? 'two-way' : 'directive'},"[0.1,0.2]",${1 + (i % 3)},${hi - 0.01},${hi - 0.02},${hi},0.01,${i % 4 === 0 ? 'FALSE' : 'TRUE'},${1 + (i % 5)}`);
    }
    const dir = path.join(tmp, 'opt');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'evaluations.csv'), lines.join('\n') + '\n');
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ command: 'optimize' }));
    const r = cf(['discover', 'opt', '--where', 'stagnation_share_ci_high < 0.1', '--threshold', '1']);
    expect(r.code, r.err).toBe(0);
    const box = table('opt', 'discover', 'boxes.csv')[0]!;
    expect(Object.keys(box)).toContain('policy.hardshipAllowance.scale_min');
    expect(box).toMatchObject({ density: '1', coverage: '1', 'policy.matching': 'two-way', 'policy.maxTenure_max': '7', 'policy.maxTenure_min': '', cases: '8' });
    const cases = table('opt', 'discover', 'cases.csv');
    expect(cases.length).toBe(40);
    expect(cases[0]).toMatchObject({ row: '1', stagnation_share_ci_high: '0.2' });
    // feasible reads as 1/0.
    const f = cf(['discover', 'opt', '--where', 'feasible == 1', '--out', 'of', '--quiet']);
    expect(f.code, f.err).toBe(0);
    expect(table('of', 'cases.csv').filter((c) => c.of_interest === 'TRUE').length).toBe(30);
    const y = cf(['discover', 'opt', '--where', 'rank <= 2', '--year', '2030', '--out', 'oy']);
    expect(y.code).toBe(2);
    expect(y.err).toContain('--year: 2030: nothing for an optimize directory');
    const lev = cf(['discover', 'opt', '--where', 'policy.maxTenure < 5', '--out', 'oy']);
    expect(lev.code).toBe(2);
    expect(lev.err).toContain('a condition on a column of evaluations.csv other than the levers');
  });
});
