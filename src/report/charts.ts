/**
 * The chart specifications (ECharts options) of the report and the workshop
 * page: one function per kind of chart, used by the report to render static
 * SVG in Node (src/report/svg.ts) and by the page in the browser (the server
 * serves this compiled file as an ES module). Browser-safe: only a type import.
 */
import type { EChartsOption } from 'echarts';


/** A horizontal error bar from point a to point b (pixels), shifted by dy, with end ticks of half-height h: an ECharts custom-series group. */
function errorBar(a: number[], b: number[], dy: number, h: number, style: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1: a[0], y1: a[1]! + dy, x2: b[0], y2: b[1]! + dy }, style },
      { type: 'line', shape: { x1: a[0], y1: a[1]! + dy - h, x2: a[0], y2: a[1]! + dy + h }, style },
      { type: 'line', shape: { x1: b[0], y1: b[1]! + dy - h, x2: b[0], y2: b[1]! + dy + h }, style },
    ],
  };
}

export const PALETTE = ['#c0392b', '#2c3e50', '#2980b9', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#f39c12', '#34495e'];
// Single quotes: the SVG renderers write this into a double-quoted style attribute, unescaped.
export const FONT = "'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

const nz = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);

export interface BandSeries {
  name: string;
  /** Values aligned with the categories (years or parameter values); NaN where not (yet) known. */
  mean: number[];
  low?: number[];
  high?: number[];
  color?: string;
  /** Drawn dashed (e.g. the baseline). */
  dashed?: boolean;
}

export interface LineBandSpec {
  title?: string;
  subtitle?: string;
  /** x categories: years or parameter values, all of them from the start so a growing chart keeps its axis. */
  categories: (string | number)[];
  series: BandSeries[];
  /** Categories (years) at which a vertical line marks a reform. */
  marks?: { at: string | number; label: string }[];
  xName?: string;
  yName?: string;
  /** The y axis starts at 0 (shares); otherwise it fits the data. */
  fromZero?: boolean;
  /** Show the legend (default: when there is more than one series). */
  legend?: boolean;
  animation?: boolean;
}

/** Height of the strip above a line chart's plot that holds the reform marks' labels. */
const MARK_STRIP = 14;

/**
 * Lines with 95% CI bands. A band is a transparent `low` series with the
 * `high − low` series stacked on it as an area (ECharts' usual band idiom).
 */
export function lineBandOption(s: LineBandSpec): EChartsOption {
  const cats = s.categories.map(String);
  const series: any[] = [];
  s.series.forEach((b, k) => {
    const color = b.color ?? PALETTE[k % PALETTE.length]!;
    if (b.low && b.high) {
      const stack = `band-${k}`;
      series.push({
        name: `${b.name} (95% CI low)`, type: 'line', stack, symbol: 'none', silent: true, lineStyle: { opacity: 0 },
        data: b.low.map((v, i) => (Number.isFinite(v) && Number.isFinite(b.high![i]!) ? v : null)), tooltip: { show: false }, z: 1,
      });
      series.push({
        name: `${b.name} (95% CI)`, type: 'line', stack, symbol: 'none', silent: true, lineStyle: { opacity: 0 },
        areaStyle: { color, opacity: 0.18 }, tooltip: { show: false }, z: 1,
        data: b.high.map((v, i) => (Number.isFinite(v) && Number.isFinite(b.low![i]!) ? v - b.low![i]! : null)),
      });
    }
    series.push({
      name: b.name, type: 'line', symbol: 'circle', symbolSize: 3, showSymbol: cats.length <= 12, connectNulls: false, z: 3,
      lineStyle: { color, width: 2, type: b.dashed ? 'dashed' : 'solid' }, itemStyle: { color },
      data: b.mean.map((v) => nz(v)),
      markLine: k === 0 && s.marks?.length
        ? {
            symbol: 'none', silent: true, animation: false,
            lineStyle: { color: '#888', type: 'dashed', width: 1 },
            // Above the plot, starting at the line, in a strip of its own (MARK_STRIP) below the subtitle.
            label: { formatter: '{b}', position: 'end', align: 'left', distance: 3, color: '#555', fontSize: 9 },
            data: s.marks.map((m) => ({ xAxis: String(m.at), name: m.label })),
          }
        : undefined,
    });
  });
  const legendNames = s.series.map((b) => b.name);
  const showLegend = s.legend ?? s.series.length > 1;
  return {
    animation: s.animation ?? false,
    textStyle: { fontFamily: FONT },
    title: s.title ? { text: s.title, subtext: s.subtitle, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } } : undefined,
    legend: showLegend ? { data: legendNames, bottom: 0, textStyle: { fontSize: 10 } } : undefined,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v ?? '–')) },
    grid: { left: 52, right: 18, top: (s.title ? (s.subtitle ? 66 : 44) : 14) + (s.marks?.length ? MARK_STRIP : 0), bottom: showLegend ? 52 : 30 },
    xAxis: { type: 'category', data: cats, boundaryGap: false, name: s.xName, nameLocation: 'middle', nameGap: 22, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', scale: !s.fromZero, min: s.fromZero ? 0 : undefined, name: s.yName, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 }, splitLine: { lineStyle: { color: '#eee' } } },
    series,
  } as EChartsOption;
}

