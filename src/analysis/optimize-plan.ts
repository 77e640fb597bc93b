/**
 * Loading an optimization (`cadreflow optimize`): the file, its base scenario
 * with `set` and --set, the levers (each checked at the ends of its range, and
 * their corners together, before anything runs), the objectives and
 * constraints (metric names, years the base reports), the reform year, and
 * the reference scenarios. Bad input is an InputError (exit code 2) naming the
 * file, the field, the value and what is allowed.
 *
 * How a candidate's levers are applied (candidateScenario): levers on
 * `policy.…` and on the reformable behaviour (`behavior.unitOwnership`,
 * `behavior.stigma`) act from the reform year — the file's `reformYear`, or
 * the base scenario's first reform year — as one more reform appended after
 * the base's own (so, in that year, the lever's value wins over a base reform
 * of the same year; a later base reform of the same lever still takes effect
 * from its year). Without a reform year (a base without reforms and no
 * `reformYear`) and for every other path (`world.…`, `behavior.…`), the
 * lever sets the scenario's field, in force throughout (burn-in included).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { applySets, parseScenario, readJsonFile, rejectScenarioFile, resolveScenario, zodProblems } from '../scenario/load.js';
import { InputError, inputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { METRIC_NAMES, UNIT_RANGE } from '../metrics/definitions.js';
import { programVersion } from '../experiment/manifest.js';
import { SWEEP_FILE_LAYOUT } from '../experiment/sweep-plan.js';
import type { ParamValue } from '../experiment/sweep-schema.js';
import { checkMetrics, loadBase, setString } from './sensitivity-plan.js';
import type { Variable } from './nsga2.js';
import { OptimizeSchema, type LeverSpec, type Optimize } from './optimize-schema.js';

/** Fields of a scenario that define the experiment rather than the model: not levers. */
const EXPERIMENT_FIELDS = ['name', 'description', 'seed', 'startYear', 'years', 'burnIn', 'replicates', '$schema'];
/** Behaviour that a reform may change (scenario/schema.ts ReformSchema). */
const REFORM_BEHAVIOR = ['behavior.unitOwnership', 'behavior.stigma'];

export interface Lever {
  path: string;
  spec: LeverSpec;
  variable: Variable;
  /** Applied as part of the reform (from the reform year) rather than throughout. */
  inReform: boolean;
}

export interface Measure {
  /** Column name in the CSV files. */
  name: string;
  metric: string;
  metricIndex: number;
  yearList: number[];
  /** The years as the report writes them: "2045", "2045-2050" or "2045;2050". */
  windowText: string;
  unitRange: boolean;
  goal?: 'min' | 'max';
  atMost?: number;
  atLeast?: number;
}

export interface Reference {
  file: string;
  scenario: Scenario;
}

export interface OptimizePlan {
  file: string;
  opt: Optimize;
  /** The base scenario, resolved, with `set` and --set. */
  base: Scenario;
  overrides: string[];
  levers: Lever[];
  objectives: Measure[];
  constraints: Measure[];
  reformYear?: number;
  /** Seed of the search. */
  seed: number;
  references: Reference[];
  /** Identifies the optimization's content and the program version (--resume refuses another). */
  hash: string;
}

/** Numbers as the CSV files write them: 10 significant digits, so that a lever's cell is its exact value. */
export const round10 = (x: number) => (Number.isFinite(x) && !Number.isInteger(x) ? Number(x.toPrecision(10)) : x);

function variableOf(spec: LeverSpec): Variable {
  if ('values' in spec) return { kind: 'choice', count: spec.values.length };
  if ('list' in spec) return { kind: 'real', min: spec.min, max: spec.max };
  return spec.integer ? { kind: 'integer', min: Math.ceil(spec.min), max: Math.floor(spec.max) } : { kind: 'real', min: spec.min, max: spec.max };
}

/** The value a lever takes for the search variable x (a choice's index, a list's factor). */
export function leverValue(l: Lever, x: number): ParamValue {
  const s = l.spec;
  if ('values' in s) return s.values[x]!;
  if ('list' in s) return s.list.map((v) => round10(v * x));
  return x;
}

/** A lever's cell in evaluations.csv: the search variable's value (a choice's value, a list's factor). */
export function leverCell(l: Lever, x: number): string | number | boolean {
  const v = 'values' in l.spec ? l.spec.values[x]! : x;
  return Array.isArray(v) ? JSON.stringify(v) : v;
}

