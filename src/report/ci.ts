/**
 * The 95% confidence interval of a mean over replicates: the one definition
 * used by summary.csv and compare.csv (src/experiment/stats.ts), the terminal
 * tables, the report and the workshop page. Browser-safe (no imports).
 *
 * - Student's t: mean ± t(0.975, n − 1) · sd / √n — for metrics on any scale
 *   and for paired differences (which may rightly be negative).
 * - Metrics in [0, 1] (shares, rates per cadre, mean_ties: `unitRange`): a
 *   score (Wilson-type) interval. Student's t asks |m − μ| ≤ t · se with the
 *   standard error se = sd/√n measured at the sample mean m; here the standard
 *   error is the one the replicates would have if the true mean were μ, with a
 *   variance proportional to μ(1 − μ) as for any share (a binomial shape, its
 *   dispersion estimated from the replicates):
 *       |m − μ| ≤ t · se · √(μ(1 − μ) / (m(1 − m))),
 *   solved for μ (a quadratic: Wilson's interval with z = t and n·m(1 − m)/sd²
 *   in place of n). It lies inside (0, 1), contains the mean, is asymmetric
 *   near 0 and 1 where replicate shares are skewed, and is nearly the t
 *   interval in the middle of the range; a closed form, so the same bytes on
 *   any number of threads. A value outside [0, 1] (never produced by such a
 *   metric) falls back to Student's t.
 * - Every replicate the same value (sd 0, e.g. a share that is 0 in every
 *   replicate): the interval is the point itself.
 *   It says nothing about the spread the next replicate could show, so the
 *   displays print "(all replicates)" instead of an interval (see allEqual).
 * - NaN values (a metric undefined in a replicate) are left out of n; below two
 *   values the interval is undefined (NaN).
 *
 * The mean is summed with Neumaier's compensation (as simple-statistics does),
 * so the numbers are those summary.csv has always had for metrics on any scale.
 */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** 0.975 quantile of Student's t with df degrees of freedom (table to 30, then a Cornish–Fisher series in 1/df, accurate to 1e-4). */
export function t975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.round(df) - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export interface MeanCI {
  n: number;
  mean: number;
  sd: number;
  low: number;
  high: number;
}

/**
 * Mean, sd and 95% CI of the defined values. `unitRange`: the values are a
 * metric in [0, 1] (MetricDef share or unitRange), whose interval stays in [0, 1].
 */
export function meanCI(values: ArrayLike<number>, unitRange = false): MeanCI {
  let n = 0;
  let sum = 0;
  let correction = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (n === 0) sum = v;
    else {
      const next = sum + v;
      correction += Math.abs(sum) >= Math.abs(v) ? sum - next + v : v - next + sum;
      sum = next;
    }
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, low: NaN, high: NaN };
  if (min === max) return { n, mean: min, sd: n === 1 ? NaN : 0, low: n === 1 ? NaN : min, high: n === 1 ? NaN : min };
  const mean = (sum + correction) / n;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  const sd = Math.sqrt(ss / (n - 1));
  const t = t975(n - 1);
  if (unitRange && min >= 0 && max <= 1) {
    // Not all equal and all in [0, 1], so 0 < mean < 1. (m − μ)² = c·μ(1 − μ) with
    // c = t²·se²/(m(1 − m)) has the roots (2m + c ± d)/(2(1 + c)), d = √(c² + 4c·m(1 − m));
    // the lower one is written as m²/((1 + c)·upper), without the cancellation of 2m + c − d,
    // and the upper one as 1 − the lower root of 1 − m.
    const v = mean * (1 - mean);
    const c = (t * t * ss) / (n * (n - 1) * v);
    const d = Math.sqrt(c * c + 4 * c * v);
    const low = (2 * mean * mean) / (2 * mean + c + d);
    const high = 1 - (2 * (1 - mean) * (1 - mean)) / (2 * (1 - mean) + c + d);
    return { n, mean, sd, low: Math.min(low, mean), high: Math.max(high, mean) };
  }
  const h = (t * sd) / Math.sqrt(n);
  return { n, mean, sd, low: mean - h, high: mean + h };
}

/** The mean of the defined values of each group, in order of the groups' first values; groups without a defined value are left out. */
export function groupMeans(values: ArrayLike<number>, groups: ArrayLike<number>): number[] {
  const at = new Map<number, number>();
  const sum: number[] = [];
  const count: number[] = [];
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) continue;
    let i = at.get(groups[k]!);
    if (i === undefined) {
      at.set(groups[k]!, (i = sum.length));
      sum.push(0);
      count.push(0);
    }
    sum[i]! += v;
    count[i]!++;
  }
  return sum.map((s, i) => s / count[i]!);
}

/**
 * True when every one of at least two defined values was the same: the
 * interval is the point, and is shown as "(all replicates)", not as "± 0".
 * Works on a MeanCI or on ci_low/ci_high read back from a CSV file (an interval
 * of zero width arises only from equal values).
 */
export function allEqual(c: { low: number; high: number }): boolean {
  return Number.isFinite(c.low) && c.low === c.high;
}

/** Numbers as the CSV files write them (at most 10 significant digits; empty when undefined). */
export function csvNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(10)));
}

/** A number for display: 3 significant digits, thousands kept whole. */
export function displayNumber(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a === 0) return '0';
  return String(Number(x.toPrecision(digits)));
}
