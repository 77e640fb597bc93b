/**
 * The report of an optimization (`cadreflow optimize`), DIR/report.html and
 * DIR/charts/pareto-front.svg, drawn from the files it wrote: manifest.json,
 * evaluations.csv, pareto.csv, references.csv and generations.csv.
 *
 * The front: with two objectives a scatter of every evaluated candidate
 * (feasible ones filled, infeasible ones hollow), the Pareto front in red
 * with the 95% CIs of both objectives as error bars and a step line through
 * it, and the reference scenarios as labelled diamonds with their CIs; with
 * three or more objectives, parallel coordinates of the front (one line per
 * point, one axis per objective) and of the references; with one objective,
 * the objective of each evaluation in order. Self-contained like the other
 * reports (report.ts): static SVG, no script, no external URL.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeReportFiles } from './report-files.js';
import type { EChartsOption } from 'echarts';
import { FONT, PALETTE } from './charts.js';
import { inlineSvg, renderSvg } from './svg.js';
import { num, parseCsv, type Table } from './csv-read.js';

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const fmt = (x: number) => (!Number.isFinite(x) ? '–' : Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 0.001) ? x.toExponential(2) : Number(x.toPrecision(4)).toString());

function read(file: string): Table {
  return existsSync(file) ? parseCsv(readFileSync(file, 'utf8')) : { header: [], rows: [] };
}

interface Obj {
  name: string;
  goal: string;
  years: string;
}

interface Pt {
  label: string;
  v: number[];
  lo: number[];
  hi: number[];
}

function points(t: Table, objs: Obj[], label: (r: string[]) => string): Pt[] {
  const c = objs.map((o) => [t.header.indexOf(o.name), t.header.indexOf(`${o.name}_ci_low`), t.header.indexOf(`${o.name}_ci_high`)]);
  return t.rows.map((r) => ({ label: label(r), v: c.map((k) => num(r[k[0]!])), lo: c.map((k) => num(r[k[1]!])), hi: c.map((k) => num(r[k[2]!])) }));
}

const axisName = (o: Obj) => `${o.name} (${o.goal}, ${o.years})`;

/** The error bar of one point along one axis: an ECharts custom-series line with end ticks. */
function errorBars(pts: Pt[], color: string, z: number): any[] {
  const bars = (axis: 0 | 1) => ({
    type: 'custom', silent: true, z,
    renderItem: (_: any, api: any) => {
      const x = api.value(0), y = api.value(1), lo = api.value(2), hi = api.value(3);
      const a = api.coord(axis === 0 ? [lo, y] : [x, lo]);
      const b = api.coord(axis === 0 ? [hi, y] : [x, hi]);
      const h = 3;
      const style = { stroke: color, lineWidth: 1, opacity: 0.8 };
      const tick = (p: number[]) => (axis === 0 ? { x1: p[0], y1: p[1]! - h, x2: p[0], y2: p[1]! + h } : { x1: p[0]! - h, y1: p[1], x2: p[0]! + h, y2: p[1] });
      return { type: 'group', children: [{ type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style }, { type: 'line', shape: tick(a), style }, { type: 'line', shape: tick(b), style }] };
    },
    data: pts.filter((p) => Number.isFinite(p.lo[axis]!) && Number.isFinite(p.hi[axis]!)).map((p) => [p.v[0], p.v[1], p.lo[axis], p.hi[axis]]),
  });
  return [bars(0), bars(1)];
}

