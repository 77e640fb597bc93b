/**
 * Summaries over replicates: n, mean, sd and the 95% confidence interval of
 * the mean (Student's t). NaN values (a metric undefined in a replicate) are
 * left out of n.
 */
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';

// Two-sided 95% quantiles of Student's t for df = 1..30.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** 0.975 quantile of Student's t with df degrees of freedom (table to 30, then a series in 1/df). */
export function t975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.round(df) - 1]!;
  const z = 1.959964;
  // Cornish–Fisher expansion: accurate to 1e-4 for df > 30.
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) xs.push(values[i]!);
  const n = xs.length;
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, ciLow: NaN, ciHigh: NaN };
  const m = ssMean(xs);
  if (n === 1) return { n, mean: m, sd: NaN, ciLow: NaN, ciHigh: NaN };
  const sd = sampleStandardDeviation(xs);
  const h = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean: m, sd, ciLow: m - h, ciHigh: m + h };
}
