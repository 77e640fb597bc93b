/**
 * Summaries over replicates for summary.csv, compare.csv, calibration and
 * --precision: n, mean, sd and the 95% confidence interval of the mean. The
 * statistics are those of src/report/ci.ts (browser-safe, shared with the
 * report and the workshop page): Student's t, or for a metric in [0, 1] the
 * t interval on the logit scale, which stays in [0, 1]. NaN values (a metric
 * undefined in a replicate) are left out of n.
 */
import { meanCI, t975 } from '../report/ci.js';
import { UNIT_RANGE } from '../metrics/definitions.js';

export { t975 };

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}

/** Summary of the values; `unitRange`: they are a metric in [0, 1], whose interval stays in [0, 1]. */
export function summarize(values: ArrayLike<number>, unitRange = false): Summary {
  const c = meanCI(values, unitRange);
  return { n: c.n, mean: c.mean, sd: c.sd, ciLow: c.low, ciHigh: c.high };
}

/** Summary of the replicate values of `metric`: in [0, 1] for the metrics that lie there (MetricDef share, unitRange). */
export function summarizeMetric(metric: string, values: ArrayLike<number>): Summary {
  return summarize(values, UNIT_RANGE.has(metric));
}
