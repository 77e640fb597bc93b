/**
 * PRIM, the patient rule induction method (Friedman & Fisher 1999, "Bump
 * hunting in high-dimensional data", Statistics and Computing 9:123–143), as
 * scenario discovery uses it (Bryant & Lempert 2010) and as the EMA
 * Workbench's `prim` module (Kwakkel) implements it: binary outcome, peeling
 * with the lenient objective, pasting, covering, quasi-p-values. Used by
 * `cadreflow discover` (README "Scenario discovery").
 *
 * The cases have d inputs, each numeric (ordered) or categorical, and an
 * outcome y ∈ {0, 1} (1: a case of interest). A box is a range [lo, hi] per
 * numeric input and a set of allowed categories per categorical one. Of a box
 * B with n cases, k of them of interest, among N cases in all, K of interest:
 *
 *   coverage = k / K,   density = k / n,   mass = n / N
 *
 * (N and K are those of all cases, also for the second and later boxes.)
 *
 * Peeling starts from the box of all remaining cases and removes a slice at a
 * time. Its candidates: for each numeric input, the cases below the α-quantile
 * or above the (1 − α)-quantile of the cases in the box (`peelQuantile`: the
 * sdtoolkit/EMA quantile, which steps over ties and puts the new limit halfway
 * between two observed values, so a peel always removes at least one case and
 * the limits lie between the data); for each categorical input with more than
 * one allowed category, the cases of one category. Each candidate is scored by
 * EMA's default ("lenient 1") objective, the gain in density per case removed,
 *
 *   obj = (density_new − density_old) / (n_old − n_new),
 *
 * the best is taken (ties: the one that leaves more inputs unrestricted, then
 * the first in input order, upper before lower), as long as obj > 0 and its
 * mass is at least `minMass`. Every box on the way is a step of the peeling
 * trajectory: coverage falls and density rises from step to step — the
 * coverage–density trade-off.
 *
 * A step of the trajectory is chosen (`boxSteps`, or the step of largest
 * coverage whose density reaches `threshold`; ties: fewer restricted inputs,
 * then the earlier step), then pasted: for each restricted input, the
 * candidate that widens one face of the box — a numeric limit moved outwards
 * to the quantile (1 − α_paste or α_paste) of the remaining cases just beyond
 * that face and inside the box in the other inputs, or one category added —
 * is scored by the same objective (gain in density per case added), and the
 * best is taken while the density rises and the mass grows. Pasting undoes
 * peels that the greedy order made too early.
 *
 * Covering: the cases in the box are removed, and the next box is sought among
 * the others, up to `maxBoxes`, until no step of a new trajectory reaches the
 * threshold or no case of interest is left.
 *
 * Quasi-p-values (Bryant & Lempert 2010; EMA's `_calculate_quasip`): for each
 * restricted input of a box, the one-sided binomial probability
 * P(X ≥ k | X ~ Binomial(n, p')) where p' is the density of the box with that
 * input's restriction removed (among the cases the box was sought in). A small
 * value says that the restriction raises the density by more than chance.
 */

export type PrimInput =
  | { name: string; kind: 'numeric'; values: ArrayLike<number> }
  | { name: string; kind: 'categorical'; codes: ArrayLike<number>; labels: string[] };

export interface PrimData {
  inputs: PrimInput[];
  /** 1: the case is of interest; 0: it is not. */
  y: ArrayLike<number>;
}

/** A box: per numeric input [lo, hi] (closed); per categorical input the allowed category codes, ascending (undefined for numeric inputs). */
export interface Limits {
  lo: number[];
  hi: number[];
  allowed: (number[] | undefined)[];
}

export interface BoxStats {
  /** Cases in the box, and of them of interest. */
  n: number;
  k: number;
  coverage: number;
  density: number;
  mass: number;
  /** Inputs whose range the box restricts. */
  restricted: number;
}

export interface Step {
  phase: 'start' | 'peel' | 'paste';
  limits: Limits;
  stats: BoxStats;
}

export interface FoundBox {
  /** 1, 2, …: the order of covering. */
  box: number;
  /** The peeling trajectory (step 0: every remaining case). */
  peeling: Step[];
  /** The step of `peeling` chosen; undefined when none reached the threshold (then no box was found and covering stopped). */
  chosen?: number;
  /** Whether the chosen step was given (boxSteps) rather than found by the threshold. */
  given?: boolean;
  /** The pasting steps after the chosen one (the last is the box). */
  pasting: Step[];
  /** The box: the last pasting step, or the chosen step. */
  result?: Step;
  /** Per input, the quasi-p-value of its restriction (NaN where not restricted). */
  qp?: number[];
  /** Cases the box was sought among (the remaining ones). */
  remaining: number;
}

