/**
 * Adaptive ABC-SMC: the adaptive population Monte Carlo algorithm (APMC) of
 * Lenormand, Jabot & Deffuant (2013), "Adaptive approximate Bayesian
 * computation for complex models", Computational Statistics 28:2777–2796 —
 * the algorithm of EasyABC's ABC_sequential(method = "Lenormand") — with the
 * perturbation kernel of Beaumont, Cornuet, Marin & Robert (2009), a Gaussian
 * with twice the weighted covariance of the previous particles.
 *
 * A pure, deterministic state machine that knows nothing of the simulator:
 * `propose()` gives the parameter vectors of the next generation, the caller
 * evaluates them (a distance each, in any order and on any number of
 * threads), and `update(distances)` moves the state on. With N particles and
 * N_α = ⌈αN⌉:
 *
 * 1. generation 1 draws N particles from the prior (uniform on the box,
 *    integers uniform on min…max); the N_α closest are kept, with weight 1,
 *    and ε₁ is the largest kept distance;
 * 2. generation t draws N − N_α new particles: an ancestor j with probability
 *    w_j / Σw, moved by the kernel K_t (below); a proposal outside the prior
 *    box has prior density 0 and is drawn again (ancestor and move), so that
 *    the proposal density is the kernel mixture q_t(θ) = Σ_j ŵ_j K_t(θ | θ_j)
 *    truncated to the box and renormalised by Z_t, its mass in the box. A new
 *    particle's weight is the importance weight π(θ) / (q_t(θ) / Z_t);
 * 3. p_acc = the share of the new particles with distance ≤ ε_{t−1}; the N_α
 *    closest of the kept and new particles are kept (ties: kept before new,
 *    then in proposal order), and ε_t is the largest kept distance;
 * 4. it stops when p_acc ≤ minAcceptance (Lenormand's rule), when ε_t = 0
 *    (every kept particle reproduces the targets exactly; the tolerance cannot
 *    fall further), or after `generations` generations.
 *
 * The posterior sample is the N_α kept particles with their weights.
 *
 * Kernel. Σ_t = 2 · the weighted covariance of the kept particles. Continuous
 * parameters move jointly: x_C ~ N(θ_C, Σ_CC). An integer parameter i moves by
 * its conditional normal given the continuous moves, m_i = θ_i + B_i (x_C − θ_C)
 * (B = Σ_IC Σ_CC⁻¹), sd s_i = √(Σ_ii − B_i Σ_Ci), and is rounded to the nearest
 * integer; integers are conditionally independent of each other given x_C
 * (their mutual covariance is dropped, which is still a valid kernel). The
 * kernel's density is then exact: φ(x_C; θ_C, Σ_CC) times, for each integer,
 * the normal probability of its cell [k − ½, k + ½]. Floors keep the kernel
 * proper when the particles agree: an integer's sd is at least ½, a
 * continuous variance at least (10⁻⁶ · range)². Z_t is estimated from
 * MASS_DRAWS kernel draws of their own stream.
 *
 * Weights are on one scale across generations (π / (q/Z), π the normalised
 * prior density or mass), as APMC keeps old particles with their weights
 * beside new ones. Every draw is a counter-based hash of (seed, generation,
 * particle, counter) (random/hash.ts), so the proposals depend only on the
 * seed and the distances returned so far — not on threads, order or resumes.
 */
import { drawBase, hash2, hashString, normalQuantile, uniform53, uniformAt } from '../random/hash.js';

export interface AbcPrior {
  min: number;
  max: number;
  integer: boolean;
}

export interface AbcOptions {
  priors: AbcPrior[];
  /** N: particles of the first generation; each later generation draws N − ⌈αN⌉. */
  particles: number;
  /** α: the share of the particles kept each generation (Lenormand et al. use 0.5). */
  alpha: number;
  /** Stop when the share of new particles within the previous tolerance is at most this (p_acc_min). */
  minAcceptance: number;
  /** At most this many generations (the first, from the prior, included). */
  generations: number;
  seed: number;
}

export interface Particle {
  theta: number[];
  /** Importance weight π(θ)/q(θ), on one scale across generations (not normalised). */
  weight: number;
  distance: number;
}