export function frontScatterOption(objs: Obj[], all: Pt[], feasible: boolean[], front: Pt[], refs: Pt[]): EChartsOption {
  const sorted = [...front].sort((a, b) => a.v[0]! - b.v[0]!);
  // The step line of the attainment surface between front points (both objectives as the search sees them).
  const step: number[][] = [];
  sorted.forEach((p, i) => {
    if (i > 0) step.push(objs[1]!.goal === objs[0]!.goal ? [p.v[0]!, sorted[i - 1]!.v[1]!] : [sorted[i - 1]!.v[0]!, p.v[1]!]);
    step.push([p.v[0]!, p.v[1]!]);
  });
  return {
    textStyle: { fontFamily: FONT },
    title: { text: 'Pareto front', subtext: 'red: the non-dominated feasible candidates with 95% CIs; grey: every candidate evaluated (hollow: infeasible); blue: reference scenarios', left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } },
    grid: { left: 70, right: 30, top: 64, bottom: 50 },
    xAxis: { type: 'value', scale: true, name: axisName(objs[0]!), nameLocation: 'middle', nameGap: 28, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', scale: true, name: axisName(objs[1]!), nameLocation: 'middle', nameGap: 50, axisLabel: { fontSize: 10 } },
    series: [
      { type: 'scatter', silent: true, symbolSize: 5, itemStyle: { color: '#999', opacity: 0.5 }, data: all.filter((_, i) => feasible[i]).map((p) => p.v) },
      { type: 'scatter', silent: true, symbolSize: 5, itemStyle: { color: 'none', borderColor: '#bbb', borderWidth: 1 }, data: all.filter((q, i) => !feasible[i] && Number.isFinite(q.v[0]!) && Number.isFinite(q.v[1]!)).map((q) => q.v) },
      ...errorBars(front, PALETTE[0]!, 3),
      { type: 'line', silent: true, symbol: 'none', lineStyle: { color: PALETTE[0], width: 1, type: 'dashed' }, data: step, z: 2 },
      { type: 'scatter', silent: true, symbolSize: 8, itemStyle: { color: PALETTE[0] }, data: front.map((q) => q.v), z: 4 },
      ...errorBars(refs, PALETTE[2]!, 3),
      {
        type: 'scatter', silent: true, symbol: 'diamond', symbolSize: 11, itemStyle: { color: PALETTE[2] }, z: 5,
        label: { show: true, position: 'right', fontSize: 9, color: PALETTE[2], formatter: (q: any) => q.data.name },
        data: refs.map((q) => ({ name: q.label, value: q.v })),
      },
    ],
  } as EChartsOption;
}

export function parallelOption(objs: Obj[], front: Pt[], refs: Pt[]): EChartsOption {
  return {
    textStyle: { fontFamily: FONT },
    title: { text: 'Pareto front', subtext: 'parallel coordinates: one red line per non-dominated feasible candidate, blue: reference scenarios', left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } },
    parallel: { left: 60, right: 90, top: 90, bottom: 30 },
    parallelAxis: objs.map((o, i) => ({ dim: i, name: axisName(o), nameTextStyle: { fontSize: 10 }, scale: true, axisLabel: { fontSize: 9 } })),
    series: [
      { type: 'parallel', silent: true, lineStyle: { color: PALETTE[0], width: 1, opacity: 0.6 }, data: front.map((p) => p.v) },
      { type: 'parallel', silent: true, lineStyle: { color: PALETTE[2], width: 2, opacity: 0.9 }, data: refs.map((p) => p.v) },
    ],
  } as EChartsOption;
}

export function singleObjectiveOption(obj: Obj, all: Pt[], feasible: boolean[], front: Pt[]): EChartsOption {
  return {
    textStyle: { fontFamily: FONT },
    title: { text: `${obj.name} by evaluation`, subtext: 'grey: every candidate (hollow: infeasible); red: the best feasible', left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } },
    grid: { left: 70, right: 30, top: 64, bottom: 50 },
    xAxis: { type: 'value', name: 'evaluation', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', scale: true, name: axisName(obj), nameLocation: 'middle', nameGap: 50 },
    series: [
      { type: 'scatter', silent: true, symbolSize: 5, itemStyle: { color: '#999' }, data: all.map((p, i) => (feasible[i] ? [Number(p.label), p.v[0]] : null)).filter(Boolean) },
      { type: 'scatter', silent: true, symbolSize: 5, itemStyle: { color: 'none', borderColor: '#bbb', borderWidth: 1 }, data: all.map((p, i) => (!feasible[i] && Number.isFinite(p.v[0]!) ? [Number(p.label), p.v[0]] : null)).filter(Boolean) },
      { type: 'scatter', silent: true, symbolSize: 9, itemStyle: { color: PALETTE[0] }, data: front.map((p) => [Number(p.label), p.v[0]]) },
    ],
  } as EChartsOption;
}