export interface PrimOptions {
  /** Share of the box peeled at a step (default 0.05). */
  alpha?: number;
  /** Share of the strip beyond a face pasted at a step (default 0.05). */
  pasteAlpha?: number;
  /** Smallest mass of a box on the trajectory (default 0.05). */
  minMass?: number;
  /** The density a step must reach to be chosen (default 0.8). */
  threshold?: number;
  /** Boxes sought by covering (default 3). */
  maxBoxes?: number;
  /** The steps chosen for boxes 1, 2, … (the threshold chooses for the others). */
  boxSteps?: number[];
  /** Paste the chosen box (default true). */
  paste?: boolean;
}

export const PRIM_DEFAULTS = { alpha: 0.05, pasteAlpha: 0.05, minMass: 0.05, threshold: 0.8, maxBoxes: 3, paste: true } as const;

/**
 * The quantile of sorted values used for peeling and pasting (sdtoolkit's, as
 * EMA's `get_quantile`): position i = (n − 1)·q; from the neighbours below and
 * above it, step outwards over ties (for q > 0.5 downwards, else upwards), and
 * return the midpoint of the two values.
 */
export function peelQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const i = (n - 1) * q;
  let lo = Math.floor(i);
  let hi = Math.ceil(i);
  if (q > 0.5) {
    while (sorted[lo] === sorted[hi] && lo > 0) lo--;
  } else {
    while (sorted[lo] === sorted[hi] && hi < n - 1) hi++;
  }
  return (sorted[lo]! + sorted[hi]!) / 2;
}

/** ln C(n, j) for j = 0…n. */
function logChoose(n: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) lf[i] = lf[i - 1]! + Math.log(i);
  const out = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) out[j] = lf[n]! - lf[j]! - lf[n - j]!;
  return out;
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed term by term in logs. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lc = logChoose(n);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let s = 0;
  for (let j = k; j <= n; j++) s += Math.exp(lc[j]! + j * lp + (n - j) * lq);
  return Math.min(1, s);
}

class Prim {
  readonly N: number;
  readonly K: number;
  readonly d: number;
  readonly init: Limits;
  readonly o: Required<Omit<PrimOptions, 'boxSteps'>> & { boxSteps: number[] };

  constructor(readonly data: PrimData, o: PrimOptions) {
    this.o = { ...PRIM_DEFAULTS, ...o, boxSteps: o.boxSteps ?? [] } as Prim['o'];
    const y = data.y;
    this.N = y.length;
    let K = 0;
    for (let i = 0; i < this.N; i++) K += y[i]!;
    this.K = K;
    this.d = data.inputs.length;
    const lo: number[] = [];
    const hi: number[] = [];
    const allowed: (number[] | undefined)[] = [];
    for (const inp of data.inputs) {
      if (inp.kind === 'numeric') {
        let a = Infinity;
        let b = -Infinity;
        for (let i = 0; i < this.N; i++) {
          const v = inp.values[i]!;
          if (v < a) a = v;
          if (v > b) b = v;
        }
        lo.push(a);
        hi.push(b);
        allowed.push(undefined);
      } else {
        const seen = new Set<number>();
        for (let i = 0; i < this.N; i++) seen.add(inp.codes[i]!);
        lo.push(NaN);
        hi.push(NaN);
        allowed.push([...seen].sort((a, b) => a - b));
      }
    }
    this.init = { lo, hi, allowed };
  }

  isRestricted(l: Limits, j: number): boolean {
    const inp = this.data.inputs[j]!;
    if (inp.kind === 'numeric') return l.lo[j]! > this.init.lo[j]! || l.hi[j]! < this.init.hi[j]!;
    return l.allowed[j]!.length < this.init.allowed[j]!.length;
  }

  restrictedCount(l: Limits): number {
    let r = 0;
    for (let j = 0; j < this.d; j++) if (this.isRestricted(l, j)) r++;
    return r;
  }

  /** Whether case i lies in box l, leaving out input `skip`. */
  inBox(i: number, l: Limits, skip = -1): boolean {
    for (let j = 0; j < this.d; j++) {
      if (j === skip) continue;
      const inp = this.data.inputs[j]!;
      if (inp.kind === 'numeric') {
        const v = inp.values[i]!;
        if (v < l.lo[j]! || v > l.hi[j]!) return false;
      } else if (!l.allowed[j]!.includes(inp.codes[i]!)) return false;
    }
    return true;
  }

  select(cases: ArrayLike<number>, l: Limits): number[] {
    const out: number[] = [];
    for (let t = 0; t < cases.length; t++) if (this.inBox(cases[t]!, l)) out.push(cases[t]!);
    return out;
  }

