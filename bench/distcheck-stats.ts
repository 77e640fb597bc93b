/**
 * The statistics of bench/distcheck.ts: do two builds of the model give the
 * same distributions of the headline metrics on the golden scenarios?
 *
 * Method. For each case and headline metric, each build gives one value per
 * replicate (the metric's mean over the run's reported years), n_old and n_new
 * of them. The two samples are compared by a two-sample z test on their means
 * with a Welch-type (unpooled) standard error of the difference:
 *
 *   diff = mean_new − mean_old,  se_diff = √(sd_old²/n_old + sd_new²/n_new),  z = diff / se_diff
 *
 * (sd: sample standard deviation, n − 1; Welch 1947). The ratio t = diff /
 * se_diff is referred to Student's t with the Welch–Satterthwaite degrees of
 * freedom ν = (va + vb)² / (va²/(n_old − 1) + vb²/(n_new − 1)), va = sd_old²/n_old,
 * vb = sd_new²/n_new (Satterthwaite 1946; Welch 1947), and reported as the
 * standard normal score of its two-sided p-value, z = sign(t)·Φ⁻¹(1 − p/2)
 * (tDistribution: the regularised incomplete beta function by its continued
 * fraction, Press et al., Numerical Recipes, 3rd ed., §6.4). Under identical
 * (normal) distributions z is then standard normal whatever ν, so the rule
 * below holds its level exactly; with 64 replicates a side (ν ≈ 126) z is a few
 * per cent smaller than t in the far tail, where the normal reference alone
 * was slightly liberal. The replicates of both
 * builds use the same seeds, so the paired z (mean of the per-seed differences
 * over its standard error) is reported as well, for information: it is the
 * sharper test while the two builds' realisations stay close, and the same
 * test as the unpaired one once a change of draw use makes them independent
 * (its t has n − 1 degrees of freedom, reported as a normal score likewise).
 *
 * Rule. With m comparisons (every case × metric with at least 2 values on
 * each side), the family-wise error rate is held at α = 0.05 by the Bonferroni
 * correction (Bonferroni 1936; Dunn, O. J. 1961, "Multiple comparisons among
 * means", Journal of the American Statistical Association 56(293): 52–64): a
 * comparison fails if |z| > z*, z* the standard normal quantile of
 * 1 − α/(2m). If the builds' distributions are the same, the chance that any
 * comparison fails is at most α, whatever the correlations between metrics.
 * Bonferroni guards against one large shift; a small systematic drift in many
 * metrics could stay under z* everywhere, so the check also counts the
 * comparisons with |z| < 1 and |z| < 2 (68.3% and 95.4% of them under
 * identical distributions) and fails if fewer than 85% have |z| < 2. The share
 * rule is meant for many comparisons (all golden cases: m = 104, 13 cases × 8
 * headline metrics, the push case's runs all throwing): with one case (m = 8)
 * two values of |z| ≥ 2 fail it, which happens in about 5% of checks of
 * identical distributions. A metric that is constant in both builds (se 0,
 * diff 0) counts with z = 0.
 *
 * Values that are NaN (a metric undefined in a replicate) or infinite are left
 * out of a sample. Replicates that throw are left out of the metrics; the
 * builds must agree on how many fail with each error (compareFailures).
 * Pure functions, no I/O.
 */
import { normalQuantile } from '../src/random/hash.js';

/** Under identical distributions, P(|Z| < 1) and P(|Z| < 2) for Z standard normal. */
export const EXPECTED_WITHIN_1 = 0.6826894921370859;
export const EXPECTED_WITHIN_2 = 0.9544997361036416;

export interface Sample {
  /** Number of finite values. */
  n: number;
  /** NaN if n = 0. */
  mean: number;
  /** Sample standard deviation (n − 1); NaN if n < 2. */
  sd: number;
}

