/**
 * The workshop page's charts and numbers: the chart cards with their table of
 * values and downloads (PNG, SVG), the headline metrics over the years (mean
 * and 95% CI, the policy beside the baseline), the table of headline numbers
 * for the chosen year, presentation mode's larger chart text, drawing
 * everything anew, and the results as CSV. The chart specifications are those
 * of the report (src/report/charts.ts).
 */
import type * as EC from 'echarts';
import { lineBandOption, PALETTE } from '../../report/charts.js';
import { allEqual, csvNumber, displayNumber, type MeanCI } from '../../report/ci.js';
import { metricLabel, metricUnit } from '../../report/i18n.js';
import { S, $, t, esc, ARMS, download } from './state.js';
import { diffCI, metricCI, selectedYearIndex, yearsComplete } from './run.js';
import { renderFlows, renderMap } from './map.js';
import { startYear } from './levers.js';

declare const echarts: typeof EC;

/** Which way is better, for colouring the change against the baseline (0: neither). */
export const GOOD: Record<string, number> = { stagnation_share: -1, team_stagnation_share: -1, skill_diversity: 1, reverse_share: 1, exchange_coverage: 1, hardship_vacancy_rate: -1, mean_ties: -1, vacancy_rate: -1, overdue_share: -1, composite_share: 1, grassroots_share: 1 };
export const charts = new Map<string, EC.ECharts>();
export const options = new Map<string, () => EC.EChartsOption>();

// ---------- drawing ----------

export function chartCard(parent: HTMLElement, id: string, cls = ''): HTMLElement {
  let el = document.getElementById(id);
  if (el) return el;
  const card = document.createElement('div');
  card.className = 'card';
  card.dataset.chart = id;
  card.innerHTML = `<div class="dl-bar"><div class="dl"><button type="button" data-kind="png">${t('downloadPng')}</button><button type="button" data-kind="svg">${t('downloadSvg')}</button></div></div><div class="chart ${cls}" id="${id}" role="img"></div><details class="alt" data-alt="${id}"><summary>${esc(t('tableOfValues'))}</summary><div class="alt-wrap"><table></table></div></details>`;
  parent.append(card);
  card.querySelector('[data-kind=png]')!.addEventListener('click', () => downloadChart(id, 'png'));
  card.querySelector('[data-kind=svg]')!.addEventListener('click', () => downloadChart(id, 'svg'));
  return card.querySelector<HTMLElement>(`#${id}`)!;
}

/** The text alternative of a chart: the table of its values, under it (and its title as the chart's label). */
export function altTable(id: string, title: string, head: string[], rows: (string | number)[][]): void {
  const el = document.getElementById(id);
  const d = document.querySelector<HTMLDetailsElement>(`details[data-alt="${id}"]`);
  if (!el || !d) return;
  el.setAttribute('aria-label', title);
  d.querySelector('summary')!.textContent = `${t('tableOfValues')}: ${title}`;
  d.querySelector('table')!.innerHTML = `<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</tbody>`;
}

/** Shares are shown in percent (their changes in percentage points), other metrics as they are. */
export const isShare = (m: string) => S.cfg.shares.includes(m);
export const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : x);
/** A metric's interval as displayed: a metric in [0, 1] kept in [0, 1] (MetricDef share, unitRange). */
export function shown(m: string, x: MeanCI): MeanCI {
  return S.cfg.unitRange.includes(m) ? { ...x, mean: x.mean, low: clamp01(x.low), high: clamp01(x.high) } : x;
}
/** A value of metric m in words: 12.3% for a share; a change of a share in pp. */
export function valueShown(m: string, x: number, change = false): string {
  if (!Number.isFinite(x)) return '–';
  const sign = change && x >= 0 ? '+' : '';
  if (isShare(m)) return `${sign}${displayNumber(100 * x)}${change ? ' pp' : '%'}`;
  return `${sign}${displayNumber(x)}`;
}

export function draw(id: string, parent: HTMLElement, make: () => EC.EChartsOption, cls = ''): void {
  const el = chartCard(parent, id, cls);
  options.set(id, make);
  let c = charts.get(id);
  if (!c) { c = echarts.init(el, null, { renderer: 'canvas' }); charts.set(id, c); }
  c.setOption(S.present ? (bigText(make(), 14) as EC.EChartsOption) : make(), { notMerge: true });
  const st = S.data ? `${S.data.state}:${yearsComplete()}` : 'empty';
  el.dataset.years = String(yearsComplete());
  el.dataset.state = st;
}

