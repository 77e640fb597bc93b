/**
 * Loading a scenario: read the file, parse JSON, apply `--set path=value`
 * overrides, validate with the schema and build-check the world. Every failure
 * is an InputError naming the file, the field path, the value and what is
 * allowed (docs/DESIGN.md: exit code 2).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ScenarioSchema, type Policy, type Scenario } from './schema.js';
import { rulesAt } from '../model/policy-at.js';
import { InputError, inputError, type InputProblem } from './errors.js';

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'this is a directory, not a file' : `the file cannot be read (${code})`;
    throw new InputError([{ path: '', value: file, allowed: `${why}; give the path of a JSON file` }], file);
  }
  try {
    // A byte-order mark, as some Windows editors write, is not part of the JSON.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new InputError([{ path: '', value: undefined, allowed: `valid JSON is required (${(e as Error).message})` }], file);
  }
}

/** The name of a JSON type as a user reads it (zod's "record" is a JSON object). */
const typeName = (t: string) => (t === 'record' ? 'object' : t === 'array' ? 'array (a list)' : t);

function describeAllowed(issue: z.core.$ZodIssue, missing: boolean): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling (scenarios/schema.json lists the fields)`;
    case 'invalid_type':
      return `${missing ? 'a required field; ' : ''}expected ${typeName(issue.expected)}`;
    case 'invalid_union': {
      // Which kinds of value the union takes, from the first issue of each of its branches.
      const kinds = [...new Set(issue.errors.map((branch) => (branch[0]?.code === 'invalid_type' && branch[0].path.length === 0 ? typeName(branch[0].expected) : '')))];
      const known = kinds.length > 0 && kinds.every(Boolean);
      const m = /^Invalid discriminator value\. Expected (.*)$/.exec(issue.message);
      if (m) return `one of ${m[1]!.split(' | ').map((v) => `"${v.replace(/^'|'$/g, '')}"`).join(', ')}`;
      // A union with an error text of its own says what it takes; otherwise name the kinds of value.
      const own = issue.message !== 'Invalid input';
      return `${missing ? 'a required field; ' : ''}${own || !known ? issue.message : `expected ${kinds.join(' or ')}`}`;
    }
    case 'too_small':
      return `must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function pathString(path: PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s;
}

/** Turns zod issues into input problems with the offending values. */
export function zodProblems(err: z.ZodError, raw: unknown, prefix: PropertyKey[] = []): InputProblem[] {
  return err.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const obj = valueAt(raw, issue.path);
      const k = issue.keys[0]!;
      return { path: pathString([...path, k]), value: (obj as Record<string, unknown>)?.[k], allowed: describeAllowed(issue, false) };
    }
    const value = valueAt(raw, issue.path);
    return { path: pathString(path), value, allowed: describeAllowed(issue, value === undefined), ...issueCode(issue, value === undefined) };
  });
}

/** The problem as a code and its numbers, for the workshop page to word in its language (InputProblem.code). */
function issueCode(issue: z.core.$ZodIssue, missing: boolean): { code: string; params?: Record<string, unknown> } {
  switch (issue.code) {
    case 'invalid_type':
      return missing ? { code: 'missing' } : { code: 'type', params: { expected: issue.expected } };
    case 'too_small':
      return { code: issue.origin === 'array' ? 'minItems' : issue.inclusive === false ? 'above' : 'min', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { code: issue.origin === 'array' ? 'maxItems' : issue.inclusive === false ? 'below' : 'max', params: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { code: 'enum', params: { values: issue.values } };
    default:
      return { code: 'other' };
  }
}

/** Parses a `--set` value: JSON where it parses (numbers, booleans, arrays), else the plain string. */
export function parseSetValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Applies `path=value` overrides to a raw scenario object (copied). Paths are dotted; `[i]` or `.i` index arrays. */
export function applySets(raw: unknown, sets: string[]): unknown {
  const out = structuredClone(raw ?? {}) as Record<string, unknown>;
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw inputError('--set', set, 'the form path=value, e.g. policy.maxTenure=8');
    const path = set.slice(0, eq).replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
    const value = parseSetValue(set.slice(eq + 1));
    let obj: Record<string, unknown> = out;
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i]!;
      if (obj[k] === undefined) obj[k] = /^\d+$/.test(path[i + 1]!) ? [] : {};
      if (typeof obj[k] !== 'object' || obj[k] === null) throw inputError(`--set ${path.slice(0, i + 1).join('.')}`, obj[k], 'an object to set a field in');
      obj = obj[k] as Record<string, unknown>;
    }
    obj[path[path.length - 1]!] = value;
  }
  return out;
}

