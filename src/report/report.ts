/**
 * The HTML report of a results directory (`cadreflow report <DIR>`, also
 * written by `run`): one self-contained, printable page with static SVG
 * charts rendered in Node from the chart specifications of charts.ts, and the
 * same charts as separate SVG files in DIR/charts/ for papers. No script and
 * no external URL: it opens offline and prints as it looks.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { writeReportFiles } from './report-files.js';
import { HEADLINE, SHARES, UNIT_RANGE } from '../metrics/definitions.js';
import { rulesAt } from '../model/policy-at.js';
import { parseScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { buildWorld, type World } from '../world/world.js';
import { inputError } from '../scenario/errors.js';
import { differenceBarsHeight, differenceBarsOption, heatmapOption, lineBandOption, mapOption, morrisOption, sankeyOption, sobolOption, PALETTE, type BandSeries, type BarPanel, type DifferenceBarsSpec } from './charts.js';
import { allEqual, meanCI, displayNumber } from './ci.js';
import { groupMeans } from '../experiment/stats.js';
import { col, num, records, type Table } from './csv-read.js';
import { flowsFromEvents, tierSankey, typeSankey } from './flows.js';
import { LEVER_GROUPS, LEVERS, metricLabel, metricUnit, regionMetricLabel, type Lang } from './i18n.js';
import { regionFlowsFromEvents, regionNames } from './regions.js';
import { loadResults, type Results } from './results.js';
import { inlineSvg, renderSvg } from './svg.js';
import type { EChartsOption } from 'echarts';

export interface ReportOptions {
  lang?: Lang;
  /** Sweeps: the metric of the heatmap and line charts (default stagnation_share). */
  metric?: string;
  /** Sweeps: the parameters on the heatmap's axes (default the first two). */
  x?: string;
  y?: string;
  /** Axes of shares fit the data instead of starting at 0. */
  zoom?: boolean;
}

interface Figure {
  file: string;
  svg: string;
  caption?: string;
  wide?: boolean;
}

const W = 560, H = 300;

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'chart';
}

class Builder {
  figures: Figure[] = [];
  sections: string[] = [];
  toc: { id: string; title: string }[] = [];
  private n = 0;
  /** The posterior the replicates ran over (manifest.posterior of run, compare, sweep --posterior). */
  posterior?: PosteriorInfo;
  constructor(readonly lang: Lang, readonly zoom = false) {}

  /** ", over the posterior (N particles)" after "over replicates" when the replicates ran over a posterior. */
  over(): string {
    const p = this.posterior;
    return p ? this.t(`, over the posterior (${p.particles} particles)`, `,基于后验分布(${p.particles} 个粒子)`) : '';
  }

  /** Whether the y axis of `metric` starts at 0: shares do, unless the report was asked to zoom. */
  fromZero(metric: string): boolean {
    return SHARES.has(metric) && !this.zoom;
  }

  /** The interval after a number: [low, high], "(all replicates)" when every replicate gave the value, '' when undefined. */
  ci(low: number, high: number): string {
    if (allEqual({ low, high })) return ` <span class="ci">(${this.t('all replicates', '各次重复相同')})</span>`;
    return Number.isFinite(low) ? ` <span class="ci">[${displayNumber(low)}, ${displayNumber(high)}]</span>` : '';
  }

  t(en: string, zh: string): string {
    return this.lang === 'zh' ? zh : en;
  }

