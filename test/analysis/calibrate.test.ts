/**
 * Calibration without simulation: the search on functions whose minimum is
 * known, the distance and tolerance rules of targets, and the checks of the
 * targets against the base scenario.
 */
import { describe, expect, it } from 'vitest';
import { search, type Evaluate } from '../../src/analysis/calibrate-optimizer.js';
import { deviation, MISSING_PENALTY, objective, resolveTargets, runValue, targetDistance, within } from '../../src/analysis/calibrate-objective.js';
import { TargetSchema } from '../../src/analysis/calibrate-schema.js';
import { InputError } from '../../src/scenario/errors.js';
import { parseScenario } from '../../src/scenario/load.js';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';
import { Stream } from '../../src/random/stream.js';
import type { PackedResult } from '../../src/experiment/run-one.js';

function recorder(f: (x: number[]) => number) {
  const calls: { x: number[]; phase: string }[] = [];
  const batches: number[] = [];
  const ev: Evaluate = async (xs, phase) => {
    batches.push(xs.length);
    for (const x of xs) calls.push({ x, phase });
    return xs.map(f);
  };
  return { ev, calls, batches };
}

const opts = (d: number, budget: number, screening = 2 * d + 2) => ({ d, budget, screening, initialStep: 0.2, minStep: 0.005, rng: new Stream(5, 'calibrate.lhs', 0) });

describe('calibration search (Latin hypercube, then Nelder–Mead with restarts)', () => {
  it('finds the minimum of a smooth function inside the box', async () => {
    const c = [0.3, 0.7, 0.55];
    const f = (x: number[]) => x.reduce((s, xi, i) => s + (i + 1) * (xi - c[i]!) ** 2, 0);
    const r = recorder(f);
    const res = await search(r.ev, { ...opts(3, 200), start: [0.5, 0.5, 0.5] });
    res.x.forEach((xi, i) => expect(Math.abs(xi - c[i]!)).toBeLessThan(0.01));
    expect(res.f).toBeLessThan(1e-4);
    expect(r.calls.length).toBeLessThanOrEqual(200);
    expect(res.evaluations).toBe(r.calls.length);
    expect(r.calls[0]!.phase).toBe('start');
    expect(r.calls.filter((c) => c.phase === 'screen').length).toBe(8);
    expect(r.batches[1]).toBe(8); // the screening is one parallel batch
  });

  it('stays in the box and finds a minimum on its edge', async () => {
    const f = (x: number[]) => (x[0]! - 1.4) ** 2 + (x[1]! + 0.3) ** 2;
    const r = recorder(f);
    const res = await search(r.ev, opts(2, 120));
    for (const c of r.calls) for (const v of c.x) expect(v >= 0 && v <= 1).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 2);
    expect(res.x[1]).toBeCloseTo(0, 2);
  });

  it('never spends more than its budget and is deterministic', async () => {
    const f = (x: number[]) => Math.sin(7 * x[0]!) + Math.cos(5 * x[1]!) + x[2]!;
    const a = recorder(f);
    const b = recorder(f);
    await search(a.ev, opts(3, 23));
    await search(b.ev, opts(3, 23));
    expect(a.calls.length).toBeLessThanOrEqual(23);
    expect(a.calls).toEqual(b.calls);
  });

  it('beats its own screening on a rugged function', async () => {
    const f = (x: number[]) => (x[0]! - 0.62) ** 2 + (x[1]! - 0.18) ** 2 + 0.001 * Math.sin(50 * x[0]!);
    const r = recorder(f);
    const res = await search(r.ev, opts(2, 60));
    const bestScreen = Math.min(...r.calls.filter((c) => c.phase === 'screen').map((c) => f(c.x)));
    expect(res.f).toBeLessThan(bestScreen);
  });
});

const target = (t: Record<string, unknown>) => TargetSchema.parse({ metric: 'downward_share', year: 2026, observed: 0.3, ...t });