/**
 * A sweep, calibration or sensitivity file that is a scenario file given by
 * mistake: says so, instead of listing every scenario field as unknown.
 */
export function rejectScenarioFile(raw: unknown, file: string, kind: string): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || 'base' in raw) return;
  if (!['world', 'policy', 'behavior', 'startYear', 'years', 'burnIn'].some((k) => k in raw)) return;
  throw new InputError([{ path: '', value: file, allowed: `a ${kind} file (the README describes its fields); this is a scenario file, which a ${kind} file names as its base` }], file);
}

/**
 * Levers whose combination must keep an order (MODEL.md §6): `low` at most
 * `high`, in the scenario's policy and in the policy in force from each
 * reform year. Other combinations of levers are odd but mean something (a
 * key-post limit longer than the general one binds only at rank 0; women
 * leaders may retire before other women), so they are left to the user.
 */
export const LEVER_ORDER: { low: keyof Policy; high: keyof Policy; why: string }[] = [
  { low: 'minTenure', high: 'maxTenure', why: 'a non-mandatory move needs minTenure years in post, and a move is mandatory after maxTenure years, so no cadre could ever ask to move' },
  { low: 'minTenure', high: 'keyMaxTenure', why: 'a non-mandatory move needs minTenure years in post, and a key-post holder must move after keyMaxTenure years, so no key-post holder could ever ask to move' },
];

/** The first break of LEVER_ORDER in the scenario's policy or in the policy in force from a reform year, as an input problem. */
function leverOrderProblem(s: Scenario): InputProblem | undefined {
  for (const { low, high, why } of LEVER_ORDER) {
    const p = s.policy;
    if ((p[low] as number) > (p[high] as number)) {
      return { path: `policy.${low}`, value: p[low], allowed: `at most policy.${high} (${p[high]}): ${why}` };
    }
    // Reforms in year order (as rulesAt applies them); a year's policy is checked where a reform of it changes either lever.
    const order = s.reforms.map((r, i) => ({ r, i })).sort((a, b) => a.r.year - b.r.year);
    const sets = (r: Scenario['reforms'][number], k: keyof Policy) => (r.policy as Record<string, unknown>)[k] !== undefined;
    for (const { r } of order) {
      if (!sets(r, low) && !sets(r, high)) continue;
      const q = rulesAt(s, r.year).policy;
      if ((q[low] as number) <= (q[high] as number)) continue;
      // Blame the last reform of that year that changes either lever: its low against the high in force, or its high against the low in force.
      const last = order.filter((o) => o.r.year === r.year && (sets(o.r, low) || sets(o.r, high))).pop()!;
      return sets(last.r, low)
        ? { path: `reforms[${last.i}].policy.${low}`, value: q[low], allowed: `at most the ${high} in force from ${r.year} (${q[high]}): ${why}` }
        : { path: `reforms[${last.i}].policy.${high}`, value: q[high], allowed: `at least the ${low} in force from ${r.year} (${q[low]}): ${why}` };
    }
  }
  return undefined;
}

/** Validates a raw scenario object; throws InputError (without a file name) on problems. */
export function parseScenario(raw: unknown): Scenario {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw inputError('', raw, 'a JSON object with scenario fields');
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) throw new InputError(zodProblems(r.error, raw));
  const s = r.data;
  const last = s.startYear + s.years - 1;
  s.reforms.forEach((ref, i) => {
    if (ref.year < s.startYear) throw inputError(`reforms[${i}].year`, ref.year, `a year from startYear (${s.startYear}) on`);
    // A reform after the horizon would never take effect, and the run would silently be the baseline.
    if (ref.year > last) throw inputError(`reforms[${i}].year`, ref.year, `a reported year, ${s.startYear === last ? last : `${s.startYear}–${last}`} (a later reform never takes effect: raise years or move the reform)`);
  });
  const order = leverOrderProblem(s);
  if (order) throw new InputError([order]);
  return s;
}

/**
 * Validates a raw scenario, then applies the overrides to the resolved
 * scenario (so that `--set world.posts.county[0]=30` changes one element of a
 * default) and validates again.
 */
export function resolveScenario(raw: unknown, sets: string[] = []): Scenario {
  const s = parseScenario(raw);
  if (sets.length === 0) return s;
  return parseScenario(applySets(s, sets));
}

export function loadScenario(file: string, sets: string[] = []): Scenario {
  const raw = readJsonFile(file);
  try {
    return resolveScenario(raw, sets);
  } catch (e) {
    if (e instanceof InputError) throw e.withFile(sets.length ? `${file} (with --set)` : file);
    throw e;
  }
}
