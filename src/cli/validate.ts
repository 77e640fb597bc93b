/**
 * `cadreflow validate`: checks scenario, sweep, calibration and sensitivity
 * files (and the worlds they build) without running them, with the checks and
 * messages of the commands that run them (exit code 2: file, field path,
 * value and what is allowed).
 */
import path from 'node:path';
import { loadScenario, readJsonFile } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { InputError } from '../scenario/errors.js';
import { loadSweep } from '../experiment/sweep-plan.js';
import { loadCalibration } from '../analysis/calibrate.js';
import { loadSensitivity } from '../analysis/sensitivity-plan.js';
import { loadOptimize } from '../analysis/optimize-plan.js';
import { scenarioJsonSchema } from '../scenario/schema.js';

export type FileKind = 'scenario' | 'sweep' | 'calibration' | 'sensitivity' | 'optimization' | 'json-schema';

/**
 * What a file is, from its fields: a sweep has `design`, a calibration
 * `targets`, a sensitivity analysis `outputs` (a list of metrics); a scenario
 * has none of them and no `base`; scenarios/schema.json (a JSON Schema) must
 * be the one this program generates. A file with `base` or `parameters` but none
 * of the distinguishing fields is taken by its folder (scenarios/sweeps,
 * scenarios/calibration, scenarios/sensitivity), so that its missing field is
 * reported; elsewhere it is ambiguous.
 */
export function fileKind(file: string, raw: unknown): FileKind {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'scenario'; // the scenario loader says what is wrong
  const o = raw as Record<string, unknown>;
  const has = (k: string) => k in o;
  if (typeof o.$schema === 'string' && /^https?:\/\/json-schema\.org\//.test(o.$schema)) return 'json-schema';
  if (has('design')) return 'sweep';
  if (has('targets') || has('validationReplicates') || has('calibrated')) return 'calibration';
  if (Array.isArray(o.outputs) || has('lastYears') || has('morris') || has('sobol')) return 'sensitivity';
  if (has('objectives') || has('levers')) return 'optimization';
  if (!has('base') && !has('parameters')) return 'scenario';
  const folder = path.basename(path.dirname(path.resolve(file)));
  if (folder === 'calibration') return 'calibration';
  if (folder === 'sensitivity') return 'sensitivity';
  if (folder === 'sweeps') return 'sweep';
  if (folder === 'optimize') return 'optimization';
  throw new InputError(
    [{ path: '', value: Object.keys(o), allowed: 'a scenario, or an experiment on a base scenario: a sweep (with design), a calibration (with targets) or a sensitivity analysis (with outputs)' }],
    file,
  );
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function validateOne(f: string): string {
  const raw = readJsonFile(f);
  const kind = fileKind(f, raw);
  if (kind === 'json-schema') {
    if (JSON.stringify(raw) !== JSON.stringify(scenarioJsonSchema())) {
      throw new InputError([{ path: '', value: (raw as Record<string, unknown>).$schema, allowed: 'the JSON Schema of scenario files as this program version writes it (regenerate it with: cadreflow schema > FILE)' }], f);
    }
    return 'the JSON Schema of scenario files, up to date';
  }
  if (kind === 'sweep') {
    const plan = loadSweep(f);
    return `sweep "${plan.sweep.name}", ${plural(plan.points.length, 'point')} × ${plural(plan.replicates, 'replicate')}`;
  }
  if (kind === 'calibration') {
    const plan = loadCalibration(f);
    const c = plan.cal;
    return `calibration "${c.name}" of "${plan.base.name}", ${plural(plan.paths.length, 'parameter')}, ${plural(plan.targets.length, 'target')}, ${c.method.type === 'abc-smc' ? `ABC-SMC: ${plural(c.method.particles, 'particle')}, at most ${plural(c.method.generations, 'generation')}` : plural(c.method.budget, 'evaluation')} × ${plural(c.replicates, 'replicate')}`;
  }
  if (kind === 'sensitivity') {
    const plan = loadSensitivity(f);
    return `sensitivity analysis "${plan.sa.name}" of "${plan.base.name}", ${plural(plan.paths.length, 'parameter')}, ${plural(plan.sa.outputs.length, 'output')}, ${plan.method}: ${plural(plan.unit.length, 'point')} × ${plural(plan.sa.replicates, 'replicate')}`;
  }
  if (kind === 'optimization') {
    const plan = loadOptimize(f);
    return `optimization "${plan.opt.name}" of "${plan.base.name}", ${plural(plan.levers.length, 'lever')}, ${plural(plan.objectives.length, 'objective')}, ${plural(plan.constraints.length, 'constraint')}: NSGA-II, ${plural(plan.opt.budget, 'candidate')} × ${plural(plan.opt.replicates, 'replicate')}`;
  }
  const s = loadScenario(f);
  let w;
  try {
    w = buildWorld(s.world);
  } catch (e) {
    throw e instanceof InputError ? e.withFile(f) : e;
  }
  return `scenario "${s.name}", ${w.nRegions} regions, ${w.nPosts} posts, ${s.years} years after ${s.burnIn} of burn-in`;
}

export function validateFiles(files: string[]): void {
  const errors: InputError[] = [];
  for (const f of files) {
    try {
      process.stdout.write(`ok ${f}: ${validateOne(f)}\n`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e.file ? e : e.withFile(f));
    }
  }
  if (errors.length) throw new InputError(errors.flatMap((e) => e.problems.map((p) => ({ ...p, file: p.file ?? e.file }))));
}
