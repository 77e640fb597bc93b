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
 * (sd: sample standard deviation, n − 1; Welch 1947). Under identical
 * distributions z is approximately standard normal; with 64 replicates a side
 * (Welch–Satterthwaite degrees of freedom about 126 when the variances are
 * alike) the normal reference is slightly liberal against Student's t: t's
 * quantiles are a few percent larger in the far tail. The replicates of both
 * builds use the same seeds, so the paired z (mean of the per-seed differences
 * over its standard error) is reported as well, for information: it is the
 * sharper test while the two builds' realisations stay close, and the same
 * test as the unpaired one once a change of draw use makes them independent.
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
  if (s.n < 2) return { n: s.n, meanDiff: s.mean, se: NaN, z: NaN };
  const se = s.sd / Math.sqrt(s.n);
  return { n: s.n, meanDiff: s.mean, se, z: zRatio(s.mean, se) };
}

/** The two-sample comparison of the finite values of old and new (and their paired z). */
export function compareSamples(oldValues: ArrayLike<number>, newValues: ArrayLike<number>): Comparison {
  const a = sampleStats(oldValues);
  const b = sampleStats(newValues);
  const diff = b.mean - a.mean;
  const counted = a.n >= 2 && b.n >= 2;
  const se = counted ? Math.sqrt((a.sd * a.sd) / a.n + (b.sd * b.sd) / b.n) : NaN;
  return {
    n_old: a.n, n_new: b.n, mean_old: a.mean, mean_new: b.mean, sd_old: a.sd, sd_new: b.sd,
    diff, se_diff: se, z: counted ? zRatio(diff, se) : NaN, paired: pairedZ(oldValues, newValues),
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