/** The scenario of a candidate (search variables xs): the base with the levers applied, as the module header says. */
export function candidateRaw(plan: Pick<OptimizePlan, 'base' | 'levers' | 'reformYear'>, xs: number[], over: { name?: string; description?: string; reformDescription?: string } = {}): Record<string, unknown> {
  const throughout: string[] = [];
  const reform: string[] = [];
  plan.levers.forEach((l, i) => (l.inReform ? reform : throughout).push(setString(l.path, leverValue(l, xs[i]!))));
  const s = applySets(plan.base, throughout) as Record<string, unknown>;
  if (reform.length) {
    const r = applySets({ year: plan.reformYear, description: over.reformDescription ?? 'The levers of an optimization candidate.' }, reform);
    s.reforms = [...(s.reforms as unknown[]), r];
  }
  if (over.name !== undefined) s.name = over.name;
  if (over.description !== undefined) s.description = over.description;
  return s;
}

export function candidateScenario(plan: Pick<OptimizePlan, 'base' | 'levers' | 'reformYear'>, xs: number[]): Scenario {
  return parseScenario(candidateRaw(plan, xs));
}

function resolveMeasures(file: string, field: 'objectives' | 'constraints', list: Optimize['objectives'] | Optimize['constraints'], base: Scenario): Measure[] {
  checkMetrics(file, list.map((t, i) => ({ path: `${field}[${i}].metric`, name: t.metric })));
  const first = base.startYear;
  const last = base.startYear + base.years - 1;
  const problems: InputError['problems'] = [];
  const out = list.map((t, i): Measure => {
    let yearList: number[];
    let windowText: string;
    if (t.year !== undefined) {
      yearList = [t.year];
      windowText = String(t.year);
    } else if (t.window) {
      yearList = [];
      for (let y = t.window[0]; y <= t.window[1]; y++) yearList.push(y);
      windowText = `${t.window[0]}-${t.window[1]}`;
    } else {
      yearList = [...t.years!];
      windowText = yearList.join(';');
    }
    const key = t.year !== undefined ? 'year' : t.window ? 'window' : 'years';
    if (yearList.some((y) => y < first || y > last)) problems.push({ path: `${field}[${i}].${key}`, value: t.year ?? t.window ?? t.years, allowed: `years the base scenario reports, ${first}–${last} (startYear ${first}, ${base.years} years)` });
    return {
      name: t.name ?? t.metric, metric: t.metric, metricIndex: METRIC_NAMES.indexOf(t.metric), yearList, windowText, unitRange: UNIT_RANGE.has(t.metric),
      ...('goal' in t ? { goal: t.goal } : { atMost: (t as { atMost?: number }).atMost, atLeast: (t as { atLeast?: number }).atLeast }),
    };
  });
  if (problems.length) throw new InputError(problems, file);
  return out;
}

/** The ends of a lever's range (a choice: every value), as search variables. */
function ends(v: Variable): number[] {
  return v.kind === 'choice' ? Array.from({ length: v.count }, (_, i) => i) : [v.min, v.max];
}

/** Checks each lever at the ends of its range, then the corners of all ranges together (at most 4096 of them). */
function checkLevers(file: string, plan: Pick<OptimizePlan, 'base' | 'levers' | 'reformYear'>): void {
  const problems: InputError['problems'] = [];
  for (const l of plan.levers) {
    const top = l.path.replace(/\[\d+\]/g, '.0').split('.')[0]!;
    if (EXPERIMENT_FIELDS.includes(top) || l.path === 'reforms') {
      problems.push({ path: `levers.${l.path}`, value: l.spec, allowed: `a model parameter (policy.…, behavior.…, world.…, reforms[i].…); ${EXPERIMENT_FIELDS.filter((f) => f !== '$schema').join(', ')} define the experiment` });
      continue;
    }
    if (l.inReform && /\[\d+\]|\.\d+(\.|$)/.test(l.path)) {
      problems.push({ path: `levers.${l.path}`, value: l.spec, allowed: 'a whole field for a lever that acts from the reform year (a reform sets whole lists; use a scaled list {list, min, max})' });
      continue;
    }
    // The base's values for the other levers: only this one's (and the reform, if any) change.
    const single = { ...plan, levers: [l] };
    for (const x of ends(l.variable)) {
      try {
        candidateScenario(single, [x]);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        const q = e.problems[0]!;
        const own = q.path === l.path || q.path.endsWith(`.${l.path}`);
        problems.push({
          path: `levers.${l.path}`, value: leverValue(l, x),
          allowed: own ? `a value the scenario field ${l.path} accepts: ${q.allowed}` : `a value the base scenario accepts with its other levers (there ${q.path} ${JSON.stringify(q.value)} must be ${q.allowed})`,
        });
        break;
      }
    }
  }
  if (problems.length) throw new InputError(problems, file);
  // Corners: combinations of levers that make no sense (minTenure above maxTenure) break the order at a corner of the ranges.
  const all = plan.levers.map((l) => ends(l.variable));
  const corners = all.reduce((n, e) => n * e.length, 1);
  if (corners > 4096) return;
  const idx = all.map(() => 0);
  for (let c = 0; c < corners; c++) {
    const xs = idx.map((k, i) => all[i]![k]!);
    try {
      candidateScenario(plan, xs);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const q = e.problems[0]!;
      throw new InputError([{
        path: 'levers', value: Object.fromEntries(plan.levers.map((l, i) => [l.path, leverValue(l, xs[i]!)])),
        allowed: `ranges whose every combination is a valid scenario; at this corner ${q.path} ${JSON.stringify(q.value)} must be ${q.allowed}: narrow the ranges so that no combination in them is invalid`,
      }], file);
    }
    for (let i = 0; i < idx.length; i++) {
      if (++idx[i]! < all[i]!.length) break;
      idx[i] = 0;
    }
  }
}

