/**
 * Bayesian calibration by ABC-SMC (`"method": {"type": "abc-smc", …}`): the
 * algorithm of abc-smc.ts with the targets' tolerance-scaled distance
 * (calibrate-objective.ts) of each particle's replicate means.
 *
 * Each generation is an ordinary list sweep, written as a sweep file
 * DIR/generations/generation-t.json (the base scenario inline, with `set` and
 * --set applied; one point per particle; `replicates` runs each) and run by
 * experiment/sweep-run.ts into DIR/generations/generation-t/: on all threads,
 * checkpointed, byte-identical whatever the thread count, resumed after any
 * interruption — or, with --slurm, as a Slurm array job and a merge
 * (calibrate-slurm.ts). The particles are independent draws of the model:
 * generation t's sweep has the seed s_t = hash(base seed, t), so replicate k
 * of particle p runs with runSeed(s_t, p, k), as in any sweep. (Common random
 * numbers across particles, as nelder-mead uses, would make the posterior
 * one conditional on a single set of seeds.)
 *
 * A particle's distance is read from its generation's timeseries.csv, so a
 * generation run here and one merged from Slurm shards give the same bytes.
 * The algorithm's state is a function of the seed and the distances, so
 * --resume replays the finished generations from their files and continues.
 *
 * At the end: posterior.csv (the kept particles of every generation),
 * posterior-summary.csv, generations.csv, fit.csv for the posterior
 * predictive (validationReplicates runs, each of a particle drawn from the
 * posterior by its weight, on the fresh seeds runSeed(base seed, 1, k)),
 * calibrated.json at the posterior mean (integers rounded), report.html with
 * pair plots, manifest.json, and the calibrated.file / calibrated.posterior
 * copies beside the calibration file.
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measureRuns } from '../experiment/run-values.js';
import { inputError } from '../scenario/errors.js';
import { makeDir, resumableDir } from '../experiment/results-dir.js';
import { csvRow } from '../experiment/csv.js';
import { baseManifest, finishManifest } from '../experiment/manifest.js';
import { RunPool } from '../experiment/pool.js';
import { loadSweep } from '../experiment/sweep-plan.js';
import { readProgress, runSweep } from '../experiment/sweep-run.js';
import { hash3, hashString, runSeed } from '../random/hash.js';
import { AbcSmc, resample, summarizeParameter, type GenerationRecord, type ParameterSummary, type StopReason } from './abc-smc.js';
import type { AbcSmcMethod } from './calibrate-schema.js';
import { finiteMean, objective } from './calibrate-objective.js';
import { calibratedScenario, fitCsv, fitRows, outputFile, round, scenarioAt, type CalibrationOptions, type CalibrationOutcome, type CalibrationPlan } from './calibrate.js';
import { writeSlurmGeneration, type SlurmGeneration } from './calibrate-slurm.js';

export interface PosteriorRow extends ParameterSummary {
  parameter: string;
  priorMin: number;
  priorMax: number;
}

export interface AbcOutcome {
  generations: GenerationRecord[];
  /** Why it stopped; undefined while a generation waits for Slurm. */
  stop?: StopReason;
  summary?: PosteriorRow[];
  /** Values of the calibrated scenario: the posterior mean, integers rounded. */
  values?: number[];
  posteriorFiles?: string[];
  keptPosteriorFile?: string;
  /** With --slurm: the generation written as an array job. */
  slurm?: SlurmGeneration;
  /** Runs of the generations done before this invocation (a resume). */
  resumedGenerations: number;
}

export const POSTERIOR_SUMMARY_HEADER = ['parameter', 'mean', 'sd', 'q05', 'q50', 'q95', 'prior_min', 'prior_max'];
export const GENERATIONS_HEADER = ['generation', 'proposals', 'evaluations', 'runs', 'epsilon', 'acceptance', 'ess'];

/** The seed of generation t's sweep (its runs are runSeed(s_t, particle, replicate)). */
export function generationSeed(baseSeed: number, t: number): number {
  return hash3(hashString('calibrate.abc-smc.runs'), baseSeed >>> 0, t >>> 0);
}

export const generationName = (t: number) => `generation-${t}`;

