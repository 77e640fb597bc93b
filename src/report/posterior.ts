/**
 * The report of a Bayesian (ABC-SMC) calibration, DIR/report.html and
 * DIR/charts/*.svg, drawn from the files `cadreflow calibrate` wrote:
 * posterior.csv (its last generation), posterior-summary.csv, generations.csv,
 * fit.csv and manifest.json. The pair plot shows the posterior sample: on the
 * diagonal each parameter's weighted histogram over its prior range, below it
 * each pair of parameters as a scatter whose point area follows the particle's
 * weight, above it their weighted correlation. Self-contained like the other
 * reports (report.ts): static SVG, no script, no external URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeReportFiles } from './report-files.js';
import type { EChartsOption } from 'echarts';
import { FONT, PALETTE } from './charts.js';
import { inlineSvg, renderSvg } from './svg.js';

export interface PosteriorReportSpec {
  name: string;
  paths: string[];
  ranges: { min: number; max: number }[];
  integer: boolean[];
}

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function readCsv(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split(','));
}

const short = (p: string) => p.split('.').pop()!;
const fmt = (x: number) => (!Number.isFinite(x) ? '–' : Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 0.001) ? x.toExponential(2) : Number(x.toPrecision(4)).toString());

/** The weighted histogram of one parameter over its prior range (integers: one bar per value when there are at most 40). */
function histogram(xs: number[], ws: number[], r: { min: number; max: number }, integer: boolean): { edges: number[]; mass: number[] } {
  const bins = integer && r.max - r.min + 1 <= 40 ? r.max - r.min + 1 : 20;
  const lo = integer && bins === r.max - r.min + 1 ? r.min - 0.5 : r.min;
  const hi = integer && bins === r.max - r.min + 1 ? r.max + 0.5 : r.max;
  const width = (hi - lo) / bins;
  const mass = new Array<number>(bins).fill(0);
  xs.forEach((x, i) => (mass[Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)))]! += ws[i]!));
  return { edges: Array.from({ length: bins + 1 }, (_, k) => lo + k * width), mass };
}

