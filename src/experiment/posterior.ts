/**
 * Running over a posterior (`run`, `compare`, `sweep` with `--posterior FILE`;
 * README "Running over a posterior", docs/DESIGN.md): the particles of an
 * ABC-SMC calibration (its posterior-particles.csv, or the copy at
 * `calibrated.posterior`) are read and checked, replicate k runs a particle
 * drawn by weight, and the variance of each metric across replicates is split
 * into the part due to the parameters and the part due to the seeds.
 *
 * The file: the header `generation, particle, weight, distance`, then one
 * column per parameter (a dotted path of the scenario, as a calibration's
 * `parameters`); one row per particle, all of one generation, each with a
 * distinct `particle` number, a weight ≥ 0 (not all 0; they need not sum to 1)
 * and a value for each parameter inside the scenario schema's range.
 *
 * The design: replicates come in groups of m (`--seeds-per-particle`, default
 * 2). Group g = ⌊k/m⌋ runs particle draw g — the particle J_g drawn by weight
 * from a counter-based stream keyed on the scenario seed (the first
 * scenario's in a compare, the base's in a sweep): u_g = uniform(hash of
 * "posterior.particle", seed, g), J_g the first particle whose cumulative
 * weight exceeds u_g · Σ weights. Replicate k keeps its usual seed
 * runSeed(seed, point, k). So replicate k runs the same particle in every
 * scenario of a compare and at every point of a sweep (common random numbers
 * pair the arms), whatever the threads.
 *
 * The particle's values are applied to the resolved scenario (after its
 * `--set` options, and a sweep's `set`) as `--set` overrides are: the
 * posterior's values win over the scenario file's. A `--set` option or a sweep
 * design parameter of a posterior's parameter is an error (it would silently
 * undo the posterior). Reforms still act from their years on top of the
 * particle's values.
 *
 * parametric_share (oneWayRandomEffects): the groups are the draws of a
 * one-way random-effects model y_gi = μ + a_g + e_gi, Var a = σ²_b (the
 * spread of the expected metric over the posterior), Var e = σ²_w (the spread
 * over seeds given the parameters); the share is σ²_b / (σ²_b + σ²_w) with the
 * ANOVA (method-of-moments) estimators.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, inputError, type InputProblem } from '../scenario/errors.js';
import { applySets, parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { buildWorld } from '../world/world.js';
import { hashString, uniform } from '../random/hash.js';

/** The first columns of a posterior file, as calibrate-abc.ts writes them. */
export const POSTERIOR_COLUMNS = ['generation', 'particle', 'weight', 'distance'] as const;
export const DEFAULT_SEEDS_PER_PARTICLE = 2;
/** Fields of a scenario that define the experiment rather than the model: not a posterior's parameters. */
const EXPERIMENT_FIELDS = ['name', 'description', 'seed', 'startYear', 'years', 'burnIn', 'replicates'];
/** How many problems of a bad posterior file a message lists. */
const SHOWN_PROBLEMS = 8;

export interface Particle {
  /** Line of the file (the header is line 1). */
  line: number;
  generation: number;
  /** The file's particle number (timeseries.csv's `particle`). */
  particle: number;
  weight: number;
  distance: number;
  values: number[];
}

export interface Posterior {
  /** The file as given, and its absolute path. */
  file: string;
  absolute: string;
  /** SHA-256 of the file's bytes (hex). */
  sha256: string;
  /** The parameter columns (dotted paths), in file order. */
  paths: string[];
  particles: Particle[];
  /** Cumulative weights in file order (the draws' inverse CDF). */
  cumulative: Float64Array;
}

/** A run over a posterior: the file, the seeds per drawn particle and the seed its draws are keyed on. */
export interface PosteriorRun {
  posterior: Posterior;
  seedsPerParticle: number;
  seed: number;
}

/** `a.b[2].c` and `a.b.2.c` are one path. */
export function normalizePath(p: string): string {
  return p.trim().replace(/\[(\d+)\]/g, '.$1');
}

const PATH_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+|\[\d+\])*$/;

/** A row of the file as a message names it. */
const rowName = (line: number) => `row ${line - 1} (line ${line})`;

function fail(problems: InputProblem[], file: string, total = problems.length): never {
  const shown = problems.slice(0, SHOWN_PROBLEMS);
  if (total > SHOWN_PROBLEMS) shown.push({ path: '(more)', value: `${total} problems`, allowed: `the first ${SHOWN_PROBLEMS} are shown above; nothing was run` });
  throw new InputError(shown, file);
}

