/**
 * Per-run values of metrics read back from a sweep's timeseries.csv: for each
 * run (point, replicate), the mean of a metric over a set of years. One reader
 * for the generations of an ABC-SMC calibration (each target's value) and of
 * an optimization (each objective's and constraint's value).
 */
import { LineReader } from './line-reader.js';

/** A metric and the years whose mean is a run's value. */
export interface RunMeasure {
  metric: string;
  yearList: readonly number[];
}

/**
 * Per point, per measure, the per-run values (the mean of the metric over the
 * measure's years, undefined years left out; NaN if undefined in all of them),
 * in replicate order, from a sweep's timeseries.csv.
 */
export function measureRuns(file: string, measures: readonly RunMeasure[], points: number): number[][][] {
  const r = new LineReader(file);
  try {
    const header = r.next()!.split(',');
    const iPoint = header.indexOf('point');
    const iRep = header.indexOf('replicate');
    const iYear = header.indexOf('year');
    const cols = measures.map((m) => header.indexOf(m.metric));
    const years = measures.map((m) => new Set(m.yearList));
    const runs = Array.from({ length: points }, () => new Map<number, { s: number[]; n: number[] }>());
    for (let line = r.next(); line !== undefined; line = r.next()) {
      if (!line) continue;
      const c = line.split(',');
      const p = Number(c[iPoint]);
      const k = Number(c[iRep]);
      const y = Number(c[iYear]);
      let e = runs[p]!.get(k);
      if (!e) runs[p]!.set(k, (e = { s: measures.map(() => 0), n: measures.map(() => 0) }));
      for (let j = 0; j < cols.length; j++) {
        if (!years[j]!.has(y) || c[cols[j]!] === '') continue;
        const v = Number(c[cols[j]!]);
        if (Number.isFinite(v)) {
          e.s[j]! += v;
          e.n[j]!++;
        }
      }
    }
    return runs.map((m) => {
      const reps = [...m.keys()].sort((a, b) => a - b);
      return measures.map((_, j) => reps.map((k) => {
        const e = m.get(k)!;
        return e.n[j]! ? e.s[j]! / e.n[j]! : NaN;
      }));
    });
  } finally {
    r.close();
  }
}
