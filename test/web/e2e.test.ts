/**
 * The workshop page end to end in a real browser: playwright-core driving
 * Debian's chromium (/usr/bin/chromium, installed by .ci/run), headless.
 * Open the page, give a bad value, change levers, run, wait for the charts to
 * reach the last year, check the numbers shown against the downloaded CSV
 * (and the CSV against simulate()), switch language, load a preset, cancel a
 * run by starting another, save and load a policy package, download a chart,
 * and see a failed run reported. Screenshots go to test/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium, requireChromium } from './browser.js';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/web/server.js';
import { parseCsv, records } from '../../src/report/csv-read.js';
import { csvNumber, displayNumber, groupMeans, meanCI } from '../../src/report/ci.js';
import { particleScenario, readPosterior } from '../../src/experiment/posterior.js';
import { runScenarios } from '../../src/web/levers.js';
import { simulate } from '../../src/model/simulate.js';
import { HEADLINE, METRIC_NAMES, SHARES, UNIT_RANGE } from '../../src/metrics/definitions.js';

// A missing browser fails the suite instead of skipping it (.ci/run installs it).
requireChromium();

const root = path.resolve(__dirname, '..', '..');
const artifacts = path.join(root, 'test', 'artifacts');
const SETTINGS = { scale: 0.04, replicates: 2, years: 3, burnIn: 4, seed: 11, reformYear: 2026 };

let server: RunningServer;
let failing: RunningServer;
let ctx: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];
const foreign: string[] = [];

async function setSettings(p: Page, s: Record<string, number>): Promise<void> {
  for (const [k, v] of Object.entries(s)) await p.fill(`#set-${k}`, String(v));
}

async function download(p: Page, selector: string): Promise<string> {
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click(selector)]);
  return readFileSync((await dl.path())!, 'utf8');
}

describe.skipIf(!haveChromium)('the workshop page in chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startServer({ port: 0, host: '127.0.0.1', threads: 2 });
    failing = await startServer({ port: 0, host: '127.0.0.1', threads: 2, failAt: { arm: 0, replicate: 1, year: 2027 } });
    profile = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      locale: 'zh-CN',
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
      args: CHROMIUM_ARGS,
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(server.url) && !u.startsWith(failing.url) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
    });
  });

  afterAll(async () => {
    await ctx?.close();
    await server?.close();
    await failing?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('tells the page which metrics are shares, whose y axes start at 0 as in the report', async () => {
    const cfg = (await (await fetch(new URL('api/config', server.url))).json()) as { shares: string[] };
    expect(cfg.shares).toContain('stagnation_share');
    expect(cfg.shares).toContain('reverse_share');
    expect(cfg.shares).not.toContain('moves_per_100');
    expect(cfg.shares).not.toContain('skill_diversity');
  });

  it('opens in Chinese for a Chinese browser, with every lever labelled', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="1"]');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('干部交流政策推演');
    const levers = await page.$$eval('.lever', (els) => els.map((e) => ({ path: (e as HTMLElement).dataset.path, name: e.querySelector('label.name')?.textContent ?? '', meta: e.querySelector('.meta')?.textContent ?? '' })));
    expect(levers.length).toBeGreaterThanOrEqual(30);
    const mt = levers.find((l) => l.path === 'policy.maxTenure')!;
    expect(mt.name).toBe('同一岗位任职上限');
    expect(mt.meta).toContain('1–40');
    expect(mt.meta).toContain('年');
    // Defaults in Chinese words (是/否, the matching's name), a unit that restates the range not repeated.
    expect(levers.map((l) => l.meta).join(' ')).not.toMatch(/默认 (true|false|directive)/);
    expect(levers.find((l) => l.path === 'policy.hometownAvoidance')!.meta).toContain('默认 是');
    expect(await page.getAttribute('.lever[data-path="policy.maxTenure"]', 'title')).toContain('必须交流');
    expect(await page.textContent('#preset option[value="baseline.json"]')).toBe('现行规则(基线)');
    expect(levers.find((l) => l.path === 'policy.disciplineStrength')!.meta).not.toMatch(/0–1 · 范围 0–1/);
    const groups = await page.$$eval('details.group summary .legend', (els) => els.map((e) => e.textContent));
    expect(groups.length).toBe(6);
    // Wide: the groups are open; nothing is marked changed on the baseline.
    expect(await page.$$eval('details.group', (els) => els.every((e) => (e as HTMLDetailsElement).open))).toBe(true);
    expect(await page.locator('.lever.changed').count()).toBe(0);
    expect(await page.inputValue('#lv-policy-maxTenure')).toBe('10');
  });

  it('says what is wrong with a bad value, in the control and from the server', async () => {
    await setSettings(page, SETTINGS);
    await page.fill('#lv-policy-maxTenure', '99');
    expect(await page.textContent('.lever[data-path="policy.maxTenure"] .err')).toContain('1–40');
    await page.click('#run');
    await page.waitForSelector('#banner:not([hidden])');
    const text = await page.textContent('#banner');
    // In the page's language, with the lever's label (not its path).
    expect(text).toContain('同一岗位任职上限: 99: 应 ≤ 40');
    expect(text).not.toContain('policy.maxTenure');
    expect(text).not.toMatch(/must be|allowed/);
    expect(await page.getAttribute('#status', 'data-state')).toBe('failed');
    // The changed lever is marked, and its group counts it.
    expect(await page.getAttribute('.lever[data-path="policy.maxTenure"]', 'data-changed')).toBe('1');
    expect(await page.textContent('details.group[data-group="limits"] .count')).toBe('1 项已改');
  });

  it('runs the policy against the baseline; the numbers shown are those of the downloaded CSV', async () => {
    await page.fill('#lv-policy-maxTenure', '5');
    await page.selectOption('#lv-policy-matching', 'two-way');
    await page.fill('#lv-behavior-unitOwnership', '0.2');
    expect(await page.textContent('.lever[data-path="policy.maxTenure"] .err')).toBe('');
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    expect(await page.isHidden('#banner')).toBe(true);
    // Every chart reached the last year.
    for (const m of HEADLINE) expect(await page.getAttribute(`#chart-${m}`, 'data-years'), m).toBe('3');
    for (const id of ['sankey-tiers', 'sankey-types', 'map']) expect(await page.getAttribute(`#${id}`, 'data-years')).toBe('3');
    expect(await page.textContent('#numbers-year')).toBe('2028');
    await page.screenshot({ path: path.join(artifacts, 'workshop-zh.png'), fullPage: true });

    const summary = records(parseCsv(await download(page, '#download-summary')));
    const at = (arm: string, m: string) => summary.find((r) => r.arm === arm && r.metric === m && r.year === '2028')!;
    for (const m of HEADLINE) {
      for (const arm of ['policy', 'baseline']) {
        const cell = page.locator(`td[data-metric="${m}"][data-arm="${arm}"]`);
        expect(await cell.getAttribute('data-value'), `${arm} ${m}`).toBe(at(arm, m).mean);
        // Shares in percent, other metrics as they are.
        const mean = Number(at(arm, m).mean);
        expect(await cell.locator('.v').textContent(), `${arm} ${m}`).toBe(SHARES.has(m) ? `${displayNumber(100 * mean)}%` : displayNumber(mean));
        if (UNIT_RANGE.has(m)) {
          // Intervals of shares within [0, 1] (0–100%).
          const ci = (await cell.locator('.ci').textContent()) ?? '';
          for (const x of ci.match(/-?[\d.]+(?=%)/g) ?? []) expect(Number(x)).toBeGreaterThanOrEqual(0);
          for (const x of ci.match(/-?[\d.]+(?=%)/g) ?? []) expect(Number(x)).toBeLessThanOrEqual(100);
        }
      }
      const d = page.locator(`td[data-metric="${m}"][data-arm="difference"]`);
      expect(await d.getAttribute('data-value'), m).toBe(at('policy', m).diff_mean);
      // A share's change in percentage points.
      if (SHARES.has(m)) expect(await d.locator('.v').textContent(), m).toMatch(/ pp$/);
    }

    // The results CSV holds every replicate-year of both arms, and they are simulate()'s.
    const ts = parseCsv(await download(page, '#download-csv'));
    expect(ts.header).toEqual(['arm', 'replicate', 'seed', 'year', ...METRIC_NAMES]);
    expect(ts.rows.length).toBe(2 * 2 * 3);
    const { policy, baseline } = runScenarios({ levers: { 'policy.maxTenure': 5, 'policy.matching': 'two-way', 'behavior.unitOwnership': 0.2 }, settings: SETTINGS });
    for (const [arm, sc] of [['policy', policy], ['baseline', baseline]] as const) {
      const row = ts.rows.find((r) => r[0] === arm && r[1] === '1' && r[3] === '2028')!;
      const ref = simulate(sc, Number(row[2]));
      const j = METRIC_NAMES.indexOf('stagnation_share');
      expect(Number(row[4 + j]), arm).toBeCloseTo(ref.metrics[2]![j]!, 8);
    }
  });

  it('downloads a chart as PNG and SVG', async () => {
    const card = page.locator('.card[data-chart="chart-stagnation_share"]');
    const [png] = await Promise.all([page.waitForEvent('download'), card.locator('button[data-kind="png"]').click()]);
    expect(png.suggestedFilename()).toBe('chart-stagnation_share.png');
    expect(readFileSync((await png.path())!).subarray(1, 4).toString()).toBe('PNG');
    const [svg] = await Promise.all([page.waitForEvent('download'), card.locator('button[data-kind="svg"]').click()]);
    const svgText = readFileSync((await svg.path())!, 'utf8');
    expect(svgText).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // Well-formed: no double quotes inside a double-quoted attribute (the font list once broke every SVG).
    expect(svgText).not.toContain('font-family:"');
  });

  it('switches to English', async () => {
    await page.click('#lang-switch');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Cadre exchange policy workshop');
    expect(await page.textContent('.lever[data-path="policy.maxTenure"] label.name')).toBe('Tenure limit in one post');
    expect(await page.getAttribute('.lever[data-path="policy.maxTenure"]', 'title')).toMatch(/^Years in one post/);
    expect(await page.textContent('#numbers thead')).toContain('Baseline');
    // The levers kept their values.
    expect(await page.inputValue('#lv-policy-maxTenure')).toBe('5');
    await page.selectOption('#map-metric', 'vacancy');
    await page.selectOption('#map-arm', 'difference');
    await page.screenshot({ path: path.join(artifacts, 'workshop-en.png'), fullPage: true });
    await page.locator('#map').screenshot({ path: path.join(artifacts, 'workshop-map.png') });
  });

  it('saves a policy package and loads it back', async () => {
    const pkg = JSON.parse(await download(page, '#save-policy'));
    expect(pkg.format).toBe('cadreflow-policy-package');
    expect(pkg.levers['policy.maxTenure']).toBe(5);
    expect(pkg.levers['policy.matching']).toBe('two-way');
    await page.click('#reset');
    expect(await page.inputValue('#lv-policy-maxTenure')).toBe('10');
    await page.setInputFiles('#policy-file', { name: 'package.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(pkg)) });
    await page.waitForFunction(() => (document.getElementById('lv-policy-maxTenure') as HTMLInputElement).value === '5');
    expect(await page.inputValue('#lv-policy-matching')).toBe('two-way');
    // A file that is not a package says so.
    await page.setInputFiles('#policy-file', { name: 'nonsense.json', mimeType: 'application/json', buffer: Buffer.from('{"levers": {"policy.nothing": 1}}') });
    await page.waitForSelector('#banner:not([hidden])');
    expect(await page.textContent('#banner')).toContain('policy.nothing');
    // Values of the wrong kind: named in the message, and nothing is applied.
    await page.setInputFiles('#policy-file', { name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from('{"levers": {"policy.maxTenure": "ten", "policy.hardshipAllowance": "high", "policy.minTenure": 2}}') });
    await page.waitForFunction(() => /\(policy\.maxTenure\): "ten"/.test(document.getElementById('banner')?.textContent ?? ''));
    // Each by the name the page shows and the path the file has.
    expect(await page.textContent('#banner')).toContain('Tenure limit in one post (policy.maxTenure): "ten"');
    expect(await page.textContent('#banner')).toContain('(policy.hardshipAllowance): "high"');
    await page.setInputFiles('#policy-file', { name: 'early.json', mimeType: 'application/json', buffer: Buffer.from('{"levers": {}, "settings": {"startYear": 1900}}') });
    await page.waitForFunction(() => /early\.json/.test(document.getElementById('banner')?.textContent ?? ''));
    expect(await page.textContent('#banner')).toContain('First reported year (settings.startYear): 1900');
    expect(await page.inputValue('#lv-policy-maxTenure')).toBe('5');
    expect(await page.inputValue('#lv-policy-minTenure')).not.toBe('2');
    await page.setInputFiles('#policy-file', { name: 'null.json', mimeType: 'application/json', buffer: Buffer.from('{"levers": null}') });
    await page.waitForFunction(() => /null\.json: not a policy package/.test(document.getElementById('banner')?.textContent ?? ''));
  });

  it('shows the reform year\'s range as the years reported, and checks it there', async () => {
    const years = await page.inputValue('#set-years');
    await page.fill('#set-years', '15');
    expect(await page.textContent('#set-reformYear-range')).toBe('2026–2040');
    await page.fill('#set-reformYear', '2045');
    expect(await page.textContent('.setting[data-key="reformYear"] .err')).toMatch(/2026.*2040/);
    await page.fill('#set-reformYear', '2030');
    expect(await page.textContent('.setting[data-key="reformYear"] .err')).toBe('');
    await page.fill('#set-years', years);
  });

  it('loads a preset', async () => {
    await page.selectOption('#preset', 'full-reform.json');
    await page.click('#load-preset');
    expect(await page.inputValue('#lv-policy-matching')).toBe('two-way');
    expect(await page.isChecked('#lv-policy-registry')).toBe(true);
    expect(await page.inputValue('#lv-policy-keyMaxTenure')).toBe('5');
    expect(await page.inputValue('#set-reformYear')).toBe('2028');
    // An English title, not the file's name.
    expect(await page.textContent('#notice')).toContain('Full reform');
    expect(await page.textContent('#preset option[value="gansu-2008.json"]')).toBe('Gansu 2006–2010');
  });

  it('applies the scale, years and burn-in a preset names, and shows no field with 17 digits', async () => {
    const before = await page.evaluate(() => Object.fromEntries(['scale', 'years', 'burnIn', 'replicates', 'seed', 'startYear', 'reformYear'].map((k) => [k, (document.getElementById(`set-${k}`) as HTMLInputElement).value])));
    expect(before.startYear).toBe('2026');
    await page.selectOption('#preset', 'gansu-calibrated.json');
    await page.click('#load-preset');
    // scenarios/gansu-calibrated.json: scale 0.12, 6 years from 2006, burn-in 40, 8 replicates; no reform, so the default reform year.
    expect(await page.inputValue('#set-scale')).toBe('0.12');
    expect(await page.inputValue('#set-years')).toBe('6');
    expect(await page.inputValue('#set-burnIn')).toBe('40');
    expect(await page.inputValue('#set-replicates')).toBe('8');
    expect(await page.inputValue('#set-startYear')).toBe('2006');
    expect(await page.inputValue('#set-reformYear')).toBe('2010');
    expect(await page.$$('.setting.invalid')).toEqual([]);
    // Another first year moves the reform year with it.
    await page.fill('#set-startYear', '2008');
    expect(await page.inputValue('#set-reformYear')).toBe('2012');
    const long = await page.$$eval('input[type=number]', (els) => els.map((e) => (e as HTMLInputElement).value).filter((v) => v.replace(/[^0-9]/g, '').length > 7));
    expect(long).toEqual([]);
    // The levers keep the file's exact values while their fields are unchanged.
    const calibrated = JSON.parse(readFileSync(path.join(root, 'scenarios', 'gansu-calibrated.json'), 'utf8'));
    const pkg = JSON.parse(await download(page, '#save-policy'));
    expect(pkg.levers['behavior.unitOwnership']).toBe(calibrated.behavior.unitOwnership);
    expect(pkg.levers['policy.tenureEnforcement']).toBe(calibrated.policy.tenureEnforcement);
    await page.selectOption('#preset', 'full-reform.json');
    await page.click('#load-preset');
    await setSettings(page, before as unknown as Record<string, number>);
  });

  it('a participant\'s second run replaces their first, visibly', async () => {
    await setSettings(page, { ...SETTINGS, burnIn: 40, years: 20, reformYear: 2026 });
    await page.click('#run');
    await page.waitForSelector('body[data-state="running"]');
    // A Run that the server rejects starts nothing, and the page goes on following the run in progress.
    const before = await page.inputValue('#lv-policy-maxTenure');
    await page.fill('#lv-policy-maxTenure', '99');
    await page.click('#run');
    await page.waitForFunction(() => /goes on/.test(document.getElementById('banner')?.textContent ?? ''));
    expect(await page.textContent('#banner')).toMatch(/Tenure limit in one post: 99: must be ≤ 40/);
    expect(await page.getAttribute('body', 'data-state')).toBe('running');
    await page.fill('#lv-policy-maxTenure', before);
    await page.click('#run');
    await page.waitForFunction(() => /cancelled/.test(document.getElementById('notice')?.textContent ?? ''));
    await page.waitForSelector('body[data-state="done"]', { timeout: 90_000 });
    expect(await page.getAttribute('#chart-stagnation_share', 'data-years')).toBe('20');
    // The slider plays the decades on the map.
    await page.fill('#year-slider', '3');
    await page.dispatchEvent('#year-slider', 'input');
    expect(await page.textContent('#map-year')).toBe('2029');
    expect(await page.textContent('#numbers-year')).toBe('2029');
    await page.screenshot({ path: path.join(artifacts, 'workshop-after-cancel.png'), fullPage: true });
  });

  it('shows a failed run as an error, not a blank page', async () => {
    const p = await ctx.newPage();
    p.on('pageerror', (e) => pageErrors.push(e.message));
    await p.goto(failing.url);
    await p.waitForSelector('body[data-ready="1"]');
    await setSettings(p, SETTINGS);
    await p.click('#run');
    await p.waitForSelector('#banner:not([hidden])', { timeout: 60_000 });
    expect(await p.textContent('#banner')).toContain('injected failure in replicate 1 in 2027');
    expect(await p.getAttribute('#status', 'data-state')).toBe('failed');
    // The page is all there (another origin: its own language setting, Chinese for this browser).
    expect(await p.textContent('h1')).toBe('干部交流政策推演');
    expect(await p.locator('.lever').count()).toBeGreaterThanOrEqual(30);
    await p.screenshot({ path: path.join(artifacts, 'workshop-failed.png') });
    await p.close();
  });

  it('runs over the posterior: the CSV names each replicate\'s particle, the intervals are over the drawn particles', async () => {
    const post = readPosterior(path.join(root, 'scenarios', 'gansu-posterior.csv'));
    const cfg = (await (await fetch(new URL('api/config', server.url))).json()) as { posterior: { file: string; particles: number; seedsPerParticle: number } };
    expect(cfg.posterior).toMatchObject({ file: path.join('scenarios', 'gansu-posterior.csv'), particles: post.particles.length, seedsPerParticle: 2 });
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]');
    await setSettings(page, { ...SETTINGS, replicates: 3 });
    await page.check('#set-posterior');
    expect(await page.textContent('.setting[data-key="replicates"] .err')).toContain('2');
    await page.click('#run');
    await page.waitForSelector('#banner:not([hidden])');
    expect(await page.textContent('#banner')).toMatch(/Replicates: 3: .*multiple of 2/);
    await setSettings(page, { ...SETTINGS, replicates: 4 });
    await page.click('#run');
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/2 particles of the posterior × 2 seeds|2 个后验粒子 × 2 个随机种子/);
    expect(await page.isVisible('#ci-note')).toBe(true);

    const ts = parseCsv(await download(page, '#download-csv'));
    expect(ts.header.slice(0, 5)).toEqual(['arm', 'replicate', 'seed', 'particle', 'year']);
    const row = (arm: string, r: number) => ts.rows.find((x) => x[0] === arm && x[1] === String(r) && x[4] === '2028')!;
    // Replicates 0, 1 run the first draw and 2, 3 the second, in both arms (common random numbers).
    for (const arm of ['policy', 'baseline']) {
      expect(row(arm, 1)[3]).toBe(row(arm, 0)[3]);
      expect(row(arm, 3)[3]).toBe(row(arm, 2)[3]);
      expect(row(arm, 0)[3]).toBe(row('baseline', 0)[3]);
    }
    const { baseline } = runScenarios({ settings: { ...SETTINGS, replicates: 4, posterior: 1 } }, post.paths);
    const j = post.particles.findIndex((p) => String(p.particle) === row('baseline', 2)[3]);
    const ref = simulate(particleScenario(post, j, baseline), Number(row('baseline', 2)[2]));
    const m = METRIC_NAMES.indexOf('stagnation_share');
    expect(Number(row('baseline', 2)[5 + m])).toBeCloseTo(ref.metrics[2]![m]!, 8);

    // The interval shown is that of the two draws' means, not of the four replicates.
    const values = [0, 1, 2, 3].map((r) => Number(row('baseline', r)[5 + m]));
    const summary = records(parseCsv(await download(page, '#download-summary')));
    const s = summary.find((r) => r.arm === 'baseline' && r.metric === 'stagnation_share' && r.year === '2028')!;
    // The CSV's values are rounded to 13 significant digits, the page's interval is of the unrounded ones:
    // equal to within the values' rounding (times the t quantile), not always to the last digit.
    const over = meanCI(groupMeans(values, [0, 0, 1, 1]), true);
    const scale = Math.max(...values.map(Math.abs));
    const near = (cell: string, x: number) => expect(Math.abs(Number(cell) - x)).toBeLessThanOrEqual(1e-10 * scale);
    near(s.ci_low, over.low);
    near(s.ci_high, over.high);
    expect(csvNumber(over.low)).not.toBe(csvNumber(meanCI(values, true).low));
    await page.uncheck('#set-posterior');
  });

  it('made no request outside the local server and raised no page error', () => {
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
