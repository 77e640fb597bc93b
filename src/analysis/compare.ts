/**
 * Paired comparison of scenarios on common random numbers (docs/DESIGN.md
 * "Randomness and reproducibility"): every scenario runs replicate k with the
 * same seed, so the difference of replicate k is a difference of policy, not
 * of luck. Reports each scenario's mean and 95% CI (report/ci.ts: inside
 * [0, 1] for shares), and against the first scenario the mean of the
 * per-replicate differences with its 95% CI (Student's t on the differences,
 * which may rightly be negative, for shares too) beside the Welch CI the same
 * difference would have if the runs were independent — what pairing buys.
 */
import { METRIC_NAMES } from '../metrics/definitions.js';
import { groupMeans, summarize, summarizeMetric, t975, type Summary } from '../experiment/stats.js';
import { csvRow } from '../experiment/csv.js';
import type { PackedResult } from '../experiment/run-one.js';
import { halfWidth, metricValues } from '../experiment/precision.js';
import { parametricShare } from '../experiment/posterior.js';

export { metricValues };

/**
 * Summary of b − a over the pairs (a_k, b_k) where both are defined; over a
 * posterior (`groups`: pair k ran particle draw groups[k]) its mean and CI are
 * those of the draws' mean differences (experiment/stats.ts summarize).
 */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>, groups?: ArrayLike<number>): Summary {
  if (a.length !== b.length) throw new Error(`pairedDifference: ${a.length} and ${b.length} values; pairs need equal lengths`);
  const d: number[] = [];
  const g: number[] = [];
  for (let k = 0; k < a.length; k++) {
    if (Number.isFinite(a[k]!) && Number.isFinite(b[k]!)) {
      d.push(b[k]! - a[k]!);
      if (groups) g.push(groups[k]!);
    }
  }
  return summarize(d, false, groups ? g : undefined);
}

export interface WelchDifference {
  mean: number;
  ciLow: number;
  ciHigh: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
}

/**
 * 95% CI of mean(b) − mean(a) for independent samples with unequal variances
 * (Welch); over a posterior (`groups`), of the draws' means of each.
 */
export function welchDifference(a: ArrayLike<number>, b: ArrayLike<number>, groups?: ArrayLike<number>): WelchDifference {
  if (groups) return welchDifference(groupMeans(a, groups), groupMeans(b, groups));
  const sa = summarize(a);
  const sb = summarize(b);
  const mean = sb.mean - sa.mean;
  if (!(sa.n >= 2 && sb.n >= 2)) return { mean, ciLow: NaN, ciHigh: NaN, df: NaN };
  const va = (sa.sd * sa.sd) / sa.n;
  const vb = (sb.sd * sb.sd) / sb.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { mean, ciLow: mean, ciHigh: mean, df: sa.n + sb.n - 2 };
  const df = (va + vb) ** 2 / ((va * va) / (sa.n - 1) + (vb * vb) / (sb.n - 1));
  const h = t975(df) * se;
  return { mean, ciLow: mean - h, ciHigh: mean + h, df };
}

export interface CompareRow {
  metric: string;
  year: number;
  scenario: string;
  s: Summary;
  /** Against the first scenario; undefined for the first. */
  diff?: Summary;
  unpaired?: WelchDifference;
  /** With a posterior (groups given): the share of the variance over replicates due to the parameters, of the level and of the paired difference. */
  parametricShare?: number;
  diffParametricShare?: number;
}

/**
 * Rows of compare.csv: per metric, year and scenario. `runs[i][k]` is
 * replicate k of scenario i; replicate k of every scenario ran with the same
 * seed (and, over a posterior, the same particle: draw groups[k]).
 */
export function compareRows(runs: PackedResult[][], labels: string[], years: number[], metrics: readonly string[] = METRIC_NAMES, groups?: readonly number[]): CompareRow[] {
  const out: CompareRow[] = [];
  for (const metric of metrics) {
    for (const year of years) {
      const base = metricValues(runs[0]!, metric, year);
      runs.forEach((rs, i) => {
        const v = i === 0 ? base : metricValues(rs, metric, year);
        const row: CompareRow = { metric, year, scenario: labels[i]!, s: summarizeMetric(metric, v, groups) };
        if (i > 0) {
          row.diff = pairedDifference(base, v, groups);
          row.unpaired = welchDifference(base, v, groups);
        }
        if (groups) {
          row.parametricShare = parametricShare(v, groups);
          if (i > 0) row.diffParametricShare = parametricShare(v.map((x, k) => x - base[k]!), groups);
        }
        out.push(row);
      });
    }
  }
  return out;
}

/**
 * The columns of compare.csv. `parametric_share` and `diff_parametric_share`
 * (posterior.ts: the share of the variance over replicates due to the
 * parameters, of the scenario's metric and of its paired difference) come
 * last and are empty without --posterior.
 */
export const COMPARE_HEADER = [
  'metric', 'year', 'scenario', 'n', 'mean', 'ci_low', 'ci_high',
  'diff_mean', 'diff_ci_low', 'diff_ci_high', 'diff_sd', 'unpaired_diff_ci_low', 'unpaired_diff_ci_high',
  'parametric_share', 'diff_parametric_share',
];

export function compareCsv(rows: CompareRow[]): string {
  let out = csvRow(COMPARE_HEADER);
  for (const r of rows) {
    const d = r.diff;
    const u = r.unpaired;
    out += csvRow([
      r.metric, r.year, r.scenario, r.s.n, r.s.mean, r.s.ciLow, r.s.ciHigh,
      d ? d.mean : NaN, d ? d.ciLow : NaN, d ? d.ciHigh : NaN, d ? d.sd : NaN, u ? u.ciLow : NaN, u ? u.ciHigh : NaN,
      r.parametricShare ?? NaN, r.diffParametricShare ?? NaN,
    ]);
  }
  return out;
}

/**
 * The largest 95% CI half-width of the paired difference of `metric` in
 * `year` against the first scenario, over the other scenarios (NaN if any is
 * undefined): what `compare --precision` drives down.
 */
export function worstDiffHalfWidth(runs: PackedResult[][], metric: string, year: number, groups?: ArrayLike<number>): number {
  const base = metricValues(runs[0]!, metric, year);
  let worst = -Infinity;
  for (let i = 1; i < runs.length; i++) {
    const d = pairedDifference(base, metricValues(runs[i]!, metric, year), groups);
    const h = halfWidth(d.ciLow, d.ciHigh);
    if (!Number.isFinite(h)) return NaN;
    worst = Math.max(worst, h);
  }
  return worst === -Infinity ? NaN : worst;
}

/** Distinct labels for the scenarios: their names, with the file's base name added where names repeat. */
export function scenarioLabels(names: string[], files: string[]): string[] {
  const labels = names.map((n, i) => (names.filter((m) => m === n).length > 1 ? `${n}@${files[i]!.replace(/^.*[\\/]/, '').replace(/\.json$/i, '')}` : n));
  return labels.map((l, i) => (labels.filter((m) => m === l).length > 1 ? `${l}#${i + 1}` : l));
}
