/**
 * Summaries over replicates: n, mean, sd and the 95% confidence interval of
 * the mean (Student's t). NaN values (a metric undefined in a replicate) are
 * left out of n.
 */
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';

// The 0.975 quantile of Student's t (a table to df = 30, then a series in 1/df) lives with the
// browser-safe summaries of the page, so that the page and summary.csv use one definition.
import { t975 } from '../report/ci.js';
export { t975 };

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