/** Command-line values that replace the file's (cadreflow optimize --budget, --replicates). */
export interface OptimizeOverrides {
  budget?: number;
  replicates?: number;
}

export function loadOptimize(file: string, overrides: string[] = [], cli: OptimizeOverrides = {}): OptimizePlan {
  const raw = readJsonFile(file);
  rejectScenarioFile(raw, file, 'multi-objective optimization');
  const r = OptimizeSchema.safeParse(raw);
  if (!r.success) throw new InputError(zodProblems(r.error, raw), file);
  const opt = r.data;
  if (cli.replicates !== undefined) opt.replicates = cli.replicates;
  if (cli.budget !== undefined) {
    if (cli.budget < opt.population) throw inputError('--budget', cli.budget, `at least the population (${opt.population}): the first generation alone evaluates that many candidates`);
    opt.budget = cli.budget;
  }
  const { scenario: loaded } = loadBase(file, opt.base, opt.set, overrides);
  const base = parseScenario({ ...loaded, replicates: opt.replicates });
  const objectives = resolveMeasures(file, 'objectives', opt.objectives, base);
  const constraints = resolveMeasures(file, 'constraints', opt.constraints, base);
  const names = new Map<string, string>();
  const dup: InputError['problems'] = [];
  [...objectives.map((m, i) => ({ m, at: `objectives[${i}]` })), ...constraints.map((m, i) => ({ m, at: `constraints[${i}]` }))].forEach(({ m, at }) => {
    if (names.has(m.name)) dup.push({ path: `${at}.name`, value: m.name, allowed: `a column name of its own (${names.get(m.name)} has it already): give "name" to one of them` });
    names.set(m.name, at);
  });
  if (dup.length) throw new InputError(dup, file);
  const last = base.startYear + base.years - 1;
  if (opt.reformYear !== undefined && (opt.reformYear < base.startYear || opt.reformYear > last)) {
    throw new InputError([{ path: 'reformYear', value: opt.reformYear, allowed: `a year the base scenario reports, ${base.startYear}–${last}` }], file);
  }
  const reformYear = opt.reformYear ?? (base.reforms.length ? Math.min(...base.reforms.map((x) => x.year)) : undefined);
  const levers: Lever[] = Object.entries(opt.levers).map(([p, spec]) => ({
    path: p, spec, variable: variableOf(spec),
    inReform: reformYear !== undefined && (p.startsWith('policy.') || REFORM_BEHAVIOR.includes(p)),
  }));
  for (const l of levers) {
    if (l.variable.kind === 'integer' && l.variable.min > l.variable.max) throw new InputError([{ path: `levers.${l.path}`, value: l.spec, allowed: 'a range that holds a whole number' }], file);
  }
  checkLevers(file, { base, levers, reformYear });
  const references = opt.references.map((ref, i): Reference => {
    const f = path.resolve(path.dirname(file), ref);
    const rawRef = readJsonFile(f);
    let s: Scenario;
    try {
      // The optimization's `set` and --set, its replicates and the base's seed: the references run on the candidates' seeds.
      s = resolveScenario(rawRef, [...Object.entries(opt.set).map(([k, v]) => setString(k, v)), ...overrides, `seed=${base.seed}`, `replicates=${opt.replicates}`]);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(e.problems.map((q) => ({ ...q, path: `references[${i}] (${ref}): ${q.path}` })), file);
      throw e;
    }
    if (s.startYear !== base.startYear || s.years !== base.years) {
      throw new InputError([{ path: `references[${i}]`, value: ref, allowed: `a scenario that reports the base scenario's years (startYear ${base.startYear}, ${base.years} years); this one reports from ${s.startYear} for ${s.years} years` }], file);
    }
    return { file: ref, scenario: s };
  });
  const seed = opt.seed ?? base.seed;
  const hash = createHash('sha256')
    .update(JSON.stringify({ version: programVersion(), layout: SWEEP_FILE_LAYOUT, opt, overrides, base, references: references.map((x) => x.scenario) }))
    .digest('hex')
    .slice(0, 20);
  return { file, opt, base, overrides, levers, objectives, constraints, reformYear, seed, references, hash };
}
