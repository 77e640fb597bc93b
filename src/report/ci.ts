/**
 * Mean and 95% confidence interval over replicates for the page and the
 * report, browser-safe (no imports). The same definition as
 * src/experiment/stats.ts (Student's t, NaN values left out; a test checks
 * that both agree), so the page's numbers match the CLI's summary.csv.
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

export function meanCI(values: ArrayLike<number>): MeanCI {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) { n++; sum += v; }
  }
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, low: NaN, high: NaN };
  const mean = sum / n;
  if (n === 1) return { n, mean, sd: NaN, low: NaN, high: NaN };
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) ss += (v - mean) ** 2;
  }
  const sd = Math.sqrt(ss / (n - 1));
  const h = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, low: mean - h, high: mean + h };
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