export interface GenerationRecord {
  /** 1-based. */
  generation: number;
  /** Particles evaluated in this generation. */
  proposals: number;
  /** Evaluations in all, this generation included. */
  evaluations: number;
  /** ε_t: the largest kept distance. */
  epsilon: number;
  /** p_acc: share of the new particles within ε_{t−1} (NaN in the first generation). */
  acceptance: number;
  /** Effective sample size of the kept particles, (Σw)² / Σw². */
  ess: number;
  /** The kept particles (the posterior sample after this generation), closest first. */
  kept: Particle[];
}

export type StopReason = 'acceptance' | 'tolerance' | 'generations';

/** Draws a proposal is allowed before the kernel is declared to miss the prior box. */
const MAX_TRIES = 100_000;
/** Kernel draws that estimate Z_t, the kernel mixture's mass inside the prior box. */
export const MASS_DRAWS = 20_000;
/** Floor of an integer parameter's kernel sd. */
const INTEGER_SD_FLOOR = 0.5;
/** Floor of a continuous parameter's kernel variance, as a share of its range (squared). */
const CONTINUOUS_SD_FLOOR = 1e-6;


/** Counter-based draws of one purpose: draw k of item i in generation t. */
class Draws {
  private readonly key: number;
  constructor(seed: number, purpose: string) {
    this.key = hash2(seed >>> 0, hashString(`calibrate.abc-smc.${purpose}`));
  }
  base(t: number, i: number): number {
    return drawBase(hash2(this.key, t >>> 0), i >>> 0);
  }
}

// ---------- the normal distribution ----------

/** erfc(x) for x ≥ 0 (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function erfcPos(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  return t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
}

/** Upper tail 1 − Φ(x). */
export function normalUpper(x: number): number {
  return x >= 0 ? 0.5 * erfcPos(x / Math.SQRT2) : 1 - 0.5 * erfcPos(-x / Math.SQRT2);
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * P(a < Z < b) for a standard normal Z, accurate in both tails; for a narrow
 * cell (b − a ≤ 0.1) by the midpoint rule with its second-order correction,
 * which avoids the cancellation of two nearly equal tail areas.
 */
export function normalCell(a: number, b: number): number {
  const h = b - a;
  if (h <= 0.1) {
    const c = (a + b) / 2;
    return Math.exp(-0.5 * c * c - LOG_SQRT_2PI) * h * (1 + ((c * c - 1) * h * h) / 24);
  }
  if (a >= 0) return normalUpper(a) - normalUpper(b);
  if (b <= 0) return normalUpper(-b) - normalUpper(-a);
  return 1 - normalUpper(-a) - normalUpper(b);
}

// ---------- small dense linear algebra ----------

/** Lower Cholesky factor of a symmetric matrix (row-major, n × n); undefined if not positive definite. */
function cholesky(m: number[][]): number[][] | undefined {
  const n = m.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i]![i] = Math.sqrt(s);
      } else {
        l[i]![j] = s / l[j]![j]!;
      }
    }
  }
  return l;
}

