/**
 * Loading a sensitivity analysis: the file, its base scenario, the parameter
 * ranges (each checked by resolving the base at its ends), the output
 * metrics, and the design — Morris trajectories or Saltelli's matrices —
 * turned into a list sweep (experiment/sweep-plan.ts) whose points share
 * their replicates' random numbers. All bad input is an InputError (exit
 * code 2) naming the file, the field, the value and what is allowed.
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { applySets, parseScenario, readJsonFile, rejectScenarioFile, resolveScenario, zodProblems } from '../scenario/load.js';
import { InputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { METRIC_NAMES } from '../metrics/definitions.js';
import { buildWorld } from '../world/world.js';
import { valueAt } from '../experiment/design.js';
import type { Point, ParamValue, Sweep } from '../experiment/sweep-schema.js';
import { invalidPointsSummary, pointName, SWEEP_FILE_LAYOUT, type SweepPlan } from '../experiment/sweep-plan.js';
import { programVersion } from '../experiment/manifest.js';
import { Stream } from '../random/stream.js';
import { SensitivitySchema, type ParameterSpec, type Sensitivity, type SensitivityMethod } from './sensitivity-schema.js';
import { morrisDesign, saltelliDesign, SALTELLI_MAX_PARAMETERS, type MorrisDesign, type SaltelliDesign } from './sensitivity-methods.js';
import { crnPointSeed } from './sensitivity-seeds.js';

export const setString = (p: string, v: unknown) => `${p}=${JSON.stringify(v)}`;

/** The base scenario of an analysis or calibration file: read (relative to the file) or inline, with `set` and command-line overrides. */
export function loadBase(file: string, base: string | Record<string, unknown>, set: Record<string, unknown>, overrides: string[]): { baseRaw: unknown; sets: string[]; scenario: Scenario } {
  const baseRaw = typeof base === 'string' ? readJsonFile(path.resolve(path.dirname(file), base)) : base;
  const sets = [...Object.entries(set).map(([p, v]) => setString(p, v)), ...overrides];
  let scenario: Scenario;
  try {
    scenario = resolveScenario(baseRaw, sets);
    buildWorld(scenario.world);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, path: `base${sets.length ? ' with set' : ''}: ${p.path}` })), file);
    throw e;
  }
  return { baseRaw, sets, scenario };
}

/** Every value a parameter can take at the ends of its range (or each choice). */
function probeValues(spec: ParameterSpec): ParamValue[] {
  if ('values' in spec) return spec.values;
  return [valueAt(spec, 0), valueAt(spec, 1)];
}

/** Checks that each parameter path names a field of the scenario that accepts the ends of its range. */
export function checkParameters(file: string, baseRaw: unknown, sets: string[], params: Record<string, ParameterSpec>, field = 'parameters'): void {
  const problems: InputError['problems'] = [];
  for (const [p, spec] of Object.entries(params)) {
    for (const v of probeValues(spec)) {
      try {
        resolveScenario(baseRaw, [...sets, setString(p, v)]);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems.push(...e.problems.map((q) => ({
          path: `${field}.${p}`, value: v,
          allowed: q.path && q.path !== p
            ? `a value the base scenario accepts with its other levers (there ${q.path} ${JSON.stringify(q.value)} must be ${q.allowed})`
            : `a value the scenario field ${p} accepts: ${q.allowed}`,
        })));
        break;
      }
    }
  }
  if (problems.length) throw new InputError(problems, file);
}

/**
 * Checks every design point before anything runs: each parameter's range was
 * checked at its ends, but a combination can still make no sense (minTenure
 * above maxTenure, scenario/load.ts LEVER_ORDER). An analysis with such a point
 * is rejected whole: its design is a box of ranges, so the ranges must change.
 */
export function checkPoints(file: string, base: Scenario, points: Point[]): void {
  const problems: InputError['problems'] = [];
  let invalid = 0;
  points.forEach((pt, i) => {
    try {
      // The schema has no transforms: the resolved base with the point's values is what resolving the file with them gives.
      parseScenario(applySets(base, Object.entries(pt).map(([k, v]) => setString(k, v))));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      if (invalid++ < 5) problems.push(...e.problems.map((q) => ({ ...q, path: `${pointName('lhs', i, pt)}: ${q.path}` })));
    }
  });
  if (invalid) throw new InputError([...problems, invalidPointsSummary(invalid, points.length, 'ranges', 'parameters')], file);
}

