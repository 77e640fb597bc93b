/**
 * The controls of the workshop page and the scenarios behind a Run: every
 * lever of MODEL.md §6 (src/report/i18n.ts LEVERS) with its type, unit, range
 * and default taken from the scenario schema, the presets of scenarios/, and
 * the two scenarios of a run — the baseline and the baseline with the chosen
 * levers as a reform — validated with the same schema as the CLI.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { scenarioJsonSchema, type Scenario } from '../scenario/schema.js';
import { parseScenario, readJsonFile } from '../scenario/load.js';
import { rulesAt } from '../model/policy-at.js';
import { InputError, type InputProblem } from '../scenario/errors.js';
import { LEVERS } from '../report/i18n.js';
import { PROJECT_ROOT } from '../experiment/manifest.js';
import { defaultReformYear } from './reform-year.js';

export interface LeverSpec {
  path: string;
  group: string;
  label: [string, string];
  kind: 'number' | 'integer' | 'boolean' | 'enum' | 'array';
  min?: number;
  max?: number;
  /** Arrays: item kind and length. */
  items?: 'number' | 'integer';
  length?: number;
  values?: string[];
  unit: string;
  description: string;
  default: unknown;
}

function schemaAt(schema: any, dotted: string): any {
  let s = schema;
  for (const k of dotted.split('.')) s = s?.properties?.[k];
  return s;
}

/** The lever controls, from the JSON Schema of scenarios (the zod schema's descriptions). */
export function leverSpecs(): LeverSpec[] {
  const schema = scenarioJsonSchema();
  return LEVERS.map((l) => {
    const s = schemaAt(schema, l.path);
    if (!s) throw new Error(`lever ${l.path} is not in the scenario schema`);
    const text: string = s.description ?? '';
    const unit = /Unit: (.*?)\.(?=\s|$)/.exec(text)?.[1] ?? '';
    const description = text.replace(/\s*Unit: .*?\.(?=\s|$)/, '').replace(/\s*Range [^;]*; default .*$/, '').replace(/\s*Default .*$/, '').trim();
    const base = { path: l.path, group: l.group, label: l.label, unit, description, default: s.default };
    if (s.type === 'boolean') return { ...base, kind: 'boolean' };
    if (s.enum) return { ...base, kind: 'enum', values: s.enum };
    if (s.type === 'array') {
      return { ...base, kind: 'array', items: s.items?.type === 'integer' ? 'integer' : 'number', min: s.items?.minimum, max: s.items?.maximum, length: s.minItems };
    }
    return { ...base, kind: s.type === 'integer' ? 'integer' : 'number', min: s.minimum ?? s.exclusiveMinimum, max: s.maximum };
  }) as LeverSpec[];
}

/** Run settings of the page: ranges kept small enough that a workshop laptop answers in seconds. */
export const SETTINGS = {
  // The gansu preset of the baseline has no valid pyramid below scale 0.03 (world.ts checks each rank's feeders).
  scale: { min: 0.03, max: 1, default: 0.1, step: 0.01 },
  years: { min: 2, max: 100, default: 30, step: 1 },
  burnIn: { min: 0, max: 100, default: 30, step: 1 },
  replicates: { min: 1, max: 32, default: 6, step: 1 },
  seed: { min: 0, max: 4294967295, default: 20161, step: 1 },
  /** The first reported year (the schema's range). Default: the baseline's (config() sends it; runScenarios uses it when none is given). */
  startYear: { min: 1950, max: 2200, default: 2026, step: 1 },
  /** Default: REFORM_AFTER years after the first reported year (reform-year.ts). */
  reformYear: { min: 1950, max: 2300, default: 2030, step: 1 },
  /** 1: run over the server's posterior (replicates draw particles; intervals carry the parameters' uncertainty). */
  posterior: { min: 0, max: 1, default: 0, step: 1 },
} as const;
export type Settings = { -readonly [K in keyof typeof SETTINGS]: number };

/** The settings a scenario file names (world.scale, years, burnIn, replicates, seed, startYear), as the page's settings. */
function namedSettings(raw: Record<string, unknown>): Partial<Settings> {
  const out: Partial<Settings> = {};
  const world = raw.world as Record<string, unknown> | undefined;
  if (typeof world?.scale === 'number') out.scale = world.scale;
  for (const k of ['years', 'burnIn', 'replicates', 'seed', 'startYear'] as const) if (typeof raw[k] === 'number') out[k] = raw[k] as number;
  return out;
}

