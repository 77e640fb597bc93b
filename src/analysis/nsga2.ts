/**
 * NSGA-II, the non-dominated sorting genetic algorithm of Deb, Pratap,
 * Agarwal & Meyarivan (2002), "A fast and elitist multiobjective genetic
 * algorithm: NSGA-II", IEEE Transactions on Evolutionary Computation 6(2):
 * 182–197, as in Deb's reference C implementation (nsga2-v1.1, KanGAL):
 *
 * - fast non-dominated sorting into fronts F1, F2, … (§III-A);
 * - crowding distance within a front: per objective, the boundary members get
 *   ∞ and the others the normalised gap between their neighbours (§III-B);
 * - binary tournaments on the crowded comparison: lower rank wins, then the
 *   larger crowding distance (§III-C);
 * - elitist (μ + λ) survival: the parents and offspring are sorted together
 *   and the next population is filled front by front, the last front that
 *   fits only partly cut by crowding distance (§III-C);
 * - constraints by Deb's constraint-domination (§VI): a feasible solution
 *   dominates an infeasible one, of two infeasible ones the smaller total
 *   violation dominates, and of two feasible ones ordinary Pareto dominance
 *   decides;
 * - variation for real variables: simulated binary crossover (SBX, Deb &
 *   Agrawal 1995; the bounded form of the C code, each variable crossed with
 *   probability 0.5) with probability `crossoverProbability` per pair, and
 *   polynomial mutation (Deb & Goyal 1996; the bounded form of the C code)
 *   with probability `mutationProbability` per variable (default 1/n).
 *   Integer variables use the same operators on the real line, rounded to the
 *   nearest whole number (pymoo's integer variables, Blank & Deb 2020,
 *   RoundingRepair). Choices (unordered) use uniform crossover (each variable
 *   swapped between the two children with probability 0.5) and, with the
 *   mutation probability, a value drawn uniformly among the other choices.
 *
 * Objectives are minimised (callers negate those to maximise). The
 * algorithm's random draws come from one Alea stream per generation keyed on
 * (seed, "optimize.nsga2", generation) (random/stream.ts), so what a
 * generation proposes is a function of the seed and the evaluations of the
 * generations before — the same however the evaluations were computed,
 * interrupted or resumed.
 */
import { Stream } from '../random/stream.js';

export type Variable =
  | { kind: 'real'; min: number; max: number }
  | { kind: 'integer'; min: number; max: number }
  /** An unordered choice among `count` values, encoded 0 … count − 1. */
  | { kind: 'choice'; count: number };

export interface Evaluation {
  /** Objective values, all minimised; NaN where undefined (the candidate must then be infeasible). */
  f: number[];
  /** Total constraint violation: 0 when feasible, > 0 (or ∞) otherwise. */
  violation: number;
}

export interface Individual extends Evaluation {
  x: number[];
  /** Front (1 = non-dominated) and crowding distance in the last sort. */
  rank: number;
  crowding: number;
}

export interface Nsga2Options {
  variables: Variable[];
  population: number;
  seed: number;
  crossoverProbability?: number;
  /** Distribution index η_c of SBX (Deb et al. 2002: 20). */
  crossoverEta?: number;
  /** Distribution index η_m of polynomial mutation (Deb et al. 2002: 20). */
  mutationEta?: number;
  /** Per variable (default 1 / number of variables). */
  mutationProbability?: number;
}