/** Solves L y = b (L lower triangular). */
function forward(l: number[][], b: number[]): number[] {
  const y = new Array<number>(b.length);
  for (let i = 0; i < b.length; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  return y;
}

// ---------- the kernel ----------

/** The perturbation kernel of one generation (see the header). */
export class Kernel {
  readonly cont: number[];
  readonly ints: number[];
  /** Cholesky factor of Σ_CC. */
  readonly l: number[][];
  /** B = Σ_IC Σ_CC⁻¹ (rows: integer parameters). */
  readonly b: number[][];
  /** Conditional sd of each integer parameter. */
  readonly s: number[];
  /** log of the normalising constant of φ(x_C; ·, Σ_CC): −½ log det(2π Σ_CC). */
  readonly logNorm: number;

  constructor(readonly priors: AbcPrior[], readonly sigma: number[][]) {
    const d = priors.length;
    this.cont = [];
    this.ints = [];
    for (let i = 0; i < d; i++) (priors[i]!.integer ? this.ints : this.cont).push(i);
    const sCC = this.cont.map((i) => this.cont.map((j) => sigma[i]![j]!));
    let l = this.cont.length ? cholesky(sCC) : [];
    // A singular covariance (particles on a line): a growing ridge until it factorises.
    const maxDiag = Math.max(0, ...this.cont.map((_, k) => sCC[k]![k]!));
    for (let r = 1e-12; !l && r < 1e3; r *= 10) l = cholesky(sCC.map((row, i) => row.map((v, j) => (i === j ? v + r * maxDiag : v))));
    if (!l) throw new Error('abc-smc: the kernel covariance could not be factorised');
    this.l = l;
    let logDet = 0;
    for (let k = 0; k < l.length; k++) logDet += 2 * Math.log(l[k]![k]!);
    this.logNorm = -0.5 * logDet - this.cont.length * LOG_SQRT_2PI;
    // B_i = Σ_iC Σ_CC⁻¹: solve Σ_CC B_iᵀ = Σ_Ci through L Lᵀ.
    this.b = this.ints.map((i) => {
      const y = forward(l!, this.cont.map((c) => sigma[i]![c]!));
      const x = new Array<number>(y.length);
      for (let k = y.length - 1; k >= 0; k--) {
        let s = y[k]!;
        for (let m = k + 1; m < y.length; m++) s -= l![m]![k]! * x[m]!;
        x[k] = s / l![k]![k]!;
      }
      return x;
    });
    this.s = this.ints.map((i, r) => {
      let v = sigma[i]![i]!;
      this.cont.forEach((c, k) => (v -= this.b[r]![k]! * sigma[c]![i]!));
      return Math.max(Math.sqrt(Math.max(v, 0)), INTEGER_SD_FLOOR);
    });
  }

  /** Σ = 2 · the weighted covariance of the particles, with the floors of the header. */
  static fit(priors: AbcPrior[], particles: Particle[]): Kernel {
    const d = priors.length;
    let sw = 0;
    for (const p of particles) sw += p.weight;
    const mean = new Array<number>(d).fill(0);
    for (const p of particles) for (let i = 0; i < d; i++) mean[i] += (p.weight / sw) * p.theta[i]!;
    const sigma = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const p of particles) {
      const w = p.weight / sw;
      for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) sigma[i]![j] += 2 * w * (p.theta[i]! - mean[i]!) * (p.theta[j]! - mean[j]!);
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) sigma[j]![i] = sigma[i]![j]!;
    priors.forEach((p, i) => {
      if (!p.integer) sigma[i]![i] = Math.max(sigma[i]![i]!, (CONTINUOUS_SD_FLOOR * (p.max - p.min)) ** 2);
    });
    return new Kernel(priors, sigma);
  }

  /** A move of θ by the kernel, from standard normals z (one per parameter). */
  move(theta: number[], z: number[]): number[] {
    const out = theta.slice();
    const dc = new Array<number>(this.cont.length);
    this.cont.forEach((c, k) => {
      let s = 0;
      for (let m = 0; m <= k; m++) s += this.l[k]![m]! * z[this.cont[m]!]!;
      dc[k] = s;
      out[c] = theta[c]! + s;
    });
    this.ints.forEach((i, r) => {
      let m = theta[i]!;
      dc.forEach((v, k) => (m += this.b[r]![k]! * v));
      out[i] = Math.round(m + this.s[r]! * z[i]!);
    });
    return out;
  }

  /**
   * The mixture Σ_j ŵ_j K(θ | θ_j) over the given centres (ŵ: normalised
   * weights), as a function θ → log q(θ). Each component is the continuous
   * density times the integers' cell probabilities; the components are summed
   * directly, and in logs (log-sum-exp) only if every one underflows.
   */
  mixture(centres: number[][], weights: number[]): (theta: number[]) => number {
    const nc = this.cont.length;
    const ni = this.ints.length;
    const n = centres.length;
    // Per centre: L⁻¹ θ_jC, and θ_jI − B θ_jC (so that an integer's conditional mean is that plus B x_C).
    const a = new Float64Array(n * nc);
    const cb = new Float64Array(n * ni);
    centres.forEach((c, j) => {
      forward(this.l, this.cont.map((k) => c[k]!)).forEach((v, k) => (a[j * nc + k] = v));
      this.b.forEach((row, r) => (cb[j * ni + r] = c[this.ints[r]!]! - row.reduce((s, v, k) => s + v * c[this.cont[k]!]!, 0)));
    });
    const w = Float64Array.from(weights);
    const s = Float64Array.from(this.s);
    return (theta: number[]): number => {
      const ax = forward(this.l, this.cont.map((c) => theta[c]!));
      const lo = new Float64Array(ni); // (k − ½ − B x_C) / s; the cell's lower end is lo − (θ_jI − B θ_jC)/s
      this.b.forEach((row, r) => (lo[r] = (theta[this.ints[r]!]! - 0.5 - row.reduce((acc, v, k) => acc + v * theta[this.cont[k]!]!, 0)) / s[r]!));
      const term = (j: number, inLogs: boolean): number => {
        let e = 0;
        for (let k = 0; k < nc; k++) {
          const v = ax[k]! - a[j * nc + k]!;
          e -= 0.5 * v * v;
        }
        let f = 1;
        let logF = 0;
        for (let r = 0; r < ni; r++) {
          const x = lo[r]! - cb[j * ni + r]! / s[r]!;
          const h = 1 / s[r]!;
          if (h <= 0.1 && !inLogs) {
            // The midpoint rule of normalCell, its exponential merged with the continuous one.
            const c = x + h / 2;
            e -= 0.5 * c * c;
            f *= h * (1 + ((c * c - 1) * h * h) / 24) / Math.sqrt(2 * Math.PI);
          } else if (inLogs) logF += Math.log(normalCell(x, x + h));
          else f *= normalCell(x, x + h);
        }
        return inLogs ? Math.log(w[j]!) + e + logF : w[j]! * f * Math.exp(e);
      };
      let sum = 0;
      if (ni === 0) {
        // Continuous parameters only: the common case, as a tight loop.
        for (let j = 0; j < n; j++) {
          let e = 0;
          for (let k = 0, o = j * nc; k < nc; k++) {
            const v = ax[k]! - a[o + k]!;
            e += v * v;
          }
          sum += w[j]! * Math.exp(-0.5 * e);
        }
      } else {
        for (let j = 0; j < n; j++) sum += term(j, false);
      }
      if (sum > 0 && Number.isFinite(sum)) return this.logNorm + Math.log(sum);
      let max = -Infinity;
      const terms = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        terms[j] = term(j, true);
        if (terms[j]! > max) max = terms[j]!;
      }
      if (max === -Infinity) return -Infinity;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += Math.exp(terms[j]! - max);
      return this.logNorm + max + Math.log(acc);
    };
  }
}