const BASELINE_FILE = path.join(PROJECT_ROOT, 'scenarios', 'baseline.json');

/** The baseline the page compares with: scenarios/baseline.json (today's rules), or the defaults. */
export function baselineRaw(): Record<string, unknown> {
  if (existsSync(BASELINE_FILE)) {
    const { $schema: _s, ...raw } = readJsonFile(BASELINE_FILE) as Record<string, unknown>;
    return raw;
  }
  return { name: 'baseline' };
}

function get(obj: unknown, dotted: string): unknown {
  let v: any = obj;
  for (const k of dotted.split('.')) v = v?.[k];
  return v;
}
function set(obj: Record<string, any>, dotted: string, value: unknown): void {
  const ks = dotted.split('.');
  let o = obj;
  for (const k of ks.slice(0, -1)) o = o[k] ??= {};
  o[ks[ks.length - 1]!] = value;
}

/** Lever values of a scenario as in force at the end of its horizon (after all its reforms). */
export function leverValues(s: Scenario): Record<string, unknown> {
  const rules = rulesAt(s, s.startYear + s.years - 1);
  return Object.fromEntries(LEVERS.map((l) => [l.path, structuredClone(get(rules, l.path))]));
}

export interface Preset {
  file: string;
  name: string;
  description: string;
  levers: Record<string, unknown>;
  /** Year of the preset's first reform, if any. */
  reformYear?: number;
  /** The settings the file names (scale, years, burn-in, replicates, seed): loading the preset applies them. */
  settings: Partial<Settings>;
}

/** A scenario (a preset or a file the page loads) as the page's levers, reform year and settings. */
export function scenarioPreset(raw: Record<string, unknown>, file: string): Preset {
  const { $schema: _s, ...rest } = raw;
  const s = parseScenario(rest);
  const years = s.reforms.map((r) => r.year).sort((a, b) => a - b);
  return { file, name: s.name, description: s.description, levers: leverValues(s), reformYear: years[0], settings: namedSettings(rest) };
}

/** The shipped scenarios (scenarios/*.json, not the schema) as presets of lever values. */
export function presets(dir = path.join(PROJECT_ROOT, 'scenarios')): Preset[] {
  if (!existsSync(dir)) return [];
  const out: Preset[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort()) {
    try {
      out.push(scenarioPreset(readJsonFile(path.join(dir, f)) as Record<string, unknown>, f));
    } catch {
      /* not a scenario file (or one of another version): not a preset */
    }
  }
  // The baseline first: it is what the page starts from.
  return out.sort((a, b) => (a.name === 'baseline' ? -1 : b.name === 'baseline' ? 1 : 0));
}

export interface RunRequest {
  levers?: Record<string, unknown>;
  settings?: Partial<Record<keyof Settings, unknown>>;
}

export interface RunPair {
  policy: Scenario;
  baseline: Scenario;
  settings: Settings;
  /** The policy scenario as JSON (before defaults): what `scenarioFile` writes. */
  policyRaw: Record<string, unknown>;
}

/**
 * The baseline and the policy scenario of a run: the baseline with the
 * page's settings, and the same with the levers as a reform from
 * `reformYear`. Bad input is an InputError naming the field, the value and
 * what is allowed (the same messages as the CLI's).
 */