/** Checks metric names against METRIC_NAMES; the message lists the valid ones. */
export function checkMetrics(file: string, names: { path: string; name: string }[]): void {
  const bad = names.filter((n) => !METRIC_NAMES.includes(n.name));
  if (bad.length) {
    throw new InputError(bad.map((b) => ({ path: b.path, value: b.name, allowed: `a metric name, one of: ${METRIC_NAMES.join(', ')}` })), file);
  }
}

export interface SensitivityPlan {
  file: string;
  sa: Sensitivity;
  method: SensitivityMethod;
  paths: string[];
  specs: ParameterSpec[];
  /** Seed of the trajectories and bootstrap. */
  seed: number;
  morris?: MorrisDesign;
  saltelli?: SaltelliDesign;
  /** Unit-cube coordinates of each point, in run order. */
  unit: number[][];
  /** The runs as a list sweep with common random numbers (run with experiment/sweep-run.ts). */
  sweep: SweepPlan;
  /** Base scenario (resolved, with set). */
  base: Scenario;
}

export function parseMethod(m: string | undefined): SensitivityMethod | undefined {
  if (m === undefined) return undefined;
  if (m !== 'morris' && m !== 'sobol') throw new InputError([{ path: '--method', value: m, allowed: 'morris or sobol' }]);
  return m;
}

export function loadSensitivity(file: string, method?: SensitivityMethod, overrides: string[] = []): SensitivityPlan {
  const raw = readJsonFile(file);
  rejectScenarioFile(raw, file, 'sensitivity analysis');
  const r = SensitivitySchema.safeParse(raw);
  if (!r.success) throw new InputError(zodProblems(r.error, raw), file);
  const sa = r.data;
  const m = method ?? sa.method;
  checkMetrics(file, sa.outputs.map((name, i) => ({ path: `outputs[${i}]`, name })));
  const { baseRaw, sets, scenario: base } = loadBase(file, sa.base, sa.set, overrides);
  checkParameters(file, baseRaw, sets, sa.parameters);
  if (sa.lastYears > base.years) {
    throw new InputError([{ path: 'lastYears', value: sa.lastYears, allowed: `at most the base scenario's reported years (${base.years})` }], file);
  }
  const paths = Object.keys(sa.parameters);
  const specs = paths.map((p) => sa.parameters[p]!);
  const d = paths.length;
  if (m === 'sobol' && d > SALTELLI_MAX_PARAMETERS) {
    throw new InputError([{ path: 'parameters', value: `${d} parameters`, allowed: `at most ${SALTELLI_MAX_PARAMETERS} parameters for the Sobol method (the shipped direction numbers cover ${2 * SALTELLI_MAX_PARAMETERS} dimensions); use morris` }], file);
  }
  const seed = sa.seed ?? base.seed;
  let unit: number[][];
  let morris: MorrisDesign | undefined;
  let saltelli: SaltelliDesign | undefined;
  if (m === 'morris') {
    const rng = new Stream(seed, 'sensitivity.morris', 0);
    morris = morrisDesign(d, sa.morris.trajectories, sa.morris.levels, () => rng.next());
    unit = morris.unit;
  } else {
    saltelli = saltelliDesign(d, sa.sobol.samples);
    unit = saltelli.unit;
  }
  const points: Point[] = unit.map((u) => Object.fromEntries(paths.map((p, i) => [p, valueAt(specs[i]!, u[i]!)])));
  const seeds = points.map((_, p) => crnPointSeed(base.seed, p));
  const name = `${sa.name}-${m}`;
  const sweep: Sweep = {
    name,
    description: sa.description,
    base: sa.base,
    replicates: sa.replicates,
    set: sa.set,
    design: { type: 'list', points },
  };
  const pointSets = (p: number) => [...sets, ...Object.entries(points[p]!).map(([k, v]) => setString(k, v)), `seed=${seeds[p]}`];
  checkPoints(file, base, points);
  const hash = createHash('sha256')
    .update(JSON.stringify({ version: programVersion(), layout: SWEEP_FILE_LAYOUT, method: m, sa, overrides, base, points, seeds }))
    .digest('hex')
    .slice(0, 20);
  const plan: SweepPlan = {
    file,
    sweep,
    baseRaw,
    points,
    paths,
    scenario: (p: number) => resolveScenario(baseRaw, pointSets(p)),
    seeds,
    replicates: sa.replicates,
    hash,
    overrides,
  };
  return { file, sa, method: m, paths, specs, seed, morris, saltelli, unit, sweep: plan, base };
}
