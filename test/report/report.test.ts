/**
 * The HTML report end to end (built CLI; npm test builds first): from a small
 * run with events, without events, a sweep, a comparison and a hand-made
 * sensitivity directory. Every chart is present inline and as an SVG file,
 * and nothing in the page points outside it.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HEADLINE, METRIC_NAMES } from '../../src/metrics/definitions.js';
import { summarize } from '../../src/experiment/stats.js';
import { meanCI } from '../../src/report/ci.js';
import { parseCsv } from '../../src/report/csv-read.js';
import { direction, flowCounter, emptyFlows, regionTiers } from '../../src/report/flows.js';
import { inlineSvg, renderSvg } from '../../src/report/svg.js';
import { differenceBarsHeight, differenceBarsOption, lineBandOption, PALETTE } from '../../src/report/charts.js';
import { LEVER_GROUPS, LEVER_TIPS_ZH, PRESETS_ZH, UI } from '../../src/report/i18n.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const SMALL = { name: 'small', seed: 5, startYear: 2026, years: 3, burnIn: 4, replicates: 2, world: { preset: 'gansu', scale: 0.04 }, reforms: [{ year: 2027, description: 'shorter limits', policy: { maxTenure: 6 } }] };

/** The charts of a report: figure names inline, and the SVG files beside it. */
function charts(dir: string): { html: string; inline: string[]; files: string[] } {
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  const inline = [...html.matchAll(/<figure class="chart[^"]*" data-chart="([^"]+)">\s*<svg[\s\S]*?<\/svg>/g)].map((m) => m[1]!);
  const files = existsSync(path.join(dir, 'charts')) ? readdirSync(path.join(dir, 'charts')).sort() : [];
  return { html, inline, files };
}

/** No URL outside the manifest's own text, no script or stylesheet from elsewhere, balanced svg elements. */
function expectSelfContained(html: string): void {
  const withoutManifest = html.replace(/<pre class="manifest-text">[\s\S]*?<\/pre>/, '');
  expect(withoutManifest).not.toMatch(/https?:\/\//i);
  expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
  expect(html).not.toMatch(/<link[^>]*href=/i);
  expect(html).not.toMatch(/\ssrc=/i);
  expect(html).not.toMatch(/url\((?!#)/i);
  expect((html.match(/<svg\b/g) ?? []).length).toBe((html.match(/<\/svg>/g) ?? []).length);
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-report-'));
  writeFileSync(path.join(tmp, 'small.json'), JSON.stringify(SMALL));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// End to end through the built CLI: minutes on a loaded machine, not the default 5 s.
describe('cadreflow report', { timeout: 120_000 }, () => {
  it('draws a run with events: headline metrics with CI bands, reform marks, flows, maps, levers, manifest', () => {
    const run = cf(['run', 'small.json', '--events', '--out', 'r', '--threads', '1', '--quiet']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    // run writes the report itself.
    expect(existsSync(path.join(tmp, 'r', 'report.html'))).toBe(true);
    const r = cf(['report', 'r']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/run report: .*report\.html/);
    const { html, inline, files } = charts(path.join(tmp, 'r'));
    const expected = [...HEADLINE.map((m) => `${m}.svg`), 'flows-tiers.svg', 'flows-types.svg', 'map-wage-index.svg', 'map-net-reverse.svg', 'map-inflow.svg'];
    expect(inline.sort()).toEqual([...expected].sort());
    expect(files).toEqual([...expected].sort());
    for (const f of files) {
      const svg = readFileSync(path.join(tmp, 'r', 'charts', f), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    }
    expectSelfContained(html);
    // The reform year is marked on the charts, the levers table shows the change, the manifest is there.
    expect(html).toContain('reform 2027');
    expect(html).toMatch(/<td class="changed">6<\/td>/);
    expect(html).toContain('<pre class="manifest-text">');
    expect(html).toContain('&quot;command&quot;: &quot;run&quot;');
    // Every metric is in the table of numbers.
    for (const m of METRIC_NAMES) expect(html).toContain(`<code>${m}</code>`);
    // Sankey and map series are in the inline SVGs (node labels, region names).
    expect(html).toContain('County, poorer');
    expect(html).toContain('Regulatory (tenure)');
    expect(html).toMatch(/Lanzhou|兰州/);
    // Printable.
    expect(html).toMatch(/@media print/);
    // The y axis of a share starts at 0 (reverse_share is far from 0 here), and fits the data with --zoom;
    // a metric that is not a share (skill_diversity, 1.5–2) always fits the data.
    const tick0 = (f: string) => /<text[^>]*>0<\/text>/.test(readFileSync(path.join(tmp, 'r', 'charts', f), 'utf8'));
    expect(tick0('reverse_share.svg')).toBe(true);
    expect(tick0('skill_diversity.svg')).toBe(false);
    expect(cf(['report', 'r', '--zoom', '--quiet']).code).toBe(0);
    expect(tick0('reverse_share.svg')).toBe(false);
  });

  it('in Chinese with --lang zh', () => {
    expect(cf(['run', 'small.json', '--events', '--out', 'rz', '--threads', '1', '--quiet']).code).toBe(0);
    const r = cf(['report', 'rz', '--lang', 'zh', '--quiet']);
    expect(r.code).toBe(0);
    const { html } = charts(path.join(tmp, 'rz'));
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('板结比例');
    expect(html).toContain('兰州市');
  });

  it('without events.csv says how to get the flows', () => {
    expect(cf(['run', 'small.json', '--out', 'ne', '--threads', '1', '--quiet']).code).toBe(0);
    const { html, inline } = charts(path.join(tmp, 'ne'));
    expect(html).toContain('--events');
    expect(inline).not.toContain('flows-tiers.svg');
    expect(inline).toContain('map-wage-index.svg');
    expect(inline).toContain('stagnation_share.svg');
    expectSelfContained(html);
  });

  it('draws a sweep: a heatmap over two parameters and a line over each', () => {
    writeFileSync(path.join(tmp, 'sw.json'), JSON.stringify({
      name: 'sw', base: 'small.json', replicates: 2,
      design: { type: 'grid', parameters: { 'policy.maxTenure': [6, 10], 'policy.hardshipAllowance': [[0.024, 0.042, 0.07, 0.08, 0.136, 0.2], [0.072, 0.126, 0.21, 0.24, 0.408, 0.6]] } },
    }));
    expect(cf(['sweep', 'sw.json', '--out', 'sw', '--threads', '2', '--quiet']).code).toBe(0);
    const r = cf(['report', 'sw', '--metric', 'reverse_share']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^sweep report/);
    const { html, inline, files } = charts(path.join(tmp, 'sw'));
    expect(inline).toEqual([
      'heatmap-reverse_share-policy.maxTenure-policy.hardshipAllowance.svg',
      'line-reverse_share-policy.maxTenure.svg',
      'line-reverse_share-policy.hardshipAllowance.svg',
    ]);
    expect(files.length).toBe(3);
    expectSelfContained(html);
    // The heatmap cell of (maxTenure 6, first allowance table) is the mean over its two replicates in runs.csv.
    const runs = parseCsv(readFileSync(path.join(tmp, 'sw', 'runs.csv'), 'utf8'));
    const j = runs.header.indexOf('reverse_share');
    const p0 = runs.rows.filter((x) => x[0] === '0').map((x) => Number(x[j]));
    const mean = (p0[0]! + p0[1]!) / 2;
    expect(html).toContain(`>${Number(mean.toPrecision(3))}<`);
    // Bad choices are bad input.
    const bad = cf(['report', 'sw', '--metric', 'nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--metric.*nonsense/);
    expect(cf(['report', 'sw', '--x', 'policy.nothing']).code).toBe(2);
    expect(cf(['report', 'sw', '--x', 'policy.maxTenure', '--y', 'policy.maxTenure']).err).toMatch(/--y: "policy\.maxTenure": a parameter other than --x/);
    expect(html).not.toMatch(/not complete/);
    // A sweep that has not finished (no finishing time in its manifest) is drawn with a warning.
    cpSync(path.join(tmp, 'sw'), path.join(tmp, 'sw-part'), { recursive: true });
    const mf = path.join(tmp, 'sw-part', 'manifest.json');
    const { finished: _f, ...unfinished } = JSON.parse(readFileSync(mf, 'utf8'));
    writeFileSync(mf, JSON.stringify(unfinished));
    expect(cf(['report', 'sw-part']).code).toBe(0);
    expect(readFileSync(path.join(tmp, 'sw-part', 'report.html'), 'utf8')).toMatch(/This sweep is not complete/);
    // The options of a sweep's report are refused for other results, not ignored.
    const notSweep = cf(['report', 'r', '--metric', 'reverse_share']);
    expect(notSweep.code).toBe(2);
    expect(notSweep.err).toMatch(/--metric: "reverse_share": only for the report of a sweep .*holds a run/);
  });

  it('draws a comparison: scenarios overlaid and the differences', () => {
    // A comparison directory as `cadreflow compare` writes it (compare.csv, timeseries.csv with a scenario column).
    const dir = path.join(tmp, 'cmp');
    mkdirSync(dir);
    const ts = readFileSync(path.join(tmp, 'r', 'timeseries.csv'), 'utf8').trim().split('\n');
    let out = `scenario,${ts[0]}\n`;
    for (const [k, label] of ['ref', 'alt'].entries()) for (const l of ts.slice(1)) out += `${label},${k}${l.slice(l.indexOf(','))}\n`;
    writeFileSync(path.join(dir, 'timeseries.csv'), out);
    let cmp = 'metric,year,scenario,n,mean,ci_low,ci_high,diff_mean,diff_ci_low,diff_ci_high,diff_sd,unpaired_diff_ci_low,unpaired_diff_ci_high\n';
    for (const m of HEADLINE) cmp += `${m},2028,ref,2,0.5,0.4,0.6,,,,,,\n${m},2028,alt,2,0.6,0.5,0.7,0.1,0.05,0.15,0.01,0,0.2\n`;
    writeFileSync(path.join(dir, 'compare.csv'), cmp);
    const manifest = JSON.parse(readFileSync(path.join(tmp, 'r', 'manifest.json'), 'utf8'));
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, command: 'compare', scenario: undefined, labels: ['ref', 'alt'], reference: 'ref', scenarios: [manifest.scenario, manifest.scenario] }, null, 2));
    const r = cf(['report', 'cmp']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^compare report/);
    const { html, inline } = charts(dir);
    expect(inline).toEqual([...HEADLINE.map((m) => `${m}.svg`), 'compare-diff-2028.svg', 'map-wage-index.svg']);
    expect(html).toContain('alt');
    expect(html).toContain('--events');
    expectSelfContained(html);
    // The differences are paired differences in percentage points for shares (0.1 → 10), in their own
    // units for the others, each unit on its own axis, with error bars; no longer % of the reference.
    const diff = readFileSync(path.join(dir, 'charts', 'compare-diff-2028.svg'), 'utf8');
    expect(diff).toContain('percentage points');
    expect(diff).toContain('moves per 100 cadres');
    expect(diff).toContain('domains');
    expect(diff).not.toMatch(/% of the reference/);
    // Only the share panel, in percentage points, reaches past 10 (its differences are 10 ± 5).
    const ticks = [...diff.matchAll(/>(-?[\d.]+)<\/text>/g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(10);
    // A scenario has one colour in every chart: alt is the second colour, in the lines and in the bars,
    // and the reference's colour is not used for alt's bars.
    const line = readFileSync(path.join(dir, 'charts', 'stagnation_share.svg'), 'utf8');
    for (const svg of [line, diff]) expect(svg).toContain(PALETTE[1]);
    expect(diff).not.toContain(PALETTE[0]);
  });

  it('draws sensitivity results: Morris μ*–σ and Sobol bars with intervals (hand-made sensitivity.csv)', () => {
    const dir = path.join(tmp, 'sa');
    mkdirSync(dir);
    const head = 'parameter,metric,mu_star,sigma,S1,S1_low,S1_high,ST,ST_low,ST_high,mu,mu_star_low,mu_star_high,n\n';
    writeFileSync(path.join(dir, 'sensitivity.csv'), head +
      'policy.maxTenure,stagnation_share,0.05,0.02,0.6,0.4,0.8,0.7,0.5,0.9,0.05,0.04,0.06,8\n' +
      'behavior.stigma,stagnation_share,0.01,0.004,0.1,-0.05,0.2,0.15,0.05,0.3,-0.01,0.005,0.015,8\n' +
      'policy.maxTenure,reverse_share,0.02,0.03,,,,,,,0.01,0.01,0.03,8\n' +
      'behavior.stigma,reverse_share,0.09,0.05,,,,,,,-0.09,0.07,0.1,8\n');
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ program: 'cadreflow', command: 'sensitivity', method: 'morris', analysis: { name: 'hand-made' } }));
    const r = cf(['report', 'sa']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^sensitivity report/);
    const { html, inline } = charts(dir);
    expect(inline).toEqual(['morris-stagnation_share.svg', 'sobol-stagnation_share.svg', 'morris-reverse_share.svg']);
    expect(html).toContain('σ/μ* = 0.5');
    expectSelfContained(html);
  });

  it('says what is wrong with a directory that is not a result', () => {
    mkdirSync(path.join(tmp, 'empty'));
    const r = cf(['report', 'empty']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/results directory/);
    expect(cf(['report', 'nowhere']).code).toBe(2);
    expect(cf(['report', 'r', '--lang', 'fr']).code).toBe(2);
  });
});

describe('report pieces', () => {
  it('meanCI agrees with the summaries of summary.csv', () => {
    const cases = [[1, 2, 3, 4], [0.1, 0.5, NaN, 0.7], [5], [], [2, 2, 2], Array.from({ length: 40 }, (_, i) => Math.sin(i) * 3)];
    for (const [xs, unit] of [...cases.map((c) => [c, false] as const), ...cases.map((c) => [c, true] as const)]) {
      const a = meanCI(xs, unit), b = summarize(xs, unit);
      expect(a.n).toBe(b.n);
      for (const [x, y] of [[a.mean, b.mean], [a.sd, b.sd], [a.low, b.ciLow], [a.high, b.ciHigh]] as const) {
        if (Number.isNaN(y)) expect(x).toBeNaN();
        else expect(x).toBeCloseTo(y, 12);
      }
    }
  });

  it('reform marks are labelled in a strip of their own, below the subtitle', () => {
    const svg = renderSvg(lineBandOption({ title: 'Title', subtitle: 'the subtitle', categories: [2026, 2027, 2028], series: [{ name: 'a', mean: [1, 2, 3] }], marks: [{ at: 2027, label: 'reform 2027' }] }), 560, 300);
    const y = (text: string) => {
      const m = new RegExp(`<text[^>]*transform="[^"]*translate\\(([-\\d.]+) ([-\\d.]+)\\)[^"]*"[^>]*>${text}</text>`).exec(svg);
      expect(m, text).not.toBeNull();
      return Number(m![2]);
    };
    // 10 px subtitle, 9 px label: their centres at least 10 px apart.
    expect(y('reform 2027') - y('the subtitle')).toBeGreaterThanOrEqual(10);
  });

  it('the y axis of a share starts at 0 unless asked otherwise; differences are drawn in panels with error bars', () => {
    const spec = { categories: [2026, 2027], series: [{ name: 'a', mean: [0.2, 0.25], low: [0.18, 0.22], high: [0.22, 0.28] }] };
    expect((lineBandOption({ ...spec, fromZero: true }).yAxis as any).min).toBe(0);
    expect((lineBandOption({ ...spec, fromZero: true }).yAxis as any).scale).toBe(false);
    expect((lineBandOption(spec).yAxis as any).scale).toBe(true);
    const bars = { series: [{ name: 'b', color: PALETTE[1] }, { name: 'c', color: PALETTE[2] }], panels: [
      { unit: 'percentage points', categories: ['x', 'y'], values: [[1, -2], [3, 4]], low: [[0.5, -3], [2, 3]], high: [[1.5, -1], [4, 5]] },
      { unit: 'domains', categories: ['z'], values: [[0.1], [0.2]], low: [[0], [NaN]], high: [[0.2], [NaN]] },
    ] };
    const o = differenceBarsOption(bars) as any;
    expect(o.grid.length).toBe(2);
    expect(o.xAxis.map((a: any) => a.name)).toEqual(['percentage points', 'domains']);
    // Per panel and series a bar and its error bars (the undefined interval of c in panel 2 left out).
    const custom = o.series.filter((s: any) => s.type === 'custom');
    expect(custom.map((s: any) => s.data.length)).toEqual([2, 2, 1, 0]);
    // Panels do not overlap, and the chart is tall enough for them.
    expect(o.grid[1].top).toBeGreaterThanOrEqual(o.grid[0].top + o.grid[0].height);
    expect(differenceBarsHeight(bars)).toBeGreaterThanOrEqual(o.grid[1].top + o.grid[1].height + 40);
    expect(renderSvg(o, 640, differenceBarsHeight(bars))).toContain('percentage points');
  });

  it('calls the source study "the study" (研究), keeping "seed" for the random seed', () => {
    const texts = [...LEVER_GROUPS.flatMap((g) => [...g.label, ...g.note]), ...Object.values(LEVER_TIPS_ZH), ...Object.values(PRESETS_ZH).flat(), ...Object.values(UI).flat()];
    for (const t of texts) {
      expect(t.replace(/随机种子/g, '')).not.toContain('种子');
      expect(t).not.toMatch(/seed §|seed's|the seed\b/i);
    }
    expect(LEVER_GROUPS.find((g) => g.id === 'limits')!.note).toEqual(['任期制、回避、不许讨价还价 — 研究 §3.5 四', 'Tenure limits, avoidance, no bargaining — the study §3.5 四']);
    expect(UI.seed).toEqual(['随机种子', 'Random seed']);
  });

  it('parses quoted CSV cells (sweep parameters that are lists)', () => {
    const t = parseCsv('a,b,c\n1,"[0.1,0.2]","say ""hi"""\n2,,x\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([['1', '[0.1,0.2]', 'say "hi"'], ['2', '', 'x']]);
  });

  it('classifies moves into tiers and directions', () => {
    // Province 0; prefectures 1 (rich) and 2 (poor); counties 3, 4 (rich) and 5, 6 (poor).
    const w = {
      nRegions: 7, code: ['P', 'F1', 'F2', 'C1', 'C2', 'C3', 'C4'], level: [3, 2, 2, 1, 1, 1, 1], wageIndex: [1, 0.95, 0.8, 0.9, 0.88, 0.7, 0.72],
      postUnit: [0, 0, 1, 2],
    };
    const { tiers, tierOf } = regionTiers(w);
    expect(tiers).toEqual(['province', 'prefecture-rich', 'prefecture-poor', 'county-rich', 'county-poor']);
    expect(tierOf).toEqual([0, 1, 2, 3, 3, 4, 4]);
    expect(direction(w, 3, 1)).toBe(0); // up
    expect(direction(w, 0, 2)).toBe(1); // down
    expect(direction(w, 3, 5)).toBe(2); // reverse
    expect(direction(w, 5, 3)).toBe(3); // forward
    expect(direction(w, 4, 4)).toBe(5); // within
    const { count } = flowCounter(w);
    const t = emptyFlows(tiers);
    count(t, 'regulatory', 2, 3, 3, 5, 1, 1); // county rich → county poor
    count(t, 'promotion', 0, 1, 0, 0, 0, 1); // promotion in place (same unit): left out
    count(t, 'return', 2, 3, 5, 3, 1, 1); // return from secondment: left out
    expect(t.moves).toBe(1);
    expect(t.tierMatrix[3 * 5 + 4]).toBe(1);
  });

  it('renders SVG for files and for inlining without namespaces or shared ids', () => {
    const svg = renderSvg(lineBandOption({ title: 't', categories: [2026, 2027], series: [{ name: 'a', mean: [1, 2], low: [0.5, 1.5], high: [1.5, 2.5] }] }), 300, 200);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    const a = inlineSvg(svg, 'c1'), b = inlineSvg(svg, 'c2');
    expect(a).not.toMatch(/https?:/);
    const ids = (s: string) => [...s.matchAll(/id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a).filter((i) => ids(b).includes(i))).toEqual([]);
    // Well-formed XML attributes (an SVG file must open in any viewer): every start tag is a name and
    // quoted attributes; the font list once put double quotes inside a double-quoted style attribute.
    for (const m of svg.matchAll(/<([A-Za-z][\w:-]*)([^>]*?)\/?>/g)) expect(m[2], `<${m[1]}${m[2]}>`).toMatch(/^(\s+[\w:-]+=("[^"<]*"|'[^'<]*'))*\s*$/);
    expect(svg).toContain('Helvetica Neue');
  });
});