/** Reads and checks a posterior file on its own (its values against a scenario: checkPosterior). Bad input is an InputError naming the file. */
export function readPosterior(file: string): Posterior {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EISDIR' ? 'this is a directory, not a file' : `the file cannot be read (${code})`;
    throw new InputError([{ path: '--posterior', value: file, allowed: `${why}; give the posterior-particles.csv of an ABC-SMC calibration (or its calibrated.posterior copy)` }], file);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const expected = `${POSTERIOR_COLUMNS.join(',')},<parameter paths…>`;
  const header = (lines[0] ?? '').split(',').map((c) => c.trim());
  if (lines.length === 0 || POSTERIOR_COLUMNS.some((c, i) => header[i] !== c)) {
    throw new InputError([{ path: 'header (line 1)', value: lines[0] ?? '', allowed: `the header of an ABC-SMC posterior, ${expected} (posterior-particles.csv or calibrated.posterior of cadreflow calibrate)` }], file);
  }
  const paths = header.slice(POSTERIOR_COLUMNS.length);
  const problems: InputProblem[] = [];
  if (paths.length === 0) problems.push({ path: 'header (line 1)', value: lines[0], allowed: `at least one parameter column after ${POSTERIOR_COLUMNS.join(',')}` });
  const seen = new Map<string, number>();
  paths.forEach((p, i) => {
    const col = `header (line 1), column ${POSTERIOR_COLUMNS.length + i + 1}`;
    if (!PATH_RE.test(p)) problems.push({ path: col, value: p, allowed: 'a dotted path of a scenario field, e.g. behavior.regionBias or policy.minYearsInRank[0]' });
    else if (EXPERIMENT_FIELDS.includes(normalizePath(p).split('.')[0]!)) problems.push({ path: col, value: p, allowed: `a model parameter (behavior.…, policy.…, world.…, reforms[i].…); ${EXPERIMENT_FIELDS.join(', ')} define the experiment` });
    const n = normalizePath(p);
    if (seen.has(n)) problems.push({ path: col, value: p, allowed: `each parameter once (also column ${seen.get(n)! + POSTERIOR_COLUMNS.length + 1})` });
    else seen.set(n, i);
  });
  if (problems.length) fail(problems, file);
  if (lines.length < 2) fail([{ path: 'rows', value: '(none)', allowed: 'at least one particle row after the header' }], file);

  const particles: Particle[] = [];
  let count = 0;
  const add = (p: InputProblem) => {
    if (count++ < SHOWN_PROBLEMS) problems.push(p);
  };
  const numberCell = (cell: string | undefined): number => (cell === undefined || cell.trim() === '' ? NaN : Number(cell.trim()));
  const particleLines = new Map<number, number>();
  for (let li = 1; li < lines.length; li++) {
    const line = li + 1;
    const cells = lines[li]!.split(',');
    if (cells.length !== header.length) {
      add({ path: rowName(line), value: lines[li], allowed: `${header.length} cells, as the header has (${cells.length} given)` });
      continue;
    }
    const at = (name: string) => `${rowName(line)}, column ${name}`;
    const generation = numberCell(cells[0]);
    if (!Number.isInteger(generation) || generation < 0) add({ path: at('generation'), value: cells[0], allowed: 'a whole number ≥ 0' });
    const particle = numberCell(cells[1]);
    if (!Number.isInteger(particle) || particle < 0) add({ path: at('particle'), value: cells[1], allowed: 'a whole number ≥ 0, the particle’s number' });
    else if (particleLines.has(particle)) add({ path: at('particle'), value: particle, allowed: `a number of its own (line ${particleLines.get(particle)} has it too)` });
    else particleLines.set(particle, line);
    const weight = numberCell(cells[2]);
    if (!Number.isFinite(weight) || weight < 0) add({ path: at('weight'), value: cells[2], allowed: 'a number ≥ 0 (the particle’s importance weight)' });
    const distance = cells[3]!.trim() === '' ? NaN : numberCell(cells[3]);
    if (cells[3]!.trim() !== '' && !(Number.isFinite(distance) && distance >= 0)) add({ path: at('distance'), value: cells[3], allowed: 'a number ≥ 0, or empty' });
    const values = paths.map((p, i) => {
      const v = numberCell(cells[POSTERIOR_COLUMNS.length + i]);
      if (!Number.isFinite(v)) add({ path: at(p), value: cells[POSTERIOR_COLUMNS.length + i], allowed: 'a number, the parameter’s value in this particle' });
      return v;
    });
    particles.push({ line, generation, particle, weight, distance, values });
  }
  if (count) fail(problems, file, count);
  const generations = [...new Set(particles.map((p) => p.generation))];
  if (generations.length > 1) {
    const other = particles.find((p) => p.generation !== particles[0]!.generation)!;
    fail([{ path: `${rowName(other.line)}, column generation`, value: other.generation, allowed: `${particles[0]!.generation}, as line 2: the particles of one generation (posterior-particles.csv holds the last; posterior.csv holds every generation's, which are not one sample)` }], file);
  }
  const cumulative = new Float64Array(particles.length);
  let total = 0;
  particles.forEach((p, i) => (cumulative[i] = total += p.weight));
  if (!(total > 0)) fail([{ path: 'column weight', value: total, allowed: 'weights that sum to more than 0 (every weight is 0)' }], file);
  return { file, absolute: path.resolve(file), sha256, paths, particles, cumulative };
}