function weightedCorrelation(a: number[], b: number[], w: number[]): number {
  const sw = w.reduce((s, x) => s + x, 0);
  const ma = a.reduce((s, x, i) => s + w[i]! * x, 0) / sw;
  const mb = b.reduce((s, x, i) => s + w[i]! * x, 0) / sw;
  let sab = 0, saa = 0, sbb = 0;
  a.forEach((x, i) => {
    sab += w[i]! * (x - ma) * (b[i]! - mb);
    saa += w[i]! * (x - ma) ** 2;
    sbb += w[i]! * (b[i]! - mb) ** 2;
  });
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** The pair plot as one chart: a d × d matrix of grids. */
export function pairPlotOption(spec: PosteriorReportSpec, theta: number[][], weights: number[], cell: number): EChartsOption {
  const d = spec.paths.length;
  const left = 70, top = 20, gap = 10;
  const grids: any[] = [], xAxes: any[] = [], yAxes: any[] = [], series: any[] = [], texts: any[] = [];
  const wmax = Math.max(...weights);
  const col = (i: number) => theta.map((t) => t[i]!);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      const x0 = left + c * (cell + gap), y0 = top + r * (cell + gap);
      if (c > r) {
        const rho = weightedCorrelation(col(c), col(r), weights);
        texts.push({ type: 'text', left: x0 + cell / 2 - 22, top: y0 + cell / 2 - 8, style: { text: `ρ = ${Number.isFinite(rho) ? rho.toFixed(2) : '–'}`, fontSize: 12, fill: Math.abs(rho) >= 0.5 ? PALETTE[0] : '#555', fontFamily: FONT } });
        continue;
      }
      const g = grids.length;
      grids.push({ left: x0, top: y0, width: cell, height: cell, show: true, borderColor: '#ccc' });
      const rx = spec.ranges[c]!;
      const xName = r === d - 1 ? short(spec.paths[c]!) : '';
      if (c === r) {
        const h = histogram(col(c), weights, rx, spec.integer[c]!);
        const total = h.mass.reduce((s, x) => s + x, 0) || 1;
        xAxes.push({ gridIndex: g, type: 'value', min: h.edges[0], max: h.edges[h.edges.length - 1], name: xName, nameLocation: 'middle', nameGap: 22, axisLabel: { fontSize: 9, show: r === d - 1 }, splitLine: { show: false } });
        const top = Math.max(1e-12, ...h.mass.map((m) => m / total)) * 1.1;
        yAxes.push({ gridIndex: g, type: 'value', min: 0, max: top, axisLabel: { show: false }, axisTick: { show: false }, splitLine: { show: false }, name: c === 0 ? short(spec.paths[r]!) : '', nameLocation: 'middle', nameGap: 8 });
        series.push({
          type: 'custom', xAxisIndex: g, yAxisIndex: g, silent: true, encode: { x: [0, 1], y: 2 },
          renderItem: (_: any, api: any) => {
            const [x1, y1] = api.coord([api.value(0), api.value(2)]);
            const [x2, y2] = api.coord([api.value(1), 0]);
            return { type: 'rect', shape: { x: x1, y: y1, width: Math.max(1, x2 - x1 - 1), height: y2 - y1 }, style: { fill: PALETTE[2], opacity: 0.75 } };
          },
          data: h.mass.map((m, k) => [h.edges[k]!, h.edges[k + 1]!, m / total]),
        });
      } else {
        const ry = spec.ranges[r]!;
        xAxes.push({ gridIndex: g, type: 'value', min: rx.min, max: rx.max, name: xName, nameLocation: 'middle', nameGap: 22, axisLabel: { fontSize: 9, show: r === d - 1 }, splitLine: { show: false } });
        yAxes.push({ gridIndex: g, type: 'value', min: ry.min, max: ry.max, axisLabel: { fontSize: 9, show: c === 0 }, splitLine: { show: false }, name: c === 0 ? short(spec.paths[r]!) : '', nameLocation: 'middle', nameGap: 44 });
        series.push({
          type: 'scatter', xAxisIndex: g, yAxisIndex: g, silent: true,
          symbolSize: (v: number[]) => 2 + 7 * Math.sqrt(v[2]! / wmax),
          itemStyle: { color: PALETTE[1], opacity: 0.45 },
          data: theta.map((t, i) => [t[c]!, t[r]!, weights[i]!]),
        });
      }
    }
  }
  return { textStyle: { fontFamily: FONT }, grid: grids, xAxis: xAxes, yAxis: yAxes, series, graphic: texts } as EChartsOption;
}

function epsilonOption(gens: string[][]): EChartsOption {
  const rows = gens.slice(1);
  return {
    textStyle: { fontFamily: FONT },
    title: { text: 'Tolerance by generation', subtext: 'ε: the largest distance kept (log scale)', left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } },
    grid: { left: 60, right: 20, top: 64, bottom: 44 },
    xAxis: { type: 'category', name: 'generation', nameLocation: 'middle', nameGap: 26, data: rows.map((r) => r[0]!) },
    yAxis: { type: 'log', name: 'ε', nameLocation: 'middle', nameGap: 44, axisLabel: { fontSize: 10 } },
    series: [{ type: 'line', symbolSize: 6, itemStyle: { color: PALETTE[0] }, data: rows.map((r) => Math.max(Number(r[4]), 1e-12)) }],
  } as EChartsOption;
}