export function runScenarios(req: RunRequest, posteriorPaths: string[] = []): RunPair {
  if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new InputError([{ path: '', value: req, allowed: 'a JSON object with levers and settings', code: 'request' }]);
  const problems: InputProblem[] = [];
  for (const k of Object.keys(req)) if (k !== 'levers' && k !== 'settings') problems.push({ path: k, value: (req as Record<string, unknown>)[k], allowed: 'levers or settings (the two fields of a run request)', code: 'unknownField' });
  const st = (req.settings ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(st)) if (!(k in SETTINGS)) problems.push({ path: `settings.${k}`, value: st[k], allowed: `one of the settings ${Object.keys(SETTINGS).join(', ')}`, code: 'unknownSetting' });
  const settings = {} as Settings;
  for (const [k, r] of Object.entries(SETTINGS) as [keyof Settings, (typeof SETTINGS)[keyof Settings]][]) {
    if ((k === 'reformYear' || k === 'startYear') && !(k in st)) continue; // their defaults: the baseline's start, and one from it and the years (below)
    // A setting sent empty (null) is an error, as an empty lever is; only one left out takes its default.
    const v = k in st ? st[k] : r.default;
    const integer = r.step === 1;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < r.min || v > r.max || (integer && !Number.isInteger(v))) {
      problems.push({ path: `settings.${k}`, value: v, allowed: `${integer ? 'an integer' : 'a number'} from ${r.min} to ${r.max}`, code: 'range', params: { min: r.min, max: r.max, integer } });
    } else settings[k] = v;
  }
  const levers = (req.levers ?? {}) as Record<string, unknown>;
  const known = new Set(LEVERS.map((l) => l.path));
  for (const k of Object.keys(levers)) if (!known.has(k)) problems.push({ path: k, value: levers[k], allowed: 'a lever of the page (MODEL.md §6); check the policy package', code: 'unknownLever' });
  if (problems.length) throw new InputError(problems);

  const base = baselineRaw();
  settings.startYear ??= parseScenario({ ...base, reforms: [] }).startYear;
  settings.reformYear ??= defaultReformYear(settings.startYear, settings.years);
  const raw = { ...base, name: 'workshop-baseline', world: { ...(base.world as object), scale: settings.scale }, startYear: settings.startYear, years: settings.years, burnIn: settings.burnIn, replicates: settings.replicates, seed: settings.seed, reforms: [], outputs: { ...((base.outputs as object) ?? {}), events: false } };
  let baseline: Scenario;
  try {
    baseline = parseScenario(raw);
  } catch (e) {
    throw e instanceof InputError ? new InputError(e.problems, 'scenarios/baseline.json with the page’s settings') : e;
  }
  const last = baseline.startYear + baseline.years - 1;
  if (settings.reformYear < baseline.startYear || settings.reformYear > last) {
    throw new InputError([{ path: 'settings.reformYear', value: settings.reformYear, allowed: `a reported year, from ${baseline.startYear} to ${last}`, code: 'range', params: { min: baseline.startYear, max: last, integer: true } }]);
  }
  const reform: { year: number; description: string; policy: Record<string, any>; behavior: Record<string, any> } = { year: settings.reformYear, description: 'the workshop’s policy', policy: {}, behavior: {} };
  // Over a posterior, a lever the posterior sets keeps each particle's value unless the page changes it.
  const fitted = settings.posterior ? new Set(posteriorPaths) : new Set<string>();
  const before = fitted.size ? leverValues(baseline) : {};
  for (const [k, v] of Object.entries(levers)) {
    if (fitted.has(k) && JSON.stringify(v) === JSON.stringify(before[k])) continue;
    const [root, ...rest] = k.split('.');
    set(root === 'behavior' ? reform.behavior : reform.policy, rest.join('.'), v);
  }
  let policy: Scenario;
  const policyRaw = { ...raw, name: 'workshop-policy', reforms: [reform] };
  try {
    policy = parseScenario(policyRaw);
  } catch (e) {
    if (e instanceof InputError) {
      // Report the lever's path (policy.maxTenure), not the reform's (reforms[0].policy.maxTenure).
      throw new InputError(e.problems.map((p) => ({ ...p, path: p.path.replace(/^reforms\[0\]\./, '') })), 'the policy');
    }
    throw e;
  }
  return { policy, baseline, settings, policyRaw };
}

/**
 * The policy of a run as a scenario file that `cadreflow run` accepts: the baseline with the
 * page's settings and the levers as a reform from the reform year. `cadreflow run` on it gives the
 * policy arm's numbers (the same scenario and replicate seeds); over a posterior add
 * `--posterior` (the description says so).
 */
export function scenarioFile(req: RunRequest, posteriorPaths: string[] = [], posteriorFile?: string): Record<string, unknown> {
  const { policyRaw, settings } = runScenarios(req, posteriorPaths);
  const over = settings.posterior && posteriorFile ? ` Run over the posterior: cadreflow run FILE --posterior ${posteriorFile}.` : '';
  const { outputs: _o, ...rest } = policyRaw as Record<string, unknown>;
  return {
    ...rest,
    description: `A policy from the workshop page: scenarios/baseline.json with the levers changed from ${settings.reformYear}.${over}`,
    outputs: policyRaw.outputs,
  };
}