/** The value at a dotted path of a resolved scenario (undefined where there is none). */
function valueAt(s: Scenario, p: string): unknown {
  let v: unknown = s;
  for (const k of normalizePath(p).split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** The `--set` overrides that put particle j's values into a scenario. */
export function particleSets(post: Posterior, j: number): string[] {
  const values = post.particles[j]!.values;
  return post.paths.map((p, i) => `${p}=${JSON.stringify(values[i])}`);
}

/** The scenario with particle j's values applied (validated: checkPosterior has checked them). */
export function particleScenario(post: Posterior, j: number, s: Scenario): Scenario {
  return parseScenario(applySets(s, particleSets(post, j)));
}

/**
 * Checks a posterior against the scenarios it will be applied to (every
 * scenario of a compare, every point of a sweep): each parameter is a number
 * of the scenario, no `--set` option (or design parameter) sets one, and every
 * particle's values make a valid scenario (ranges, integers, the order of
 * levers, a world that builds). `overrides` name what a conflicting override
 * is. Returns, per scenario, the resolved scenario of each particle (none
 * with `keep: false`, for a sweep's many points, which resolve them as they run).
 */
export function checkPosterior(post: Posterior, scenarios: Iterable<{ scenario: Scenario; label: string }>, overrides: { path: string; what: string }[] = [], o: { keep?: boolean; several?: boolean } = {}): Scenario[][] {
  const problems: InputProblem[] = [];
  const cols = new Map(post.paths.map((p) => [normalizePath(p), p]));
  for (const ov of overrides) {
    const p = cols.get(normalizePath(ov.path));
    if (p !== undefined) problems.push({ path: `header (line 1), column ${p}`, value: ov.path, allowed: `a parameter that nothing else sets; ${ov.what} sets it too, which would undo the value each particle gives it (remove the one or the other)` });
  }
  if (problems.length) fail(problems, post.file);
  let count = 0;
  const seenProblems = new Set<string>();
  const worlds = new Set<string>();
  const where = (label: string) => (o.several ? ` (applied to ${label})` : '');
  const out: Scenario[][] = [];
  for (const { scenario, label } of scenarios) {
    for (const p of post.paths) {
      const v = valueAt(scenario, p);
      if (typeof v !== 'number') {
        problems.push({ path: `header (line 1), column ${p}`, value: p, allowed: `a numeric field of the scenario by dotted path (scenarios/schema.json lists them, e.g. behavior.regionBias, policy.maxTenure); ${label} has ${v === undefined ? 'no such field' : 'no number there'}` });
      }
    }
    if (problems.length) fail(problems, post.file);
    worlds.add(JSON.stringify(scenario.world));
    const resolved = post.particles.map((pt, j) => {
      try {
        const s = particleScenario(post, j, scenario);
        const wk = JSON.stringify(s.world);
        if (!worlds.has(wk)) {
          buildWorld(s.world);
          worlds.add(wk);
        }
        return s;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        for (const q of e.problems) {
          const p = cols.get(normalizePath(q.path));
          const problem = p !== undefined
            ? { path: `${rowName(pt.line)}, column ${p}`, value: q.value, allowed: `${q.allowed === 'expected int' ? 'a whole number (the parameter is an integer)' : q.allowed}${where(label)}` }
            : { path: rowName(pt.line), value: q.value, allowed: `values that make a valid scenario of ${label}; with them ${q.path || 'the scenario'}: ${q.allowed}` };
          const key = `${problem.path}\u0000${problem.allowed.replace(where(label), '')}`;
          if (seenProblems.has(key)) continue;
          seenProblems.add(key);
          if (count++ < SHOWN_PROBLEMS) problems.push(problem);
        }
        return scenario;
      }
    });
    if (o.keep !== false) out.push(resolved);
  }
  if (count) fail(problems, post.file, count);
  return out;
}

/** The overrides of `--set` options, for checkPosterior. */
export function setOverrides(sets: string[], what = 'a --set option'): { path: string; what: string }[] {
  return sets.map((s) => ({ path: s.slice(0, Math.max(0, s.indexOf('='))), what: `${what} (--set ${s})` }));
}

const DRAW_STREAM = hashString('posterior.particle');

/**
 * Draw g of the stream keyed on `seed`: a particle index (into post.particles),
 * chosen with probability proportional to its weight. A pure function of
 * (file, seed, g).
 */
export function drawParticle(post: Posterior, seed: number, g: number): number {
  const c = post.cumulative;
  const n = c.length;
  const x = uniform(DRAW_STREAM, seed >>> 0, g >>> 0) * c[n - 1]!;
  let lo = 0, hi = n - 1;
  // The first i with c[i] > x (a particle of weight 0 is never drawn).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The particle index of replicate k: draw ⌊k/m⌋. */
export function replicateParticle(pr: PosteriorRun, k: number): number {
  return drawParticle(pr.posterior, pr.seed, Math.floor(k / pr.seedsPerParticle));
}

/** The particle indices of replicates 0…n−1. */
export function replicateParticles(pr: PosteriorRun, n: number): number[] {
  return Array.from({ length: n }, (_, k) => replicateParticle(pr, k));
}

/** The draw (group) of each of replicates 0…n−1, for the variance split. */
export function replicateGroups(pr: PosteriorRun, n: number): number[] {
  return Array.from({ length: n }, (_, k) => Math.floor(k / pr.seedsPerParticle));
}

/**
 * With a posterior, a replicate count must be whole groups of m seeds and at
 * least two of them (the between-particle variance needs two draws).
 */
export function checkReplicateCount(n: number, m: number, flag: string, file?: string): void {
  if (n % m === 0 && n >= 2 * m) return;
  const ok = Math.max(2 * m, Math.ceil(n / m) * m);
  throw new InputError([{ path: flag, value: n, allowed: `with --posterior, a multiple of --seeds-per-particle (${m}) and at least ${2 * m}: each drawn particle runs on ${m} seeds, and the share due to the parameters needs two particles or more (e.g. ${ok})` }], file);
}

/** `--seeds-per-particle M` (only with --posterior). */
export function seedsPerParticleOption(value: string | undefined, withPosterior: boolean): number {
  if (value === undefined) return DEFAULT_SEEDS_PER_PARTICLE;
  if (!withPosterior) throw inputError('--seeds-per-particle', value, 'only with --posterior (each drawn particle runs on that many seeds)');
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 2 || n > 10000) throw inputError('--seeds-per-particle', value, 'an integer from 2 to 10000: each drawn particle runs on that many seeds, so that the variance due to the parameters can be told from that due to the seeds');
  return n;
}

export interface VarianceComponents {
  /** Groups with at least one defined value, and the defined values. */
  groups: number;
  n: number;
  /** Between-group and within-group mean squares. */
  msb: number;
  msw: number;
  /** The effective group size n0 = (N − Σ n_g² / N) / (a − 1); m when every group has m values. */
  n0: number;
  /** σ²_b = max(0, (MSB − MSW) / n0) and σ²_w = MSW. */
  between: number;
  within: number;
  /** σ²_b / (σ²_b + σ²_w); NaN when undefined. */
  share: number;
}

/**
 * One-way random-effects ANOVA of `values` in groups `group[k]` (NaN values
 * left out): with a groups of sizes n_g, N values, group means ȳ_g and grand
 * mean ȳ,
 *   MSB = Σ n_g (ȳ_g − ȳ)² / (a − 1),   MSW = Σ_g Σ_i (y_gi − ȳ_g)² / (N − a),
 *   σ²_b = max(0, (MSB − MSW) / n0),    σ²_w = MSW,
 *   share = σ²_b / (σ²_b + σ²_w),
 * n0 as above (= m for balanced groups: E[MSB] = σ²_w + n0 σ²_b). Undefined
 * (NaN) with fewer than two groups, no group of two values, or no variance.
 */
export function oneWayRandomEffects(values: ArrayLike<number>, group: ArrayLike<number>): VarianceComponents {
  const sums = new Map<number, { n: number; s: number }>();
  let N = 0, total = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) continue;
    const g = group[k]!;
    let e = sums.get(g);
    if (!e) sums.set(g, (e = { n: 0, s: 0 }));
    e.n++;
    e.s += v;
    N++;
    total += v;
  }
  const a = sums.size;
  const none = { groups: a, n: N, msb: NaN, msw: NaN, n0: NaN, between: NaN, within: NaN, share: NaN };
  if (a < 2 || N - a < 1) return none;
  const grand = total / N;
  let ssb = 0, ssw = 0, sq = 0;
  for (const e of sums.values()) {
    ssb += e.n * (e.s / e.n - grand) ** 2;
    sq += e.n * e.n;
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) continue;
    const e = sums.get(group[k]!)!;
    ssw += (v - e.s / e.n) ** 2;
  }
  const msb = ssb / (a - 1);
  const msw = ssw / (N - a);
  const n0 = (N - sq / N) / (a - 1);
  const between = Math.max(0, (msb - msw) / n0);
  const within = msw;
  const share = between + within > 0 ? between / (between + within) : NaN;
  return { groups: a, n: N, msb, msw, n0, between, within, share };
}

