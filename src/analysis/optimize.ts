/**
 * `cadreflow optimize`: a multi-objective search of the levers by NSGA-II
 * (nsga2.ts; Deb, Pratap, Agarwal & Meyarivan 2002) with Deb's
 * constraint-domination, on common random numbers.
 *
 * Generation t's new candidates run as a list sweep (experiment/sweep-run.ts)
 * in DIR/generations/generation-t/: on all threads, checkpointed,
 * byte-identical whatever the thread count, resumed after any interruption.
 * Every candidate of every generation runs on the same replicate seeds —
 * replicate k on runSeed(base seed, 0, k), the seeds `cadreflow run` gives the
 * base scenario (point p's scenario seed is crnPointSeed(base seed, p),
 * sensitivity-seeds.ts) — so two candidates differ by their levers, not by
 * their luck, and a front point's scenario file reruns its evaluation.
 *
 * A candidate's value for an objective or a constraint is, per run, the mean
 * of the metric over its years (undefined years left out), then the mean over
 * the replicates with its 95% CI (report/ci.ts: Student's t, or the score
 * interval for shares). The search minimises the objectives (a `max` goal is
 * negated). A constraint's violation is its excess over `atMost` (shortfall
 * under `atLeast`) divided by |bound| (1 for a bound of 0), so that bounds in
 * different units add up; the total violation ranks infeasible candidates. A
 * candidate whose objective or constraint is undefined in every replicate is
 * infeasible with an infinite violation.
 *
 * Candidates whose levers equal those of an earlier candidate are not run
 * again: they take the earlier evaluation. The budget counts the candidates
 * run; the generation that reaches it is cut short there. The search stops at
 * the budget, or when ten generations in a row propose nothing new.
 *
 * The algorithm's state is a function of its seed and of the evaluations,
 * read back from the generations' timeseries.csv, so --resume replays the
 * finished generations from their files and continues: the files end
 * byte-identical to those of an uninterrupted run. evaluations.csv,
 * pareto.csv and generations.csv are rewritten whole (by rename) after each
 * generation; at the end the references run (DIR/references/), and
 * references.csv, front/*.json, report.html and manifest.json are written.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { inputError } from '../scenario/errors.js';
import { makeDir, resumableDir } from '../experiment/results-dir.js';
import { csvRow } from '../experiment/csv.js';
import { baseManifest, finishManifest } from '../experiment/manifest.js';
import { measureRuns } from '../experiment/run-values.js';
import { readProgress, runSweep } from '../experiment/sweep-run.js';
import type { SweepPlan } from '../experiment/sweep-plan.js';
import type { Point } from '../experiment/sweep-schema.js';
import { meanCI, type MeanCI } from '../report/ci.js';
import { runSeed } from '../random/hash.js';
import { crnPointSeed } from './sensitivity-seeds.js';
import { constrainedDominates, Nsga2, ranks } from './nsga2.js';
import { parseScenario } from '../scenario/load.js';
import { candidateRaw, candidateScenario, leverCell, leverValue, round10, type Measure, type OptimizePlan } from './optimize-plan.js';

export interface OptimizeOptions {
  out: string;
  threads: number;
  resume: boolean;
  force: boolean;
  stop?: { requested: boolean };
  /** A generation starts running: its number, new candidates and runs. */
  onGeneration?: (t: number, candidates: number, runs: number) => void;
  onRun?: () => void;
}

export interface Evaluated {
  /** 1, 2, … in the order the candidates were first proposed. */
  evaluation: number;
  generation: number;
  x: number[];
  objectives: MeanCI[];
  constraints: number[];
  violation: number;
  /** The objectives as the search minimises them. */
  f: number[];
}

export interface ReferenceResult {
  file: string;
  objectives: MeanCI[];
  constraints: number[];
  violation: number;
  f: number[];
  /** The evaluations of the front that constraint-dominate the reference. */
  dominatedBy: number[];
}

export type StopReason = 'budget' | 'exhausted';

