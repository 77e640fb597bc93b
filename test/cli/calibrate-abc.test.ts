/**
 * End-to-end tests of `cadreflow calibrate` with `"method": {"type": "abc-smc"}`
 * on a tiny scenario (built CLI): the files, thread counts and kill -9 with
 * --resume giving the same bytes, more generations on --resume, bad input,
 * and the Slurm chain (array job, merge, next job per generation) run by a
 * stand-in `sbatch` that queues the jobs and a loop that runs them, giving
 * the same bytes as one machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIT_HEADER } from '../../src/analysis/calibrate.js';
import { killWhen } from '../helpers.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const read = (...p: string[]) => readFileSync(path.join(tmp, ...p), 'utf8');
const write = (f: string, o: unknown) => writeFileSync(path.join(tmp, f), JSON.stringify(o));

const BASE = { name: 'b', seed: 3, years: 3, burnIn: 4, world: { preset: 'gansu', scale: 0.04 } };
const CAL = {
  name: 'tiny-abc',
  base: 'base.json',
  replicates: 2,
  validationReplicates: 3,
  parameters: {
    'behavior.regionBias': { min: 0, max: 5 },
    'behavior.shortlist': { min: 2, max: 8, integer: true },
  },
  targets: [
    { name: 'county', metric: 'team_exchange_coverage_county', years: [2026], observed: 0.5, tolerance: 0.05 },
    { metric: 'downward_share', window: [2026, 2028], observed: 0.3, tolerance: 0.05 },
  ],
  // A seed whose second and third generations accept some of their 4 proposals (0.5 and 0.5), so that the run
  // stops on the number of generations; with 8 particles a generation that accepts none stops the run early.
  method: { type: 'abc-smc', particles: 8, generations: 2, seed: 7 },
  calibrated: { name: 'tiny-abc-calibrated', file: 'abc-calibrated.json', posterior: 'abc-posterior.csv' },
};

/** The files that must be the same bytes however the calibration was run. */
function resultFiles(dir: string): string[] {
  const out = ['posterior.csv', 'posterior-summary.csv', 'generations.csv', 'fit.csv', 'calibrated.json', 'posterior-particles.csv'];
  for (const g of readdirSync(path.join(tmp, dir, 'generations')).filter((f) => f.endsWith('.json')).sort()) {
    out.push(`generations/${g}`);
    for (const f of ['points.csv', 'runs.csv', 'timeseries.csv', 'summary.csv', 'failures.csv']) out.push(`generations/${g.replace(/\.json$/, '')}/${f}`);
  }
  return out;
}
function expectSameFiles(dir: string, ref: string) {
  const files = resultFiles(ref);
  expect(resultFiles(dir)).toEqual(files);
  for (const f of files) expect(read(dir, f), `${dir}/${f}`).toBe(read(ref, f));
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-abc-'));
  write('base.json', BASE);
  write('cal.json', CAL);
  const r = cf(['calibrate', 'cal.json', '--out', 'a1', '--threads', '2']);
  expect(r.code, r.err).toBe(0);
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cadreflow calibrate with method abc-smc', () => {
  it('writes the posterior of every generation, its summary, the predictive fit, the calibrated scenario and a report', () => {
    const post = read('a1', 'posterior.csv').trim().split('\n');
    expect(post[0]).toBe('generation,particle,weight,distance,behavior.regionBias,behavior.shortlist');
    // ⌈0.5 × 8⌉ = 4 particles kept in each of the 2 generations.
    const rows = post.slice(1).map((l) => l.split(',').map(Number));
    expect(rows.length).toBe(8);
    for (const g of [1, 2]) {
      const gr = rows.filter((r) => r[0] === g);
      expect(gr.map((r) => r[1])).toEqual([0, 1, 2, 3]);
      expect(gr.reduce((s, r) => s + r[2]!, 0)).toBeCloseTo(1, 8);
      expect(gr.every((r) => r[4]! >= 0 && r[4]! <= 5 && Number.isInteger(r[5]) && r[5]! >= 2 && r[5]! <= 8)).toBe(true);
      // Closest first.
      for (let i = 1; i < gr.length; i++) expect(gr[i]![3]).toBeGreaterThanOrEqual(gr[i - 1]![3]!);
    }
    const summary = read('a1', 'posterior-summary.csv').trim().split('\n');
    expect(summary[0]).toBe('parameter,mean,sd,q05,q50,q95,prior_min,prior_max');
    expect(summary[1]).toMatch(/^behavior\.regionBias,[^,]+,[^,]+,[^,]+,[^,]+,[^,]+,0,5$/);
    expect(summary[2]).toMatch(/^behavior\.shortlist,.*,2,8$/);
    const last = rows.filter((r) => r[0] === 2);
    const mean = last.reduce((s, r) => s + r[2]! * r[4]!, 0);
    expect(Number(summary[1]!.split(',')[1])).toBeCloseTo(mean, 6);
    const gens = read('a1', 'generations.csv').trim().split('\n');
    expect(gens[0]).toBe('generation,proposals,evaluations,runs,epsilon,acceptance,ess');
    expect(gens.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['1,8,8,16', '2,4,12,8']);
    expect(gens[1]!.split(',')[5]).toBe('');
    // Each generation is a sweep of its particles × 2 replicates.
    expect(read('a1', 'generations', 'generation-2', 'runs.csv').trim().split('\n').length).toBe(1 + 4 * 2);
    const fit = read('a1', 'fit.csv').trim().split('\n');
    expect(fit[0]).toBe(FIT_HEADER.join(','));
    expect(fit.slice(1).every((l) => l.split(',')[11] === '3')).toBe(true);
    // The calibrated scenario takes the posterior mean, the integer rounded.
    const scen = JSON.parse(read('a1', 'calibrated.json'));
    expect(scen.name).toBe('tiny-abc-calibrated');
    expect(scen.behavior.regionBias).toBeCloseTo(Number(summary[1]!.split(',')[1]), 6);
    expect(scen.behavior.shortlist).toBe(Math.round(Number(summary[2]!.split(',')[1])));
    expect(scen.description).toMatch(/Fitted by ABC-SMC \(posterior mean\): behavior\.regionBias=/);
    expect(read('abc-calibrated.json')).toBe(read('a1', 'calibrated.json'));
    // calibrated.posterior: the last generation's particles.
    expect(read('abc-posterior.csv')).toBe(`${post[0]}\n${post.slice(5).join('\n')}\n`);
    expect(read('a1', 'posterior-particles.csv')).toBe(read('abc-posterior.csv'));
    const html = read('a1', 'report.html');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Posterior predictive fit/);
    expect(existsSync(path.join(tmp, 'a1', 'charts', 'posterior-pairs.svg'))).toBe(true);
    const m = JSON.parse(read('a1', 'manifest.json'));
    expect(m.method).toBe('abc-smc');
    expect(m.stop).toBe('generations');
    expect(m.generations).toBe(2);
    expect(m.complete).toBe(true);
    expect(cf(['validate', 'cal.json']).out).toMatch(/ABC-SMC: 8 particles, at most 2 generations × 2 replicates/);
    // `cadreflow report` redraws it.
    const rep = cf(['report', 'a1']);
    expect(rep.code, rep.err).toBe(0);
    expect(rep.out).toMatch(/calibration report: a1\/report\.html/);
    expect(read('a1', 'report.html')).toBe(html);
  });

  it('prints the posterior table and the predictive fit', () => {
    // A resume of a finished calibration replays it from its files and runs only the predictive check.
    const r = cf(['calibrate', 'cal.json', '--out', 'a1', '--resume', '--threads', '1']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/ABC-SMC, 2 generations \(2 from earlier runs\)/);
    expect(r.out).toMatch(/parameter\s+mean\s+sd\s+q05\s+q50\s+q95\s+prior/);
    expect(r.out).toMatch(/behavior\.shortlist\s+[\d.]+\s+[\d.]+\s+\d+\s+\d+\s+\d+\s+\[2, 8\]/);
    expect(r.out).toMatch(/posterior predictive, 3 runs/);
    // calibrated.file exists: --resume leaves it, and says so.
    expect(r.err).toMatch(/note: calibrated\.file abc-calibrated\.json exists and --resume leaves it as it is/);
    expect(r.err).toMatch(/note: calibrated\.posterior abc-posterior\.csv exists/);
  });

  it('gives the same bytes on one thread, and after kill -9 at any moment with --resume', async () => {
    let partial = 0;
    let resumed = 0;
    // Killed once the first runs of generation 1 are written, then later: in the middle of the work whatever the load.
    for (const delay of [0, 400, 1500]) {
      const out = `k${delay}`;
      await killWhen(bin, ['calibrate', 'cal.json', '--out', out, '--force', '--threads', '1', '--quiet'], tmp, path.join(out, 'generations', 'generation-1', 'runs.csv'), delay);
      if (!existsSync(path.join(tmp, out, 'manifest.json'))) continue;
      if (!existsSync(path.join(tmp, out, 'fit.csv'))) partial++;
      const r = cf(['calibrate', 'cal.json', '--out', out, '--resume', '--quiet', '--threads', '1']);
      expect(r.code, r.err).toBe(0);
      expectSameFiles(out, 'a1');
      resumed++;
    }
    expect(resumed).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0);
  });

  it('goes on for more generations on --resume, the earlier ones unchanged', () => {
    // The stopping rule (generations, minAcceptance) is not part of the calibration's identity.
    write('cal3.json', { ...CAL, method: { ...CAL.method, generations: 3, minAcceptance: 0.01 } });
    cpSync(path.join(tmp, 'a1'), path.join(tmp, 'a1-more'), { recursive: true });
    const a = cf(['calibrate', 'cal3.json', '--out', 'a1-more', '--resume', '--quiet', '--threads', '2']);
    expect(a.code, a.err).toBe(0);
    const three = read('a1-more', 'posterior.csv');
    expect(three.startsWith(read('a1', 'posterior.csv'))).toBe(true);
    const fresh = cf(['calibrate', 'cal3.json', '--out', 'a3', '--force', '--quiet', '--threads', '2']);
    expect(fresh.code, fresh.err).toBe(0);
    expect(three).toBe(read('a3', 'posterior.csv'));
    expect(three.trim().split('\n').filter((l) => l.startsWith('3,')).length).toBe(4);
  });

  it('bad input is exit code 2 with the file, the field and what is allowed', () => {
    const bad = (method: Record<string, unknown>, re: RegExp, args: string[] = []) => {
      write('bad.json', { ...CAL, calibrated: {}, method });
      const r = cf(['calibrate', 'bad.json', '--out', 'never', ...args]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err).not.toMatch(/at .*\.js:\d+/);
      expect(existsSync(path.join(tmp, 'never'))).toBe(false);
    };
    bad({ type: 'abc-smc', particles: 3 }, /bad\.json: method\.particles: 3: must be ≥ 4/);
    bad({ type: 'abc-smc', particles: 8, alpha: 0.95 }, /method\.alpha: 0\.95: a share that keeps at least 2 of the 8 particles and replaces at least 1/);
    bad({ type: 'abc-smc', minAcceptance: 0 }, /method\.minAcceptance: 0: must be > 0/);
    bad({ type: 'abc-smc', budget: 10 }, /method\.budget: 10: unknown field/);
    bad({ type: 'abc-smc' }, /--budget: 5: only for a nelder-mead calibration; this one is abc-smc/, ['--budget', '5']);
    bad({ type: 'abc-smc' }, /--tasks: "4": only with --slurm/, ['--tasks', '4']);
    bad({ type: 'abc-smc' }, /--time: "soon": a Slurm time limit/, ['--slurm', '--time', 'soon']);
    const other = cf(['calibrate', 'cal.json', '--out', 'a1', '--resume', '--replicates', '3']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/another calibration/);
  });

  it('runs as a chain of Slurm jobs, one array per generation, with the same bytes as one machine', () => {
    // A stand-in sbatch: queues the job (script, options) and prints an id, as `sbatch --parsable` does.
    const fake = path.join(tmp, 'fake-slurm');
    mkdirSync(fake);
    writeFileSync(path.join(fake, 'sbatch'), `#!/bin/sh\nn=$(cat "${fake}/id" 2>/dev/null || echo 100)\nn=$((n + 1))\necho "$n" > "${fake}/id"\necho "$n $*" >> "${fake}/queue"\necho "$n"\n`);
    chmodSync(path.join(fake, 'sbatch'), 0o755);
    const env = { ...process.env, PATH: `${fake}:${process.env.PATH}` };
    // --force: calibrated.file exists; the jobs of the chain, which resume, may then replace it at the end.
    writeFileSync(path.join(tmp, 'abc-calibrated.json'), '{}\n');
    const first = cf(['calibrate', 'cal.json', '--out', 's1', '--force', '--slurm', '--tasks', '3', '--submit', '--quiet'], env);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/generation 1 written as a Slurm array job of 3 task\(s\)/);
    expect(first.out).toMatch(/array job 101, merge job 102 \(after it\), next job 103/);
    expect(existsSync(path.join(tmp, 's1', 'generations', 'generation-1', 'sweep.sbatch'))).toBe(true);
    expect(read('s1', 'submit.sh')).toMatch(/--dependency=afterok:"\$merge".*next\.sbatch/s);
    // The scheduler: runs the queued jobs in order (each depends on the one before), an array job task by task.
    let done = 0;
    for (let guard = 0; guard < 50; guard++) {
      const queue = readFileSync(path.join(fake, 'queue'), 'utf8').trim().split('\n');
      if (done >= queue.length) break;
      const words = queue[done++]!.split(' ');
      const script = words[words.length - 1]!;
      const dep = words.find((w) => w.startsWith('--dependency='));
      if (script.endsWith('sweep.sbatch')) expect(dep).toBeUndefined();
      else expect(dep).toMatch(/^--dependency=afterok:\d+$/);
      const array = /#SBATCH --array=1-(\d+)/.exec(readFileSync(script, 'utf8'));
      const tasks = array ? Number(array[1]) : 0;
      for (let i = 1; i <= Math.max(1, tasks); i++) {
        const r = spawnSync('bash', [script], { cwd: tmp, encoding: 'utf8', env: { ...env, ...(array ? { SLURM_ARRAY_TASK_ID: String(i) } : {}) } });
        expect(r.status, `${script} ${i}: ${r.stderr}`).toBe(0);
      }
    }
    const queue = readFileSync(path.join(fake, 'queue'), 'utf8').trim().split('\n');
    // Two generations: array, merge and next for each.
    expect(queue.length).toBe(6);
    expect(done).toBe(6);
    expect(existsSync(path.join(tmp, 's1', 'generations', 'generation-2', 'shard-3-of-3'))).toBe(true);
    expectSameFiles('s1', 'a1');
    expect(JSON.parse(read('s1', 'manifest.json')).stop).toBe('generations');
    expect(read('abc-calibrated.json')).toBe(read('s1', 'calibrated.json'));
  });
});