/** parametric_share of summary.csv and compare.csv: oneWayRandomEffects(values, group).share. */
export function parametricShare(values: ArrayLike<number>, group: ArrayLike<number>): number {
  return oneWayRandomEffects(values, group).share;
}

/** What manifest.json records of a run over a posterior. */
export function posteriorManifest(pr: PosteriorRun, replicates: number): Record<string, unknown> {
  const post = pr.posterior;
  const idx = replicateParticles(pr, replicates);
  return {
    file: post.absolute,
    sha256: post.sha256,
    particles: post.particles.length,
    parameters: post.paths,
    seedsPerParticle: pr.seedsPerParticle,
    drawSeed: pr.seed,
    draws: `replicate k runs particle draw ⌊k/${pr.seedsPerParticle}⌋ (by weight, from the stream "posterior.particle" keyed on seed ${pr.seed}) on its own seed; the particle's values are applied to the scenario`,
    particleOfReplicate: idx.map((j) => post.particles[j]!.particle),
  };
}

/** The identity of a sweep over a posterior (resume and merge refuse results of another file or design). */
export function posteriorHash(hash: string, pr: PosteriorRun | undefined): string {
  if (!pr) return hash;
  return createHash('sha256').update(JSON.stringify({ sweep: hash, posterior: pr.posterior.sha256, seedsPerParticle: pr.seedsPerParticle, drawSeed: pr.seed })).digest('hex').slice(0, 20);
}