export interface OptimizeOutcome {
  interrupted: boolean;
  evaluations: Evaluated[];
  /** Rank of each evaluation over all of them (1: non-dominated). */
  ranks: number[];
  /** The non-dominated feasible evaluations. */
  front: Evaluated[];
  references: ReferenceResult[];
  generations: number;
  resumedGenerations: number;
  stop?: StopReason;
  /** The front's scenario files (relative to DIR). */
  frontFiles: string[];
}

const IDLE_GENERATIONS = 10;

export const generationName = (t: number) => `generation-${t}`;

/** The columns of evaluations.csv (pareto.csv adds `scenario`). */
export function evaluationHeader(plan: OptimizePlan): string[] {
  return [
    'evaluation', 'generation',
    ...plan.levers.map((l) => l.path),
    ...plan.objectives.flatMap((m) => [m.name, `${m.name}_ci_low`, `${m.name}_ci_high`]),
    ...plan.constraints.map((m) => m.name),
    'violation', 'feasible', 'rank',
  ];
}

function evaluationCells(plan: OptimizePlan, e: Evaluated, rank: number): (string | number | boolean)[] {
  return [
    e.evaluation, e.generation,
    ...plan.levers.map((l, i) => leverCell(l, e.x[i]!)),
    ...e.objectives.flatMap((c) => [c.mean, c.low, c.high]),
    ...e.constraints,
    e.violation, e.violation === 0, rank,
  ];
}

/** Objectives with their CIs, constraint means, total violation and the minimised objectives, from per-run values. */
export function assess(plan: OptimizePlan, values: number[][]): Pick<Evaluated, 'objectives' | 'constraints' | 'violation' | 'f'> {
  const no = plan.objectives.length;
  const objectives = plan.objectives.map((m, j) => meanCI(values[j]!, m.unitRange));
  const constraints = plan.constraints.map((m, j) => meanCI(values[no + j]!, m.unitRange).mean);
  let violation = 0;
  if (objectives.some((c) => !Number.isFinite(c.mean))) violation = Infinity;
  plan.constraints.forEach((m, j) => {
    const v = constraints[j]!;
    if (!Number.isFinite(v)) {
      violation = Infinity;
      return;
    }
    if (m.atMost !== undefined && v > m.atMost) violation += (v - m.atMost) / (m.atMost === 0 ? 1 : Math.abs(m.atMost));
    if (m.atLeast !== undefined && v < m.atLeast) violation += (m.atLeast - v) / (m.atLeast === 0 ? 1 : Math.abs(m.atLeast));
  });
  const f = objectives.map((c, j) => (plan.objectives[j]!.goal === 'max' ? -c.mean : c.mean));
  return { objectives, constraints, violation, f };
}

/** Writes a file whole or not at all (a crash leaves the earlier version). */
function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** A list sweep of scenarios that share the replicate seeds runSeed(base seed, 0, k). */
function crnSweep(plan: OptimizePlan, name: string, description: string, points: Point[], scenarios: (p: number) => ReturnType<typeof candidateScenario>, identity: unknown): SweepPlan {
  const seeds = points.map((_, p) => crnPointSeed(plan.base.seed, p));
  const hash = createHash('sha256').update(JSON.stringify({ optimize: plan.hash, identity, points, seeds })).digest('hex').slice(0, 20);
  const paths: string[] = [];
  for (const pt of points) for (const k of Object.keys(pt)) if (!paths.includes(k)) paths.push(k);
  return {
    file: plan.file,
    sweep: { name, description, base: plan.base as unknown as Record<string, unknown>, replicates: plan.opt.replicates, set: {}, design: { type: 'list', points } },
    baseRaw: plan.base,
    points,
    paths,
    scenario: (p) => ({ ...scenarios(p), seed: seeds[p]! }),
    seeds,
    replicates: plan.opt.replicates,
    hash,
    overrides: plan.overrides,
  };
}