describe('targets and distance', () => {
  it('counts both sides for equal, only a shortfall for at-least and only an excess for at-most', () => {
    expect(deviation(target({}), 0.4)).toBeCloseTo(0.1);
    expect(deviation(target({}), 0.2)).toBeCloseTo(-0.1);
    expect(deviation(target({ relation: 'at-least' }), 0.4)).toBe(0);
    expect(deviation(target({ relation: 'at-least' }), 0.2)).toBeCloseTo(-0.1);
    expect(deviation(target({ relation: 'at-most' }), 0.2)).toBe(0);
    expect(deviation(target({ relation: 'at-most' }), 0.4)).toBeCloseTo(0.1);
  });

  it('measures deviations in tolerances (or relative to the observed value) and weighs them', () => {
    expect(targetDistance(target({ tolerance: 0.05 }), 0.4)).toBeCloseTo(4);
    expect(targetDistance(target({ tolerance: 0.05, weight: 2 }), 0.4)).toBeCloseTo(8);
    expect(targetDistance(target({}), 0.45)).toBeCloseTo(0.25);
    expect(targetDistance(target({ weight: 3 }), NaN)).toBe(3 * MISSING_PENALTY);
    expect(objective([target({ tolerance: 0.1 }), target({ tolerance: 0.05 })], [0.4, 0.3])).toBeCloseTo(1);
  });

  it('is within tolerance when the deviation that counts is at most the tolerance', () => {
    expect(within(target({ tolerance: 0.05 }), 0.34)).toBe(true);
    expect(within(target({ tolerance: 0.05 }), 0.36)).toBe(false);
    expect(within(target({ tolerance: 0.05, relation: 'at-least' }), 0.9)).toBe(true);
    expect(within(target({ tolerance: 0.05, relation: 'at-least' }), 0.24)).toBe(false);
    expect(within(target({}), 0.3)).toBeUndefined();
  });

  it('needs exactly one of year, window or years', () => {
    expect(TargetSchema.safeParse({ metric: 'x', observed: 1 }).success).toBe(false);
    expect(TargetSchema.safeParse({ metric: 'x', observed: 1, year: 2000, years: [2000] }).success).toBe(false);
    expect(TargetSchema.safeParse({ metric: 'x', observed: 1, window: [2001, 2000] }).success).toBe(false);
  });

  it('reads a target in a run as the mean of its metric over its years, leaving undefined years out', () => {
    const base = parseScenario({ name: 'b', startYear: 2026, years: 3 });
    const [t] = resolveTargets('f.json', [TargetSchema.parse({ metric: 'downward_share', window: [2026, 2028], observed: 0.3 })], base);
    const m = METRIC_NAMES.length;
    const metrics = new Float64Array(3 * m).fill(NaN);
    const j = METRIC_NAMES.indexOf('downward_share');
    metrics[j] = 0.2;
    metrics[2 * m + j] = 0.4;
    const r = { seed: 1, years: [2026, 2027, 2028], metrics } as PackedResult;
    expect(runValue(t!, r)).toBeCloseTo(0.3);
    expect(t!.windowText).toBe('2026-2028');
  });

  it('rejects unknown metrics (listing the valid ones) and years the scenario does not report', () => {
    const base = parseScenario({ name: 'b', startYear: 2026, years: 3 });
    let err: unknown;
    try {
      resolveTargets('f.json', [TargetSchema.parse({ metric: 'downward_shares', year: 2026, observed: 0.3 })], base);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(String((err as Error).message)).toMatch(/targets\[0\]\.metric: "downward_shares": a metric name, one of: .*downward_share/);
    expect(() => resolveTargets('f.json', [TargetSchema.parse({ metric: 'downward_share', years: [2026, 2030], observed: 0.3 })], base)).toThrow(/targets\[0\]\.years.*2026–2028/);
  });
});

describe('shipped calibration files', () => {
  it('load, with their targets inside the reported years and their parameters valid', async () => {
    const { readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const { loadCalibration } = await import('../../src/analysis/calibrate.js');
    const dir = path.resolve(__dirname, '..', '..', 'scenarios', 'calibration');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toContain('gansu.json');
    for (const f of files) {
      const plan = loadCalibration(path.join(dir, f));
      expect(plan.targets.length).toBeGreaterThanOrEqual(4);
      expect(plan.cal.description.length).toBeGreaterThan(40);
    }
  });
});

describe('the method block', () => {
  it('defaults to nelder-mead, takes abc-smc, and only the stopping rule and budget are left out of the identity', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { loadCalibration } = await import('../../src/analysis/calibrate.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-method-'));
    try {
      const cal = (method?: unknown) => {
        const f = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
        writeFileSync(f, JSON.stringify({
          name: 'm', base: { name: 'b', years: 3 },
          parameters: { 'behavior.regionBias': { min: 0, max: 5 } },
          targets: [{ metric: 'downward_share', year: 2026, observed: 0.3, tolerance: 0.05 }],
          ...(method === undefined ? {} : { method }),
        }));
        return loadCalibration(f);
      };
      const none = cal();
      expect(none.cal.method).toEqual({ type: 'nelder-mead', budget: 60, start: true, initialStep: 0.2, minStep: 0.02 });
      // A method without `type` is a nelder-mead search, with the identity it had before there were two methods.
      expect(cal({ type: 'nelder-mead' }).hash).toBe(none.hash);
      expect(cal({ budget: 200 }).hash).toBe(none.hash);
      expect(cal({ screening: 3 }).hash).not.toBe(none.hash);
      const abc = cal({ type: 'abc-smc' });
      expect(abc.cal.method).toEqual({ type: 'abc-smc', particles: 100, generations: 10, alpha: 0.5, minAcceptance: 0.05 });
      expect(cal({ type: 'abc-smc', generations: 30, minAcceptance: 0.01 }).hash).toBe(abc.hash);
      expect(cal({ type: 'abc-smc', particles: 50 }).hash).not.toBe(abc.hash);
      expect(cal({ type: 'abc-smc', seed: 9 }).hash).not.toBe(abc.hash);
      expect(() => cal({ type: 'abc-smc', particles: 10, alpha: 0.05 })).toThrow(/method\.alpha: 0\.05: a share that keeps at least 2 of the 10 particles/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