  interest(cases: ArrayLike<number>): number {
    let k = 0;
    for (let t = 0; t < cases.length; t++) k += this.data.y[cases[t]!]!;
    return k;
  }

  stats(l: Limits, cases: number[]): BoxStats {
    const n = cases.length;
    const k = this.interest(cases);
    return { n, k, coverage: this.K ? k / this.K : NaN, density: n ? k / n : NaN, mass: n / this.N, restricted: this.restrictedCount(l) };
  }

  copy(l: Limits): Limits {
    return { lo: l.lo.slice(), hi: l.hi.slice(), allowed: l.allowed.map((a) => a?.slice()) };
  }

  /** The best candidate by (objective, unrestricted inputs), the first among equals; its objective. */
  best(cands: { limits: Limits; cases: number[] }[], nOld: number, kOld: number): { limits: Limits; cases: number[]; obj: number } | undefined {
    let best: { limits: Limits; cases: number[]; obj: number; free: number } | undefined;
    const mOld = kOld / nOld;
    for (const c of cands) {
      const n = c.cases.length;
      if (n === 0 || n === nOld) continue;
      const obj = (this.interest(c.cases) / n - mOld) / Math.abs(nOld - n);
      const free = this.d - this.restrictedCount(c.limits);
      if (!best || obj > best.obj || (obj === best.obj && free > best.free)) best = { ...c, obj, free };
    }
    return best;
  }

  peel(remaining: number[]): Step[] {
    let limits = this.copy(this.init);
    let cases = remaining;
    const steps: Step[] = [{ phase: 'start', limits, stats: this.stats(limits, cases) }];
    for (;;) {
      const cands: { limits: Limits; cases: number[] }[] = [];
      this.data.inputs.forEach((inp, j) => {
        if (inp.kind === 'numeric') {
          const xs = Float64Array.from(cases, (i) => inp.values[i]!).sort();
          if (xs.length === 0) return;
          const up = peelQuantile(xs, 1 - this.o.alpha);
          const lu = this.copy(limits);
          lu.hi[j] = up;
          cands.push({ limits: lu, cases: cases.filter((i) => inp.values[i]! <= up) });
          const down = peelQuantile(xs, this.o.alpha);
          const ld = this.copy(limits);
          ld.lo[j] = down;
          cands.push({ limits: ld, cases: cases.filter((i) => inp.values[i]! >= down) });
        } else {
          const allowed = limits.allowed[j]!;
          if (allowed.length < 2) return;
          for (const c of allowed) {
            const l = this.copy(limits);
            l.allowed[j] = allowed.filter((a) => a !== c);
            cands.push({ limits: l, cases: cases.filter((i) => inp.codes[i]! !== c) });
          }
        }
      });
      const b = this.best(cands, cases.length, this.interest(cases));
      if (!b || !(b.obj > 0) || b.cases.length / this.N < this.o.minMass || b.cases.length >= cases.length) break;
      limits = b.limits;
      cases = b.cases;
      steps.push({ phase: 'peel', limits, stats: this.stats(limits, cases) });
    }
    return steps;
  }

  paste(remaining: number[], from: Limits): Step[] {
    let limits = from;
    let cases = this.select(remaining, limits);
    const steps: Step[] = [];
    for (;;) {
      const cands: { limits: Limits; cases: number[] }[] = [];
      this.data.inputs.forEach((inp, j) => {
        if (!this.isRestricted(limits, j)) return;
        if (inp.kind === 'numeric') {
          for (const side of ['lo', 'hi'] as const) {
            if (side === 'lo' ? !(limits.lo[j]! > this.init.lo[j]!) : !(limits.hi[j]! < this.init.hi[j]!)) continue;
            const strip: number[] = [];
            for (const i of remaining) {
              const v = inp.values[i]!;
              if ((side === 'lo' ? v < limits.lo[j]! : v > limits.hi[j]!) && this.inBox(i, limits, j)) strip.push(v);
            }
            if (!strip.length) continue;
            const xs = Float64Array.from(strip).sort();
            const l = this.copy(limits);
            if (side === 'lo') l.lo[j] = peelQuantile(xs, 1 - this.o.pasteAlpha);
            else l.hi[j] = peelQuantile(xs, this.o.pasteAlpha);
            cands.push({ limits: l, cases: this.select(remaining, l) });
          }
        } else {
          for (const c of this.init.allowed[j]!) {
            if (limits.allowed[j]!.includes(c)) continue;
            const l = this.copy(limits);
            l.allowed[j] = [...limits.allowed[j]!, c].sort((a, b) => a - b);
            cands.push({ limits: l, cases: this.select(remaining, l) });
          }
        }
      });
      const kOld = this.interest(cases);
      const b = cases.length ? this.best(cands, cases.length, kOld) : undefined;
      if (!b || !(b.obj > 0) || b.cases.length <= cases.length || b.cases.length / this.N < this.o.minMass) break;
      if (!(this.interest(b.cases) / b.cases.length > kOld / cases.length)) break;
      limits = b.limits;
      cases = b.cases;
      steps.push({ phase: 'paste', limits, stats: this.stats(limits, cases) });
    }
    return steps;
  }

