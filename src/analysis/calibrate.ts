/**
 * Running a calibration (`cadreflow calibrate`): loads and checks the
 * calibration file, searches the parameter box (calibrate-optimizer.ts) with
 * each evaluation's replicates run in parallel on common random numbers
 * (replicate k of every evaluation runs with seed runSeed(base seed, 0, k)),
 * appends each evaluation to DIR/history.csv as soon as it is done, and at the
 * end checks the best point on fresh seeds (runSeed(base seed, 1, k)) and
 * writes best.json, fit.csv (and fit-start.csv for the uncalibrated start),
 * the calibrated scenario and manifest.json.
 *
 * Resuming: the search is deterministic given its evaluations, so a re-run
 * with --resume replays it, taking each evaluation from history.csv (checked
 * point by point) until the history runs out, and goes on from there.
 *
 * A calibration whose method is abc-smc runs in calibrate-abc.ts instead.
 * Either way an existing calibrated.file (a tracked scenario, say) is
 * replaced only by a fresh start with --force, never by --resume.
 */
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { makeDir, resumableDir } from '../experiment/results-dir.js';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { applySets, parseScenario, readJsonFile, rejectScenarioFile, resolveScenario, zodProblems } from '../scenario/load.js';
import { InputError, inputError } from '../scenario/errors.js';
import type { Scenario } from '../scenario/schema.js';
import { valueAt } from '../experiment/design.js';
import { csvRow, formatNumber } from '../experiment/csv.js';
import { baseManifest, programVersion } from '../experiment/manifest.js';
import { RunPool } from '../experiment/pool.js';
import type { PackedResult } from '../experiment/run-one.js';
import { summarizeMetric } from '../experiment/stats.js';
import { runSeed } from '../random/hash.js';
import { Stream } from '../random/stream.js';
import { CalibrationSchema, type Calibration, type NelderMead } from './calibrate-schema.js';
import { finiteMean, objective, resolveTargets, runValue, targetDistance, within, type ResolvedTarget } from './calibrate-objective.js';
import { search } from './calibrate-optimizer.js';
import { runAbcCalibration } from './calibrate-abc.js';
import { checkParameters, loadBase, setString } from './sensitivity-plan.js';

type Range = { min: number; max: number; integer: boolean };

export interface CalibrationPlan {
  file: string;
  cal: Calibration;
  baseRaw: unknown;
  sets: string[];
  /** The --set options of the command line (part of `sets`), named in the calibrated scenario's description. */
  cliSets: string[];
  base: Scenario;
  paths: string[];
  ranges: Range[];
  targets: ResolvedTarget[];
  /** Identifies the calibration's content and the program version (resume refuses another). */
  hash: string;
}

export interface CalibrationOverrides {
  budget?: number;
  replicates?: number;
  set?: string[];
}

export function loadCalibration(file: string, o: CalibrationOverrides = {}): CalibrationPlan {
  const raw = readJsonFile(file);
  rejectScenarioFile(raw, file, 'calibration');
  const r = CalibrationSchema.safeParse(raw);
  if (!r.success) throw new InputError(zodProblems(r.error, raw), file);
  const cal = r.data;
  if (o.budget !== undefined) {
    if (cal.method.type !== 'nelder-mead') throw inputError('--budget', o.budget, `only for a nelder-mead calibration; this one is ${cal.method.type}, whose length is method.generations (raise it in the file to go on with --resume)`);
    cal.method.budget = o.budget;
  }
  if (o.replicates !== undefined) cal.replicates = o.replicates;
  const { baseRaw, sets, scenario: base } = loadBase(file, cal.base, cal.set, o.set ?? []);
  checkParameters(file, baseRaw, sets, cal.parameters);
  const targets = resolveTargets(file, cal.targets, base);
  const paths = Object.keys(cal.parameters);
  const ranges = paths.map((p) => cal.parameters[p]!);
  // Left out: nelder-mead's budget (a resumed calibration may be given more evaluations; the replay checks every
  // point anyway) and its type (so that the hash is the one of files written before there were two methods);
  // abc-smc's generations and minAcceptance (the stopping rule: the generations run so far stay the same).
  const method = cal.method.type === 'nelder-mead'
    ? { ...cal.method, type: undefined, budget: undefined }
    : { ...cal.method, generations: undefined, minAcceptance: undefined };
  // Observed figures read from files are part of what is fitted: a changed file is another calibration (absent otherwise, so that earlier hashes stand).
  const observedFromFiles = targets.some((t) => t.observedFile !== undefined) ? { observed: targets.map((t) => t.observed) } : {};
  const hash = createHash('sha256').update(JSON.stringify({ version: programVersion(), cal: { ...cal, method }, base, sets, ...observedFromFiles })).digest('hex').slice(0, 20);
  return { file, cal, baseRaw, sets, cliSets: o.set ?? [], base, paths, ranges, targets, hash };
}