// ---------- the prior ----------

export function insidePrior(priors: AbcPrior[], theta: number[]): boolean {
  return priors.every((p, i) => theta[i]! >= p.min && theta[i]! <= p.max);
}

/** log of the prior density (continuous parameters) times mass (integers) inside the box. */
export function logPrior(priors: AbcPrior[]): number {
  return -priors.reduce((s, p) => s + Math.log(p.integer ? p.max - p.min + 1 : p.max - p.min), 0);
}

function priorDraw(priors: AbcPrior[], base: number): number[] {
  return priors.map((p, i) => {
    const u = uniform53(base, i);
    return p.integer ? Math.min(p.max, p.min + Math.floor(u * (p.max - p.min + 1))) : p.min + u * (p.max - p.min);
  });
}

/** The index j with cum[j−1] ≤ u < cum[j] (cum: cumulative normalised weights). */
function pick(cum: number[], u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cum[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulative(weights: number[]): number[] {
  let s = 0;
  for (const w of weights) s += w;
  let c = 0;
  return weights.map((w) => (c += w / s));
}

// ---------- the state machine ----------

/** Checks the options; a message per problem (empty when they are fine). */
export function abcProblems(o: AbcOptions): string[] {
  const out: string[] = [];
  const nAlpha = Math.ceil(o.alpha * o.particles);
  if (!(o.alpha > 0 && o.alpha < 1)) out.push('alpha must be between 0 and 1');
  else if (nAlpha < 2 || nAlpha > o.particles - 1) out.push(`particles × alpha must keep at least 2 particles and replace at least 1 (⌈${o.alpha} × ${o.particles}⌉ = ${nAlpha})`);
  if (o.priors.length === 0) out.push('at least one parameter');
  o.priors.forEach((p, i) => {
    if (!(p.max > p.min)) out.push(`parameter ${i}: max must be > min`);
    if (p.integer && (!Number.isInteger(p.min) || !Number.isInteger(p.max))) out.push(`parameter ${i}: an integer parameter needs integer min and max`);
  });
  return out;
}

export class AbcSmc {
  readonly nAlpha: number;
  readonly nNew: number;
  readonly history: GenerationRecord[] = [];
  private kept: Particle[] = [];
  private epsilon = Infinity;
  private pending?: { thetas: number[][]; weights: number[] };
  private stopped?: StopReason;
  private readonly moves: Draws;
  private readonly masses: Draws;
  private readonly logPi: number;

  constructor(readonly o: AbcOptions) {
    const problems = abcProblems(o);
    if (problems.length) throw new Error(`abc-smc: ${problems.join('; ')}`);
    this.nAlpha = Math.ceil(o.alpha * o.particles);
    this.nNew = o.particles - this.nAlpha;
    this.moves = new Draws(o.seed, 'move');
    this.masses = new Draws(o.seed, 'mass');
    this.logPi = logPrior(o.priors);
  }

  /** Generations done. */
  get generation(): number {
    return this.history.length;
  }

  /** Why it stopped (undefined while it goes on). */
  get stop(): StopReason | undefined {
    return this.stopped;
  }

  /** The posterior sample: the kept particles of the last generation. */
  get posterior(): Particle[] {
    return this.kept;
  }

  /**
   * The parameter vectors of the next generation (generation `generation + 1`),
   * the same on every call until `update`.
   */
  propose(): number[][] {
    if (this.stopped) throw new Error('abc-smc: the run has stopped');
    if (!this.pending) this.pending = this.history.length === 0 ? this.fromPrior() : this.fromKernel(this.history.length + 1);
    return this.pending.thetas;
  }

  /** Kernel draws for generation t, and their importance weights. */
  private fromKernel(t: number): { thetas: number[][]; weights: number[] } {
    const priors = this.o.priors;
    const d = priors.length;
    const kernel = Kernel.fit(priors, this.kept);
    const centres = this.kept.map((p) => p.theta);
    let sw = 0;
    for (const p of this.kept) sw += p.weight;
    const norm = this.kept.map((p) => p.weight / sw);
    const cum = cumulative(norm);
    // The mixture's density sums over distinct centres (particles often share integer values).
    const unique = new Map<string, { theta: number[]; w: number }>();
    centres.forEach((c, j) => {
      const key = c.join(',');
      const u = unique.get(key);
      if (u) u.w += norm[j]!;
      else unique.set(key, { theta: c, w: norm[j]! });
    });
    const uCentres = [...unique.values()].map((u) => u.theta);
    const uWeights = [...unique.values()].map((u) => u.w);
    const logQ = kernel.mixture(uCentres, uWeights);
    const draw = (base: number, counter: number): { theta: number[]; next: number } => {
      let k = counter;
      const j = pick(cum, uniform53(base, k++));
      const z = new Array<number>(d);
      for (let i = 0; i < d; i++) z[i] = normalQuantile(uniform53(base, k++));
      return { theta: kernel.move(centres[j]!, z), next: k };
    };
    // Z_t: the mixture's mass inside the box.
    const massBase = this.masses.base(t, 0);
    let inside = 0;
    for (let m = 0, k = 0; m < MASS_DRAWS; m++) {
      const r = draw(massBase, k);
      k = r.next;
      if (insidePrior(priors, r.theta)) inside++;
    }
    const logZ = Math.log(Math.max(inside, 1) / MASS_DRAWS);
    const thetas: number[][] = [];
    const weights: number[] = [];
    for (let i = 0; i < this.nNew; i++) {
      const base = this.moves.base(t, i);
      let theta: number[] | undefined;
      for (let tries = 0, k = 0; !theta; tries++) {
        if (tries >= MAX_TRIES) throw new Error(`abc-smc: generation ${t}: the perturbation kernel missed the prior ranges ${MAX_TRIES} times in a row`);
        const r = draw(base, k);
        k = r.next;
        if (insidePrior(priors, r.theta)) theta = r.theta;
      }
      thetas.push(theta);
      weights.push(Math.exp(this.logPi - logQ(theta) + logZ));
    }
    return { thetas, weights };
  }

  private fromPrior(): { thetas: number[][]; weights: number[] } {
    const thetas = Array.from({ length: this.o.particles }, (_, i) => priorDraw(this.o.priors, this.moves.base(1, i)));
    return { thetas, weights: thetas.map(() => 1) };
  }

  /** Takes the distances of the proposals (in their order) and moves to the next generation. */
  update(distances: number[]): GenerationRecord {
    const p = this.propose() && this.pending!;
    if (distances.length !== p.thetas.length) throw new Error(`abc-smc: ${p.thetas.length} distances expected, ${distances.length} given`);
    const fresh: Particle[] = p.thetas.map((theta, i) => ({ theta, weight: p.weights[i]!, distance: Number.isNaN(distances[i]!) ? Infinity : distances[i]! }));
    const first = this.history.length === 0;
    let acceptance = NaN;
    if (!first) acceptance = fresh.filter((x) => x.distance <= this.epsilon).length / fresh.length;
    // The N_α closest, kept particles before new ones and in proposal order among equals (a stable sort).
    const all = [...this.kept, ...fresh];
    const order = all.map((_, i) => i).sort((a, b) => all[a]!.distance - all[b]!.distance || a - b);
    this.kept = order.slice(0, this.nAlpha).map((i) => all[i]!);
    this.epsilon = this.kept[this.kept.length - 1]!.distance;
    let sw = 0;
    let sw2 = 0;
    for (const x of this.kept) {
      sw += x.weight;
      sw2 += x.weight * x.weight;
    }
    const prev = this.history[this.history.length - 1]?.evaluations ?? 0;
    const rec: GenerationRecord = {
      generation: this.history.length + 1,
      proposals: fresh.length,
      evaluations: prev + fresh.length,
      epsilon: this.epsilon,
      acceptance,
      ess: (sw * sw) / sw2,
      kept: this.kept,
    };
    this.history.push(rec);
    this.pending = undefined;
    if (!first && acceptance <= this.o.minAcceptance) this.stopped = 'acceptance';
    else if (this.epsilon === 0) this.stopped = 'tolerance';
    else if (this.history.length >= this.o.generations) this.stopped = 'generations';
    return rec;
  }
}

/** Runs the algorithm to its stop with a batch evaluator (parameter vectors → distances). */
export async function runAbcSmc(o: AbcOptions, evaluate: (thetas: number[][], generation: number) => Promise<number[]>): Promise<AbcSmc> {
  const abc = new AbcSmc(o);
  while (!abc.stop) {
    const thetas = abc.propose();
    abc.update(await evaluate(thetas, abc.generation + 1));
  }
  return abc;
}

// ---------- summaries ----------

export interface ParameterSummary {
  mean: number;
  sd: number;
  q05: number;
  q50: number;
  q95: number;
}

/**
 * Weighted mean, sd (Σw(θ − m)² / Σw) and quantiles of parameter i; the
 * q-quantile is the smallest value whose cumulative normalised weight
 * reaches q (the inverse of the weighted empirical distribution function).
 */
export function summarizeParameter(particles: Particle[], i: number): ParameterSummary {
  let sw = 0;
  let m = 0;
  for (const p of particles) {
    sw += p.weight;
    m += p.weight * p.theta[i]!;
  }
  m /= sw;
  let v = 0;
  for (const p of particles) v += p.weight * (p.theta[i]! - m) ** 2;
  const sorted = particles.map((p) => ({ x: p.theta[i]!, w: p.weight / sw })).sort((a, b) => a.x - b.x);
  const q = (level: number) => {
    let c = 0;
    for (const s of sorted) {
      c += s.w;
      if (c >= level - 1e-12) return s.x;
    }
    return sorted[sorted.length - 1]!.x;
  };
  return { mean: m, sd: Math.sqrt(v / sw), q05: q(0.05), q50: q(0.5), q95: q(0.95) };
}

/**
 * n draws from the weighted particles by systematic resampling (one uniform
 * of the stream `purpose` keyed by seed): particle j is drawn about n · ŵ_j
 * times, in particle order.
 */
export function resample(particles: Particle[], n: number, seed: number, purpose = 'resample'): number[] {
  const cum = cumulative(particles.map((p) => p.weight));
  const u = uniform53(new Draws(seed, purpose).base(0, 0), 0);
  return Array.from({ length: n }, (_, k) => Math.min(particles.length - 1, pick(cum, (k + u) / n)));
}
