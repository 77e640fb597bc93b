/** End-to-end tests of `cadreflow calibrate` on a tiny scenario (built CLI): files, resume, a larger budget, bad input. */
import { afterAll, describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIT_HEADER } from '../../src/analysis/calibrate.js';
import { parseScenario } from '../../src/scenario/load.js';
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
const CAL = {
  name: 'tiny',
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
    { metric: 'team_exchange_coverage_prefecture', year: 2026, relation: 'at-least', observed: 0.48, tolerance: 0.05, weight: 2 },
  ],
  method: { budget: 12, screening: 4 },
  calibrated: { name: 'tiny-calibrated', file: 'calibrated-here.json' },
};

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-cal-'));
  write('base.json', BASE);
  write('cal.json', CAL);
  const r = cf(['calibrate', 'cal.json', '--out', 'c1', '--threads', '2']);
  expect(r.code, r.err).toBe(0);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cadreflow calibrate', () => {
  it('writes the history, the best point, the fit with CIs and a valid calibrated scenario', () => {
    const hist = read('c1', 'history.csv').trim().split('\n');
    expect(hist[0]).toBe('evaluation,phase,objective,behavior.regionBias,behavior.shortlist,u:behavior.regionBias,u:behavior.shortlist,county,downward_share,team_exchange_coverage_prefecture');
    expect(hist.length).toBeLessThanOrEqual(1 + 12);
    expect(hist.length).toBeGreaterThan(1 + 5);
    expect(hist[1]).toMatch(/^0,start,/);
    expect(hist.slice(2, 6).every((l) => l.split(',')[1] === 'screen')).toBe(true);
    const best = JSON.parse(read('c1', 'best.json'));
    const fs = hist.slice(1).map((l) => Number(l.split(',')[2]));
    expect(best.objective).toBe(Math.min(...fs));
    expect(Number.isInteger(best.parameters['behavior.shortlist'])).toBe(true);
    const fit = read('c1', 'fit.csv').trim().split('\n');
    expect(fit[0]).toBe(FIT_HEADER.join(','));
    expect(fit.length).toBe(4);
    for (const l of fit.slice(1)) {
      const c = l.split(',');
      expect(Number(c[5])).toBeLessThanOrEqual(Number(c[4]));
      expect(Number(c[6])).toBeGreaterThanOrEqual(Number(c[4]));
      expect(['TRUE', 'FALSE']).toContain(c[8]); // booleans as R and pandas read them
      expect(c[11]).toBe('3');
    }
    expect(fit[1]).toMatch(/^county,team_exchange_coverage_county,2026,0.5,/);
    expect(fit[2]).toMatch(/^downward_share,downward_share,2026-2028,0.3,/);
    expect(existsSync(path.join(tmp, 'c1', 'fit-start.csv'))).toBe(true);
    const scen = JSON.parse(read('c1', 'calibrated.json'));
    expect(read('calibrated-here.json')).toBe(read('c1', 'calibrated.json'));
    expect(scen.name).toBe('tiny-calibrated');
    expect(scen.behavior.regionBias).toBe(best.parameters['behavior.regionBias']);
    expect(scen.behavior.shortlist).toBe(best.parameters['behavior.shortlist']);
    expect(parseScenario(scen).world.scale).toBe(0.04);
    expect(cf(['validate', 'calibrated-here.json']).code).toBe(0);
    const m = JSON.parse(read('c1', 'manifest.json'));
    expect(m.seeds.length).toBe(2);
    expect(m.validationSeeds.length).toBe(3);
    expect(m.validationSeeds).not.toContain(m.seeds[0]);
  });

  it('the fit table compares before and after on fresh seeds', () => {
    const r = cf(['calibrate', 'cal.json', '--out', 'c1', '--resume']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/before \(base values\)/);
    expect(r.out).toMatch(/after \(best point\)/);
    expect(r.out).toMatch(/county\s+team_exchange_coverage_county\s+2026\s+0\.5/);
    expect(r.out).toMatch(/\(12 from history\)|\(\d+ from history\)/);
  });

  it('resumes after SIGKILL with the same history, and --budget extends a finished calibration', async () => {
    let resumed = 0;
    let partial = 0;
    for (const delay of [600, 900, 1800]) {
      const out = `k${delay}`;
      // --force: the calibrated scenario file (calibrated-here.json) exists and is replaced.
      await killAfter(bin, ['calibrate', 'cal.json', '--out', out, '--force', '--threads', '1', '--quiet'], tmp, delay);
      if (!existsSync(path.join(tmp, out, 'manifest.json'))) continue;
      if (!existsSync(path.join(tmp, out, 'best.json'))) partial++;
      const r = cf(['calibrate', 'cal.json', '--out', out, '--resume', '--quiet', '--threads', '2']);
      expect(r.code, r.err).toBe(0);
      expect(read(out, 'history.csv')).toBe(read('c1', 'history.csv'));
      expect(read(out, 'best.json')).toBe(read('c1', 'best.json'));
      resumed++;
    }
    expect(resumed).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0); // at least one kill fell in the middle of the search
    const more = cf(['calibrate', 'cal.json', '--out', 'c1', '--resume', '--budget', '16', '--quiet']);
    expect(more.code, more.err).toBe(0);
    const h = read('c1', 'history.csv').trim().split('\n');
    expect(h.length).toBeGreaterThan(13);
    expect(h.length).toBeLessThanOrEqual(17);
  });

  it('refuses to overwrite without --force and to resume another calibration', () => {
    const r = cf(['calibrate', 'cal.json', '--out', 'c1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out.*--resume.*--force/);
    // The calibrated scenario file is replaced only with --force, and that is checked before any run.
    const scenario = read('calibrated-here.json');
    const fresh = cf(['calibrate', 'cal.json', '--out', 'c-new']);
    expect(fresh.code).toBe(2);
    expect(fresh.err).toMatch(/cal\.json.*calibrated\.file.*calibrated-here\.json.*--force/s);
    expect(existsSync(path.join(tmp, 'c-new'))).toBe(false);
    expect(read('calibrated-here.json')).toBe(scenario);
    write('cal-nodir.json', { ...CAL, calibrated: { file: 'no/such/dir/x.json' } });
    const nodir = cf(['calibrate', 'cal-nodir.json', '--out', 'c-nodir']);
    expect(nodir.code).toBe(2);
    expect(nodir.err).toMatch(/cal-nodir\.json: calibrated\.file: .*no\/such\/dir\/x\.json.*a file in an existing directory/);
    expect(existsSync(path.join(tmp, 'c-nodir'))).toBe(false);
    expect(cf(['calibrate', 'cal.json', '--out', 'c1', '--resume', '--force']).err).toMatch(/either --resume .* or --force/);
    const lower = cf(['calibrate', 'cal.json', '--out', 'c1', '--resume', '--budget', '2']);
    expect(lower.code).toBe(2);
    expect(lower.err).toMatch(/--budget: 2: at least the \d+ evaluations already in history\.csv/);
    write('cal2.json', { ...CAL, replicates: 3 });
    const other = cf(['calibrate', 'cal2.json', '--out', 'c1', '--resume']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/another calibration/);
  });

  it('--resume never overwrites an existing calibrated.file, and a budget already spent says so', () => {
    // c1 finished (its budget raised by an earlier test) with calibrated-here.json written; the file now holds
    // something else (say, a tracked scenario edited since).
    const n = read('c1', 'history.csv').trim().split('\n').length - 1;
    writeFileSync(path.join(tmp, 'calibrated-here.json'), '{"name": "tracked"}\n');
    const r = cf(['calibrate', 'cal.json', '--out', 'c1', '--resume', '--budget', String(n + 2), '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(read('calibrated-here.json')).toBe('{"name": "tracked"}\n');
    expect(r.err).toMatch(/note: calibrated\.file calibrated-here\.json exists and --resume leaves it as it is \(only a fresh start with --force replaces it\)/);
    expect(r.err).toMatch(/cp c1\/calibrated\.json calibrated-here\.json/);
    expect(JSON.parse(read('c1', 'manifest.json')).calibratedScenarioFiles).toEqual([path.join(tmp, 'c1', 'calibrated.json')]);
    // A budget equal to the evaluations in history.csv: nothing new, and it says so.
    const m = read('c1', 'history.csv').trim().split('\n').length - 1;
    const before = read('c1', 'history.csv');
    const equal = cf(['calibrate', 'cal.json', '--out', 'c1', '--resume', '--budget', String(m), '--quiet']);
    expect(equal.code, equal.err).toBe(0);
    expect(equal.err).toMatch(new RegExp(`note: the budget of ${m} evaluations is the ${m} already in history\\.csv: no new evaluations \\(raise --budget to go on with the search\\)`));
    expect(read('c1', 'history.csv')).toBe(before);
    // A fresh start with --force does replace it.
    const forced = cf(['calibrate', 'cal.json', '--out', 'c-forced', '--force', '--budget', '2', '--quiet']);
    expect(forced.code, forced.err).toBe(0);
    expect(read('calibrated-here.json')).toBe(read('c-forced', 'calibrated.json'));
  });

  it('bad input is exit code 2 with the file, the field, the value and what is allowed', () => {
    const bad = (over: Record<string, unknown>, re: RegExp, args: string[] = []) => {
      write('bad.json', { ...CAL, calibrated: {}, ...over });
      const r = cf(['calibrate', 'bad.json', '--out', 'never', ...args]);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err).not.toMatch(/at .*\.js:\d+/);
      expect(existsSync(path.join(tmp, 'never'))).toBe(false);
    };
    bad({ targets: [{ metric: 'downward', year: 2026, observed: 0.3 }] }, /bad\.json: targets\[0\]\.metric: "downward": a metric name, one of: .*downward_share/);
    bad({ targets: [{ metric: 'downward_share', year: 2040, observed: 0.3 }] }, /targets\[0\]\.year: 2040: years the base scenario reports, 2026–2028/);
    bad({ targets: [{ metric: 'downward_share', observed: 0.3 }] }, /targets\[0\].*exactly one of year, window or years/);
    bad({ targets: [{ metric: 'downward_share', year: 2026, observed: 0.3, relation: 'near' }] }, /targets\[0\]\.relation: "near": one of "equal", "at-least", "at-most"/);
    bad({ parameters: { 'behavior.regionBia': { min: 0, max: 1 } } }, /parameters\.behavior\.regionBia: 0: .*unknown field/);
    bad({ parameters: { 'policy.matching': { min: 0, max: 1 } } }, /parameters\.policy\.matching: 0: .*one of "directive", "two-way"/);
    bad({ parameters: { 'behavior.unitOwnership': { min: 0, max: 2 } } }, /parameters\.behavior\.unitOwnership: 2: .*≤ 1/);
    bad({ replicates: 0 }, /replicates: 0: must be ≥ 1/);
    bad({ base: { name: 'x', world: { scale: -1 } } }, /base: world\.scale/);
    bad({}, /--budget: "none"/, ['--budget', 'none']);
    bad({ method: { type: 'annealing' } }, /bad\.json: method\.type: "annealing": one of "nelder-mead", "abc-smc"/);
    bad({ method: { budget: 5, particles: 10 } }, /method\.particles: 10: unknown field/);
    bad({ calibrated: { posterior: 'p.csv' } }, /calibrated\.posterior: "p\.csv": only with method\.type "abc-smc"/);
    bad({}, /--slurm: "given": a calibration with method\.type "abc-smc"/, ['--slurm']);
  });

  it('a calibration run with --set says so in the calibrated scenario it writes', () => {
    const r = cf(['calibrate', 'cal.json', '--out', 'c-set', '--force', '--budget', '2', '--set', 'burnIn=3', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const scen = JSON.parse(read('c-set', 'calibrated.json'));
    expect(scen.description).toMatch(/Command-line overrides: burnIn=3\. Fitted: /);
    expect(scen.burnIn).toBe(3);
    expect(read('calibrated-here.json')).toBe(read('c-set', 'calibrated.json'));
  });
});