/** Parameter values of a unit-cube point. */
export function pointValues(plan: CalibrationPlan, u: number[]): number[] {
  return plan.ranges.map((r, i) => valueAt(r, u[i]!) as number);
}

export function scenarioAt(plan: CalibrationPlan, values: number[], extra: string[] = []): Scenario {
  return resolveScenario(plan.baseRaw, [...plan.sets, ...plan.paths.map((p, i) => setString(p, values[i])), ...extra]);
}

/** The base scenario's own value of each parameter, as a unit-cube point (clamped into the range). */
function startPoint(plan: CalibrationPlan): number[] {
  return plan.paths.map((p, i) => {
    let v: unknown = plan.base;
    for (const k of p.replace(/\[(\d+)\]/g, '.$1').split('.')) v = (v as Record<string, unknown>)?.[k];
    const r = plan.ranges[i]!;
    const x = typeof v === 'number' ? v : (r.min + r.max) / 2;
    // Inverse of valueAt: the middle of the value's cell for integers.
    const u = r.integer ? (x - r.min + 0.5) / (r.max - r.min + 1) : (x - r.min) / (r.max - r.min);
    return Math.min(1, Math.max(0, u));
  });
}

export interface CalibrationOptions {
  out: string;
  threads: number;
  resume: boolean;
  force: boolean;
  stop?: { requested: boolean };
  onEvaluation?: (done: number, budget: number, f: number, best: number) => void;
  /** abc-smc: a generation starts (runs: its particles × replicates still to run) and each run ends. */
  onGeneration?: (generation: number, runs: number) => void;
  onRun?: () => void;
  /** Something the user should know that is not an error (a budget already spent, a file left as it is). */
  onNote?: (text: string) => void;
  /** abc-smc: instead of running a generation here, write it as a Slurm array job (calibrate-slurm.ts). */
  slurm?: import('./calibrate-slurm.js').CalibrationSlurm;
}

export interface FitRow {
  target: ResolvedTarget;
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
  within: boolean | undefined;
  distance: number;
}

export interface CalibrationOutcome {
  interrupted: boolean;
  evaluations: number;
  resumedFrom: number;
  best?: { values: number[]; unit: number[]; f: number; evaluation: number };
  /** nelder-mead: why the search ended (its budget spent, or its step below minStep). */
  ended?: 'budget' | 'converged';
  fit?: FitRow[];
  startFit?: FitRow[];
  scenarioFiles?: string[];
  /** calibrated.file when it exists and --resume left it as it was. */
  keptFile?: string;
  /** abc-smc. */
  abc?: import('./calibrate-abc.js').AbcOutcome;
}

class Interrupted extends Error {}

export const round = (x: number) => (Number.isFinite(x) ? Number(formatNumber(x)) : NaN);

interface HistoryRow {
  unit: string[];
  means: number[];
}

function historyHeader(plan: CalibrationPlan): string {
  return csvRow(['evaluation', 'phase', 'objective', ...plan.paths, ...plan.paths.map((p) => `u:${p}`), ...plan.targets.map((t) => t.label)]);
}

function readHistory(file: string, plan: CalibrationPlan): HistoryRow[] {
  let text = readFileSync(file, 'utf8');
  // A line cut short by a crash is dropped (and removed from the file).
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) {
    truncateSync(file, Buffer.byteLength(text.slice(0, end)));
    text = text.slice(0, end);
  }
  const lines = text.split('\n').filter(Boolean);
  if (lines[0] + '\n' !== historyHeader(plan)) throw inputError('--resume', file, 'history.csv of this same calibration (its columns differ); use --force to start again');
  const d = plan.paths.length;
  return lines.slice(1).map((l) => {
    const c = l.split(',');
    return { unit: c.slice(3 + d, 3 + 2 * d), means: c.slice(3 + 2 * d).map((v) => (v === '' ? NaN : Number(v))) };
  });
}

