/**
 * The report of `cadreflow discover` (report.html and charts/trajectory-box-K.svg):
 * per box, the peeling trajectory as coverage against density — the trade-off
 * PRIM offers — with the chosen step and the pasted box marked, the box's
 * limits with their quasi-p-values, and the trajectory's table. One
 * self-contained HTML file, as the other reports (no script, no URL).
 */
import type { EChartsOption } from 'echarts';
import { FONT, PALETTE } from './charts.js';
import { inlineSvg, renderSvg } from './svg.js';
import { fmt, limitText, rangeText, restrictedInputs, type Discovery } from '../analysis/discover.js';
import type { FoundBox } from '../analysis/prim.js';

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Coverage (x) against density (y) along box b's trajectory: peeling steps joined in order, pasting steps after the chosen one, the chosen step and the box labelled. */
export function trajectoryOption(b: FoundBox, threshold: number): EChartsOption {
  const peel = b.peeling.map((s, t) => [s.stats.coverage, s.stats.density, t]);
  const chosen = b.chosen !== undefined ? b.peeling[b.chosen]! : undefined;
  const paste = chosen ? [[chosen.stats.coverage, chosen.stats.density, b.chosen!], ...b.pasting.map((s, t) => [s.stats.coverage, s.stats.density, b.peeling.length + t])] : [];
  const marks: any[] = [];
  if (chosen) marks.push({ name: `chosen: step ${b.chosen}`, value: [chosen.stats.coverage, chosen.stats.density] });
  if (b.result && b.pasting.length) marks.push({ name: `box ${b.box} (pasted)`, value: [b.result.stats.coverage, b.result.stats.density] });
  return {
    textStyle: { fontFamily: FONT },
    title: { text: `Box ${b.box}: peeling trajectory`, subtext: `coverage against density at each step (${b.peeling.length} peeling steps${b.pasting.length ? `, ${b.pasting.length} pasting` : ''}); dashed: density ${fmt(threshold)}`, left: 'left', textStyle: { fontSize: 13, fontWeight: 'bold' }, subtextStyle: { fontSize: 10 } },
    legend: { bottom: 0, textStyle: { fontSize: 10 } },
    grid: { left: 56, right: 24, top: 64, bottom: 64 },
    xAxis: { type: 'value', name: 'coverage', nameLocation: 'middle', nameGap: 24, min: 0, max: 1, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', name: 'density', nameLocation: 'middle', nameGap: 36, min: 0, max: 1, axisLabel: { fontSize: 10 } },
    series: [
      {
        name: 'peeling', type: 'line', symbol: 'circle', symbolSize: 5, itemStyle: { color: PALETTE[1] }, lineStyle: { width: 1 }, data: peel,
        markLine: { silent: true, symbol: 'none', lineStyle: { color: '#999', type: 'dashed' }, label: { show: false }, data: [{ yAxis: threshold }] },
      },
      ...(paste.length > 1 ? [{ name: 'pasting', type: 'line', symbol: 'diamond', symbolSize: 6, itemStyle: { color: PALETTE[2] }, lineStyle: { width: 1 }, data: paste }] : []),
      {
        name: 'chosen', type: 'scatter', symbolSize: 12, itemStyle: { color: PALETTE[0] }, data: marks,
        label: { show: true, position: 'left', fontSize: 10, formatter: (p: any) => p.data.name },
      },
    ],
  } as EChartsOption;
}

const CSS = `body { font-family: "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC", sans-serif; color: #222; margin: 0 auto; max-width: 1240px; padding: 24px 28px 60px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; border-bottom: 2px solid #c0392b; padding-bottom: 4px; margin-top: 36px; }
.sub { color: #666; } figure { margin: 0; border: 1px solid #ddd; padding: 6px; display: inline-block; max-width: 100%; } figure svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0; font-size: 12.5px; } th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: left; } thead th { background: #f3f3f3; }
details { margin: 8px 0; }`;

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v) => `<td>${esc(typeof v === 'number' ? fmt(v) : v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function discoveryReport(d: Discovery, condition: string, cases: string): { html: string; charts: [string, string][] } {
  const r = d.result;
  const charts: [string, string][] = [];
  const sections: string[] = [];
  const found = r.boxes.filter((b) => b.result);
  if (found.length) {
    sections.push(`<h2>Boxes</h2>${table(['box', 'coverage', 'density', 'mass', 'cases', 'of interest', 'restricted inputs', 'step', 'pasting steps'], found.map((b) => {
      const s = b.result!.stats;
      return [b.box, s.coverage, s.density, s.mass, String(s.n), String(s.k), String(s.restricted), `${b.chosen}${b.given ? ' (given)' : ''}`, String(b.pasting.length)];
    }))}`);
  }
  for (const b of r.boxes) {
    const svg = renderSvg(trajectoryOption(b, d.prim.threshold), 560, 420);
    charts.push([`trajectory-box-${b.box}.svg`, svg]);
    let body = `<h2>Box ${b.box}</h2>`;
    if (!b.result) {
      body += `<p>No step of the peeling reaches density ${esc(fmt(d.prim.threshold))} among the ${b.remaining} cases left, so covering stopped here. Lower <code>--threshold</code> or choose a step with <code>--box-step</code>.</p>`;
    } else {
      const s = b.result.stats;
      body += `<p>Coverage ${esc(fmt(s.coverage))} (${s.k} of the ${r.K} cases of interest), density ${esc(fmt(s.density))} (of the ${s.n} cases in the box), mass ${esc(fmt(s.mass))}. Step ${b.chosen} of the peeling ${b.given ? '(given with --box-step)' : `(the largest coverage with density ≥ ${esc(fmt(d.prim.threshold))})`}${b.pasting.length ? `, then ${b.pasting.length} pasting step(s)` : ''}; sought among ${b.remaining} cases.</p>`;
      const js = restrictedInputs(d, b);
      body += js.length
        ? table(['input', 'box', 'observed range', 'quasi-p'], js.map((j) => [d.cases.inputs[j]!.name, limitText(d, b.result!.limits, j), rangeText(d, j), b.qp![j]!]))
        : '<p>No input is restricted: the condition holds this often everywhere.</p>';
    }
    body += `<figure>${inlineSvg(svg, `t${b.box}`)}</figure>`;
    const steps = [...b.peeling, ...b.pasting];
    body += `<details><summary>Trajectory (${steps.length} steps)</summary>${table(['step', 'phase', 'coverage', 'density', 'mass', 'cases', 'restricted inputs', ''], steps.map((st, t) => [String(t), st.phase, st.stats.coverage, st.stats.density, st.stats.mass, String(st.stats.n), String(st.stats.restricted), t === b.chosen ? 'chosen' : '']))}</details>`;
    sections.push(body);
  }
  const none = d.boxOf.filter((b) => b === 0).length;
  const c = d.cases;
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`CadreFlow — scenario discovery: ${condition}`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Scenario discovery</h1>
<p class="sub">PRIM (Friedman &amp; Fisher 1999) on ${esc(c.manifest.sweep?.name ?? c.kind)} · α ${esc(fmt(d.prim.alpha))}, paste α ${esc(fmt(d.prim.pasteAlpha))}${d.prim.paste ? '' : ' (no pasting)'}, minimum mass ${esc(fmt(d.prim.minMass))}, density threshold ${esc(fmt(d.prim.threshold))}</p>
<p>Condition: <b>${esc(condition)}</b>. Cases: ${esc(cases)}, ${r.K} of interest (${esc(fmt((100 * r.K) / r.N))}%)${c.leftOut.length ? `; left out: ${esc(c.leftOut.map((l) => `${l.n} (${l.why})`).join(', '))}` : ''}. Inputs: ${esc(c.inputs.map((i) => i.name).join(', '))}${c.posterior ? ` — the last ${c.posterior.parameters.length} are the posterior's parameters (${esc(c.posterior.file)}, SHA-256 ${esc(c.posterior.sha256.slice(0, 12))}…), the values of the particle each run drew` : ''}.</p>
<p>A box is a range of each input; coverage is the share of the cases of interest inside it, density the share of its cases that are of interest, mass the share of all cases inside it. Peeling trades coverage for density step by step; the quasi-p-value of a restriction is the binomial probability of the box's density if that restriction were lifted (small: the restriction matters). Cases in no box: ${none}.</p>
${sections.join('\n')}
</body>
</html>
`;
  return { html, charts };
}