  /** The step of largest coverage with density ≥ threshold (ties: fewer restricted inputs, then earlier); undefined when none. */
  choose(steps: Step[]): number | undefined {
    let best: number | undefined;
    steps.forEach((s, t) => {
      if (!(s.stats.density >= this.o.threshold)) return;
      if (best === undefined) { best = t; return; }
      const b = steps[best]!.stats;
      if (s.stats.coverage > b.coverage || (s.stats.coverage === b.coverage && s.stats.restricted < b.restricted)) best = t;
    });
    return best;
  }

  quasiP(remaining: number[], result: Step): number[] {
    const { n, k } = result.stats;
    return this.data.inputs.map((_, j) => {
      if (!this.isRestricted(result.limits, j)) return NaN;
      let nj = 0;
      let kj = 0;
      for (const i of remaining) {
        if (!this.inBox(i, result.limits, j)) continue;
        nj++;
        kj += this.data.y[i]!;
      }
      return binomialUpperTail(k, n, kj / nj);
    });
  }
}

export interface PrimResult {
  /** Cases in all, and of interest. */
  N: number;
  K: number;
  /** The box of all cases (each numeric input's observed range, each categorical input's observed categories). */
  init: Limits;
  /** The boxes sought by covering, in order; the last has no `chosen` step when covering stopped because none reached the threshold. */
  boxes: FoundBox[];
  /** Why covering stopped. */
  stop: 'boxes' | 'threshold' | 'no-interest-left';
}

/** A step chosen with `boxSteps` outside box `box`'s trajectory (0…last). */
export class StepOutOfRange extends Error {
  constructor(readonly box: number, readonly step: number, readonly last: number) {
    super(`box ${box}: step ${step} is not on its peeling trajectory (0 to ${last})`);
  }
}

/** Runs PRIM with covering (see the header). */
export function prim(data: PrimData, o: PrimOptions = {}): PrimResult {
  const p = new Prim(data, o);
  const boxes: FoundBox[] = [];
  let remaining = Array.from({ length: p.N }, (_, i) => i);
  let stop: PrimResult['stop'] = 'boxes';
  for (let b = 1; b <= p.o.maxBoxes; b++) {
    if (p.interest(remaining) === 0) {
      stop = 'no-interest-left';
      break;
    }
    const peeling = p.peel(remaining);
    const given = p.o.boxSteps[b - 1];
    if (given !== undefined && given >= peeling.length) throw new StepOutOfRange(b, given, peeling.length - 1);
    const chosen = given ?? p.choose(peeling);
    const fb: FoundBox = { box: b, peeling, pasting: [], remaining: remaining.length };
    boxes.push(fb);
    if (chosen === undefined) {
      stop = 'threshold';
      break;
    }
    fb.chosen = chosen;
    fb.given = given !== undefined;
    fb.pasting = p.o.paste ? p.paste(remaining, peeling[chosen]!.limits) : [];
    fb.result = fb.pasting.length ? fb.pasting[fb.pasting.length - 1]! : peeling[chosen]!;
    fb.qp = p.quasiP(remaining, fb.result);
    const inside = new Set(p.select(remaining, fb.result.limits));
    remaining = remaining.filter((i) => !inside.has(i));
  }
  return { N: p.N, K: p.K, init: p.init, boxes, stop };
}

/** Whether case i lies in box l (for readers of a result). */
export function inLimits(data: PrimData, i: number, l: Limits): boolean {
  return data.inputs.every((inp, j) => (inp.kind === 'numeric' ? inp.values[i]! >= l.lo[j]! && inp.values[i]! <= l.hi[j]! : l.allowed[j]!.includes(inp.codes[i]!)));
}

/** Pasting alone, from a given box (for tests and for readers that build a box themselves). */
export function pasteBox(data: PrimData, from: Limits, o: PrimOptions = {}, remaining?: number[]): Step[] {
  const p = new Prim(data, o);
  return p.paste(remaining ?? Array.from({ length: p.N }, (_, i) => i), from);
}

/** The box of all cases (PrimResult.init) without running PRIM. */
export function initialLimits(data: PrimData): Limits {
  return new Prim(data, {}).init;
}