/** Pareto dominance of minimised objectives: a is no worse in every objective and better in one. */
export function dominates(a: number[], b: number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** Deb's constraint-domination: feasible before infeasible, then the smaller violation, then Pareto dominance. */
export function constrainedDominates(a: Evaluation, b: Evaluation): boolean {
  const fa = a.violation <= 0, fb = b.violation <= 0;
  if (fa && !fb) return true;
  if (!fa && fb) return false;
  if (!fa && !fb) return a.violation < b.violation;
  return dominates(a.f, b.f);
}

/** Fast non-dominated sort (Deb et al. 2002, §III-A) under constraint-domination: the fronts as lists of indices, each in increasing index order. */
export function nonDominatedSort(pop: Evaluation[]): number[][] {
  const n = pop.length;
  const dominated: number[][] = Array.from({ length: n }, () => []);
  const count = new Array<number>(n).fill(0);
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      if (constrainedDominates(pop[p]!, pop[q]!)) {
        dominated[p]!.push(q);
        count[q]!++;
      } else if (constrainedDominates(pop[q]!, pop[p]!)) {
        dominated[q]!.push(p);
        count[p]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let current = [];
  for (let p = 0; p < n; p++) if (count[p] === 0) current.push(p);
  while (current.length) {
    fronts.push(current);
    const next: number[] = [];
    for (const p of current) {
      for (const q of dominated[p]!) if (--count[q]! === 0) next.push(q);
    }
    next.sort((a, b) => a - b);
    current = next;
  }
  return fronts;
}

/** Ranks (1-based front numbers) of every member of `pop`. */
export function ranks(pop: Evaluation[]): number[] {
  const r = new Array<number>(pop.length).fill(0);
  nonDominatedSort(pop).forEach((front, i) => front.forEach((p) => (r[p] = i + 1)));
  return r;
}

/**
 * Crowding distances of the members `front` of `pop` (Deb et al. 2002, §III-B),
 * in the order of `front`: for each objective the members are sorted (ties by
 * their order in `front`), the two ends get ∞ and each other member adds
 * (f[next] − f[previous]) / (f_max − f_min). An objective with no spread adds
 * nothing; undefined (NaN) values are left out of that objective.
 */
export function crowdingDistances(pop: Evaluation[], front: number[]): number[] {
  const d = new Array<number>(front.length).fill(0);
  if (!front.length) return d;
  const m = pop[front[0]!]!.f.length;
  for (let j = 0; j < m; j++) {
    const order = front.map((_, i) => i).filter((i) => Number.isFinite(pop[front[i]!]!.f[j]!));
    order.sort((a, b) => pop[front[a]!]!.f[j]! - pop[front[b]!]!.f[j]! || a - b);
    if (!order.length) continue;
    const lo = pop[front[order[0]!]!]!.f[j]!;
    const hi = pop[front[order[order.length - 1]!]!]!.f[j]!;
    d[order[0]!] = Infinity;
    d[order[order.length - 1]!] = Infinity;
    if (hi === lo) continue;
    for (let k = 1; k < order.length - 1; k++) {
      d[order[k]!]! += (pop[front[order[k + 1]!]!]!.f[j]! - pop[front[order[k - 1]!]!]!.f[j]!) / (hi - lo);
    }
  }
  return d;
}

/**
 * Elitist survival: the `size` best of `pool` by front, the last front cut by
 * crowding distance (largest first; ties in pool order). Returns the
 * survivors with their rank and crowding distance, in that order.
 */
export function survive<T extends Evaluation & { x: number[] }>(pool: T[], size: number): (T & { rank: number; crowding: number })[] {
  const out: (T & { rank: number; crowding: number })[] = [];
  const fronts = nonDominatedSort(pool);
  for (let r = 0; r < fronts.length && out.length < size; r++) {
    const front = fronts[r]!;
    const cd = crowdingDistances(pool, front);
    let members = front.map((p, i) => ({ p, c: cd[i]! }));
    if (out.length + front.length > size) {
      members = members.map((m, i) => ({ ...m, i })).sort((a, b) => (b.c === a.c ? a.i - b.i : b.c > a.c ? 1 : -1)).slice(0, size - out.length);
    }
    for (const m of members) out.push({ ...pool[m.p]!, rank: r + 1, crowding: m.c });
  }
  return out;
}

/** Bounded SBX of one variable (the C code's realcross), given the draws. */
function sbx(x1: number, x2: number, lo: number, hi: number, eta: number, u: number): [number, number] {
  const y1 = Math.min(x1, x2), y2 = Math.max(x1, x2);
  const spread = y2 - y1;
  const betaq = (beta: number) => {
    const alpha = 2 - Math.pow(beta, -(eta + 1));
    return u <= 1 / alpha ? Math.pow(u * alpha, 1 / (eta + 1)) : Math.pow(1 / (2 - u * alpha), 1 / (eta + 1));
  };
  const c1 = 0.5 * (y1 + y2 - betaq(1 + (2 * (y1 - lo)) / spread) * spread);
  const c2 = 0.5 * (y1 + y2 + betaq(1 + (2 * (hi - y2)) / spread) * spread);
  return [Math.min(hi, Math.max(lo, c1)), Math.min(hi, Math.max(lo, c2))];
}

/** Bounded polynomial mutation of one variable (the C code's real_mutate_ind), given the draw. */
function polynomialMutation(y: number, lo: number, hi: number, eta: number, u: number): number {
  if (hi <= lo) return y;
  const d1 = (y - lo) / (hi - lo), d2 = (hi - y) / (hi - lo);
  const pow = 1 / (eta + 1);
  let dq: number;
  if (u <= 0.5) {
    const v = 2 * u + (1 - 2 * u) * Math.pow(1 - d1, eta + 1);
    dq = Math.pow(v, pow) - 1;
  } else {
    const v = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(1 - d2, eta + 1);
    dq = 1 - Math.pow(v, pow);
  }
  return Math.min(hi, Math.max(lo, y + dq * (hi - lo)));
}

export class Nsga2 {
  readonly variables: Variable[];
  readonly size: number;
  readonly seed: number;
  readonly pc: number;
  readonly etaC: number;
  readonly etaM: number;
  readonly pm: number;
  /** The parents of the next generation (after survival), with rank and crowding. */
  population: Individual[] = [];
  /** Generations evaluated so far (0: none; the first is the random initial population). */
  generation = 0;

  constructor(o: Nsga2Options) {
    if (o.population < 2 || o.population % 2) throw new Error('NSGA-II: the population must be even and at least 2');
    this.variables = o.variables;
    this.size = o.population;
    this.seed = o.seed;
    this.pc = o.crossoverProbability ?? 0.9;
    this.etaC = o.crossoverEta ?? 20;
    this.etaM = o.mutationEta ?? 20;
    this.pm = o.mutationProbability ?? 1 / Math.max(1, o.variables.length);
  }

  /** The candidates of the next generation: the random initial population, then the offspring of the current one. */
  propose(): number[][] {
    const rng = new Stream(this.seed, 'optimize.nsga2', this.generation + 1);
    const u = () => rng.next();
    if (this.generation === 0) {
      return Array.from({ length: this.size }, () => this.variables.map((v) => (v.kind === 'real' ? v.min + u() * (v.max - v.min) : v.kind === 'integer' ? Math.min(v.max, v.min + Math.floor(u() * (v.max - v.min + 1))) : Math.min(v.count - 1, Math.floor(u() * v.count)))));
    }
    const pop = this.population;
    const tournament = () => {
      const a = pop[rng.int(pop.length)]!, b = pop[rng.int(pop.length)]!;
      if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
      if (a.crowding !== b.crowding) return a.crowding > b.crowding ? a : b;
      return u() < 0.5 ? a : b;
    };
    const out: number[][] = [];
    while (out.length < this.size) {
      const p1 = tournament().x, p2 = tournament().x;
      const c1 = [...p1], c2 = [...p2];
      if (u() <= this.pc) {
        this.variables.forEach((v, i) => {
          if (u() > 0.5) return;
          if (v.kind === 'choice') {
            [c1[i], c2[i]] = [p2[i]!, p1[i]!];
          } else if (Math.abs(p1[i]! - p2[i]!) > 1e-14) {
            const [a, b] = sbx(p1[i]!, p2[i]!, v.min, v.max, this.etaC, u());
            // The C code gives the children in random order.
            if (u() <= 0.5) [c1[i], c2[i]] = [b, a];
            else [c1[i], c2[i]] = [a, b];
          }
        });
      }
      for (const c of [c1, c2]) {
        this.variables.forEach((v, i) => {
          if (u() > this.pm) return;
          if (v.kind === 'choice') {
            if (v.count > 1) {
              const k = rng.int(v.count - 1);
              c[i] = k >= c[i]! ? k + 1 : k;
            }
          } else {
            c[i] = polynomialMutation(c[i]!, v.min, v.max, this.etaM, u());
          }
        });
        this.variables.forEach((v, i) => {
          if (v.kind === 'integer') c[i] = Math.min(v.max, Math.max(v.min, Math.round(c[i]!)));
        });
        out.push(c);
      }
    }
    return out;
  }

  /** The evaluations of the candidates proposed (or the first ones of them, when a budget cuts the generation short). */
  update(xs: number[][], evals: Evaluation[]): void {
    const pool = [...this.population.map((p) => ({ x: p.x, f: p.f, violation: p.violation })), ...xs.map((x, i) => ({ x, f: evals[i]!.f, violation: evals[i]!.violation }))];
    this.population = survive(pool, this.size);
    this.generation++;
  }
}