/** The sweep file of generation t: one point per particle. */
export function generationSweep(plan: CalibrationPlan, t: number, thetas: number[][]): Record<string, unknown> {
  return {
    name: `${plan.cal.name}-abc-${generationName(t)}`,
    description: `Generation ${t} of the ABC-SMC calibration "${plan.cal.name}" (${thetas.length} particles × ${plan.cal.replicates} replicates), written by cadreflow calibrate.`,
    base: plan.base,
    replicates: plan.cal.replicates,
    set: { seed: generationSeed(plan.base.seed, t) },
    design: { type: 'list', points: thetas.map((th) => Object.fromEntries(plan.paths.map((p, i) => [p, th[i]!]))) },
  };
}

/**
 * Per point, each target's mean over the replicates of its per-run value (the
 * mean of its metric over its years, undefined years left out), as the
 * nelder-mead search computes them, from a sweep's timeseries.csv.
 */
export function targetMeans(file: string, plan: CalibrationPlan, points: number): number[][] {
  // Per point, per target: the replicates' per-run values (in replicate order), then their mean.
  return measureRuns(file, plan.targets, points).map((perTarget) => perTarget.map((runs) => round(finiteMean(runs))));
}

/** Writes a file whole or not at all (a crash leaves the earlier version). */
function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function posteriorHeader(plan: CalibrationPlan): string {
  return csvRow(['generation', 'particle', 'weight', 'distance', ...plan.paths]);
}

function posteriorRows(g: GenerationRecord): string {
  const sw = g.kept.reduce((s, p) => s + p.weight, 0);
  return g.kept.map((p, i) => csvRow([g.generation, i, p.weight / sw, p.distance, ...p.theta])).join('');
}

export function posteriorSummary(plan: CalibrationPlan, g: GenerationRecord): PosteriorRow[] {
  return plan.paths.map((p, i) => ({ parameter: p, ...summarizeParameter(g.kept, i), priorMin: plan.ranges[i]!.min, priorMax: plan.ranges[i]!.max }));
}

function summaryCsv(rows: PosteriorRow[]): string {
  return csvRow(POSTERIOR_SUMMARY_HEADER) + rows.map((r) => csvRow([r.parameter, r.mean, r.sd, r.q05, r.q50, r.q95, r.priorMin, r.priorMax])).join('');
}

function generationsCsv(plan: CalibrationPlan, history: GenerationRecord[]): string {
  return csvRow(GENERATIONS_HEADER) + history.map((g) => csvRow([g.generation, g.proposals, g.evaluations, g.proposals * plan.cal.replicates, g.epsilon, g.acceptance, g.ess])).join('');
}

/** The files that follow the generations done so far (rewritten whole after each one). */
function writeGenerationFiles(dir: string, plan: CalibrationPlan, history: GenerationRecord[]): void {
  writeAtomic(path.join(dir, 'posterior.csv'), posteriorHeader(plan) + history.map(posteriorRows).join(''));
  writeAtomic(path.join(dir, 'generations.csv'), generationsCsv(plan, history));
  writeAtomic(path.join(dir, 'posterior-summary.csv'), summaryCsv(posteriorSummary(plan, history[history.length - 1]!)));
}

/** The value each parameter takes in the calibrated scenario: the posterior mean, integers rounded to the nearest. */
function pointEstimate(plan: CalibrationPlan, rows: PosteriorRow[]): number[] {
  return rows.map((r, i) => (plan.ranges[i]!.integer ? Math.round(r.mean) : r.mean));
}