export interface Paired {
  /** Number of indices at which both samples have a finite value. */
  n: number;
  /** Mean of the differences new − old. */
  meanDiff: number;
  /** Standard error of meanDiff: sd of the differences / √n; NaN if n < 2. */
  se: number;
  /** meanDiff / se as zRatio defines it; NaN if n < 2. */
  t: number;
  /** The normal score of t with n − 1 degrees of freedom (tToZ); NaN if n < 2. */
  z: number;
}

export interface Comparison {
  n_old: number;
  n_new: number;
  mean_old: number;
  mean_new: number;
  sd_old: number;
  sd_new: number;
  /** mean_new − mean_old. */
  diff: number;
  /** √(sd_old²/n_old + sd_new²/n_new). */
  se_diff: number;
  /** diff / se_diff as zRatio defines it; NaN unless both samples have n ≥ 2. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom of t (welchDf); NaN unless both samples have n ≥ 2. */
  df: number;
  /** The standard normal score of t with df degrees of freedom (tToZ): what the decision reads. */
  z: number;
  /** Replicate i of old against replicate i of new (the same seed). */
  paired: Paired;
}

/** n, mean and sample sd (two-pass) of the finite values. */
export function sampleStats(xs: ArrayLike<number>): Sample {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (Number.isFinite(x)) { n++; sum += x; }
  }
  if (n === 0) return { n, mean: NaN, sd: NaN };
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: NaN };
  let ss = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (Number.isFinite(x)) ss += (x - mean) * (x - mean);
  }
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** diff / se, with 0/0 = 0 and x/0 = ±Infinity for x ≠ 0 (no spread: any difference is infinitely significant). */
export function zRatio(diff: number, se: number): number {
  if (se === 0) return diff === 0 ? 0 : diff > 0 ? Infinity : -Infinity;
  return diff / se;
}

/** The paired z of new against old: the differences new[i] − old[i] where both are finite. */
export function pairedZ(oldValues: ArrayLike<number>, newValues: ArrayLike<number>): Paired {
  const d: number[] = [];
  const len = Math.min(oldValues.length, newValues.length);
  for (let i = 0; i < len; i++) {
    const a = oldValues[i]!;
    const b = newValues[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) d.push(b - a);
  }
  const s = sampleStats(d);
  if (s.n < 2) return { n: s.n, meanDiff: s.mean, se: NaN, t: NaN, z: NaN };
  const se = s.sd / Math.sqrt(s.n);
  const t = zRatio(s.mean, se);
  return { n: s.n, meanDiff: s.mean, se, t, z: tToZ(t, s.n - 1) };
}

/**
 * Welch–Satterthwaite degrees of freedom of the difference of two means with
 * variances of the mean va = sd_a²/n_a and vb = sd_b²/n_b (Satterthwaite 1946).
 * A side with no spread contributes nothing (ν is the other side's n − 1); NaN
 * if neither has any.
 */
export function welchDf(va: number, na: number, vb: number, nb: number): number {
  const den = (va * va) / (na - 1) + (vb * vb) / (nb - 1);
  return den > 0 ? ((va + vb) * (va + vb)) / den : NaN;
}

/**
 * ln Γ(x), x > 0: Lanczos' approximation with g = 7, 9 terms (relative error about 1e-15).
 * Not simple-statistics' gammaln: the t tail at 10^9 degrees of freedom differences ln Γ
 * of numbers near 5·10^8, where gammaln's rounding moves p by 6e-8 and this one's by less.
 */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes §6.4, betacf). */
function betaFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) return h;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1 (Numerical Recipes §6.4, betai). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(|T| ≥ |t|) for T Student's t with ν > 0 degrees of freedom: I_{ν/(ν+t²)}(ν/2, 1/2). */
export function tTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * The standard normal score with the same two-sided p-value as t with df degrees
 * of freedom: sign(t)·Φ⁻¹(1 − p/2), computed as −Φ⁻¹(p/2) so that a tiny p keeps
 * its precision. 0 stays 0, ±Infinity stays; df NaN or ≤ 0 (no spread on either
 * side) leaves t as it is (zRatio's 0 or ±Infinity).
 */
export function tToZ(t: number, df: number): number {
  if (Number.isNaN(t) || t === 0 || !Number.isFinite(t) || !(df > 0)) return t;
  const p = tTwoSided(t, df);
  const z = p > 0 ? -normalQuantile(Math.min(1, p) / 2) : Infinity;
  return t < 0 ? -z : z;
}

/** The two-sample comparison of the finite values of old and new (and their paired z). */
export function compareSamples(oldValues: ArrayLike<number>, newValues: ArrayLike<number>): Comparison {
  const a = sampleStats(oldValues);
  const b = sampleStats(newValues);
  const diff = b.mean - a.mean;
  const counted = a.n >= 2 && b.n >= 2;
  const va = (a.sd * a.sd) / a.n, vb = (b.sd * b.sd) / b.n;
  const se = counted ? Math.sqrt(va + vb) : NaN;
  const t = counted ? zRatio(diff, se) : NaN;
  const df = counted ? welchDf(va, a.n, vb, b.n) : NaN;
  return {
    n_old: a.n, n_new: b.n, mean_old: a.mean, mean_new: b.mean, sd_old: a.sd, sd_new: b.sd,
    diff, se_diff: se, t, df, z: tToZ(t, df), paired: pairedZ(oldValues, newValues),
  };
}

/** Whether a comparison enters the family: at least 2 values on each side. */
export function isCounted(c: Pick<Comparison, 'n_old' | 'n_new'>): boolean {
  return c.n_old >= 2 && c.n_new >= 2;
}

/** Bonferroni's critical |z| for m two-sided comparisons at family-wise level alpha: the normal quantile of 1 − alpha/(2m). */
export function criticalZ(m: number, alpha = 0.05): number {
  if (!(m >= 1)) return NaN;
  return normalQuantile(1 - alpha / (2 * m));
}

export interface Decision {
  /** Number of comparisons counted (isCounted). */
  m: number;
  zStar: number;
  /** Largest |z| of the counted comparisons, and its index in the input (−1 if m = 0). */
  maxAbsZ: number;
  maxAt: number;
  within1: number;
  within2: number;
  /** within1 / m, within2 / m (NaN if m = 0). */
  share1: number;
  share2: number;
  /** Indices of the counted comparisons with |z| > zStar. */
  failed: number[];
  pass: boolean;
  /** Why it failed, one line each; empty on a pass. */
  reasons: string[];
}

export interface DecideOptions {
  /** Family-wise level (0.05). */
  alpha?: number;
  /** Least share of the comparisons with |z| < 2 (0.85). */
  minShare2?: number;
}

/** The family-wise decision over a table of comparisons (rule: see the header of this file). m = 0 fails: nothing was checked. */
export function decide(table: readonly Pick<Comparison, 'n_old' | 'n_new' | 'z'>[], opts: DecideOptions = {}): Decision {
  const alpha = opts.alpha ?? 0.05;
  const minShare2 = opts.minShare2 ?? 0.85;
  let m = 0;
  let within1 = 0;
  let within2 = 0;
  let maxAbsZ = NaN;
  let maxAt = -1;
  for (let i = 0; i < table.length; i++) {
    const c = table[i]!;
    if (!isCounted(c)) continue;
    m++;
    const a = Math.abs(c.z);
    if (a < 1) within1++;
    if (a < 2) within2++;
    if (maxAt < 0 || a > maxAbsZ || Number.isNaN(a)) { maxAbsZ = a; maxAt = i; }
  }
  const zStar = criticalZ(m, alpha);
  const failed: number[] = [];
  for (let i = 0; i < table.length; i++) {
    const c = table[i]!;
    // A NaN z in a counted comparison cannot arise from compareSamples; if it does, it fails.
    if (isCounted(c) && !(Math.abs(c.z) <= zStar)) failed.push(i);
  }
  const share1 = m > 0 ? within1 / m : NaN;
  const share2 = m > 0 ? within2 / m : NaN;
  const reasons: string[] = [];
  if (m === 0) reasons.push('no comparison has at least 2 values on each side');
  if (failed.length) reasons.push(`${failed.length} of ${m} comparisons with |z| > z* = ${zStar.toFixed(3)}`);
  if (m > 0 && share2 < minShare2) reasons.push(`${(100 * share2).toFixed(1)}% of the comparisons have |z| < 2, fewer than ${(100 * minShare2).toFixed(0)}%`);
  return { m, zStar, maxAbsZ, maxAt, within1, within2, share1, share2, failed, pass: reasons.length === 0, reasons };
}

/** A replicate's value of metric column k: its mean over the reported years, NaN years skipped; NaN if no year is defined. */
export function yearMean(rows: readonly ArrayLike<number>[], k: number): number {
  let sum = 0;
  let n = 0;
  for (const row of rows) {
    const x = row[k]!;
    if (!Number.isNaN(x)) { sum += x; n++; }
  }
  return n > 0 ? sum / n : NaN;
}

/**
 * A number as a CSV cell in plain decimal notation (no exponent), to the
 * shortest form that reads back as the same double: NaN is an empty cell,
 * ±Infinity is Inf and -Inf (which pandas, R and DuckDB read as infinite).
 */
export function plainDecimal(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  const s = String(x);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const sign = s[0] === '-' ? '-' : '';
  const mant = s.slice(sign.length, e);
  const exp = Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const point = (dot < 0 ? mant.length : dot) + exp; // position of the decimal point in digits
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export interface FailureCheck {
  /**
   * none: no replicate failed; all: every replicate failed in both builds, with the same errors
   * (the case exercises an error path: nothing to compare); same: as many failures with each
   * error in both builds; differ: otherwise (a failure of the check).
   */
  kind: 'none' | 'all' | 'same' | 'differ';
  /** Failed replicates in each build. */
  failedOld: number;
  failedNew: number;
  /** One line: the counts and the errors; empty if none. */
  text: string;
}

/**
 * The replicates that threw, in each build (errors[i]: the error of replicate i, null if it ran).
 * A run that throws is an outcome of the case; the builds must agree on how many runs fail with
 * each error. (So a change that makes a failure depend on the draws fails the check even when its
 * rate is unchanged: the golden cases' runs either all fail or all run.)
 */
export function compareFailures(oldErrors: readonly (string | null)[], newErrors: readonly (string | null)[]): FailureCheck {
  const tally = (errs: readonly (string | null)[]) => {
    const m = new Map<string, number>();
    for (const e of errs) if (e !== null) m.set(e, (m.get(e) ?? 0) + 1);
    return m;
  };
  const a = tally(oldErrors);
  const b = tally(newErrors);
  const failedOld = oldErrors.filter((e) => e !== null).length;
  const failedNew = newErrors.filter((e) => e !== null).length;
  if (failedOld === 0 && failedNew === 0) return { kind: 'none', failedOld, failedNew, text: '' };
  const same = a.size === b.size && [...a].every(([e, n]) => b.get(e) === n);
  const list = (m: Map<string, number>) => [...m].map(([e, n]) => `${n} × ${e}`).join('; ') || 'none';
  if (same) {
    const all = failedOld === oldErrors.length && failedNew === newErrors.length;
    return { kind: all ? 'all' : 'same', failedOld, failedNew, text: `${failedOld} of ${oldErrors.length} replicates fail in both builds: ${list(a)}` };
  }
  return { kind: 'differ', failedOld, failedNew, text: `failed replicates differ: old ${failedOld} of ${oldErrors.length} (${list(a)}), new ${failedNew} of ${newErrors.length} (${list(b)})` };
}