export function downloadChart(id: string, kind: 'png' | 'svg'): void {
  const c = charts.get(id);
  const make = options.get(id);
  if (!c || !make) return;
  if (kind === 'png') {
    const url = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    const a = document.createElement('a');
    a.href = url;
    a.download = `${id}.png`;
    a.click();
    return;
  }
  // SVG: the same option drawn once by the SVG renderer, off screen.
  const div = document.createElement('div');
  div.style.cssText = `position:absolute;left:-10000px;top:0;width:${c.getWidth()}px;height:${c.getHeight()}px`;
  document.body.append(div);
  const s = echarts.init(div, null, { renderer: 'svg', width: c.getWidth(), height: c.getHeight() });
  s.setOption({ ...make(), animation: false, backgroundColor: '#fff' });
  const svg = s.renderToSVGString();
  s.dispose();
  div.remove();
  download(`${id}.svg`, 'image/svg+xml', svg);
}

export function renderCharts(): void {
  const grid = $('charts');
  const years = S.data?.start.years ?? Array.from({ length: 30 }, (_, i) => startYear() + i);
  const c = yearsComplete();
  $('charts-note').textContent = t('percentNote');
  for (const m of S.cfg.headline) {
    const j = S.cfg.metrics.indexOf(m);
    const f = isShare(m) ? 100 : 1;
    const cisOf = (a: number) => years.map((_, k) => (S.data && k < c ? shown(m, metricCI(a, j, k)) : { mean: NaN, low: NaN, high: NaN, n: 0, sd: NaN }));
    const cis = ARMS.map((_, a) => cisOf(a));
    draw(`chart-${m}`, grid, () => {
      const series = ARMS.map((arm, a) => ({ name: t(arm), mean: cis[a]!.map((x) => f * x.mean), low: cis[a]!.map((x) => f * x.low), high: cis[a]!.map((x) => f * x.high), color: a === 0 ? PALETTE[0] : PALETTE[1], dashed: a === 1 }));
      const marks = S.data ? [{ at: S.data.start.reformYear, label: `${t('reform')} ${S.data.start.reformYear}` }] : [];
      return lineBandOption({ title: metricLabel(m, S.lang), subtitle: m, categories: years, series, marks, legend: true, fromZero: isShare(m), yName: isShare(m) ? '%' : metricUnit(m, S.lang) });
    });
    const ci = (x: MeanCI) => (Number.isFinite(x.low) ? ` [${valueShown(m, x.low)}, ${valueShown(m, x.high)}]` : '');
    altTable(`chart-${m}`, metricLabel(m, S.lang), [t('year'), `${t('policy')} (95% CI)`, `${t('baseline')} (95% CI)`], years.slice(0, c).map((y, k) => [y, valueShown(m, cis[0]![k]!.mean) + ci(cis[0]![k]!), valueShown(m, cis[1]![k]!.mean) + ci(cis[1]![k]!)]));
  }
}

/** The interval under a number: [low, high], or "all replicates" when every replicate gave the value (no interval to show). */
export function ciText(x: MeanCI, m?: string, change = false): string {
  if (allEqual(x)) return S.lang === 'zh' ? '各次重复相同' : 'all replicates';
  if (!Number.isFinite(x.low)) return '';
  return m ? `[${valueShown(m, x.low, change)}, ${valueShown(m, x.high, change)}]` : `[${displayNumber(x.low)}, ${displayNumber(x.high)}]`;
}