/** Runs (or, when its directory holds it complete, reads) one sweep of the search; undefined when interrupted. */
async function runOrRead(sweep: SweepPlan, dir: string, shown: string, o: OptimizeOptions, what: string, count: number, measures: Measure[]): Promise<number[][][] | undefined> {
  const prog = readProgress(dir);
  if (prog && prog.hash !== sweep.hash) throw inputError('--resume', shown, `an optimization whose ${what} is the one this optimization runs; ${path.relative(process.cwd(), dir)} holds other runs (use --force to start again)`);
  if (!prog?.complete) {
    // Stopped before its first checkpoint: nothing to keep.
    if (existsSync(dir) && !prog) rmSync(dir, { recursive: true, force: true });
    let before = 0;
    const res = await runSweep(sweep, {
      out: dir, threads: o.threads, resume: true, force: false, stop: o.stop,
      onProgress: (done) => {
        for (; before < done; before++) o.onRun?.();
      },
    });
    if (res.interrupted) return undefined;
  }
  return measureRuns(path.join(dir, 'timeseries.csv'), measures, count);
}

function generationsCsv(rows: (string | number)[][]): string {
  return csvRow(['generation', 'candidates', 'evaluated', 'evaluations', 'runs', 'feasible', 'front']) + rows.map((r) => csvRow(r)).join('');
}

/** Rank of every evaluation; the front: rank 1 and feasible. */
function frontOf(all: Evaluated[]): { r: number[]; front: Evaluated[] } {
  const r = ranks(all);
  return { r, front: all.filter((e, i) => r[i] === 1 && e.violation === 0) };
}

export function frontFileName(plan: OptimizePlan, e: Evaluated): string {
  return `front/${plan.opt.name}-${e.evaluation}.json`;
}

/** The scenario file of a front point: the base with the candidate's levers, its seed and replicates, fully resolved. */
export function frontScenario(plan: OptimizePlan, e: Evaluated): Record<string, unknown> {
  const levers = plan.levers.map((l, i) => `${l.path}=${JSON.stringify(leverValue(l, e.x[i]!))}`).join(', ');
  const when = plan.levers.some((l) => l.inReform) ? `; the levers on policy act from ${plan.reformYear}` : '';
  return parseScenario(candidateRaw(plan, e.x, {
    name: `${plan.opt.name}-${e.evaluation}`,
    description: `Evaluation ${e.evaluation} of the optimization "${plan.opt.name}", on its Pareto front: ${levers}${when}. Run with its replicates and seed, it reproduces the evaluation.`,
    reformDescription: `The levers of evaluation ${e.evaluation} of the optimization "${plan.opt.name}".`,
  })) as unknown as Record<string, unknown>;
}

