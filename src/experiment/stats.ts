/**
 * Summaries over replicates for summary.csv, compare.csv, calibration and
 * --precision: n, mean, sd and the 95% confidence interval of the mean. The
 * statistics are those of src/report/ci.ts (browser-safe, shared with the
 * report and the workshop page): Student's t, or for a metric in [0, 1] the
 * t interval on the logit scale, which stays in [0, 1]. NaN values (a metric
 * undefined in a replicate) are left out of n.
 */
import { groupMeans, meanCI, t975 } from '../report/ci.js';
import { UNIT_RANGE } from '../metrics/definitions.js';

export { groupMeans, t975 };

export interface Summary {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Summary of the values; `unitRange`: they are a metric in [0, 1], whose interval stays in [0, 1].
 *
 * `groups` (runs over a posterior, experiment/posterior.ts): values[k] belongs to particle draw
 * groups[k]. The replicates of one draw share its parameters and are not independent, so the
 * mean and its CI are those of the draws' means (each the mean of its defined values; a draw
 * without one is left out): ȳ_g over a draws, Student's t with a − 1 degrees of freedom (or the
 * score interval for a metric in [0, 1]) — the interval of the mean over the posterior. Ignoring
 * the groups would make it too narrow by up to √m when the parameters dominate. `n` and `sd` stay
 * those of the replicates (sd: the spread of one projection over the posterior). With every
 * group of the same size and no undefined value, the mean is the replicates' mean.
 */
export function summarize(values: ArrayLike<number>, unitRange = false, groups?: ArrayLike<number>): Summary {
  const c = meanCI(values, unitRange);
  if (!groups) return { n: c.n, mean: c.mean, sd: c.sd, ciLow: c.low, ciHigh: c.high };
  const g = meanCI(groupMeans(values, groups), unitRange);
  return { n: c.n, mean: g.mean, sd: c.sd, ciLow: g.low, ciHigh: g.high };
}

/** Summary of the replicate values of `metric`: in [0, 1] for the metrics that lie there (MetricDef share, unitRange); `groups` as for summarize. */
export function summarizeMetric(metric: string, values: ArrayLike<number>, groups?: ArrayLike<number>): Summary {
  return summarize(values, UNIT_RANGE.has(metric), groups);
}
