/** `cadreflow report <DIR>`: DIR/report.html and DIR/charts/*.svg from a results directory of run, compare, sweep or sensitivity. */
import path from 'node:path';
import { inputError } from '../scenario/errors.js';
import { writeReport } from '../report/report.js';

export interface ReportCliOptions {
  lang?: string;
  metric?: string;
  x?: string;
  y?: string;
  quiet?: boolean;
}

export async function reportCommand(dir: string, o: ReportCliOptions): Promise<void> {
  if (o.lang !== undefined && o.lang !== 'en' && o.lang !== 'zh') throw inputError('--lang', o.lang, 'en or zh');
  const r = writeReport(dir, { lang: o.lang as 'en' | 'zh' | undefined, metric: o.metric, x: o.x, y: o.y });
  if (!o.quiet) {
    const rel = (f: string) => path.relative(process.cwd(), f) || '.';
    process.stdout.write(`${r.kind} report: ${rel(r.html)} (${r.charts.length} charts, also as SVG in ${rel(path.join(dir, 'charts'))})\n`);
  }
}