export function fitRows(plan: CalibrationPlan, results: PackedResult[]): FitRow[] {
  return plan.targets.map((t) => {
    const vals = results.map((r) => runValue(t, r));
    const s = summarizeMetric(t.metric, vals);
    return { target: t, mean: s.mean, ciLow: s.ciLow, ciHigh: s.ciHigh, n: s.n, within: within(t, s.mean), distance: targetDistance(t, s.mean) };
  });
}

export const FIT_HEADER = ['target', 'metric', 'window', 'observed', 'simulated_mean', 'ci_low', 'ci_high', 'tolerance', 'within', 'relation', 'weight', 'n', 'distance'];

export function fitCsv(rows: FitRow[]): string {
  let s = csvRow(FIT_HEADER);
  for (const r of rows) {
    const t = r.target;
    s += csvRow([t.label, t.metric, t.windowText, t.observed, r.mean, r.ciLow, r.ciHigh, t.tolerance ?? '', r.within === undefined ? '' : r.within, t.relation, t.weight, r.n, r.distance]);
  }
  return s;
}

/** The calibrated scenario as written: the base as written, with set and the best values applied. */
export function calibratedScenario(plan: CalibrationPlan, values: number[], fittedAs = 'Fitted'): Record<string, unknown> {
  const raw = applySets(plan.baseRaw, [...plan.sets, ...plan.paths.map((p, i) => setString(p, values[i]))]) as Record<string, unknown>;
  const name = plan.cal.calibrated.name ?? `${plan.base.name}-calibrated`;
  const desc = plan.cal.calibrated.description ?? `${plan.base.name} with the parameters fitted by calibration "${plan.cal.name}".`;
  const fitted = plan.paths.map((p, i) => `${p}=${formatNumber(values[i]!)}`).join(', ');
  const out: Record<string, unknown> = {};
  if (raw.$schema) out.$schema = raw.$schema;
  const cli = plan.cliSets.length ? ` Command-line overrides: ${plan.cliSets.join(', ')}.` : '';
  Object.assign(out, { name, description: `${desc}${cli} ${fittedAs}: ${fitted}.` });
  for (const [k, v] of Object.entries(raw)) if (!(k in out)) out[k] = v;
  parseScenario(out);
  return out;
}

export interface OutputFile {
  /** Absolute path. */
  path: string;
  /** False when the file exists and this is a --resume: it is left as it is. */
  write: boolean;
}

/**
 * Where a calibration also writes a file beside the calibration file
 * (`calibrated.file`, the calibrated scenario; `calibrated.posterior`), checked
 * before any run: its directory must exist, and an existing file is replaced
 * only by a fresh start with --force. With --resume an existing file is left
 * as it is (onNote says so): resuming never overwrites a file outside the
 * results directory, such as a scenario under version control.
 */
export function outputFile(plan: CalibrationPlan, o: CalibrationOptions, field: 'file' | 'posterior', inDir: string): OutputFile | undefined {
  const name = plan.cal.calibrated[field];
  if (!name) return undefined;
  const f = path.resolve(path.dirname(plan.file), name);
  const where = `${name} (${f})`;
  const key = `calibrated.${field}`;
  if (!existsSync(path.dirname(f)) || !statSync(path.dirname(f)).isDirectory()) throw inputError(key, where, 'a file in an existing directory').withFile(plan.file);
  if (existsSync(f) && statSync(f).isDirectory()) throw inputError(key, where, 'a file (this is a directory)').withFile(plan.file);
  if (existsSync(f) && !o.force && !o.resume) throw inputError(key, where, 'a file that does not exist yet; add --force to replace it with this calibration\'s result').withFile(plan.file);
  if (existsSync(f) && o.resume) {
    const shown = path.relative(process.cwd(), f) || f;
    o.onNote?.(`${key} ${shown} exists and --resume leaves it as it is (only a fresh start with --force replaces it); the result is in ${path.join(o.out, inDir)}, to copy over it if you want it: cp ${path.join(o.out, inDir)} ${shown}`);
    return { path: f, write: false };
  }
  return { path: f, write: true };
}

