/**
 * Loading a sweep: the sweep file, its base scenario, the design points and
 * each point's resolved scenario, all validated before anything runs (bad
 * input is exit code 2 with the file, the field path and the value).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { applySets, parseScenario, readJsonFile, rejectScenarioFile, resolveScenario, zodProblems } from '../scenario/load.js';
import { InputError, inputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { buildWorld } from '../world/world.js';
import { SweepSchema, type Point, type Sweep } from './sweep-schema.js';
import { designPaths, designPoints } from './design.js';
import { runSeed } from '../random/hash.js';
import { programVersion } from './manifest.js';

export interface SweepPlan {
  file: string;
  sweep: Sweep;
  /** The base scenario as written (raw), with the sweep's `set` applied on resolution. */
  baseRaw: unknown;
  points: Point[];
  paths: string[];
  /** Resolved scenario of point p (validated when the plan was loaded; resolved again on demand so memory stays flat). */
  scenario: (p: number) => Scenario;
  /** Seed of each point's scenario (replicate seeds derive from it). */
  seeds: number[];
  replicates: number;
  /** Identifies the sweep's content and the program version (merge refuses mixed shards). */
  hash: string;
  /** The command line's --set options (recorded in manifest.json, so that a resume can repeat them). */
  overrides: string[];
  /** The base scenario's seed (after `set` and --set): what a posterior's draws are keyed on (posterior.ts). */
  baseSeed?: number;
}

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(spec: string | undefined): Shard | undefined {
  if (spec === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const i = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i < 1 || i > n) throw inputError('--shard', spec, 'i/n with 1 ≤ i ≤ n, e.g. 2/8 (shards are numbered from 1)');
  return { index: i, count: n };
}

const setString = (path: string, v: unknown) => `${path}=${JSON.stringify(v)}`;

/**
 * The layout of a sweep's files (their columns and how values are written), part
 * of the sweep's identity: --resume and merge never join rows of two layouts.
 * 2: booleans as TRUE/FALSE (were true/false). 3: `<path>.scale` after a
 * list-valued parameter (param-columns.ts).
 */
export const SWEEP_FILE_LAYOUT = 3;

export function loadSweep(file: string, overrides: string[] = []): SweepPlan {
  const raw = readJsonFile(file);
  rejectScenarioFile(raw, file, 'sweep');
  const r = SweepSchema.safeParse(raw);
  if (!r.success) throw new InputError(zodProblems(r.error, raw), file);
  const sweep = r.data;
  let baseRaw: unknown = sweep.base;
  if (typeof sweep.base === 'string') {
    baseRaw = readJsonFile(path.resolve(path.dirname(file), sweep.base));
  }
  const sets = [...Object.entries(sweep.set).map(([p, v]) => setString(p, v)), ...overrides];
  // The base with the sweep's own `set`, resolved once; each point applies its values to it
  // and is validated again (the schema has no transforms, so this is what resolving the raw
  // base with all the overrides at once gives, at half the validation).
  let base: Scenario;
  try {
    base = resolveScenario(baseRaw, sets);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, path: `base${sets.length ? ' with set' : ''}: ${p.path}` })), file);
    throw e;
  }
  const points = designPoints(sweep.design, base.seed);
  const paths = designPaths(sweep.design, points);
  const worlds = new Set<string>();
  const resolvePoint = (pt: Point) => parseScenario(applySets(base, Object.entries(pt).map(([p, v]) => setString(p, v))));
  const h = createHash('sha256').update(JSON.stringify({ version: programVersion(), layout: SWEEP_FILE_LAYOUT, replicates: sweep.replicates }));
  // Every point is checked before anything runs; a sweep with an invalid point (a value out of
  // range, or a combination of levers that makes no sense, such as minTenure above maxTenure)
  // is rejected whole, naming the first few such points and how many there are.
  const problems: InputError['problems'] = [];
  let invalid = 0;
  const seeds = points.map((pt, i) => {
    try {
      const s = resolvePoint(pt);
      const wk = JSON.stringify(s.world);
      if (!worlds.has(wk)) {
        buildWorld(s.world);
        worlds.add(wk);
      }
      h.update(JSON.stringify(s));
      return s.seed;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      if (invalid++ < SHOWN_POINTS) problems.push(...e.problems.map((p) => ({ ...p, path: `${pointName(sweep.design.type, i, pt)}: ${p.path}` })));
      return 0;
    }
  });
  if (invalid) {
    if (points.length > 1) problems.push(invalidPointsSummary(invalid, points.length, sweep.design.type));
    throw new InputError(problems, file);
  }
  const hash = h.digest('hex').slice(0, 20);
  const scenario = (p: number) => resolvePoint(points[p]!);
  return { file, sweep, baseRaw, points, paths, scenario, seeds, replicates: sweep.replicates, hash, overrides, baseSeed: base.seed };
}

/** How many invalid design points a message lists. */
const SHOWN_POINTS = 5;

/** A design point as a message names it. */
export function pointName(type: string, i: number, pt: Point): string {
  return type === 'list' ? `design.points[${i}]` : `design point ${i} (${Object.entries(pt).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})`;
}

/** The closing line of a message about invalid design points: how many, and what to change. */
export function invalidPointsSummary(invalid: number, total: number, type: string, field = 'design'): InputError['problems'][number] {
  const change = type === 'list' ? 'change or remove those points'
    : type === 'grid' ? 'change the values so that every combination is valid'
    // lhs, random, and the ranges of a sensitivity analysis
    : 'narrow the ranges so that no combination in them is invalid';
  return {
    path: field, value: `${invalid} of ${total} points`,
    allowed: `a design whose every point is valid; ${invalid > SHOWN_POINTS ? `the first ${SHOWN_POINTS} invalid points are shown above; ` : ''}nothing was run: ${change}`,
  };
}

export interface SweepTask {
  index: number;
  point: number;
  replicate: number;
  seed: number;
}

/** The tasks of a shard in output order: (point, replicate), points p with p mod n = i − 1. */
export function shardTasks(plan: SweepPlan, shard?: Shard): SweepTask[] {
  const out: SweepTask[] = [];
  for (let p = 0; p < plan.points.length; p++) {
    if (shard && p % shard.count !== shard.index - 1) continue;
    for (let k = 0; k < plan.replicates; k++) out.push({ index: out.length, point: p, replicate: k, seed: runSeed(plan.seeds[p]!, p, k) });
  }
  return out;
}

/** The design points of a shard in output order: p with p mod n = i − 1 (all points without a shard). */
export function shardPointList(plan: SweepPlan, shard?: Shard): number[] {
  const out: number[] = [];
  for (let p = 0; p < plan.points.length; p++) if (!shard || p % shard.count === shard.index - 1) out.push(p);
  return out;
}
