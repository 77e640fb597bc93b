/**
 * End-to-end tests of `cadreflow optimize` on a tiny scenario (built CLI): the
 * files and their columns, the front against a non-dominated sort done here,
 * common random numbers (every candidate on the base's replicate seeds), a
 * front point's scenario file rerun by `cadreflow run` giving the same means,
 * the same bytes on one and two threads and after kill -9 with --resume, three
 * objectives (parallel coordinates) with a maximised one, how levers are
 * applied with and without a reform year, and bad input (exit code 2, nothing
 * written).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killWhen } from '../helpers.js';
import { candidateRaw, loadOptimize } from '../../src/analysis/optimize-plan.js';
import { runSeed } from '../../src/random/hash.js';
import { parseCsv } from '../../src/report/csv-read.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (...p: string[]) => readFileSync(path.join(tmp, ...p), 'utf8');
const write = (f: string, o: unknown) => writeFileSync(path.join(tmp, f), JSON.stringify(o));
const table = (...p: string[]) => parseCsv(read(...p));

const BASE = { name: 'b', seed: 3, startYear: 2026, years: 3, burnIn: 3, world: { preset: 'gansu', scale: 0.03 } };
const REF = { ...BASE, name: 'ref', reforms: [{ year: 2027, policy: { maxTenure: 6, promotionExchangeBonus: 0.5 } }] };
const OPT = {
  name: 'tiny',
  base: 'base.json',
  replicates: 2,
  seed: 5,
  budget: 8,
  population: 4,
  reformYear: 2027,
  levers: {
    'policy.maxTenure': { min: 4, max: 14, integer: true },
    'policy.promotionExchangeBonus': { min: 0, max: 1 },
    'policy.hardshipAllowance': { list: [0.024, 0.042, 0.07, 0.08, 0.136, 0.2], min: 1, max: 4 },
    'policy.matching': { values: ['directive', 'two-way'] },
  },
  objectives: [
    { metric: 'stagnation_share_all', goal: 'min', window: [2027, 2028] },
    { metric: 'allowance_cost', goal: 'min', year: 2028 },
  ],
  constraints: [{ metric: 'vacancy_rate', atMost: 0.2, window: [2027, 2028] }],
  references: ['ref.json'],
};
const LEVERS = Object.keys(OPT.levers);

/** The files that must be the same bytes however the optimization was run. */
function resultFiles(dir: string): string[] {
  const out = ['evaluations.csv', 'pareto.csv', 'generations.csv', 'references.csv'];
  for (const f of readdirSync(path.join(tmp, dir, 'front')).sort()) out.push(`front/${f}`);
  for (const g of ['generations', 'references']) {
    const d = path.join(tmp, dir, g);
    const subs = g === 'generations' ? readdirSync(d).sort().map((s) => `${g}/${s}`) : [g];
    for (const s of subs) for (const f of ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv']) out.push(`${s}/${f}`);
  }
  return out;
}
function expectSameFiles(dir: string, ref: string) {
  const files = resultFiles(ref);
  expect(resultFiles(dir)).toEqual(files);
  for (const f of files) expect(read(dir, f), `${dir}/${f}`).toBe(read(ref, f));
}

/** Per-run means over the years, then over replicates, from a timeseries.csv (as the optimization computes them). */
function windowMean(file: string, metric: string, years: number[], point = '0'): number {
  const t = table(file);
  const [ip, ir, iy, im] = ['point', 'replicate', 'year', metric].map((h) => t.header.indexOf(h));
  const runs = new Map<string, number[]>();
  for (const r of t.rows) {
    if (r[ip!] !== point || !years.includes(Number(r[iy!])) || r[im!] === '') continue;
    runs.set(r[ir!]!, [...(runs.get(r[ir!]!) ?? []), Number(r[im!])]);
  }
  const per = [...runs.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  return per.reduce((a, b) => a + b, 0) / per.length;
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-optimize-'));
  write('base.json', BASE);
  write('ref.json', REF);
  write('opt.json', OPT);
  const r = cf(['optimize', 'opt.json', '--out', 'o1', '--threads', '2']);
  expect(r.code, r.err).toBe(0);
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cadreflow optimize', () => {
  it('writes one row per candidate with levers, objective means and CIs, constraints, feasibility and rank', () => {
    const ev = table('o1', 'evaluations.csv');
    expect(ev.header).toEqual([
      'evaluation', 'generation', ...LEVERS,
      'stagnation_share_all', 'stagnation_share_all_ci_low', 'stagnation_share_all_ci_high',
      'allowance_cost', 'allowance_cost_ci_low', 'allowance_cost_ci_high',
      'vacancy_rate', 'violation', 'feasible', 'rank',
    ]);
    expect(ev.rows.length).toBe(8);
    expect(ev.rows.map((r) => Number(r[0]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const c = (h: string) => ev.header.indexOf(h);
    for (const r of ev.rows) {
      const mt = Number(r[c('policy.maxTenure')]);
      expect(Number.isInteger(mt) && mt >= 4 && mt <= 14).toBe(true);
      const f = Number(r[c('policy.hardshipAllowance')]);
      expect(f >= 1 && f <= 4).toBe(true);
      expect(['directive', 'two-way']).toContain(r[c('policy.matching')]);
      expect(Number(r[c('stagnation_share_all_ci_low')])).toBeLessThanOrEqual(Number(r[c('stagnation_share_all')]));
      expect(Number(r[c('allowance_cost_ci_high')])).toBeGreaterThanOrEqual(Number(r[c('allowance_cost')]));
      expect(r[c('feasible')]).toBe(Number(r[c('vacancy_rate')]) <= 0.2 ? 'TRUE' : 'FALSE');
    }
    // No candidate is evaluated twice.
    expect(new Set(ev.rows.map((r) => LEVERS.map((l) => r[c(l)]).join('|'))).size).toBe(8);
    // Generations: 4 random candidates, then offspring up to the budget.
    const gens = table('o1', 'generations.csv');
    expect(gens.header).toEqual(['generation', 'candidates', 'evaluated', 'evaluations', 'runs', 'feasible', 'front']);
    expect(Number(gens.rows[0]![2])).toBe(4);
    expect(Number(gens.rows[gens.rows.length - 1]![3])).toBe(8);
    expect(Number(gens.rows[gens.rows.length - 1]![4])).toBe(16);
    const m = JSON.parse(read('o1', 'manifest.json'));
    expect(m.complete).toBe(true);
    expect(m.stop).toBe('budget');
    expect(m.evaluations).toBe(8);
    expect(m.command).toBe('optimize');
    expect(cf(['validate', 'opt.json']).out).toMatch(/ok opt\.json: optimization "tiny" of "b", 4 levers, 2 objectives, 1 constraint: NSGA-II, 8 candidates × 2 replicates/);
  });

  it('puts exactly the non-dominated feasible candidates on the front, with ranks from a sort done here', () => {
    const ev = table('o1', 'evaluations.csv');
    const c = (h: string) => ev.header.indexOf(h);
    const pts = ev.rows.map((r) => ({ id: r[0]!, f: [Number(r[c('stagnation_share_all')]), Number(r[c('allowance_cost')])], ok: r[c('feasible')] === 'TRUE', v: Number(r[c('violation')] || Infinity) }));
    const dom = (a: typeof pts[number], b: typeof pts[number]) =>
      a.ok && !b.ok ? true : !a.ok && b.ok ? false : !a.ok ? a.v < b.v : a.f.every((x, i) => x <= b.f[i]!) && a.f.some((x, i) => x < b.f[i]!);
    const front = pts.filter((p) => p.ok && !pts.some((q) => dom(q, p))).map((p) => p.id);
    expect(front.length).toBeGreaterThan(0);
    const pareto = table('o1', 'pareto.csv');
    expect(pareto.header).toEqual([...ev.header, 'scenario']);
    expect(pareto.rows.map((r) => r[0])).toEqual(front);
    expect(ev.rows.filter((r) => r[c('rank')] === '1' && r[c('feasible')] === 'TRUE').map((r) => r[0])).toEqual(front);
    for (const r of ev.rows) if (!front.includes(r[0]!)) expect(Number(r[c('rank')])).toBeGreaterThan(1);
    for (const r of pareto.rows) expect(existsSync(path.join(tmp, 'o1', r[r.length - 1]!))).toBe(true);
    // The reference: its means on the same seeds, and whether a front point dominates it.
    const refs = table('o1', 'references.csv');
    expect(refs.header).toEqual(['scenario', 'stagnation_share_all', 'stagnation_share_all_ci_low', 'stagnation_share_all_ci_high', 'allowance_cost', 'allowance_cost_ci_low', 'allowance_cost_ci_high', 'vacancy_rate', 'violation', 'feasible', 'dominated', 'dominated_by']);
    const ref = refs.rows[0]!;
    const rp = { id: 'ref', f: [Number(ref[1]), Number(ref[4])], ok: ref[9] === 'TRUE', v: Number(ref[8]) };
    const by = pts.filter((p) => front.includes(p.id) && dom(p, rp)).map((p) => p.id);
    expect(ref[11]).toBe(by.join(' '));
    expect(ref[10]).toBe(by.length ? 'TRUE' : 'FALSE');
    expect(Number(ref[4])).toBeCloseTo(windowMean(path.join('o1', 'references', 'timeseries.csv'), 'allowance_cost', [2028]), 6);
    const html = read('o1', 'report.html');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Pareto front/);
    expect(existsSync(path.join(tmp, 'o1', 'charts', 'pareto-front.svg'))).toBe(true);
    // `cadreflow report` redraws it.
    const rep = cf(['report', 'o1']);
    expect(rep.code, rep.err).toBe(0);
    expect(rep.out).toMatch(/optimization report: o1\/report\.html/);
    expect(read('o1', 'report.html')).toBe(html);
  });

  it('runs every candidate and the references on the base scenario’s replicate seeds, and a front point’s file reruns its evaluation', () => {
    const seeds = [runSeed(3, 0, 0), runSeed(3, 0, 1)];
    for (const d of [...readdirSync(path.join(tmp, 'o1', 'generations')).map((g) => path.join('generations', g)), 'references']) {
      const runs = table('o1', d, 'runs.csv');
      for (const r of runs.rows) expect(Number(r[2])).toBe(seeds[Number(r[1])]);
    }
    const pareto = table('o1', 'pareto.csv');
    const row = pareto.rows[0]!;
    const file = row[row.length - 1]!;
    const scen = JSON.parse(read('o1', file));
    expect(scen.seed).toBe(3);
    expect(scen.replicates).toBe(2);
    // The levers act from the reform year, as a reform appended to the base.
    expect(scen.policy.maxTenure).toBe(10);
    const reform = scen.reforms[scen.reforms.length - 1];
    expect(reform.year).toBe(2027);
    expect(reform.policy.maxTenure).toBe(Number(row[pareto.header.indexOf('policy.maxTenure')]));
    expect(reform.policy.matching).toBe(row[pareto.header.indexOf('policy.matching')]);
    const factor = Number(row[pareto.header.indexOf('policy.hardshipAllowance')]);
    expect(reform.policy.hardshipAllowance[5]).toBeCloseTo(0.2 * factor, 8);
    const r = cf(['run', path.join('o1', file), '--out', 'rerun', '--quiet', '--threads', '1']);
    expect(r.code, r.err).toBe(0);
    const ts = path.join('rerun', 'timeseries.csv');
    const at = (h: string) => Number(row[pareto.header.indexOf(h)]);
    expect(windowMean(ts, 'stagnation_share_all', [2027, 2028])).toBeCloseTo(at('stagnation_share_all'), 9);
    expect(windowMean(ts, 'allowance_cost', [2028]) / at('allowance_cost')).toBeCloseTo(1, 9);
    expect(windowMean(ts, 'vacancy_rate', [2027, 2028])).toBeCloseTo(at('vacancy_rate'), 9);
  });

  it('gives the same bytes on one thread, and after kill -9 at any moment with --resume', async () => {
    const one = cf(['optimize', 'opt.json', '--out', 'o2', '--threads', '1', '--quiet']);
    expect(one.code, one.err).toBe(0);
    expectSameFiles('o2', 'o1');
    let partial = 0;
    let resumed = 0;
    for (const [file, delay] of [[path.join('generations', 'generation-1', 'runs.csv'), 0], [path.join('generations', 'generation-2', 'progress.json'), 200]] as const) {
      const out = `k${delay}`;
      await killWhen(bin, ['optimize', 'opt.json', '--out', out, '--force', '--threads', '1', '--quiet'], tmp, path.join(out, file), delay);
      if (!existsSync(path.join(tmp, out, 'manifest.json'))) continue;
      if (!existsSync(path.join(tmp, out, 'report.html'))) partial++;
      const r = cf(['optimize', 'opt.json', '--out', out, '--resume', '--quiet', '--threads', '2']);
      expect(r.code, r.err).toBe(0);
      expectSameFiles(out, 'o1');
      resumed++;
    }
    expect(resumed).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0);
  }, 120_000);

  it('draws three objectives as parallel coordinates and maximises a `max` goal', () => {
    write('opt3.json', {
      ...OPT, name: 'three', budget: 4, references: [],
      levers: { 'policy.maxTenure': { min: 4, max: 14, integer: true }, 'policy.promotionExchangeBonus': { min: 0, max: 1 } },
      objectives: [...OPT.objectives, { name: 'coverage', metric: 'exchange_coverage', goal: 'max', year: 2028 }],
      constraints: [],
    });
    const r = cf(['optimize', 'opt3.json', '--out', 'o3', '--threads', '2', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const ev = table('o3', 'evaluations.csv');
    const c = (h: string) => ev.header.indexOf(h);
    // Minimise, minimise, maximise: negate the third.
    const f = ev.rows.map((row) => [Number(row[c('stagnation_share_all')]), Number(row[c('allowance_cost')]), -Number(row[c('coverage')])]);
    const dom = (a: number[], b: number[]) => a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);
    const front = ev.rows.filter((_, i) => !f.some((g) => dom(g, f[i]!))).map((row) => row[0]);
    expect(table('o3', 'pareto.csv').rows.map((row) => row[0])).toEqual(front);
    expect(read('o3', 'references.csv').trim()).toBe('scenario,stagnation_share_all,stagnation_share_all_ci_low,stagnation_share_all_ci_high,allowance_cost,allowance_cost_ci_low,allowance_cost_ci_high,coverage,coverage_ci_low,coverage_ci_high,violation,feasible,dominated,dominated_by');
    expect(read('o3', 'report.html')).toMatch(/parallel coordinates/);
  });

  it('--budget and --replicates replace the file\'s, and a budget below the population is bad input', () => {
    write('opt-b.json', { ...OPT, name: 'b', references: [], budget: 40, replicates: 3 });
    const r = cf(['optimize', 'opt-b.json', '--out', 'ob', '--threads', '2', '--quiet', '--budget', '5', '--replicates', '1']);
    expect(r.code, r.err).toBe(0);
    const ev = table('ob', 'evaluations.csv');
    expect(ev.rows.length).toBe(5);
    const m = JSON.parse(read('ob', 'manifest.json'));
    expect(m.stop).toBe('budget');
    // One replicate per candidate: the first generation's sweep ran 4 candidates × 1 run.
    expect(table('ob', 'generations', 'generation-1', 'timeseries.csv').rows.filter((row) => row[3] === '2028').length).toBe(4);
    const low = cf(['optimize', 'opt-b.json', '--out', 'ob2', '--budget', '3']);
    expect(low.code).toBe(2);
    expect(low.err).toMatch(/--budget.*3.*at least the population \(4\)/s);
    expect(existsSync(path.join(tmp, 'ob2'))).toBe(false);
    const bad = cf(['optimize', 'opt-b.json', '--out', 'ob3', '--replicates', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--replicates/);
  });

  it('stops when ten generations in a row propose nothing new, each candidate run once', () => {
    write('opt-small.json', { ...OPT, name: 'small', budget: 10, references: [], levers: { 'policy.matching': { values: ['directive', 'two-way'] } } });
    const r = cf(['optimize', 'opt-small.json', '--out', 'o4', '--threads', '2']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2 candidates × 2 replicates in 11 generations; stopped: ten generations in a row proposed nothing new/);
    expect(table('o4', 'evaluations.csv').rows.length).toBe(2);
    expect(table('o4', 'generations.csv').rows.map((g) => g[2])).toEqual(['2', ...Array(10).fill('0')]);
    expect(JSON.parse(read('o4', 'manifest.json')).stop).toBe('exhausted');
    expect(readdirSync(path.join(tmp, 'o4', 'generations'))).toEqual(['generation-1']);
  });

  it('applies levers from the reform year, the base’s first reform year, or throughout', () => {
    write('opt-nr.json', { ...OPT, reformYear: undefined });
    const plain = loadOptimize(path.join(tmp, 'opt-nr.json'));
    expect(plain.reformYear).toBeUndefined();
    const raw = candidateRaw(plain, [6, 0.5, 2, 1]) as any;
    expect(raw.policy.maxTenure).toBe(6);
    expect(raw.policy.matching).toBe('two-way');
    expect(raw.policy.hardshipAllowance).toEqual([0.048, 0.084, 0.14, 0.16, 0.272, 0.4]);
    expect(raw.reforms).toEqual([]);
    write('opt-ref.json', { ...OPT, base: 'ref.json', reformYear: undefined, levers: { ...OPT.levers, 'world.scale': { min: 0.02, max: 0.03 } } });
    const onReform = loadOptimize(path.join(tmp, 'opt-ref.json'));
    expect(onReform.reformYear).toBe(2027);
    const r2 = candidateRaw(onReform, [6, 0.5, 2, 1, 0.025]) as any;
    expect(r2.world.scale).toBe(0.025);
    expect(r2.reforms.length).toBe(2);
    expect(r2.reforms[1].year).toBe(2027);
    expect(r2.reforms[1].policy.maxTenure).toBe(6);
    expect(r2.policy.maxTenure).toBe(10);
  });

  it('bad input is exit code 2 with the file, the field and what is allowed, and writes nothing', () => {
    const bad = (over: Record<string, unknown>, re: RegExp, args: string[] = []) => {
      write('bad.json', { ...OPT, ...over });
      const r = cf(['optimize', 'bad.json', '--out', 'never', ...args]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err).not.toMatch(/at .*\.js:\d+/);
      expect(existsSync(path.join(tmp, 'never'))).toBe(false);
    };
    bad({ objectives: [{ metric: 'stagnation', goal: 'min', year: 2028 }] }, /bad\.json: objectives\[0\]\.metric: "stagnation": a metric name, one of: .*stagnation_share/);
    bad({ objectives: [{ metric: 'stagnation_share', goal: 'least', year: 2028 }] }, /objectives\[0\]\.goal: "least": one of "min", "max"/);
    bad({ objectives: [{ metric: 'stagnation_share', goal: 'min', year: 2040 }] }, /objectives\[0\]\.year: 2040: years the base scenario reports, 2026–2028/);
    bad({ constraints: [{ metric: 'vacancy_rate', year: 2028 }] }, /constraints\[0\]: .*atMost, atLeast or both/);
    bad({ constraints: [{ metric: 'allowance_cost', atMost: 1, year: 2028 }] }, /constraints\[0\]\.name: "allowance_cost": a column name of its own/);
    bad({ budget: 3 }, /budget: 3: at least the population \(4\)/);
    bad({ population: 5 }, /population: 5: an even number/);
    bad({ reformYear: 2040 }, /reformYear: 2040: a year the base scenario reports, 2026–2028/);
    bad({ levers: { 'policy.maxTenur': { min: 4, max: 8 } } }, /levers\.policy\.maxTenur: 4: a value the scenario field policy\.maxTenur accepts: unknown field/);
    bad({ levers: { 'policy.maxTenure': { min: 4, max: 99, integer: true } } }, /levers\.policy\.maxTenure: 99: a value the scenario field policy\.maxTenure accepts: must be ≤/);
    bad({ levers: { seed: { min: 1, max: 9 } } }, /levers\.seed: .*a model parameter .* define the experiment/);
    bad({ levers: { 'policy.matching': { values: ['directive'] } } }, /levers\.policy\.matching/);
    bad({ levers: { 'policy.minTenure': { min: 2, max: 8, integer: true }, 'policy.maxTenure': { min: 4, max: 14, integer: true } } }, /levers: .*ranges whose every combination is a valid scenario; at this corner .*minTenure/);
    bad({ references: ['base-long.json'] }, /references\[0\]: "base-long\.json": the file does not exist|base-long\.json.*does not exist/);
    write('base-long.json', { ...BASE, years: 5 });
    bad({ references: ['base-long.json'] }, /references\[0\]: "base-long\.json": a scenario that reports the base scenario's years/);
    bad({}, /--threads: "0": an integer from 1/, ['--threads', '0']);
    write('scen.json', BASE);
    const s = cf(['optimize', 'scen.json', '--out', 'never']);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/a multi-objective optimization file .*this is a scenario file/);
    // An existing result needs --force; --resume refuses another optimization.
    const again = cf(['optimize', 'opt.json', '--out', 'o1']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/o1 exists; use --force or --out \(--resume continues this optimization/);
    write('opt-other.json', { ...OPT, seed: 6 });
    const other = cf(['optimize', 'opt-other.json', '--out', 'o1', '--resume']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/another optimization/);
  });
});