function table(rows: string[][], numeric: (c: number) => boolean): string {
  if (!rows.length) return '';
  const [head, ...body] = rows;
  return `<table><thead><tr>${head!.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((v, c) => `<td>${numeric(c) && v !== '' && Number.isFinite(Number(v)) ? esc(fmt(Number(v))) : esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const CSS = `body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC", sans-serif; color: #222; margin: 0 auto; max-width: 1240px; padding: 24px 28px 60px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid #c0392b; padding-bottom: 4px; margin-top: 36px; }
.sub { color: #666; } figure { margin: 0; border: 1px solid #ddd; padding: 6px; display: inline-block; max-width: 100%; } figure svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0; font-size: 12.5px; } th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; } thead th { background: #f3f3f3; }`;

/** Writes DIR/report.html and DIR/charts/{posterior-pairs,posterior-tolerance}.svg; returns the HTML file. */
export function writePosteriorReport(dir: string, spec: PosteriorReportSpec): string {
  const post = readCsv(path.join(dir, 'posterior.csv'));
  const head = post[0] ?? [];
  const rows = post.slice(1);
  const lastGen = rows.length ? rows[rows.length - 1]![0] : undefined;
  const last = rows.filter((r) => r[0] === lastGen);
  const iw = head.indexOf('weight');
  const cols = spec.paths.map((p) => head.indexOf(p));
  const theta = last.map((r) => cols.map((c) => Number(r[c])));
  const weights = last.map((r) => Number(r[iw]));
  const d = spec.paths.length;
  const cell = Math.max(90, Math.min(180, Math.floor(820 / d)));
  const pairs = renderSvg(pairPlotOption(spec, theta, weights, cell), 70 + d * (cell + 10) + 20, 20 + d * (cell + 10) + 40);
  const gens = readCsv(path.join(dir, 'generations.csv'));
  const eps = renderSvg(epsilonOption(gens), 560, 300);
  let manifest: Record<string, any> = {};
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    manifest = {};
  }
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`CadreFlow — ${spec.name}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>CadreFlow report: ${esc(spec.name)}</h1>
<p class="sub">Bayesian calibration (ABC-SMC) · generation ${esc(lastGen ?? '–')}${manifest.stop ? ` · stopped: ${esc(manifest.stop)}` : ''} · cadreflow ${esc(manifest.version ?? '')}</p>
<h2>Posterior</h2>
<p>The ${last.length} particles of the last generation, weighted. Diagonal: each parameter's weighted histogram over its prior range; below: pairs of parameters (point area ∝ weight); above: weighted correlation ρ.</p>
<figure>${inlineSvg(pairs, 'p1')}</figure>
${table(readCsv(path.join(dir, 'posterior-summary.csv')), (c) => c > 0)}
<h2>Generations</h2>
<figure>${inlineSvg(eps, 'p2')}</figure>
${table(gens, () => true)}
<h2>Posterior predictive fit</h2>
<p>Runs of particles drawn from the posterior by weight, on fresh seeds (fit.csv): the mean of each target and its 95% CI.</p>
${table(readCsv(path.join(dir, 'fit.csv')), (c) => [3, 4, 5, 6, 7, 10, 12].includes(c))}
</body>
</html>
`;
  const out = writeReportFiles(dir, html, [{ file: 'posterior-pairs.svg', svg: pairs }, { file: 'posterior-tolerance.svg', svg: eps }]);
  return out;
}

/**
 * The report of an ABC-SMC calibration's results directory (`cadreflow
 * report DIR`), its parameters and ranges from manifest.json; undefined when
 * DIR holds something else.
 */
export function redrawPosteriorReport(dir: string): string | undefined {
  const mf = path.join(dir, 'manifest.json');
  if (!existsSync(mf) || !existsSync(path.join(dir, 'posterior.csv'))) return undefined;
  let m: Record<string, any>;
  try {
    m = JSON.parse(readFileSync(mf, 'utf8'));
  } catch {
    return undefined;
  }
  if (m.command !== 'calibrate' || m.method !== 'abc-smc' || typeof m.calibration?.parameters !== 'object') return undefined;
  const paths = Object.keys(m.calibration.parameters);
  const ranges = paths.map((p) => m.calibration.parameters[p] as { min: number; max: number; integer?: boolean });
  return writePosteriorReport(dir, { name: String(m.calibration.name ?? path.basename(dir)), paths, ranges, integer: ranges.map((r) => !!r.integer) });
}
