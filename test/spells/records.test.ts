/**
 * The shipped synthetic records (scenarios/records/) are what the model and observe make of
 * the commands in their README, and a calibration target can read its observed figure from an
 * observed timeseries.csv (observedFile), as scenarios/calibration/synthetic-records.json does.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCalibration } from '../../src/analysis/calibrate.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
const records = path.join(root, 'scenarios', 'records');
const calibration = path.join(root, 'scenarios', 'calibration', 'synthetic-records.json');
const sets = ['--set', 'world.scale=0.04', '--set', 'burnIn=10'];
let tmp: string;

function cf(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A metric's mean over 2006–2011 in a timeseries.csv of one replicate. */
function windowMean(file: string, metric: string): number {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const col = head!.split(',').indexOf(metric);
  const xs = lines.map((l) => l.split(',')[col]!).filter(Boolean).map(Number);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-records-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('scenarios/records: synthetic career records', () => {
  it('are the spells of the stated run, and what observe measures on them', () => {
    expect(statSync(path.join(records, 'synthetic-gansu.csv')).size).toBeLessThan(2e6);
    const scenario = path.join(root, 'scenarios', 'gansu-2008.json');
    const run = cf(['run', scenario, ...sets, '--set', 'policy.tenureEnforcement=0.7', '--set', 'behavior.applyRate=0.45', '--seed', '2024', '--replicates', '1', '--spells', '--quiet', '--out', 'rec']);
    expect(run.code, run.err).toBe(0);
    expect(readFileSync(path.join(tmp, 'rec', 'spells.csv')).equals(readFileSync(path.join(records, 'synthetic-gansu.csv')))).toBe(true);
    const obs = cf(['observe', path.join(records, 'synthetic-gansu.csv'), '--scenario', scenario, ...sets, '--quiet', '--out', 'obs']);
    expect(obs.code, obs.err).toBe(0);
    expect(readFileSync(path.join(tmp, 'obs', 'timeseries.csv'), 'utf8')).toBe(readFileSync(path.join(records, 'synthetic-gansu-observed.csv'), 'utf8'));
  });
});

describe('calibration targets read from observed records (observedFile)', () => {
  it('take the metric’s mean over their years in the file', () => {
    const plan = loadCalibration(calibration);
    const observed = path.join(records, 'synthetic-gansu-observed.csv');
    for (const t of plan.targets) {
      expect(t.observedFile).toBe('../records/synthetic-gansu-observed.csv');
      expect(t.observed).toBeCloseTo(windowMean(observed, t.metric), 12);
    }
  });

  it('run: fit.csv shows the observed figures read from the file', () => {
    const r = cf(['calibrate', calibration, '--budget', '3', '--replicates', '1', '--out', 'cal', '--threads', '2', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const fit = readFileSync(path.join(tmp, 'cal', 'fit.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(fit.map((c) => c[0])).toEqual(['overdue', 'moves', 'reverse_balance', 'leaders_moved']);
    for (const c of fit) expect(Number(c[3])).toBeCloseTo(windowMean(path.join(records, 'synthetic-gansu-observed.csv'), c[1]!), 8);
  });

  it('a missing file, a metric the records cannot give and both observed and observedFile are bad input', () => {
    const cal = JSON.parse(readFileSync(calibration, 'utf8'));
    cal.base = path.join(root, 'scenarios', 'gansu-2008.json');
    const write = (name: string, targets: unknown[]) => writeFileSync(path.join(tmp, name), JSON.stringify({ ...cal, targets }));
    const t0 = { metric: 'overdue_share', window: [2006, 2011], observedFile: path.join(records, 'synthetic-gansu-observed.csv') };
    write('missing.json', [{ ...t0, observedFile: 'nope.csv' }]);
    write('ties.json', [{ ...t0, metric: 'mean_ties' }]);
    write('both.json', [{ ...t0, observed: 0.04 }]);
    const missing = cf(['validate', 'missing.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/targets\[0\]\.observedFile: "nope\.csv": a timeseries\.csv of observed metrics/);
    const ties = cf(['validate', 'ties.json']);
    expect(ties.code).toBe(2);
    expect(ties.err).toMatch(/mean_ties has a value in the target's years; it is empty there/);
    const both = cf(['validate', 'both.json']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/exactly one of observed \(a figure\) or observedFile/);
  });
});
