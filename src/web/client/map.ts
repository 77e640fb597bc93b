/**
 * The workshop page's flows and map: the moves between tiers and by type
 * and direction as Sankeys, summed up to the chosen year, and a regional
 * metric on the province's map (policy, baseline or their difference).
 */
import type * as EC from 'echarts';
import { mapOption, sankeyOption } from '../../report/charts.js';
import { displayNumber, meanCI } from '../../report/ci.js';
import { regionMetricLabel } from '../../report/i18n.js';
import { tierSankey, typeSankey, type FlowTally } from '../../report/flows.js';
import { S, $, t, type Region } from './state.js';
import { altTable, charts, draw } from './charts.js';
import { selectedYearIndex } from './run.js';

/** The province's outline on the map: the union of discs of this radius around the regions' seats (km). */
export const OUTLINE_KM = 45;

export function flowTally(arm: number, upTo: number): FlowTally {
  const nT = S.cfg.tiers.length;
  const f: FlowTally = { tiers: S.cfg.tiers, tierMatrix: new Array(nT * nT).fill(0), typeDir: new Array(S.cfg.flowTypes.length * S.cfg.directions.length).fill(0), runYears: 0, moves: 0 };
  if (!S.data) return f;
  for (const rep of S.data.flows[arm]!) {
    for (let k = 0; k <= upTo; k++) {
      const x = rep[k];
      if (!x) continue;
      f.runYears++;
      x.tierMatrix.forEach((v, i) => (f.tierMatrix[i]! += v));
      x.typeDir.forEach((v, i) => { f.typeDir[i]! += v; f.moves += v; });
    }
  }
  return f;
}

/** On a narrow screen the Sankey's right margin (for the labels of its second column) is a share of the width, not 240 px. */
export function narrowSankey(o: EC.EChartsOption, width: number): EC.EChartsOption {
  if (!width || width >= 600) return o;
  const series = (o.series as Record<string, unknown>[]).map((x) => ({ ...x, right: Math.round(0.42 * width), label: { ...(x.label as object), fontSize: 10 } }));
  return { ...o, series } as EC.EChartsOption;
}

export function renderFlows(): void {
  const arm = Number($<HTMLSelectElement>('flow-arm').value || 0);
  const k = selectedYearIndex();
  const f = flowTally(arm, k);
  const note = S.data && k >= 0 ? `${S.data.start.years[0]}–${S.data.start.years[k]} · ${f.runYears} ${S.lang === 'zh' ? '重复·年' : 'replicate-years'}` : t('noData');
  $('flow-note').textContent = note;
  const parent = $('flows');
  const specs = { 'sankey-tiers': tierSankey(f, S.lang, t('flowsTiers')), 'sankey-types': typeSankey(f, S.lang, t('flowsTypes')) };
  for (const [id, spec] of Object.entries(specs)) {
    draw(id, parent, () => narrowSankey(sankeyOption(spec), parent.clientWidth), 'tall');
    const label = new Map(spec.nodes.map((n) => [n.id, n.label.replace(/^→ /, '')]));
    altTable(id, spec.title ?? id, [t('from'), t('to'), `${t('flowCount')} (${spec.unit ?? ''})`], spec.links.filter((l) => l.value > 0).map((l) => [label.get(l.source) ?? l.source, label.get(l.target) ?? l.target, displayNumber(l.value)]));
  }
}

export function renderMap(): void {
  const metric = $<HTMLSelectElement>('map-metric').value || 'stagnation';
  const armSel = $<HTMLSelectElement>('map-arm').value || 'policy';
  const k = selectedYearIndex();
  $('map-year').textContent = S.data && k >= 0 ? String(S.data.start.years[k]) : '–';
  const el = $('map-card');
  const w = el.clientWidth || 800;
  const h = w < 600 ? 420 : S.present ? 640 : 560;
  const mean = (arm: number, g: number) => meanCI(S.data!.regions[arm]!.map((rep) => rep[k]?.[metric]?.[g] ?? NaN)).mean;
  const values = S.cfg.regions.map((r, g) => {
    if (metric === 'wageIndex') return r.wageIndex;
    if (!S.data || k < 0) return NaN;
    if (armSel === 'difference') return mean(0, g) - mean(1, g);
    return mean(armSel === 'baseline' ? 1 : 0, g);
  });
  const label = metric === 'wageIndex' ? (S.lang === 'zh' ? '相对工资(工资指数)' : 'Relative pay (wageIndex)') : regionMetricLabel(metric, S.lang);
  // The wage index is the region's data, the same in both arms: no difference to show, and a sequential scale.
  const fixed = metric === 'wageIndex';
  const diverging = !fixed && (armSel === 'difference' || metric === 'netReverse');
  // The same colour range for policy and baseline, so that switching compares like with like.
  let range: { min?: number; max?: number } = {};
  if (S.data && k >= 0 && metric !== 'wageIndex' && armSel !== 'difference') {
    const all = [0, 1].flatMap((a) => S.cfg.regions.map((_, g) => mean(a, g))).filter(Number.isFinite);
    if (all.length) {
      let lo = Math.min(...all), hi = Math.max(...all);
      if (diverging) { const m = Math.max(Math.abs(lo), Math.abs(hi)); lo = -m; hi = m; }
      range = { min: lo, max: hi };
    }
  }
  // The legend's title and unit: shares in percent (a difference in percentage points), flows per 100 posts, ties an index.
  const pct = metric === 'stagnation' || metric === 'vacancy';
  const unit = pct ? (armSel === 'difference' ? 'pp' : '%') : metric === 'netReverse' || metric === 'inflow' ? (S.lang === 'zh' ? '每百岗位每年' : 'per 100 posts a year') : metric === 'ties' ? (S.lang === 'zh' ? '指数 0–1' : 'index 0–1') : (S.lang === 'zh' ? '指数' : 'index');
  const f = pct ? 100 : 1;
  const legend = `${metric === 'wageIndex' ? (S.lang === 'zh' ? '相对工资' : 'Relative pay') : regionMetricLabel(metric, S.lang)}\n(${unit})`;
  const name = (r: Region) => (S.lang === 'zh' ? r.name : r.nameEn);
  const scaled = values.map((v) => f * v);
  draw('map', el, () => mapOption({
    title: label, subtitle: fixed ? (S.lang === 'zh' ? '地区数据,政策与基线相同' : 'data of the regions, the same under the policy and the baseline') : `${armSel === 'difference' ? t('difference') : t(armSel)}${S.data && k >= 0 ? ` · ${S.data.start.years[k]}` : ''}`,
    regions: S.cfg.regions.map((r, g) => ({ code: r.code, name: name(r), level: r.level, x: r.x, y: r.y, value: scaled[g]! })),
    width: w, height: h, labels: true, diverging, ...(range.min !== undefined ? { min: f * range.min, max: f * range.max! } : {}),
    valueName: legend, outlineKm: OUTLINE_KM, shiftLabels: true,
  }), 'map');
  if ($('map').style.height !== `${h}px`) { $('map').style.height = `${h}px`; charts.get('map')?.resize(); }
  $('map-note').textContent = t('mapOutline');
  altTable('map', `${label} (${unit})`, [t('region'), t('value')], S.cfg.regions.map((r, g) => [name(r), Number.isFinite(scaled[g]!) ? displayNumber(scaled[g]!) : '–']));
}