  chart(file: string, option: EChartsOption, width = W, height = H, caption?: string, wide = false): string {
    const svg = renderSvg(option, width, height);
    let name = `${slug(file)}.svg`;
    for (let k = 2; this.figures.some((f) => f.file === name); k++) name = `${slug(file)}-${k}.svg`;
    this.figures.push({ file: name, svg, caption, wide });
    const id = `c${++this.n}`;
    return `<figure class="chart${wide ? ' wide' : ''}" data-chart="${esc(name)}">${inlineSvg(svg, id)}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
  }

  section(id: string, title: string, body: string): void {
    this.toc.push({ id, title });
    this.sections.push(`<section id="${id}"><h2>${esc(title)}</h2>\n${body}\n</section>`);
  }
}

interface PosteriorInfo {
  file: string;
  sha256: string;
  particles: number;
  seedsPerParticle: number;
}

/** manifest.posterior, if the results ran over a posterior (experiment/posterior.ts). */
function posteriorInfo(m: Record<string, any>): PosteriorInfo | undefined {
  const p = m.posterior;
  if (!p || typeof p !== 'object' || typeof p.particles !== 'number') return undefined;
  return { file: String(p.file ?? ''), sha256: String(p.sha256 ?? ''), particles: p.particles, seedsPerParticle: Number(p.seedsPerParticle) };
}

/** What the intervals of results run over a posterior include, for the sections that show them. */
function posteriorNote(b: Builder): string {
  const p = b.posterior;
  if (!p) return '';
  const name = esc(path.basename(p.file));
  return `<p class="posterior"><b>${b.t('Over the posterior', '基于后验分布')}</b>: ${b.t(
    `the replicates ran over the posterior <code>${name}</code> (${p.particles} particles, SHA-256 <code>${esc(p.sha256.slice(0, 12))}…</code>): each group of ${p.seedsPerParticle} replicates ran one particle drawn by its weight, on ${p.seedsPerParticle} seeds, its parameter values applied to the scenario. Every interval is over the posterior: computed from the means of the particle draws (the replicates of a draw share its parameters), it includes the uncertainty of the parameters as well as the model's randomness, so it is wider than an interval at fixed parameters. <code>parametric_share</code> (summary.csv, compare.csv) is the share of the variance over replicates due to the parameters (one-way random-effects ANOVA of the particle groups).`,
    `各次重复基于后验分布 <code>${name}</code>(${p.particles} 个粒子,SHA-256 <code>${esc(p.sha256.slice(0, 12))}…</code>)运行:每组 ${p.seedsPerParticle} 次重复按权重抽取一个粒子,以 ${p.seedsPerParticle} 个随机种子运行,并将其参数值用于方案。所有区间均基于后验分布:由各次粒子抽取的均值计算(同一抽取的各次重复共用其参数),既包含模型的随机性,也包含参数的不确定性,因而比固定参数时的区间更宽。<code>parametric_share</code>(summary.csv、compare.csv)为重复间方差中由参数造成的比例(按粒子分组的单因素随机效应方差分析)。`,
  )}</p>`;
}

// ---------- series from the tables ----------

interface MetricSeries {
  years: number[];
  mean: number[];
  low: number[];
  high: number[];
}

/** Per metric (and group, e.g. scenario) the mean and CI by year, from summary.csv (its point 0, or a group column). */
function seriesFromSummary(t: Table, point = '0', groupCol?: string): Map<string, Map<string, MetricSeries>> {
  const iP = col(t, 'point'), iM = col(t, 'metric'), iY = col(t, 'year'), iMean = col(t, 'mean'), iL = col(t, 'ci_low'), iH = col(t, 'ci_high');
  const iG = groupCol ? col(t, groupCol) : -1;
  const out = new Map<string, Map<string, MetricSeries>>();
  for (const r of t.rows) {
    if (iG < 0 && iP >= 0 && r[iP] !== point) continue;
    const g = iG >= 0 ? r[iG]! : '';
    let bg = out.get(g);
    if (!bg) out.set(g, (bg = new Map()));
    let s = bg.get(r[iM]!);
    if (!s) bg.set(r[iM]!, (s = { years: [], mean: [], low: [], high: [] }));
    s.years.push(num(r[iY])); s.mean.push(num(r[iMean])); s.low.push(num(r[iL])); s.high.push(num(r[iH]));
  }
  return out;
}

/** Over a posterior: each metric's parametric_share in the last year of summary.csv (its point 0). */
function lastYearShares(t: Table): Map<string, number> | undefined {
  const iP = col(t, 'point'), iM = col(t, 'metric'), iY = col(t, 'year'), iS = col(t, 'parametric_share');
  if (iS < 0) return undefined;
  const out = new Map<string, { year: number; share: number }>();
  for (const r of t.rows) {
    if (iP >= 0 && r[iP] !== '0') continue;
    const y = num(r[iY]);
    const prev = out.get(r[iM]!);
    if (!prev || y > prev.year) out.set(r[iM]!, { year: y, share: num(r[iS]) });
  }
  return new Map([...out].map(([k, v]) => [k, v.share]));
}

/**
 * Per group (scenario) and metric the mean and CI by year over the replicates of timeseries.csv;
 * over a posterior (`seedsPerParticle` m), over the means of the particle draws ⌊replicate/m⌋, as summary.csv's (experiment/stats.ts).
 */
function seriesFromTimeseries(t: Table, groupCol: string, metrics: string[], seedsPerParticle?: number): Map<string, Map<string, MetricSeries>> {
  const iG = col(t, groupCol), iY = col(t, 'year'), iR = col(t, 'replicate');
  const draws = seedsPerParticle && iR >= 0 ? (rows: string[][]) => rows.map((r) => Math.floor(num(r[iR]) / seedsPerParticle)) : undefined;
  const groups = new Map<string, Map<number, string[][]>>();
  for (const r of t.rows) {
    const g = iG >= 0 ? r[iG]! : '';
    let byYear = groups.get(g);
    if (!byYear) groups.set(g, (byYear = new Map()));
    const y = num(r[iY]);
    let rows = byYear.get(y);
    if (!rows) byYear.set(y, (rows = []));
    rows.push(r);
  }
  const out = new Map<string, Map<string, MetricSeries>>();
  for (const [g, byYear] of groups) {
    const m = new Map<string, MetricSeries>();
    const years = [...byYear.keys()].sort((a, b) => a - b);
    for (const metric of metrics) {
      const j = col(t, metric);
      if (j < 0) continue;
      const s: MetricSeries = { years, mean: [], low: [], high: [] };
      for (const y of years) {
        const rows = byYear.get(y)!;
        const values = rows.map((r) => num(r[j]));
        const c = meanCI(draws ? groupMeans(values, draws(rows)) : values, UNIT_RANGE.has(metric));
        s.mean.push(c.mean); s.low.push(c.low); s.high.push(c.high);
      }
      m.set(metric, s);
    }
    out.set(g, m);
  }
  return out;
}

// ---------- scenario, levers, manifest ----------

/** The scenarios a manifest describes (run: scenario; compare: scenarios; sweep: firstPointScenario). */
function manifestScenarios(m: Record<string, any>): { label: string; scenario: Scenario }[] {
  const raw: { label: string; s: unknown }[] = [];
  if (m.scenario) raw.push({ label: m.scenario.name ?? 'scenario', s: m.scenario });
  if (Array.isArray(m.scenarios)) m.scenarios.forEach((s: any, i: number) => raw.push({ label: m.labels?.[i] ?? s?.name ?? `scenario ${i + 1}`, s }));
  if (!raw.length && m.firstPointScenario) raw.push({ label: m.firstPointScenario.name ?? 'base', s: m.firstPointScenario });
  if (!raw.length && m.baseScenario) raw.push({ label: m.baseScenario.name ?? 'base', s: m.baseScenario });
  const out: { label: string; scenario: Scenario }[] = [];
  for (const { label, s } of raw) {
    try {
      const { $schema: _drop, ...rest } = s as Record<string, unknown>;
      out.push({ label, scenario: parseScenario(rest) });
    } catch {
      /* a manifest of another version: leave the lever table out */
    }
  }
  return out;
}

function reformMarks(scs: { label: string; scenario: Scenario }[], lang: Lang): { at: number; label: string }[] {
  const marks = new Map<number, string[]>();
  for (const { label, scenario } of scs) {
    for (const r of scenario.reforms) {
      const l = marks.get(r.year) ?? [];
      if (scs.length > 1) l.push(label);
      marks.set(r.year, l);
    }
  }
  const word = lang === 'zh' ? '改革' : 'reform';
  return [...marks].map(([at, who]) => ({ at, label: who.length ? `${word} ${at} (${who.join(', ')})` : `${word} ${at}` }));
}

function get(obj: unknown, dotted: string): unknown {
  let v: any = obj;
  for (const k of dotted.split('.')) v = v?.[k];
  return v;
}

function fmtValue(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => fmtValue(x)).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return String(Number(v.toPrecision(6)));
  if (v === undefined) return '–';
  return String(v);
}

function leverTable(b: Builder, scs: { label: string; scenario: Scenario }[]): string {
  // Columns: for each scenario its levers at the start and after each reform year.
  const cols: { head: string; rules: { policy: unknown; behavior: unknown } }[] = [];
  for (const { label, scenario } of scs) {
    const years = [...new Set(scenario.reforms.map((r) => r.year))].sort((a, c) => a - c);
    const pre = scs.length > 1 ? `${label}: ` : '';
    cols.push({ head: `${pre}${b.t('from', '自')} ${scenario.startYear - scenario.burnIn}`, rules: rulesAt(scenario, scenario.startYear - scenario.burnIn) });
    for (const y of years) cols.push({ head: `${pre}${b.t('reform', '改革')} ${y}`, rules: rulesAt(scenario, y) });
  }
  let h = `<table class="levers"><thead><tr><th>${b.t('lever', '杠杆')}</th><th>${b.t('path', '字段')}</th>${cols.map((c) => `<th>${esc(c.head)}</th>`).join('')}</tr></thead><tbody>`;
  for (const g of LEVER_GROUPS) {
    h += `<tr class="group"><th colspan="${2 + cols.length}">${esc(b.lang === 'zh' ? g.label[0] : g.label[1])}</th></tr>`;
    for (const lv of LEVERS.filter((l) => l.group === g.id)) {
      const vals = cols.map((c) => fmtValue(get(c.rules, lv.path)));
      h += `<tr><td>${esc(b.lang === 'zh' ? lv.label[0] : lv.label[1])}</td><td><code>${esc(lv.path)}</code></td>${vals.map((v, i) => `<td${i > 0 && v !== vals[i - 1] ? ' class="changed"' : ''}>${esc(v)}</td>`).join('')}</tr>`;
    }
  }
  return h + '</tbody></table>';
}

function scenarioFacts(b: Builder, s: Scenario, m: Record<string, any>): string {
  const rows: [string, string][] = [
    [b.t('Scenario', '方案'), s.name],
    [b.t('Description', '说明'), s.description],
    [b.t('World', '世界'), `${s.world.preset}, scale ${s.world.scale}${m.world ? ` — ${m.world.regions} regions, ${m.world.posts} posts` : ''}`],
    [b.t('Years', '年份'), `${s.startYear}–${s.startYear + s.years - 1} (${s.years} ${b.t('years after a burn-in of', '年,预热')} ${s.burnIn})`],
    [b.t('Replicates', '重复次数'), String(m.replicates ?? s.replicates)],
    [b.t('Seed', '随机种子'), String(s.seed)],
    ...s.reforms.map((r) => [`${b.t('Reform', '改革')} ${r.year}`, r.description || ''] as [string, string]),
  ];
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function manifestSection(b: Builder, r: Results): void {
  const m = r.manifest;
  const facts: [string, unknown][] = [
    ['command', m.command], ['version', m.version], ['commit', m.commit], ['node', m.node], ['threads', m.threads],
    ['started', m.started], ['finished', m.finished], ['seconds', typeof m.seconds === 'number' ? m.seconds.toFixed(1) : m.seconds],
  ];
  const body = `<table class="facts">${facts.filter(([, v]) => v !== undefined).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
<p>${b.t('Files', '文件')}: ${r.files.map((f) => `<code>${esc(f)}</code>`).join(', ')}</p>
<details class="manifest" open><summary>manifest.json</summary><pre class="manifest-text">${esc(r.manifestText)}</pre></details>`;
  b.section('manifest', b.t('What was run (manifest)', '运行记录(manifest)'), body);
}

// ---------- sections ----------

/** One colour per scenario (group), in order, for every chart of a report. */
function groupColors(names: string[]): Map<string, string> {
  return new Map(names.map((g, k) => [g, PALETTE[k % PALETTE.length]!]));
}

function metricCharts(b: Builder, groups: Map<string, Map<string, MetricSeries>>, metrics: string[], marks: { at: number; label: string }[], prefix = ''): string {
  let html = '<div class="grid">';
  const names = [...groups.keys()];
  const colors = groupColors(names);
  for (const metric of metrics) {
    const years = [...new Set(names.flatMap((g) => groups.get(g)!.get(metric)?.years ?? []))].sort((a, c) => a - c);
    if (!years.length) continue;
    const series: BandSeries[] = names.map((g) => {
      const s = groups.get(g)!.get(metric);
      const at = (arr: number[] | undefined) => years.map((y) => { const i = s ? s.years.indexOf(y) : -1; return i >= 0 ? arr![i]! : NaN; });
      return { name: g || metric, mean: at(s?.mean), low: at(s?.low), high: at(s?.high), color: colors.get(g) };
    });
    html += b.chart(`${prefix}${metric}`, lineBandOption({ title: metricLabel(metric, b.lang), subtitle: `${metric} — ${b.t('mean and 95% CI over replicates', '重复均值与95%置信区间')}${b.over()}`, categories: years, series, marks, legend: names.length > 1, fromZero: b.fromZero(metric) }));
  }
  return html + '</div>';
}

/** The first and last year of every metric; `shares`: over a posterior, each metric's parametric share in the last year (a column of its own). */
function horizonTable(b: Builder, groups: Map<string, Map<string, MetricSeries>>, metrics: string[], shares?: Map<string, number>): string {
  const names = [...groups.keys()];
  const shareHead = shares ? `<th rowspan="2" title="parametric_share">${b.t('share due to the parameters, last year', '末年方差中参数所占比例')}</th>` : '';
  let h = `<table class="numbers"><thead><tr><th>${b.t('metric', '指标')}</th>${names.map((g) => `<th colspan="2">${esc(g || b.t('value', '数值'))}</th>`).join('')}${shareHead}</tr><tr><th></th>${names.map(() => `<th>${b.t('first year', '首年')}</th><th>${b.t('last year', '末年')}</th>`).join('')}</tr></thead><tbody>`;
  for (const metric of metrics) {
    const cells = names.map((g) => {
      const s = groups.get(g)!.get(metric);
      if (!s || !s.years.length) return '<td>–</td><td>–</td>';
      const c = (i: number) => `${displayNumber(s.mean[i]!)}${b.ci(s.low[i]!, s.high[i]!)}`;
      return `<td>${c(0)}</td><td>${c(s.years.length - 1)}</td>`;
    });
    const share = shares ? `<td>${displayNumber(shares.get(metric) ?? NaN, 2)}</td>` : '';
    h += `<tr><td title="${esc(metric)}">${esc(metricLabel(metric, b.lang))} <code>${esc(metric)}</code></td>${cells.join('')}${share}</tr>`;
  }
  return h + '</tbody></table>';
}

function worldFor(scs: { scenario: Scenario }[]): World | undefined {
  const s = scs[0]?.scenario;
  if (!s) return undefined;
  try {
    return buildWorld(s.world);
  } catch {
    return undefined;
  }
}

function flowSection(b: Builder, r: Results, world: World | undefined, groupCol?: string): void {
  const how = b.t(
    'No events.csv in this directory, so the flows cannot be drawn. Run again with <code>--events</code> (e.g. <code>cadreflow run scenario.json --events</code>, or <code>"outputs": {"events": true}</code> in the scenario), then <code>cadreflow report DIR</code>.',
    '此目录没有 events.csv,无法绘制交流流向。请加 <code>--events</code> 重新运行(如 <code>cadreflow run scenario.json --events</code>,或在方案中设 <code>"outputs": {"events": true}</code>),然后运行 <code>cadreflow report DIR</code>。',
  );
  if (!r.eventsFile || !world) {
    b.section('flows', b.t('Exchange flows', '交流流向'), `<p class="note">${r.eventsFile ? b.t('The world of this run could not be rebuilt from the manifest.', '无法根据 manifest 重建世界。') : how}</p>`);
    return;
  }
  const text = readFileSync(r.eventsFile, 'utf8');
  const parts: { label: string; text: string }[] = [];
  const head = text.slice(0, text.indexOf('\n'));
  const gi = groupCol ? head.split(',').indexOf(groupCol) : -1;
  if (gi >= 0) {
    const lines = text.split('\n');
    const by = new Map<string, string[]>();
    const rest = head.split(',').filter((_, i) => i !== gi).join(',');
    for (const l of lines.slice(1)) {
      if (!l) continue;
      const f = l.split(',');
      const g = f[gi]!;
      f.splice(gi, 1);
      (by.get(g) ?? by.set(g, [rest]).get(g)!).push(f.join(','));
    }
    for (const [g, ls] of by) parts.push({ label: g, text: ls.join('\n') });
  } else parts.push({ label: '', text });
  let html = `<p>${b.t('Moves per year, averaged over replicates and years. Tiers: region level, and richer or poorer than the median wageIndex of the level. Returns from secondment and promotions in place are left out.', '每年人次,按重复和年份平均。层级:地区级别,以及工资指数高于或低于同级中位数。挂职返回与原单位提拔不计。')}</p><div class="grid">`;
  for (const p of parts) {
    const f = flowsFromEvents(p.text, world);
    const cross = f.tierMatrix.reduce((a, c) => a + c, 0);
    const sub = `${p.label ? p.label + ' — ' : ''}${f.moves} ${b.t('moves', '人次')}, ${f.runYears} ${b.t('replicate-years', '重复·年')}`;
    const subCross = `${p.label ? p.label + ' — ' : ''}${cross} ${b.t('moves between regions', '跨地区人次')}, ${f.runYears} ${b.t('replicate-years', '重复·年')}`;
    html += b.chart(`flows-tiers${p.label ? '-' + p.label : ''}`, sankeyOption(tierSankey(f, b.lang, b.t('Moves between region tiers', '地区层级之间的交流'), subCross)), 640, 380, undefined, true);
    html += b.chart(`flows-types${p.label ? '-' + p.label : ''}`, sankeyOption(typeSankey(f, b.lang, b.t('Exchange types and directions', '交流类型与方向'), sub)), 640, 420, undefined, true);
  }
  html += '</div>';
  b.section('flows', b.t('Exchange flows', '交流流向'), html);
}

function mapSection(b: Builder, r: Results, world: World | undefined, cfg: Scenario['world'] | undefined): void {
  if (!world || !cfg) return;
  const names = regionNames(cfg, world)[b.lang];
  const regions = (values: number[]) => Array.from({ length: world.nRegions }, (_, g) => ({ code: world.code[g]!, name: names[g]!, level: world.level[g]!, x: world.x[g]!, y: world.y[g]!, value: values[g]! }));
  let html = '<div class="grid">';
  html += b.chart('map-wage-index', mapOption({ title: b.t('Relative pay (wageIndex) by region', '各地区相对工资(工资指数)'), subtitle: b.t('the world of this run; circles by level', '本次运行的世界;圆大小表示层级'), regions: regions(Array.from(world.wageIndex)), width: 640, height: 470, labels: true, valueName: 'wageIndex' }), 640, 470, undefined, true);
  if (r.eventsFile) {
    const f = regionFlowsFromEvents(readFileSync(r.eventsFile, 'utf8'), world);
    html += b.chart('map-net-reverse', mapOption({ title: regionMetricLabel('netReverse', b.lang), subtitle: b.t('reverse moves in minus out, per 100 posts and year, from events.csv', '逆向交流流入减流出,每百岗位每年,来自 events.csv'), regions: regions(f.netReverse), width: 640, height: 470, diverging: true, labels: true, valueName: b.t('net / 100 posts', '净值/百岗') }), 640, 470, undefined, true);
    html += b.chart('map-inflow', mapOption({ title: regionMetricLabel('inflow', b.lang), subtitle: b.t('moves in from other regions, per 100 posts and year', '从其他地区调入,每百岗位每年'), regions: regions(f.inflow), width: 640, height: 470, labels: true, valueName: b.t('per 100 posts', '每百岗') }), 640, 470, undefined, true);
  }
  html += '</div>';
  if (!r.eventsFile) html += `<p class="note">${b.t('Maps of reverse and exchange inflow by region need events.csv (run with --events).', '按地区的逆向交流与流入地图需要 events.csv(运行时加 --events)。')}</p>`;
  b.section('map', b.t('Map of the province', '全省地图'), html);
}

/** How the intervals are computed (report/ci.ts), for the pages that show them. */
const CI_NOTE: [zh: string, en: string] = [
  '重复均值及95%置信区间:t 分布;比例指标(取值 0–1)在 logit 尺度上计算,区间不超出 [0, 1],其纵轴从 0 开始。“各次重复相同”表示所有重复取值相同,没有可显示的区间。',
  'Mean over replicates with its 95% confidence interval: Student\'s t; for shares (values in [0, 1]) on the logit scale, so that the interval stays within [0, 1], and their axes start at 0. "All replicates": every replicate gave the same value, so there is no interval to show.',
];

function runReport(b: Builder, r: Results, scs: { label: string; scenario: Scenario }[]): void {
  const marks = reformMarks(scs, b.lang);
  const groups = r.summary ? seriesFromSummary(r.summary) : seriesFromTimeseries(r.timeseries!, '__none__', HEADLINE, b.posterior?.seedsPerParticle);
  const renamed = new Map([...groups].map(([, v]) => [scs[0]?.label ?? '', v] as const));
  const allMetrics = [...(renamed.values().next().value?.keys() ?? [])];
  const headline = HEADLINE.filter((m) => allMetrics.includes(m));
  b.section('headline', b.t('Headline metrics over the years', '主要指标随时间变化'), `<p>${b.t(CI_NOTE[1], CI_NOTE[0])} ${b.t('Dashed vertical lines mark reform years.', '竖虚线为改革年份。')}</p>${posteriorNote(b)}${metricCharts(b, renamed, headline, marks)}`);
  b.section('numbers', b.t('All metrics, first and last year', '全部指标:首年与末年'), horizonTable(b, renamed, allMetrics, b.posterior && r.summary ? lastYearShares(r.summary) : undefined));
}

function compareReport(b: Builder, r: Results, scs: { label: string; scenario: Scenario }[]): void {
  const marks = reformMarks(scs, b.lang);
  const labels: string[] = Array.isArray(r.manifest.labels) ? r.manifest.labels : [];
  let groups: Map<string, Map<string, MetricSeries>>;
  if (r.summary && col(r.summary, 'scenario') >= 0) groups = seriesFromSummary(r.summary, '0', 'scenario');
  else groups = seriesFromTimeseries(r.timeseries!, 'scenario', r.timeseries!.header.filter((h) => !['scenario', 'point', 'replicate', 'seed', 'year', 'particle'].includes(h)), b.posterior?.seedsPerParticle);
  if (labels.length) groups = new Map([...labels.filter((l) => groups.has(l)).map((l) => [l, groups.get(l)!] as const), ...[...groups].filter(([g]) => !labels.includes(g))]);
  const metrics = [...(groups.values().next().value?.keys() ?? [])];
  const headline = HEADLINE.filter((m) => metrics.includes(m));
  b.section('headline', b.t('Headline metrics over the years, scenarios overlaid', '主要指标随时间变化(方案叠加)'), `<p>${b.t('Every scenario ran replicate k on the same random seed (common random numbers).', '各方案第 k 次重复使用相同的随机种子(共同随机数)。')} ${b.t(CI_NOTE[1], CI_NOTE[0])}</p>${posteriorNote(b)}${metricCharts(b, groups, headline, marks)}`);
  if (r.compare) {
    const recs = records(r.compare);
    const byKey = new Map(recs.map((x) => [`${x.metric}@${x.year}@${x.scenario}`, x]));
    const ref = String(r.manifest.reference ?? labels[0] ?? '');
    const years = [...new Set(recs.map((x) => x.year!))];
    const colors = groupColors([...groups.keys()]);
    const shares = headline.filter((m) => SHARES.has(m));
    const others = headline.filter((m) => !SHARES.has(m));
    let html = `<p>${b.t(
      `Paired differences against ${esc(ref)}: the mean of the per-replicate differences with its 95% CI (Student's t) as error bars, from compare.csv. Shares are in percentage points, every other metric in its own unit on its own axis.`,
      `相对 ${esc(ref)} 的配对差异:逐重复差值的均值,误差线为其95%置信区间(t 分布),来自 compare.csv。比例指标以百分点计,其他指标各用自己的单位和坐标轴。`,
    )}</p><div class="grid">`;
    for (const year of years) {
      const scenarios = [...new Set(recs.filter((x) => x.year === year && x.diff_mean !== '').map((x) => x.scenario!))];
      const cell = (m: string, sc: string, field: 'diff_mean' | 'diff_ci_low' | 'diff_ci_high', scale: number) => scale * num(byKey.get(`${m}@${year}@${sc}`)?.[field]);
      const panel = (ms: string[], unit: string, scale: number): BarPanel => ({
        unit, categories: ms.map((m) => metricLabel(m, b.lang)),
        values: scenarios.map((sc) => ms.map((m) => cell(m, sc, 'diff_mean', scale))),
        low: scenarios.map((sc) => ms.map((m) => cell(m, sc, 'diff_ci_low', scale))),
        high: scenarios.map((sc) => ms.map((m) => cell(m, sc, 'diff_ci_high', scale))),
      });
      const spec: DifferenceBarsSpec = {
        title: `${b.t('Difference against', '相对')} ${ref}, ${year}`,
        subtitle: b.t('headline metrics; mean paired difference and 95% CI; shares in percentage points', '主要指标;配对差异均值与95%置信区间;比例指标以百分点计'),
        series: scenarios.map((sc) => ({ name: sc, color: colors.get(sc) })),
        panels: [
          ...(shares.length ? [panel(shares, b.t('percentage points', '百分点'), 100)] : []),
          ...others.map((m) => panel([m], metricUnit(m, b.lang) || m, 1)),
        ],
      };
      html += b.chart(`compare-diff-${year}`, differenceBarsOption(spec), 640, differenceBarsHeight(spec), undefined, true);
    }
    html += '</div>';
    // Over a posterior: the share of the variance due to the parameters, of each level and paired difference (compare.csv).
    const shareCols = !!b.posterior && col(r.compare, 'parametric_share') >= 0;
    const shareHead = shareCols ? `<th title="parametric_share">${b.t('share due to the parameters', '参数所占比例')}</th><th title="diff_parametric_share">${b.t('of Δ', 'Δ 中')}</th>` : '';
    let tab = `<table class="numbers"><thead><tr><th>${b.t('metric', '指标')}</th><th>${b.t('year', '年')}</th><th>${b.t('scenario', '方案')}</th><th>mean [95% CI]</th><th>Δ [95% CI]</th>${shareHead}</tr></thead><tbody>`;
    for (const x of recs.filter((x) => HEADLINE.includes(x.metric!))) {
      const shares = shareCols ? `<td>${displayNumber(num(x.parametric_share), 2)}</td><td>${x.diff_parametric_share ? displayNumber(num(x.diff_parametric_share), 2) : '–'}</td>` : '';
      tab += `<tr><td>${esc(metricLabel(x.metric!, b.lang))}</td><td>${esc(x.year)}</td><td>${esc(x.scenario)}</td><td>${displayNumber(num(x.mean))}${b.ci(num(x.ci_low), num(x.ci_high))}</td><td>${x.diff_mean ? `${displayNumber(num(x.diff_mean))}${b.ci(num(x.diff_ci_low), num(x.diff_ci_high))}` : '–'}</td>${shares}</tr>`;
    }
    html += tab + '</tbody></table>';
    b.section('compare', b.t('Differences against the reference', '与参照方案的差异'), html);
  }
  b.section('numbers', b.t('All metrics, first and last year', '全部指标:首年与末年'), horizonTable(b, groups, metrics));
}

/** Sweep parameter values as labels; continuous designs (many distinct values) are binned. */
function paramBins(values: string[], maxBins = 8): { label: string[]; binOf: (v: string) => number } {
  const distinct = [...new Set(values)];
  const numeric = distinct.every((v) => v !== '' && Number.isFinite(Number(v)));
  if (distinct.length <= maxBins || !numeric) {
    const sorted = numeric ? distinct.sort((a, c) => Number(a) - Number(c)) : distinct;
    const short = (v: string) => (v.length > 24 ? `${v.slice(0, 10)}…${v.slice(-10)}` : v);
    return { label: sorted.map(short), binOf: (v) => sorted.indexOf(v) };
  }
  const xs = values.map(Number).sort((a, c) => a - c);
  const edges = Array.from({ length: maxBins + 1 }, (_, k) => xs[Math.min(xs.length - 1, Math.floor((k * (xs.length - 1)) / maxBins))]!);
  const label = Array.from({ length: maxBins }, (_, k) => `${displayNumber(edges[k]!)}–${displayNumber(edges[k + 1]!)}`);
  return { label, binOf: (v) => { const x = Number(v); let k = 0; while (k < maxBins - 1 && x > edges[k + 1]!) k++; return k; } };
}

function sweepReport(b: Builder, r: Results, o: ReportOptions): void {
  const runs = r.runs!;
  const iStatus = col(runs, 'status');
  const ok = runs.rows.filter((x) => iStatus < 0 || x[iStatus] === 'ok');
  const params: string[] = Array.isArray(r.manifest.parameters) ? r.manifest.parameters : (r.points?.header.filter((h) => h !== 'point') ?? []);
  const metric = o.metric ?? 'stagnation_share';
  const jm = col(runs, metric);
  if (jm < 0) throw inputError('--metric', metric, `a metric column of runs.csv (${runs.header.filter((h) => !['point', 'replicate', 'seed', 'status', 'error', 'particle', ...params].includes(h)).slice(0, 8).join(', ')}, …)`);
  for (const p of [o.x, o.y]) if (p !== undefined && !params.includes(p)) throw inputError('--x/--y', p, `a parameter of this sweep: ${params.join(', ')}`);
  if (o.x !== undefined && o.x === o.y) throw inputError('--y', o.y, 'a parameter other than --x');
  const failed = runs.rows.length - ok.length;
  let intro = `<p>${b.t(`${r.manifest.points ?? '?'} design points × ${r.manifest.replicates ?? '?'} replicates; ${ok.length} runs succeeded${failed ? `, ${failed} failed (see failures.csv)` : ''}. Values are the metric in the last reported year, averaged over the runs at each parameter value.`, `${r.manifest.points ?? '?'} 个设计点 × ${r.manifest.replicates ?? '?'} 次重复;成功 ${ok.length} 次${failed ? `,失败 ${failed} 次(见 failures.csv)` : ''}。数值为末年指标,按参数取值对运行平均。`)}</p>`;
  intro += `<p>${b.t('Parameters', '参数')}: ${params.map((p) => `<code>${esc(p)}</code>`).join(', ')}. ${b.t('Metric', '指标')}: <b>${esc(metricLabel(metric, b.lang))}</b> <code>${esc(metric)}</code> ${b.t('(choose another with --metric)', '(可用 --metric 选择)')}</p>`;
  // A sweep (or shard) that has not finished has no finishing time in its manifest.
  intro += posteriorNote(b);
  if (!r.manifest.finished) intro = `<p><b>${b.t('This sweep is not complete: the report shows the runs written so far (continue it with --resume).', '此扫描尚未完成:报告只含已写出的运行(可用 --resume 继续)。')}</b></p>` + intro;
  let html = intro;
  if (params.length >= 2) {
    const px = o.x ?? params[0]!, py = o.y ?? params.find((p) => p !== px)!;
    const ix = col(runs, px), iy = col(runs, py);
    const bx = paramBins(ok.map((x) => x[ix]!)), by = paramBins(ok.map((x) => x[iy]!));
    const cells: number[][][] = bx.label.map(() => by.label.map(() => []));
    for (const x of ok) cells[bx.binOf(x[ix]!)]![by.binOf(x[iy]!)]!.push(num(x[jm]));
    const value = cells.map((c) => c.map((v) => meanCI(v).mean));
    html += b.chart(`heatmap-${metric}-${px}-${py}`, heatmapOption({ title: `${metricLabel(metric, b.lang)}`, subtitle: `${metric} ${b.t('at the horizon, mean over runs', '末年,运行均值')}`, x: bx.label, y: by.label, xName: px, yName: py, value }), 640, 420, undefined, true);
  }
  html += '<div class="grid">';
  for (const p of params) {
    const ip = col(runs, p);
    const bins = paramBins(ok.map((x) => x[ip]!));
    const vals: number[][] = bins.label.map(() => []);
    for (const x of ok) vals[bins.binOf(x[ip]!)]!.push(num(x[jm]));
    const cis = vals.map((v) => meanCI(v, UNIT_RANGE.has(metric)));
    html += b.chart(`line-${metric}-${p}`, lineBandOption({ title: `${metricLabel(metric, b.lang)} × ${p}`, subtitle: `${b.t('mean over runs and 95% CI (other parameters averaged over)', '运行均值与95%置信区间(对其他参数平均)')}${b.over()}`, categories: bins.label, xName: p, series: [{ name: metric, mean: cis.map((c) => c.mean), low: cis.map((c) => c.low), high: cis.map((c) => c.high) }], legend: false, fromZero: b.fromZero(metric) }));
  }
  html += '</div>';
  b.section('sweep', b.t('Sweep', '参数扫描'), html);
  // Point table: headline metrics by point.
  const iPoint = col(runs, 'point');
  const byPoint = new Map<string, string[][]>();
  for (const x of ok) (byPoint.get(x[iPoint]!) ?? byPoint.set(x[iPoint]!, []).get(x[iPoint]!)!).push(x);
  const hl = HEADLINE.filter((m) => col(runs, m) >= 0);
  let tab = `<table class="numbers"><thead><tr><th>point</th>${params.map((p) => `<th><code>${esc(p)}</code></th>`).join('')}${hl.map((m) => `<th title="${esc(m)}">${esc(metricLabel(m, b.lang))}</th>`).join('')}</tr></thead><tbody>`;
  let shown = 0;
  for (const [pt, xs] of byPoint) {
    if (shown++ >= 200) break;
    tab += `<tr><td>${esc(pt)}</td>${params.map((p) => `<td>${esc(xs[0]![col(runs, p)])}</td>`).join('')}${hl.map((m) => `<td>${displayNumber(meanCI(xs.map((x) => num(x[col(runs, m)]))).mean)}</td>`).join('')}</tr>`;
  }
  tab += '</tbody></table>';
  if (byPoint.size > 200) tab += `<p class="note">${b.t(`First 200 of ${byPoint.size} points; runs.csv has them all.`, `仅列出前 200 个点(共 ${byPoint.size} 个);完整数据见 runs.csv。`)}</p>`;
  b.section('points', b.t('Headline metrics by design point (mean over replicates, last year)', '各设计点的主要指标(重复均值,末年)'), tab);
}

/**
 * Sensitivity results (sensitivity.csv, written by `cadreflow sensitivity`):
 * columns parameter, metric, mu_star, sigma (Morris) and S1, S1_low, S1_high,
 * ST, ST_low, ST_high (Sobol, 95% bootstrap intervals); the cells of the
 * method not run are empty. One Morris μ*–σ scatter or one Sobol bar chart per metric.
 */
function sensitivityReport(b: Builder, r: Results): void {
  const recs = records(r.sensitivity!);
  const metrics = [...new Set(recs.map((x) => x.metric!))];
  let html = `<p>${b.t('Morris: μ* (mean absolute elementary effect) ranks the parameters; σ large against μ* means interactions or non-linearity. Sobol: first-order S1 and total ST indices with 95% bootstrap intervals.', 'Morris:μ*(基本效应绝对值均值)给出参数重要性排序;σ 相对 μ* 较大表示交互作用或非线性。Sobol:一阶指数 S1 与总效应指数 ST,附95% bootstrap 区间。')}</p><div class="grid">`;
  for (const m of metrics) {
    const rows = recs.filter((x) => x.metric === m);
    if (rows.some((x) => x.mu_star !== '' && x.mu_star !== undefined)) {
      html += b.chart(`morris-${m}`, morrisOption({ title: `Morris — ${metricLabel(m, b.lang)}`, subtitle: m, xName: 'μ*', yName: 'σ', points: rows.map((x) => ({ name: x.parameter!, x: num(x.mu_star), y: num(x.sigma) })) }), W, 340);
    }
    if (rows.some((x) => x.S1 !== '' && x.S1 !== undefined)) {
      const sorted = [...rows].sort((a, c) => (num(a.ST) || 0) - (num(c.ST) || 0));
      html += b.chart(`sobol-${m}`, sobolOption({
        title: `Sobol — ${metricLabel(m, b.lang)}`, subtitle: m, parameters: sorted.map((x) => x.parameter!),
        S1: sorted.map((x) => num(x.S1)), S1low: sorted.map((x) => num(x.S1_low)), S1high: sorted.map((x) => num(x.S1_high)),
        ST: sorted.map((x) => num(x.ST)), STlow: sorted.map((x) => num(x.ST_low)), SThigh: sorted.map((x) => num(x.ST_high)),
      }), W, Math.max(260, 90 + 34 * sorted.length));
    }
  }
  html += '</div>';
  const show = ['parameter', 'metric', 'mu_star', 'sigma', 'S1', 'S1_low', 'S1_high', 'ST', 'ST_low', 'ST_high'].filter((c) => recs.some((x) => x[c] !== '' && x[c] !== undefined));
  html += `<table class="numbers"><thead><tr>${show.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${recs.map((x) => `<tr>${show.map((c) => `<td>${c === 'parameter' || c === 'metric' ? `<code>${esc(x[c])}</code>` : displayNumber(num(x[c]))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  b.section('sensitivity', b.t('Sensitivity analysis', '敏感性分析'), html);
}

// ---------- the page ----------

const CSS = `
:root { --ink: #222; --muted: #666; --line: #ddd; --accent: #c0392b; }
* { box-sizing: border-box; }
body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1240px; padding: 24px 28px 60px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 36px; }
.sub { color: var(--muted); margin: 0 0 12px; }
nav.toc { background: #f7f7f7; border: 1px solid var(--line); padding: 8px 14px; margin: 16px 0; }
nav.toc a { margin-right: 14px; color: #2c3e50; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px 18px; }
figure.chart { margin: 0; border: 1px solid var(--line); padding: 6px; background: #fff; break-inside: avoid; page-break-inside: avoid; }
figure.chart.wide { grid-column: 1 / -1; max-width: 860px; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
tr.group th { background: #fbeeee; }
td.changed { font-weight: bold; background: #fff6d6; }
table.facts th { width: 11em; background: #f7f7f7; }
.ci { color: var(--muted); font-size: 11px; }
.note { background: #fff8e6; border-left: 4px solid #f0b429; padding: 8px 12px; }
code { font-size: 12px; background: #f4f4f4; padding: 0 3px; }
pre.manifest-text { white-space: pre-wrap; word-break: break-all; font-size: 11px; background: #f8f8f8; border: 1px solid var(--line); padding: 10px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav.toc { display: none; }
  .grid { display: block; }
  figure.chart { margin: 0 0 10px; border: none; max-width: 100%; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-before: auto; }
  details > summary { display: none; }
}
@page { size: A4; margin: 14mm; }
`;

export interface BuiltReport {
  html: string;
  charts: { file: string; svg: string }[];
  kind: string;
}

export function buildReport(dir: string, o: ReportOptions = {}): BuiltReport {
  const lang = o.lang ?? 'en';
  const r = loadResults(dir);
  if (r.kind !== 'sweep') {
    for (const [flag, v] of [['--metric', o.metric], ['--x', o.x], ['--y', o.y]] as const) if (v !== undefined) throw inputError(flag, v, `only for the report of a sweep (${dir} holds a ${r.kind})`);
  }
  const b = new Builder(lang, o.zoom ?? false);
  if (r.kind !== 'sensitivity') b.posterior = posteriorInfo(r.manifest);
  const scs = manifestScenarios(r.manifest);
  const m = r.manifest;
  const name = r.kind === 'compare' ? (Array.isArray(m.labels) ? m.labels.join(' vs ') : 'comparison') : r.kind === 'sweep' ? (m.sweep?.name ?? path.basename(r.dir)) : r.kind === 'sensitivity' ? (m.analysis?.name ?? path.basename(r.dir)) : (scs[0]?.label ?? path.basename(r.dir));
  const kindWord: Record<string, [string, string]> = { run: ['run', '运行'], compare: ['comparison', '对比'], sweep: ['sweep', '参数扫描'], sensitivity: [`sensitivity analysis${m.method ? ` (${m.method})` : ''}`, `敏感性分析${m.method ? `(${m.method})` : ''}`] };
  const kw = kindWord[r.kind]!;

  if (scs.length && r.kind !== 'sensitivity') {
    b.section('scenario', b.t('Scenario', '方案'), scs.map((s) => scenarioFacts(b, s.scenario, m)).join(''));
  }
  const world = worldFor(scs);
  if (r.kind === 'run') runReport(b, r, scs);
  if (r.kind === 'compare') compareReport(b, r, scs);
  if (r.kind === 'sweep') sweepReport(b, r, o);
  if (r.kind === 'sensitivity') sensitivityReport(b, r);
  if (r.kind === 'run' || r.kind === 'compare') {
    flowSection(b, r, world, r.kind === 'compare' ? 'scenario' : undefined);
    mapSection(b, r, world, scs[0]?.scenario.world);
  }
  if (scs.length) b.section('levers', b.t('Policy levers', '政策杠杆'), `<p>${b.t('Every lever of MODEL.md §6 as the scenario sets it, at the start and from each reform year (changes highlighted).', 'MODEL.md §6 的全部杠杆:起始值及每个改革年份起的取值(变化处高亮)。')}</p>${leverTable(b, scs)}`);
  manifestSection(b, r);

  const when = typeof m.finished === 'string' ? m.finished : typeof m.started === 'string' ? m.started : '';
  const html = `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cadreflow ${esc(m.version ?? '')}">
<title>${esc(`CadreFlow — ${name}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>CadreFlow ${esc(b.t('report', '报告'))}: ${esc(name)}</h1>
<p class="sub">${esc(b.t(kw[0], kw[1]))} · ${esc(when)} · cadreflow ${esc(m.version ?? '')}${m.commit ? ` · ${esc(String(m.commit).slice(0, 10))}` : ''}</p>
${scs[0]?.scenario.description ? `<p>${esc(scs[0].scenario.description)}</p>` : ''}
</header>
<nav class="toc">${b.toc.map((t) => `<a href="#${t.id}">${esc(t.title)}</a>`).join('')}</nav>
${b.sections.join('\n')}
<footer><p class="sub">${esc(b.t(`Charts also as SVG files in charts/ (${b.figures.length}).`, `图表的 SVG 文件在 charts/ 目录(共 ${b.figures.length} 个)。`))}</p></footer>
</body>
</html>
`;
  return { html, charts: b.figures.map((f) => ({ file: f.file, svg: f.svg })), kind: r.kind };
}

/** Writes DIR/report.html and DIR/charts/*.svg (replacing earlier ones); returns the files written. */
export function writeReport(dir: string, o: ReportOptions = {}): { html: string; charts: string[]; kind: string } {
  const built = buildReport(dir, o);
  const out = writeReportFiles(dir, built.html, built.charts);
  const chartsDir = path.join(dir, 'charts');
  return { html: out, charts: readdirSync(chartsDir).map((f) => path.join(chartsDir, f)), kind: built.kind };
}

/**
 * The report written at the end of `cadreflow run` (and other commands): a
 * failure to draw never fails the run whose results are already written; it
 * is reported on stderr with the command that retries it.
 */
export function writeReportAfterRun(dir: string, target: string = dir): void {
  try {
    writeReport(dir);
  } catch (e) {
    process.stderr.write(`cadreflow: warning: report.html was not written (${(e as Error)?.message ?? String(e)}); retry with: cadreflow report ${target}\n`);
  }
}