/** "over the posterior (N particles, m seeds each)": how the terminal and the report name the intervals. */
export function overThePosterior(pr: PosteriorRun): string {
  return `over the posterior (${pr.posterior.particles.length} particles of ${path.basename(pr.posterior.file)}, ${pr.seedsPerParticle} seeds per drawn particle)`;
}

/** Options of run, compare and sweep that choose a posterior. */
export interface PosteriorOptions {
  posterior?: string;
  seedsPerParticle?: string;
}

/** Reads `--posterior FILE` and `--seeds-per-particle M` (bad input is an InputError; nothing is written). */
export function posteriorOptions(o: PosteriorOptions): { posterior?: Posterior; seedsPerParticle: number } {
  const seedsPerParticle = seedsPerParticleOption(o.seedsPerParticle, o.posterior !== undefined);
  return { posterior: o.posterior === undefined ? undefined : readPosterior(o.posterior), seedsPerParticle };
}

/**
 * With a posterior: the replicate count and --max-replicates in whole groups of
 * m seeds. The default maximum (200, precision.ts) is rounded down to a
 * multiple of m; a --max-replicates that is not one is an error.
 */
export function posteriorReplicates(initial: number, max: number, m: number, o: { replicates?: string; maxReplicates?: string }, file?: string): number {
  checkReplicateCount(initial, m, o.replicates !== undefined ? '--replicates' : 'replicates', o.replicates !== undefined ? undefined : file);
  if (o.maxReplicates !== undefined && max % m !== 0) {
    throw inputError('--max-replicates', o.maxReplicates, `with --posterior, a multiple of --seeds-per-particle (${m}), so that every drawn particle runs on ${m} seeds`);
  }
  return Math.max(initial, Math.floor(max / m) * m);
}

/** The line the terminal prints under its legend: what the intervals are over. */
export function posteriorLegend(pr: PosteriorRun): string {
  return `intervals ${overThePosterior(pr)}: they include the parameters' uncertainty as well as the seeds'`;
}

/** The line the terminal prints under its table: the parametric share of some metrics in a year. */
export function parametricShareLine(shares: { metric: string; share: number }[], year: number, what = 'parametric_share'): string {
  const cells = shares.map((x) => `${x.metric} ${Number.isFinite(x.share) ? x.share.toFixed(2) : '–'}`).join(', ');
  return `share of the variance over replicates due to the parameters (${what}) in ${year}: ${cells}\n`;
}