export async function runAbcCalibration(plan: CalibrationPlan, o: CalibrationOptions): Promise<CalibrationOutcome> {
  const method = plan.cal.method as AbcSmcMethod;
  const out = resumableDir(o.out, o, 'calibration');
  const dir = out.dir;
  const manifestFile = path.join(dir, 'manifest.json');
  const genRoot = path.join(dir, 'generations');
  // The jobs of a Slurm chain resume one calibration: started with --force, they may replace calibrated.file and calibrated.posterior.
  let chainForced = false;
  if (out.resuming) {
    if (!existsSync(manifestFile)) throw inputError('--resume', o.out, 'a calibration results directory with manifest.json; this directory has none (use --force to start again)');
    const m = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (m.calibrationHash !== plan.hash) throw inputError('--resume', o.out, 'the results of this same calibration file, options and program version; this directory holds another calibration (use another --out, or --force to start again)');
    chainForced = !!o.slurm && m.slurmStartedWithForce === true;
  }
  const fileOptions = chainForced ? { ...o, resume: false, force: true } : o;
  const scenarioFile = outputFile(plan, fileOptions, 'file', 'calibrated.json');
  const posteriorFile = outputFile(plan, fileOptions, 'posterior', 'posterior-particles.csv');
  const R = plan.cal.replicates;
  const V = plan.cal.validationReplicates;
  const validationSeeds = Array.from({ length: V }, (_, k) => runSeed(plan.base.seed, 1, k));
  const seed = method.seed ?? plan.base.seed;
  const started = new Date().toISOString();
  const manifest = {
    ...baseManifest('calibrate'),
    file: path.resolve(plan.file),
    calibration: plan.cal,
    calibrationHash: plan.hash,
    method: 'abc-smc',
    algorithm: 'adaptive population Monte Carlo ABC (Lenormand, Jabot & Deffuant 2013), Gaussian kernel with twice the weighted covariance (Beaumont et al. 2009)',
    parameters: plan.paths,
    targets: plan.targets.map((t) => t.label),
    replicates: R,
    seed,
    seeds: 'replicate k of particle p of generation t runs with seed runSeed(s_t, p, k), s_t the seed of generations/generation-t.json; the posterior predictive check uses runSeed(base seed, 1, k)',
    validationReplicates: V,
    validationSeeds,
    baseScenario: plan.base,
    threads: o.threads,
    ...(o.slurm && o.force ? { slurmStartedWithForce: true } : {}),
    complete: false,
    started,
  };
  if (!out.resuming) {
    makeDir(dir, o.out);
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  }
  makeDir(genRoot, o.out);

  const abc = new AbcSmc({ priors: plan.ranges, particles: method.particles, alpha: method.alpha, minAcceptance: method.minAcceptance, generations: method.generations, seed });
  let resumedGenerations = 0;
  const outcome = (extra: Partial<CalibrationOutcome> = {}): CalibrationOutcome => ({
    interrupted: false,
    evaluations: abc.history[abc.history.length - 1]?.evaluations ?? 0,
    resumedFrom: abc.history[resumedGenerations - 1]?.evaluations ?? 0,
    ...extra,
    abc: { generations: abc.history, stop: abc.stop, resumedGenerations, ...extra.abc },
  });

  while (!abc.stop) {
    const t = abc.generation + 1;
    const thetas = abc.propose();
    const sweepFile = path.join(genRoot, `${generationName(t)}.json`);
    const sweepDir = path.join(genRoot, generationName(t));
    writeAtomic(sweepFile, JSON.stringify(generationSweep(plan, t, thetas), null, 2) + '\n');
    const sweep = loadSweep(sweepFile);
    const prog = readProgress(sweepDir);
    const complete = !!prog?.complete && prog.hash === sweep.hash && prog.shard === null;
    if (prog && prog.hash !== sweep.hash) throw inputError('--resume', o.out, `a calibration whose generation ${t} is the one this calibration proposes; ${path.relative(process.cwd(), sweepDir)} holds other runs (use --force to start again)`);
    if (!complete) {
      const shards = existsSync(sweepDir) ? readdirSync(sweepDir).filter((f) => f.startsWith('shard-')) : [];
      if (o.slurm) {
        const slurm = writeSlurmGeneration(plan, o, { dir, generation: t, sweepFile, sweepDir, particles: thetas.length });
        return outcome({ abc: { generations: abc.history, slurm, resumedGenerations } });
      }
      if (shards.length) {
        throw inputError('--resume', o.out, `generation ${t} is run as a Slurm array job (${path.relative(process.cwd(), sweepDir)}/${shards[0]}, …): merge its shards (sbatch ${path.join(sweepDir, 'merge.sbatch')}) before --resume, or delete ${path.relative(process.cwd(), sweepDir)} to run the generation here`);
      }
      // A generation stopped before its first checkpoint has nothing to keep.
      if (existsSync(sweepDir) && !prog) rmSync(sweepDir, { recursive: true, force: true });
      let before = 0;
      o.onGeneration?.(t, thetas.length * R);
      const res = await runSweep(sweep, {
        out: sweepDir,
        threads: o.threads,
        resume: true,
        force: false,
        stop: o.stop,
        onProgress: (done) => {
          for (; before < done; before++) o.onRun?.();
        },
      });
      if (res.interrupted) return outcome({ interrupted: true });
    } else if (abc.generation === resumedGenerations) {
      resumedGenerations++;
    }
    const means = targetMeans(path.join(sweepDir, 'timeseries.csv'), plan, thetas.length);
    abc.update(means.map((m) => round(objective(plan.targets, m))));
    writeGenerationFiles(dir, plan, abc.history);
  }

  const last = abc.history[abc.history.length - 1]!;
  const summary = posteriorSummary(plan, last);
  const values = pointEstimate(plan, summary);
  // The posterior predictive check: particles drawn by their weights, each run once on a fresh seed.
  const draws = resample(last.kept, V, seed, 'predictive');
  const pool = new RunPool(Math.max(1, o.threads));
  let fit;
  try {
    const results = await Promise.all(draws.map((j, k) => pool.run({ scenario: scenarioAt(plan, last.kept[j]!.theta), seed: validationSeeds[k]!, point: -1, replicate: k })));
    fit = fitRows(plan, results);
  } finally {
    await pool.close();
  }
  writeFileSync(path.join(dir, 'fit.csv'), fitCsv(fit));
  const particlesCsv = posteriorHeader(plan) + posteriorRows(last);
  writeFileSync(path.join(dir, 'posterior-particles.csv'), particlesCsv);
  const text = JSON.stringify(calibratedScenario(plan, values, 'Fitted by ABC-SMC (posterior mean)'), null, 2) + '\n';
  const scenarioFiles = [path.join(dir, 'calibrated.json')];
  writeFileSync(scenarioFiles[0]!, text);
  if (scenarioFile?.write) {
    writeFileSync(scenarioFile.path, text);
    scenarioFiles.push(scenarioFile.path);
  }
  const posteriorFiles = [path.join(dir, 'posterior-particles.csv')];
  if (posteriorFile?.write) {
    writeFileSync(posteriorFile.path, particlesCsv);
    posteriorFiles.push(posteriorFile.path);
  }
  const files = ['posterior.csv', 'posterior-summary.csv', 'posterior-particles.csv', 'generations.csv', 'generations/', 'fit.csv', 'calibrated.json', 'report.html', 'charts/', 'manifest.json'];
  await finishManifest(manifestFile, {
    ...manifest,
    started: JSON.parse(readFileSync(manifestFile, 'utf8')).started ?? started,
    finished: new Date().toISOString(),
    generations: abc.generation,
    stop: abc.stop,
    evaluations: last.evaluations,
    runs: last.evaluations * R + V,
    epsilon: last.epsilon,
    posterior: Object.fromEntries(summary.map((r) => [r.parameter, { mean: r.mean, sd: r.sd, q05: r.q05, q50: r.q50, q95: r.q95 }])),
    calibratedValues: Object.fromEntries(plan.paths.map((p, i) => [p, values[i]])),
    predictiveDistance: objective(plan.targets, fit.map((r) => r.mean)),
    files,
    calibratedScenarioFiles: scenarioFiles,
    posteriorFiles,
  }, async () => {
    // The chart library loads only when a report is drawn (docs/DESIGN.md), not with every command.
    const { writePosteriorReport } = await import('../report/posterior.js');
    writePosteriorReport(dir, { name: plan.cal.name, paths: plan.paths, ranges: plan.ranges, integer: plan.ranges.map((r) => r.integer) });
  });
  out.commit();
  return outcome({
    fit,
    scenarioFiles,
    keptFile: scenarioFile && !scenarioFile.write ? scenarioFile.path : undefined,
    abc: { generations: abc.history, stop: abc.stop, summary, values, posteriorFiles, keptPosteriorFile: posteriorFile && !posteriorFile.write ? posteriorFile.path : undefined, resumedGenerations },
  });
}