export function renderNumbers(): void {
  const table = $('numbers');
  const k = selectedYearIndex();
  $('numbers-year').textContent = k >= 0 && S.data ? String(S.data.start.years[k]) : '–';
  table.dataset.year = k >= 0 && S.data ? String(S.data.start.years[k]) : '';
  let h = `<thead><tr><th></th><th>${esc(t('policy'))}</th><th>${esc(t('baseline'))}</th><th>${esc(t('change'))}</th></tr></thead><tbody>`;
  for (const m of S.cfg.headline) {
    const j = S.cfg.metrics.indexOf(m);
    if (k < 0 || !S.data) {
      h += `<tr data-metric="${m}"><td>${esc(metricLabel(m, S.lang))}</td><td>–</td><td>–</td><td>–</td></tr>`;
      continue;
    }
    const p = metricCI(0, j, k), b = metricCI(1, j, k), d = diffCI(j, k);
    const cell = (arm: string, x: MeanCI) =>
      `<td data-metric="${m}" data-arm="${arm}" data-value="${csvNumber(x.mean)}"><span class="v">${valueShown(m, x.mean)}</span><span class="ci">${ciText(shown(m, x), m)}</span></td>`;
    const sig = Number.isFinite(d.low) && (d.low > 0 || d.high < 0);
    const dir = GOOD[m] ?? 0;
    const cls = sig && dir ? (Math.sign(d.mean) === dir ? 'good' : 'bad') : '';
    // A share's change is in percentage points; other metrics' changes also as a percentage of the baseline.
    const rel = !isShare(m) && Number.isFinite(b.mean) && b.mean !== 0 ? ` (${d.mean >= 0 ? '+' : ''}${displayNumber((100 * d.mean) / Math.abs(b.mean), 2)}%)` : '';
    h += `<tr data-metric="${m}"><td>${esc(metricLabel(m, S.lang))}</td>${cell('policy', p)}${cell('baseline', b)}<td class="${cls}" data-metric="${m}" data-arm="difference" data-value="${csvNumber(d.mean)}"><span class="v">${valueShown(m, d.mean, true)}${rel}</span><span class="ci">${ciText(d, m, true)}</span></td></tr>`;
  }
  const cap = S.data?.start.posterior ? `<caption class="muted" id="ci-note">${esc(t('intervalsOverPosterior'))}</caption>` : '';
  table.innerHTML = cap + h + '</tbody>';
  $('numbers-note').textContent = t('percentNote');
}
export function renderAll(): void {
  const c = yearsComplete();
  const sl = $<HTMLInputElement>('year-slider');
  if (S.data && S.sliderFollows && c > 0) sl.value = String(c - 1);
  renderNumbers();
  renderCharts();
  renderFlows();
  renderMap();
  document.body.dataset.years = String(c);
  document.body.dataset.state = S.data?.state ?? 'empty';
}

// ---------- downloads of results ----------

export function timeseriesCsv(): string {
  if (!S.data) return '';
  // Over a posterior, as run's timeseries.csv: the particle each replicate ran, after the seed.
  const p = S.data.start.posterior;
  let out = ['arm', 'replicate', 'seed', ...(p ? ['particle'] : []), 'year', ...S.cfg.metrics].join(',') + '\n';
  ARMS.forEach((arm, a) => S.data!.metrics[a]!.forEach((rep, r) => rep.forEach((row, k) => {
    if (row) out += [arm, r, S.data!.start.seeds[r], ...(p ? [p.particles[r]] : []), S.data!.start.years[k], ...row.map(csvNumber)].join(',') + '\n';
  })));
  return out;
}

export function summaryCsv(): string {
  if (!S.data) return '';
  let out = 'arm,metric,year,n,mean,sd,ci_low,ci_high,diff_mean,diff_ci_low,diff_ci_high\n';
  const c = yearsComplete();
  ARMS.forEach((arm, a) => S.cfg.metrics.forEach((m, j) => {
    for (let k = 0; k < c; k++) {
      const s = metricCI(a, j, k);
      const d = a === 0 ? diffCI(j, k) : undefined;
      out += [arm, m, S.data!.start.years[k], s.n, csvNumber(s.mean), csvNumber(s.sd), csvNumber(s.low), csvNumber(s.high), d ? csvNumber(d.mean) : '', d ? csvNumber(d.low) : '', d ? csvNumber(d.high) : ''].join(',') + '\n';
    }
  }));
  return out;
}
/** Chart text of at least `min` px (presentation mode): every fontSize below it raised, axis labels, legends and titles given one. */
export function bigText(o: unknown, min: number): unknown {
  if (Array.isArray(o)) return o.map((x) => bigText(x, min));
  if (o === null || typeof o !== 'object') return o;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) out[k] = typeof v === 'function' ? v : bigText(v, min);
  if (typeof out.fontSize === 'number' && out.fontSize < min) out.fontSize = min;
  for (const k of ['axisLabel', 'label', 'edgeLabel', 'selectorLabel', 'textStyle', 'subtextStyle', 'nameTextStyle']) {
    const v = out[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>).fontSize === undefined) out[k] = { ...(v as object), fontSize: min };
  }
  // Axes, legends and Sankeys without those keys get them too (ECharts' default is 12 px).
  for (const k of ['xAxis', 'yAxis']) if (out[k] && typeof out[k] === 'object' && !Array.isArray(out[k]) && !(out[k] as Record<string, unknown>).axisLabel) out[k] = { ...(out[k] as object), axisLabel: { fontSize: min } };
  if (out.legend && typeof out.legend === 'object' && !(out.legend as Record<string, unknown>).selectorLabel) out.legend = { ...(out.legend as object), selectorLabel: { fontSize: min } };
  if (out.type === 'sankey' && !out.edgeLabel) out.edgeLabel = { fontSize: min };
  return out;
}