function table(t: Table, numeric: (h: string) => boolean, keep: (h: string) => boolean = () => true): string {
  if (!t.header.length) return '';
  const cols = t.header.map((h, j) => ({ h, j })).filter((c) => keep(c.h));
  return `<table><thead><tr>${cols.map((c) => `<th>${esc(c.h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${cols.map((c) => {
    const v = r[c.j] ?? '';
    return `<td>${numeric(c.h) && v !== '' && Number.isFinite(Number(v)) ? esc(fmt(Number(v))) : esc(v)}</td>`;
  }).join('')}</tr>`).join('')}</tbody></table>`;
}

const CSS = `body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC", sans-serif; color: #222; margin: 0 auto; max-width: 1240px; padding: 24px 28px 60px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid #c0392b; padding-bottom: 4px; margin-top: 36px; }
.sub { color: #666; } figure { margin: 0; border: 1px solid #ddd; padding: 6px; display: inline-block; max-width: 100%; } figure svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0; font-size: 12.5px; } th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; } thead th { background: #f3f3f3; }`;

/** Writes DIR/report.html and DIR/charts/pareto-front.svg; returns the HTML file. */
export function writeOptimizeReport(dir: string): string {
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const objs: Obj[] = m.objectives;
  const evals = read(path.join(dir, 'evaluations.csv'));
  const pareto = read(path.join(dir, 'pareto.csv'));
  const refsT = read(path.join(dir, 'references.csv'));
  const gens = read(path.join(dir, 'generations.csv'));
  const iFeasible = evals.header.indexOf('feasible');
  const all = points(evals, objs, (r) => r[0]!);
  const feasible = evals.rows.map((r) => r[iFeasible] === 'TRUE');
  const front = points(pareto, objs, (r) => r[0]!);
  const refs = points(refsT, objs, (r) => path.basename(r[0]!, '.json'));
  let option: EChartsOption;
  let w = 760, h = 520;
  if (objs.length === 1) option = singleObjectiveOption(objs[0]!, all, feasible, front);
  else if (objs.length === 2) option = frontScatterOption(objs, all, feasible, front, refs);
  else {
    option = parallelOption(objs, front, refs);
    w = Math.max(760, 180 * objs.length);
  }
  const svg = renderSvg(option, w, h);
  const leverPaths: string[] = (m.levers ?? []).map((l: { path: string }) => l.path);
  const from = m.reformYear ? `Levers on policy act from ${m.reformYear} (a reform appended to the base scenario); other levers throughout.` : 'The levers act throughout (the base scenario has no reform and the file gives no reformYear).';
  const dominated = refsT.rows.filter((r) => r[refsT.header.indexOf('dominated')] === 'TRUE').length;
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`CadreFlow — ${m.optimization?.name ?? ''}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>CadreFlow report: ${esc(m.optimization?.name ?? path.basename(dir))}</h1>
<p class="sub">Optimization (NSGA-II) · ${esc(m.evaluations)} candidates × ${esc(m.replicates)} replicates on common random numbers · ${esc(m.generations)} generations · stopped: ${esc(m.stop)} · cadreflow ${esc(m.version ?? '')}</p>
<p>${esc(from)} Objectives: ${objs.map((o) => `${esc(o.name)} (${esc(o.goal)}, ${esc(o.years)})`).join('; ')}. ${m.constraints?.length ? `Constraints: ${m.constraints.map((c: any) => `${esc(c.name)}${c.atMost !== undefined ? ` ≤ ${esc(c.atMost)}` : ''}${c.atLeast !== undefined ? ` ≥ ${esc(c.atLeast)}` : ''} (${esc(c.years)})`).join('; ')}.` : ''} ${esc(m.feasible)} of ${esc(m.evaluations)} candidates are feasible; ${pareto.rows.length} are on the front.</p>
<h2>Front</h2>
<figure>${inlineSvg(svg, 'o1')}</figure>
<p>Each front point's scenario file (column scenario) reruns it: <code>cadreflow run DIR/front/FILE</code>.</p>
${table(pareto, (hd) => !leverPaths.includes(hd) && !['evaluation', 'generation', 'rank', 'feasible', 'scenario'].includes(hd), (hd) => !['violation', 'feasible', 'rank'].includes(hd))}
${refsT.rows.length ? `<h2>Reference scenarios</h2><p>Run with the same set and seeds; ${dominated} of ${refsT.rows.length} are dominated by a point of the front (dominated_by lists the evaluations).</p>${table(refsT, (hd) => !['scenario', 'feasible', 'dominated', 'dominated_by'].includes(hd))}` : ''}
<h2>Generations</h2>
${table(gens, () => false)}
</body>
</html>
`;
  const out = writeReportFiles(dir, html, [{ file: 'pareto-front.svg', svg }]);
  return out;
}

/** The report of an optimization's results directory (`cadreflow report DIR`); undefined when DIR holds something else. */
export function redrawOptimizeReport(dir: string): string | undefined {
  const mf = path.join(dir, 'manifest.json');
  if (!existsSync(mf) || !existsSync(path.join(dir, 'evaluations.csv'))) return undefined;
  try {
    if (JSON.parse(readFileSync(mf, 'utf8')).command !== 'optimize') return undefined;
  } catch {
    return undefined;
  }
  return writeOptimizeReport(dir);
}