export async function runCalibration(plan: CalibrationPlan, o: CalibrationOptions): Promise<CalibrationOutcome> {
  if (plan.cal.method.type === 'abc-smc') return runAbcCalibration(plan, o);
  if (o.slurm) throw inputError('--slurm', 'given', `a calibration with method.type "abc-smc" (one array job per generation); ${plan.file} is a nelder-mead search, which runs here`);
  const method: NelderMead = plan.cal.method;
  const out = resumableDir(o.out, o, 'calibration');
  const dir = out.dir;
  const histFile = path.join(dir, 'history.csv');
  const manifestFile = path.join(dir, 'manifest.json');
  let history: HistoryRow[] = [];
  if (out.resuming) {
    if (!existsSync(manifestFile) || !existsSync(histFile)) throw inputError('--resume', o.out, 'a calibration results directory with manifest.json and history.csv; this directory has none (use --force to start again)');
    const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (m.calibrationHash !== plan.hash) throw inputError('--resume', o.out, 'the results of this same calibration file, options and program version; this directory holds another calibration (use another --out, or --force to start again)');
    history = readHistory(histFile, plan);
    const budget = method.budget;
    if (budget < history.length) throw inputError('--budget', budget, `at least the ${history.length} evaluations already in history.csv (a budget can be raised on --resume, not lowered)`);
    if (budget === history.length) o.onNote?.(`the budget of ${budget} evaluations is the ${history.length} already in history.csv: no new evaluations (raise --budget to go on with the search)`);
  }
  const scenarioFile = outputFile(plan, o, 'file', 'calibrated.json');
  const started = new Date().toISOString();
  const R = plan.cal.replicates;
  const seeds = Array.from({ length: R }, (_, k) => runSeed(plan.base.seed, 0, k));
  const V = plan.cal.validationReplicates;
  const validationSeeds = Array.from({ length: V }, (_, k) => runSeed(plan.base.seed, 1, k));
  const manifest = {
    ...baseManifest('calibrate'),
    file: path.resolve(plan.file),
    calibration: plan.cal,
    calibrationHash: plan.hash,
    parameters: plan.paths,
    targets: plan.targets.map((t) => t.label),
    replicates: R,
    seeds,
    validationReplicates: V,
    validationSeeds,
    commonRandomNumbers: 'replicate k of every evaluation runs with seed runSeed(base seed, 0, k); the final check uses runSeed(base seed, 1, k)',
    baseScenario: plan.base,
    threads: o.threads,
    started,
  };
  if (!out.resuming) {
    makeDir(dir, o.out);
    writeFileSync(histFile, historyHeader(plan));
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  }
  const resumedFrom = history.length;
  const pool = new RunPool(Math.max(1, o.threads));
  let count = 0;
  let bestF = Infinity;
  let bestAt = -1;
  let bestUnit: number[] = [];
  const d = plan.paths.length;

  const runPoint = (scenario: Scenario, seedList: number[], point: number) => Promise.all(seedList.map((seed, k) => pool.run({ scenario, seed, point, replicate: k })));

  const evaluate = async (xs: number[][], phase: string): Promise<number[]> => {
    const fs: number[] = new Array(xs.length);
    type Settled = { means: number[] } | { error: unknown };
    const pending: (Promise<Settled> | Settled)[] = xs.map((u, i) => {
      const e = count + i;
      if (e < history.length) {
        const h = history[e]!;
        const same = h.unit.length === d && u.every((ui, j) => formatNumber(ui) === h.unit[j]);
        if (!same) throw inputError('--resume', o.out, `a history.csv written by this same calibration; evaluation ${e} differs from it (use --force to start again)`);
        return { means: h.means };
      }
      if (o.stop?.requested) throw new Interrupted();
      const values = pointValues(plan, u);
      // Settled here so that a failed run in a later point of the batch is not an unhandled rejection.
      return runPoint(scenarioAt(plan, values), seeds, e).then(
        (rs): Settled => ({ means: plan.targets.map((t) => round(finiteMean(rs.map((r) => runValue(t, r))))) }),
        (error): Settled => ({ error }),
      );
    });
    // Write (and report) in evaluation order as each completes.
    for (let i = 0; i < xs.length; i++) {
      const settled = await pending[i]!;
      if ('error' in settled) {
        await Promise.all(pending);
        throw settled.error;
      }
      const means = settled.means;
      const f = round(objective(plan.targets, means));
      fs[i] = f;
      const e = count;
      count++;
      if (f < bestF) {
        bestF = f;
        bestAt = e;
        bestUnit = xs[i]!;
      }
      if (e >= history.length) {
        appendFileSync(histFile, csvRow([e, phase, f, ...pointValues(plan, xs[i]!), ...xs[i]!, ...means]));
      }
      o.onEvaluation?.(count, method.budget, f, bestF);
    }
    return fs;
  };

  let ended: CalibrationOutcome['ended'];
  try {
    ({ ended } = await search(evaluate, {
      d,
      budget: method.budget,
      screening: method.screening ?? 2 * d + 2,
      start: method.start ? startPoint(plan) : undefined,
      initialStep: method.initialStep,
      minStep: method.minStep,
      rng: new Stream(method.seed ?? plan.base.seed, 'calibrate.lhs', 0),
    }));
  } catch (e) {
    if (e instanceof Interrupted) {
      await pool.close();
      return { interrupted: true, evaluations: count, resumedFrom };
    }
    await pool.close();
    throw e;
  }

  try {
    // Final check of the best point (and of the start) on fresh seeds.
    const bestValues = pointValues(plan, bestUnit);
    const fit = fitRows(plan, await runPoint(scenarioAt(plan, bestValues), validationSeeds, -1));
    let startFit: FitRow[] | undefined;
    if (method.start) startFit = fitRows(plan, await runPoint(scenarioAt(plan, pointValues(plan, startPoint(plan))), validationSeeds, -2));
    writeFileSync(path.join(dir, 'fit.csv'), fitCsv(fit));
    if (startFit) writeFileSync(path.join(dir, 'fit-start.csv'), fitCsv(startFit));
    const best = {
      calibration: plan.cal.name,
      parameters: Object.fromEntries(plan.paths.map((p, i) => [p, bestValues[i]])),
      unit: Object.fromEntries(plan.paths.map((p, i) => [p, bestUnit[i]])),
      objective: bestF,
      objectiveOnFreshSeeds: objective(plan.targets, fit.map((r) => r.mean)),
      evaluation: bestAt,
      evaluations: count,
      replicates: R,
      validationReplicates: V,
      targetsWithin: fit.filter((r) => r.within === true).length,
      targetsWithTolerance: fit.filter((r) => r.within !== undefined).length,
    };
    writeFileSync(path.join(dir, 'best.json'), JSON.stringify(best, null, 2) + '\n');
    const scenario = calibratedScenario(plan, bestValues);
    const text = JSON.stringify(scenario, null, 2) + '\n';
    const scenarioFiles = [path.join(dir, 'calibrated.json')];
    writeFileSync(scenarioFiles[0]!, text);
    if (scenarioFile?.write) {
      writeFileSync(scenarioFile.path, text);
      scenarioFiles.push(scenarioFile.path);
    }
    writeFileSync(manifestFile, JSON.stringify({
      ...manifest,
      started: JSON.parse(readFileSync(manifestFile, 'utf8')).started ?? started,
      resumedFrom,
      finished: new Date().toISOString(),
      evaluations: count,
      best,
      files: ['history.csv', 'best.json', 'fit.csv', ...(startFit ? ['fit-start.csv'] : []), 'calibrated.json', 'manifest.json'],
      calibratedScenarioFiles: scenarioFiles,
    }, null, 2) + '\n');
    out.commit();
    return { interrupted: false, evaluations: count, resumedFrom, best: { values: bestValues, unit: bestUnit, f: bestF, evaluation: bestAt }, ended, fit, startFit, scenarioFiles, keptFile: scenarioFile && !scenarioFile.write ? scenarioFile.path : undefined };
  } finally {
    await pool.close();
  }
}