export async function runOptimize(plan: OptimizePlan, o: OptimizeOptions): Promise<OptimizeOutcome> {
  const out = resumableDir(o.out, o, 'optimization');
  const dir = out.dir;
  const manifestFile = path.join(dir, 'manifest.json');
  const genRoot = path.join(dir, 'generations');
  if (out.resuming) {
    if (!existsSync(manifestFile)) throw inputError('--resume', o.out, 'an optimization results directory with manifest.json; this directory has none (use --force to start again)');
    const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (m.optimizeHash !== plan.hash) throw inputError('--resume', o.out, 'the results of this same optimization file, --set options and program version; this directory holds another optimization (use another --out, or --force to start again)');
  }
  const R = plan.opt.replicates;
  const started = new Date().toISOString();
  const manifest = {
    ...baseManifest('optimize'),
    file: path.resolve(plan.file),
    overrides: plan.overrides,
    optimization: plan.opt,
    optimizeHash: plan.hash,
    algorithm: 'NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002) with constraint-domination; SBX (η 20, probability 0.9) and polynomial mutation (η 20, probability 1/levers); integers rounded; choices by uniform crossover and uniform mutation',
    levers: plan.levers.map((l) => ({ path: l.path, ...l.spec, from: l.inReform ? plan.reformYear : 'throughout' })),
    reformYear: plan.reformYear ?? null,
    objectives: plan.objectives.map((m) => ({ name: m.name, metric: m.metric, goal: m.goal, years: m.windowText })),
    constraints: plan.constraints.map((m) => ({ name: m.name, metric: m.metric, atMost: m.atMost, atLeast: m.atLeast, years: m.windowText })),
    replicates: R,
    seed: plan.seed,
    commonRandomNumbers: 'replicate k of every candidate and reference runs with seed runSeed(base seed, 0, k), the seeds `cadreflow run` gives the base scenario',
    replicateSeeds: Array.from({ length: R }, (_, k) => runSeed(plan.base.seed, 0, k)),
    baseScenario: plan.base,
    threads: o.threads,
    complete: false,
    started,
  };
  if (!out.resuming) {
    makeDir(dir, o.out);
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  }
  makeDir(genRoot, o.out);

  const nsga = new Nsga2({ variables: plan.levers.map((l) => l.variable), population: plan.opt.population, seed: plan.seed });
  const all: Evaluated[] = [];
  const known = new Map<string, Evaluated>();
  const genRows: (string | number)[][] = [];
  let resumedGenerations = 0;
  let idle = 0;
  let stop: StopReason | undefined;
  const outcome = (extra: Partial<OptimizeOutcome>): OptimizeOutcome => {
    const { r, front } = frontOf(all);
    return { interrupted: false, evaluations: all, ranks: r, front, references: [], generations: nsga.generation, resumedGenerations, frontFiles: [], ...extra };
  };
  const writeProgressFiles = () => {
    const { r, front } = frontOf(all);
    const head = evaluationHeader(plan);
    writeAtomic(path.join(dir, 'evaluations.csv'), csvRow(head) + all.map((e, i) => csvRow(evaluationCells(plan, e, r[i]!))).join(''));
    writeAtomic(path.join(dir, 'pareto.csv'), csvRow([...head, 'scenario']) + front.map((e) => csvRow([...evaluationCells(plan, e, 1), frontFileName(plan, e)])).join(''));
    writeAtomic(path.join(dir, 'generations.csv'), generationsCsv(genRows));
    return front;
  };

  while (all.length < plan.opt.budget) {
    const t = nsga.generation + 1;
    const proposed = nsga.propose().map((x) => x.map(round10));
    // The candidates of this generation: repeats take their earlier evaluation; new ones up to the budget.
    const xs: number[][] = [];
    const fresh: number[][] = [];
    const freshKeys = new Map<string, number>();
    for (const x of proposed) {
      const key = JSON.stringify(x);
      if (!known.has(key) && !freshKeys.has(key)) {
        if (all.length + fresh.length >= plan.opt.budget) break;
        freshKeys.set(key, fresh.length);
        fresh.push(x);
      }
      xs.push(x);
    }
    if (fresh.length) {
      idle = 0;
      const points = fresh.map((x) => Object.fromEntries(plan.levers.map((l, i) => [l.path, leverValue(l, x[i]!)])) as Point);
      const sweep = crnSweep(plan, `${plan.opt.name}-${generationName(t)}`, `Generation ${t} of the optimization "${plan.opt.name}" (${fresh.length} new candidates × ${R} replicates), written by cadreflow optimize.`, points, (p) => candidateScenario(plan, fresh[p]!), { generation: t, x: fresh });
      const sweepDir = path.join(genRoot, generationName(t));
      const wasComplete = !!readProgress(sweepDir)?.complete;
      if (wasComplete && nsga.generation === resumedGenerations) resumedGenerations++;
      if (!wasComplete) o.onGeneration?.(t, fresh.length, fresh.length * R);
      const values = await runOrRead(sweep, sweepDir, o.out, o, `generation ${t}`, fresh.length, [...plan.objectives, ...plan.constraints]);
      if (!values) return outcome({ interrupted: true });
      fresh.forEach((x, p) => {
        const e: Evaluated = { evaluation: all.length + 1, generation: t, x, ...assess(plan, values[p]!) };
        all.push(e);
        known.set(JSON.stringify(x), e);
      });
    } else {
      idle++;
      // A generation without new candidates runs nothing, whether resumed or not.
      if (nsga.generation === resumedGenerations) resumedGenerations++;
    }
    const evals = xs.map((x) => known.get(JSON.stringify(x))!);
    nsga.update(xs, evals);
    const front = frontOf(all).front;
    genRows.push([t, xs.length, fresh.length, all.length, all.length * R, all.filter((e) => e.violation === 0).length, front.length]);
    writeProgressFiles();
    if (idle >= IDLE_GENERATIONS) {
      stop = 'exhausted';
      break;
    }
  }
  stop ??= 'budget';

  // The references, on the same seeds.
  const references: ReferenceResult[] = [];
  if (plan.references.length) {
    const points = plan.references.map((r) => ({ scenario: r.file }) as Point);
    const sweep = crnSweep(plan, `${plan.opt.name}-references`, `The reference scenarios of the optimization "${plan.opt.name}", on its seeds.`, points, (p) => plan.references[p]!.scenario, { references: true });
    const refDir = path.join(dir, 'references');
    if (!readProgress(refDir)?.complete) o.onGeneration?.(0, points.length, points.length * R);
    const values = await runOrRead(sweep, refDir, o.out, o, 'references', points.length, [...plan.objectives, ...plan.constraints]);
    if (!values) return outcome({ interrupted: true, stop });
    const front = frontOf(all).front;
    plan.references.forEach((r, p) => {
      const a = assess(plan, values[p]!);
      references.push({ file: r.file, ...a, dominatedBy: front.filter((e) => constrainedDominates(e, a)).map((e) => e.evaluation) });
    });
  }

  const front = writeProgressFiles();
  const { r } = frontOf(all);
  writeAtomic(path.join(dir, 'references.csv'), csvRow([
    'scenario',
    ...plan.objectives.flatMap((m) => [m.name, `${m.name}_ci_low`, `${m.name}_ci_high`]),
    ...plan.constraints.map((m) => m.name),
    'violation', 'feasible', 'dominated', 'dominated_by',
  ]) + references.map((x) => csvRow([x.file, ...x.objectives.flatMap((c) => [c.mean, c.low, c.high]), ...x.constraints, x.violation, x.violation === 0, x.dominatedBy.length > 0, x.dominatedBy.join(' ')])).join(''));
  // The front's scenario files, replaced as a whole.
  const frontDir = path.join(dir, 'front');
  const tmpFront = path.join(dir, `.front.tmp`);
  rmSync(tmpFront, { recursive: true, force: true });
  mkdirSync(tmpFront);
  const frontFiles = front.map((e) => {
    const f = frontFileName(plan, e);
    writeFileSync(path.join(tmpFront, path.basename(f)), JSON.stringify(frontScenario(plan, e), null, 2) + '\n');
    return f;
  });
  rmSync(frontDir, { recursive: true, force: true });
  renameSync(tmpFront, frontDir);
  await finishManifest(manifestFile, {
    ...manifest,
    started: JSON.parse(readFileSync(manifestFile, 'utf8')).started ?? started,
    finished: new Date().toISOString(),
    stop,
    generations: nsga.generation,
    evaluations: all.length,
    runs: (all.length + plan.references.length) * R,
    feasible: all.filter((e) => e.violation === 0).length,
    front: front.map((e) => e.evaluation),
    references: references.map((x) => ({ scenario: x.file, dominatedBy: x.dominatedBy })),
    files: ['evaluations.csv', 'pareto.csv', 'generations.csv', 'references.csv', 'front/', 'generations/', ...(plan.references.length ? ['references/'] : []), 'report.html', 'charts/', 'manifest.json'],
  }, async () => {
    // The chart library loads only when a report is drawn (docs/DESIGN.md), not with every command.
    const { writeOptimizeReport } = await import('../report/optimize.js');
    writeOptimizeReport(dir);
  });
  out.commit();
  return { interrupted: false, evaluations: all, ranks: r, front, references, generations: nsga.generation, resumedGenerations, stop, frontFiles };
}