export interface SankeySpec {
  title?: string;
  subtitle?: string;
  /** Node ids with their display labels; ids must be unique (sources and targets are distinct nodes). */
  nodes: { id: string; label: string; color?: string; depth?: number }[];
  links: { source: string; target: string; value: number }[];
  /** Format of the link values in tooltips. */
  unit?: string;
  animation?: boolean;
}

/** A Sankey diagram; links of zero value are left out (ECharts draws them as hairlines). */
export function sankeyOption(s: SankeySpec): EChartsOption {
  const label = new Map(s.nodes.map((n) => [n.id, n.label]));
  const links = s.links.filter((l) => l.value > 0);
  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  return {
    animation: s.animation ?? false,
    textStyle: { fontFamily: FONT },
    title: s.title ? { text: s.title, subtext: s.subtitle, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } } : undefined,
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${Number(v.toPrecision(3))}${s.unit ? ' ' + s.unit : ''}` : String(v)) },
    series: [
      {
        type: 'sankey',
        top: s.title ? (s.subtitle ? 60 : 40) : 10, bottom: 10, left: 10, right: 240,
        nodeAlign: 'justify', nodeGap: 10, draggable: false, layoutIterations: 0,
        emphasis: { focus: 'adjacency' },
        label: { fontSize: 11, formatter: (p: any) => label.get(p.name) ?? p.name },
        lineStyle: { color: 'gradient', opacity: 0.45, curveness: 0.5 },
        data: s.nodes.filter((n) => used.has(n.id)).map((n) => ({ name: n.id, itemStyle: n.color ? { color: n.color } : undefined, depth: n.depth })),
        links: links.map((l) => ({ source: l.source, target: l.target, value: Number(l.value.toPrecision(6)) })),
        tooltip: { formatter: (p: any) => (p.dataType === 'edge' ? `${label.get(p.data.source)} → ${label.get(p.data.target)}: ${Number(Number(p.data.value).toPrecision(3))}${s.unit ? ' ' + s.unit : ''}` : `${label.get(p.name)}: ${Number(Number(p.value).toPrecision(3))}`) },
      } as any,
    ],
  } as EChartsOption;
}

export interface HeatmapSpec {
  title?: string;
  subtitle?: string;
  x: string[];
  y: string[];
  xName: string;
  yName: string;
  /** value[i][j] at x[i], y[j]; NaN where there is no run. */
  value: number[][];
  animation?: boolean;
}

/** A heatmap of a metric over two parameters, each cell labelled with its value. */
export function heatmapOption(s: HeatmapSpec): EChartsOption {
  const data: [number, number, number | string][] = [];
  let lo = Infinity, hi = -Infinity;
  s.value.forEach((col, i) => col.forEach((v, j) => {
    data.push([i, j, Number.isFinite(v) ? Number(v.toPrecision(4)) : '-']);
    if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }));
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (lo === hi) { lo -= 1e-9; hi += 1e-9; }
  return {
    animation: s.animation ?? false,
    textStyle: { fontFamily: FONT },
    title: s.title ? { text: s.title, subtext: s.subtitle, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } } : undefined,
    tooltip: { position: 'top' },
    grid: { left: 90, right: 80, top: s.title ? (s.subtitle ? 64 : 44) : 12, bottom: 48 },
    xAxis: { type: 'category', data: s.x, name: s.xName, nameLocation: 'middle', nameGap: 30, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: s.y, name: s.yName, nameLocation: 'middle', nameGap: 70, axisLabel: { fontSize: 10 } },
    visualMap: { min: lo, max: hi, calculable: false, text: [String(Number(hi.toPrecision(3))), String(Number(lo.toPrecision(3)))], orient: 'vertical', right: 0, top: 'middle', itemHeight: 120, precision: 3, inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] }, textStyle: { fontSize: 10 } },
    series: [{ type: 'heatmap', data, label: { show: s.x.length * s.y.length <= 80, fontSize: 9, formatter: (p: any) => (typeof p.value[2] === 'number' ? String(Number(p.value[2].toPrecision(3))) : '') } } as any],
  } as EChartsOption;
}

export interface ScatterSpec {
  title?: string;
  subtitle?: string;
  points: { name: string; x: number; y: number }[];
  xName: string;
  yName: string;
  /** Reference lines y = k·x (Morris: σ/μ* ratios). */
  ratios?: number[];
  animation?: boolean;
}

/** Morris μ*–σ: each parameter a labelled point; dashed rays σ = k·μ*. */
export function morrisOption(s: ScatterSpec): EChartsOption {
  const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xmax = Math.max(1e-12, ...pts.map((p) => p.x)) * 1.1;
  const ymax = Math.max(1e-12, ...pts.map((p) => p.y)) * 1.1;
  const rays = (s.ratios ?? [0.1, 0.5, 1]).map((k) => ({
    type: 'line', silent: true, symbol: 'none', animation: false, tooltip: { show: false },
    lineStyle: { color: '#bbb', type: 'dashed', width: 1 },
    endLabel: { show: true, formatter: `σ/μ* = ${k}`, fontSize: 9, color: '#999' },
    data: [[0, 0], k * xmax <= ymax ? [xmax, k * xmax] : [ymax / k, ymax]],
  }));
  return {
    animation: s.animation ?? false,
    textStyle: { fontFamily: FONT },
    title: s.title ? { text: s.title, subtext: s.subtitle, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } } : undefined,
    tooltip: { trigger: 'item' },
    grid: { left: 56, right: 70, top: s.title ? (s.subtitle ? 64 : 44) : 12, bottom: 44 },
    xAxis: { type: 'value', name: s.xName, nameLocation: 'middle', nameGap: 26, min: 0, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', name: s.yName, nameLocation: 'middle', nameGap: 40, min: 0, axisLabel: { fontSize: 10 } },
    series: [
      ...rays,
      {
        type: 'scatter', symbolSize: 9, itemStyle: { color: PALETTE[0] },
        label: { show: true, position: 'right', fontSize: 9, formatter: (p: any) => p.data.name },
        data: pts.map((p) => ({ name: p.name, value: [p.x, p.y] })),
      },
    ],
  } as EChartsOption;
}

export interface SobolSpec {
  title?: string;
  subtitle?: string;
  parameters: string[];
  S1: number[];
  S1low: number[];
  S1high: number[];
  ST: number[];
  STlow: number[];
  SThigh: number[];
  animation?: boolean;
}

/** Sobol indices: horizontal bars of S1 and ST per parameter with their 95% intervals as error bars. */
export function sobolOption(s: SobolSpec): EChartsOption {
  const errorBars = (low: number[], high: number[], offset: number, color: string) => ({
    type: 'custom', silent: true, z: 5, tooltip: { show: false },
    renderItem: (_params: any, api: any) => {
      const j = api.value(0), lo = api.value(1), hi = api.value(2);
      const a = api.coord([lo, j]), b = api.coord([hi, j]);
      const band = api.size([0, 1])[1];
      const dy = offset * band;
      const h = band * 0.08;
      const style = { stroke: color, lineWidth: 1.2 };
      return errorBar(a, b, dy, h, style);
    },
    data: s.parameters.map((_, j) => [j, low[j], high[j]]).filter((d) => Number.isFinite(d[1]) && Number.isFinite(d[2])),
    encode: { x: [1, 2], y: 0 },
  });
  // Two bars per category with barGap 0 and barCategoryGap 40%: each is 30% of the band, centred ∓15%.
  // On a horizontal bar chart the first series (S1) sits above the second (ST) in each category.
  return {
    animation: s.animation ?? false,
    textStyle: { fontFamily: FONT },
    title: s.title ? { text: s.title, subtext: s.subtitle, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } } : undefined,
    legend: { data: ['S1', 'ST'], bottom: 0, textStyle: { fontSize: 10 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 170, right: 24, top: s.title ? (s.subtitle ? 64 : 44) : 12, bottom: 40 },
    xAxis: { type: 'value', min: (v: { min: number }) => Math.min(0, Number(v.min.toPrecision(2))), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: s.parameters, axisLabel: { fontSize: 10 } },
    series: [
      { name: 'S1', type: 'bar', barGap: '0%', barCategoryGap: '40%', itemStyle: { color: PALETTE[2] }, data: s.S1.map(nz) },
      { name: 'ST', type: 'bar', itemStyle: { color: PALETTE[0] }, data: s.ST.map(nz) },
      errorBars(s.S1low, s.S1high, -0.15, '#1a4f72'),
      errorBars(s.STlow, s.SThigh, 0.15, '#7b241c'),
    ] as any,
  } as EChartsOption;
}

export interface MapRegion {
  code: string;
  name: string;
  level: number;
  x: number;
  y: number;
  value: number;
}

export interface MapSpec {
  title?: string;
  subtitle?: string;
  regions: MapRegion[];
  /** Chart size in pixels, to keep the map's aspect (1 km east = 1 km north). */
  width: number;
  height: number;
  /** Colour range; default the values' range (symmetric around 0 when `diverging`). */
  min?: number;
  max?: number;
  diverging?: boolean;
  /** Label the prefectures (level 2) by name. */
  labels?: boolean;
  valueName?: string;
  animation?: boolean;
  /**
   * Draw the province's outline as the union of discs of this radius (km) around the regions' seats:
   * a darker disc under a lighter one leaves a line only on the union's edge. Off by default (the report).
   */
  outlineKm?: number;
  /** Move overlapping labels apart (and hide those that still overlap). */
  shiftLabels?: boolean;
  /** Format of the legend's numbers (default 3 significant digits). */
  format?: (v: number) => string;
}

/**
 * A map of the province: every region a circle at its projected position
 * (km east and north, MODEL.md §2.1), sized by level, coloured by a value.
 */
export function mapOption(s: MapSpec): EChartsOption {
  const rs = s.regions;
  const xs = rs.map((r) => r.x), ys = rs.map((r) => r.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const pad = 0.04 * Math.max(x1 - x0, y1 - y0, 1);
  const dx = x1 - x0 + 2 * pad, dy = y1 - y0 + 2 * pad;
  const top = s.title ? (s.subtitle ? 64 : 44) : 10;
  const availW = Math.max(50, s.width - 90 - 20), availH = Math.max(50, s.height - top - 16);
  const k = Math.min(availW / dx, availH / dy);
  const gw = dx * k, gh = dy * k;
  const left = 20 + (availW - gw) / 2, gtop = top + (availH - gh) / 2;
  const vals = rs.map((r) => r.value).filter((v) => Number.isFinite(v));
  let lo = s.min ?? (vals.length ? Math.min(...vals) : 0);
  let hi = s.max ?? (vals.length ? Math.max(...vals) : 1);
  if (s.diverging && s.min === undefined && s.max === undefined) { const m = Math.max(Math.abs(lo), Math.abs(hi), 1e-9); lo = -m; hi = m; }
  if (lo === hi) { lo -= 1e-9; hi += 1e-9; }
  const size = (lv: number) => (lv >= 3 ? 16 : lv === 2 ? 11 : 7);
  const fmt = (v: number) => (Number.isFinite(v) ? (s.format ? s.format(v) : String(Number(v.toPrecision(3)))) : '–');
  const disc = (r: number, color: string, z: number) => ({
    type: 'scatter', silent: true, z, symbolSize: Math.max(2, 2 * r), itemStyle: { color, opacity: 1 }, tooltip: { show: false },
    data: rs.map((g) => [g.x, g.y]), animation: false,
  });
  const outline = s.outlineKm ? [disc(s.outlineKm * k + 1.5, '#8d99a6', 0), disc(s.outlineKm * k, '#eef1f4', 1)] : [];
  return {
    animation: s.animation ?? false,
    textStyle: { fontFamily: FONT },
    title: s.title ? { text: s.title, subtext: s.subtitle, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } } : undefined,
    tooltip: { trigger: 'item', formatter: (p: any) => `${p.data.name}: ${fmt(p.data.value[2])}` },
    grid: { left, top: gtop, width: gw, height: gh },
    xAxis: { type: 'value', min: x0 - pad, max: x1 + pad, show: false },
    yAxis: { type: 'value', min: y0 - pad, max: y1 + pad, show: false },
    visualMap: {
      type: 'continuous', min: lo, max: hi, dimension: 2, right: 4, bottom: 10, itemHeight: 110, itemWidth: 12, precision: 3, calculable: false,
      ...(outline.length ? { seriesIndex: outline.length } : {}),
      text: [`${s.valueName ? s.valueName + '\n' : ''}${fmt(hi)}`, fmt(lo)], textStyle: { fontSize: 9 },
      inRange: { color: s.diverging ? ['#2166ac', '#f7f7f7', '#b2182b'] : ['#fff5eb', '#fd8d3c', '#7f2704'] },
      outOfRange: { color: '#ccc' },
    },
    series: [
      ...outline,
      {
        type: 'scatter',
        ...(outline.length ? { z: 2 } : {}),
        symbolSize: (v: any) => size(v[3]),
        itemStyle: { borderColor: '#555', borderWidth: 0.5 },
        label: { show: !!s.labels, fontSize: 9, position: 'right', color: '#333', formatter: (p: any) => (p.data.value[3] === 2 ? p.data.name : '') },
        labelLayout: s.shiftLabels ? { moveOverlap: 'shiftY', hideOverlap: true } : { hideOverlap: true },
        data: [...rs].sort((a, b) => a.level - b.level).reverse().map((r) => ({ name: r.name, value: [r.x, r.y, Number.isFinite(r.value) ? r.value : null, r.level] })),
      } as any,
    ],
  } as EChartsOption;
}

export interface BarPanel {
  /** The unit of the panel's values, written under its axis (e.g. "percentage points"). */
  unit: string;
  /** One row per category (metric), top to bottom. */
  categories: string[];
  /** [series][category]: the bar, and its 95% interval drawn as an error bar. */
  values: number[][];
  low: number[][];
  high: number[][];
}

export interface DifferenceBarsSpec {
  title?: string;
  subtitle?: string;
  /** The series (scenarios) with their colours, the same in every panel. */
  series: { name: string; color?: string }[];
  /** Stacked top to bottom, each with its own value axis: values in different units are not drawn on one scale. */
  panels: BarPanel[];
  animation?: boolean;
}

// Layout of differenceBarsOption in pixels, shared with differenceBarsHeight.
const BAR_TOP = (s: { title?: string; subtitle?: string }) => (s.title ? (s.subtitle ? 64 : 44) : 12);
const BAR_AXIS = 46; // below each panel: its tick labels and unit
const BAR_LEGEND = 30;
const barRow = (nSeries: number) => Math.max(30, 10 + 13 * nSeries);

/** The height a difference chart needs for its rows (one per category of each panel) and axes. */
export function differenceBarsHeight(s: DifferenceBarsSpec): number {
  const rows = s.panels.reduce((a, p) => a + p.categories.length, 0);
  return BAR_TOP(s) + rows * barRow(s.series.length) + s.panels.length * BAR_AXIS + BAR_LEGEND;
}

/**
 * Horizontal bars of differences with 95% error bars, in panels that each have
 * their own value axis (e.g. shares in percentage points, then each other metric
 * in its own unit). Within a category the series are grouped, first at the top;
 * the category axis sits on 0.
 */
export function differenceBarsOption(s: DifferenceBarsSpec): EChartsOption {
  const k = s.series.length;
  const row = barRow(k);
  const grids: any[] = [], xAxes: any[] = [], yAxes: any[] = [], series: any[] = [];
  // barCategoryGap 30% and barGap 0: the k bars fill 70% of the band, bar j centred at (j + 0.5)/k of it.
  const offset = (j: number) => -0.35 + ((j + 0.5) * 0.7) / k;
  let y = BAR_TOP(s);
  s.panels.forEach((p, g) => {
    const h = p.categories.length * row;
    grids.push({ left: 190, right: 24, top: y, height: h });
    y += h + BAR_AXIS;
    xAxes.push({ type: 'value', gridIndex: g, name: p.unit, nameLocation: 'middle', nameGap: 22, nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 }, splitLine: { lineStyle: { color: '#eee' } } });
    yAxes.push({ type: 'category', gridIndex: g, data: p.categories, inverse: true, axisTick: { show: false }, axisLabel: { fontSize: 10, width: 170, overflow: 'break' } });
    s.series.forEach((b, j) => {
      const color = b.color ?? PALETTE[j % PALETTE.length]!;
      series.push({
        name: b.name, type: 'bar', xAxisIndex: g, yAxisIndex: g, barGap: '0%', barCategoryGap: '30%',
        itemStyle: { color, opacity: 0.85 }, data: p.values[j]!.map(nz),
      });
      series.push({
        type: 'custom', xAxisIndex: g, yAxisIndex: g, silent: true, z: 5, tooltip: { show: false },
        renderItem: (_params: any, api: any) => {
          const c = api.value(0), lo = api.value(1), hi = api.value(2);
          const a = api.coord([lo, c]), e = api.coord([hi, c]);
          const band = api.size([0, 1])[1];
          const dy = offset(j) * band, tick = Math.min(5, band * 0.3 / k);
          const style = { stroke: '#333', lineWidth: 1.1 };
          return errorBar(a, e, dy, tick, style);
        },
        data: p.categories.map((_, c) => [c, p.low[j]![c], p.high[j]![c]]).filter((d) => Number.isFinite(d[1]) && Number.isFinite(d[2])),
        encode: { x: [1, 2], y: 0 },
      });
    });
  });
  return {
    animation: s.animation ?? false,
    textStyle: { fontFamily: FONT },
    title: s.title ? { text: s.title, subtext: s.subtitle, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } } : undefined,
    legend: { data: s.series.map((b) => b.name), bottom: 0, textStyle: { fontSize: 10 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: grids, xAxis: xAxes, yAxis: yAxes, series,
  } as EChartsOption;
}
