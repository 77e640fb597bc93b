/**
 * Writing a report: DIR/charts/*.svg and DIR/report.html, each replaced whole
 * (the charts built in a temporary folder swapped in, the page written to a
 * temporary file renamed over the old one), so an interrupted redraw leaves
 * the earlier report. Shared by the run/sweep/compare report, the posterior's
 * and the optimization's.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes the charts and the page; returns the page's path. */
export function writeReportFiles(dir: string, html: string, charts: readonly { file: string; svg: string }[]): string {
  const chartsDir = path.join(dir, 'charts');
  const tmpCharts = path.join(dir, `.charts.tmp-${process.pid}`);
  rmSync(tmpCharts, { recursive: true, force: true });
  mkdirSync(tmpCharts, { recursive: true });
  for (const c of charts) writeFileSync(path.join(tmpCharts, c.file), c.svg);
  if (existsSync(chartsDir)) rmSync(chartsDir, { recursive: true, force: true });
  renameSync(tmpCharts, chartsDir);
  const out = path.join(dir, 'report.html');
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, html);
  renameSync(tmp, out);
  return out;
}
