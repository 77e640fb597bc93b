/**
 * The workshop page for a whole room, in Debian's chromium (playwright-core):
 * several participants (browser contexts) run at once and every run completes
 * with simulate()'s numbers; the trainer's view shows them side by side; the
 * page fits 360, 1024 and 1920 px with no horizontal scroll (Run and the
 * headline numbers first on a phone), with a presentation mode of 14 px text or
 * more; a link reproduces a policy; a downloaded scenario runs in the CLI with
 * the page's numbers; the Chinese page words the server's messages in Chinese;
 * a stopped server and a dropped connection say so. Screenshots go to
 * test/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, haveChromium, requireChromium } from './browser.js';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, joinUrls, cadreYears, type RunningServer } from '../../src/web/server.js';
import { parseCsv, records } from '../../src/report/csv-read.js';
import { csvNumber } from '../../src/report/ci.js';
import { runScenarios } from '../../src/web/levers.js';
import { simulate } from '../../src/model/simulate.js';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';

// A missing browser fails the suite instead of skipping it (.ci/run installs it).
requireChromium();

const root = path.resolve(__dirname, '..', '..');
const artifacts = path.join(root, 'test', 'artifacts');
const SETTINGS = { scale: 0.03, replicates: 2, years: 3, burnIn: 3, seed: 7, reformYear: 2027 };

let server: RunningServer;
let browser: Browser;
let tmp: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(o: { width?: number; locale?: string; url?: string } = {}): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 900 }, locale: o.locale ?? 'en-US', acceptDownloads: true });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(o.url ?? server.url);
  await page.waitForSelector('body[data-ready="1"]');
  return page;
}

async function setSettings(p: Page, s: Record<string, number>): Promise<void> {
  for (const [k, v] of Object.entries(s)) await p.fill(`#set-${k}`, String(v));
}

async function download(p: Page, selector: string): Promise<string> {
  const [dl] = await Promise.all([p.waitForEvent('download'), p.click(selector)]);
  return readFileSync((await dl.path())!, 'utf8');
}

/** No horizontal scroll: the document is no wider than the window. */
async function overflow(p: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return p.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
}

describe('cadreflow serve for a room', () => {
  const main = path.join(root, 'dist', 'src', 'cli', 'main.js');
  it('prints the machine\'s addresses as URLs to type with --host 0.0.0.0, and the trainer\'s view', async () => {
    const child = spawn(process.execPath, [main, 'serve', '--host', '0.0.0.0', '--port', '0', '--no-posterior'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 30_000);
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('press Ctrl+C')) { clearTimeout(timer); resolve(); }
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
      });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const first = out.split('\n')[0]!;
    expect(first).toMatch(/^CadreFlow workshop page: http:\/\/\S+:\d+\//);
    expect(first).not.toContain('0.0.0.0');
    expect(out).toMatch(/the trainer's view is http:\/\/\S+\/room/);
  });

  it('takes --max-cadre-years and refuses a bad one with exit code 2', () => {
    let err: { status: number; stderr: Buffer } | undefined;
    try {
      execFileSync(process.execPath, [main, 'serve', '--max-cadre-years', 'lots'], { stdio: 'pipe' });
    } catch (e) {
      err = e as { status: number; stderr: Buffer };
    }
    expect(err?.status).toBe(2);
    expect(err!.stderr.toString()).toContain('--max-cadre-years: "lots": an integer from 1000');
  });
});

describe.skipIf(!haveChromium)('the workshop page for a room, in chromium', () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-room-'));
    server = await startServer({ port: 0, host: '127.0.0.1', threads: 2 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the machine\'s addresses, not 0.0.0.0, as URLs to join', () => {
    const urls = joinUrls('0.0.0.0', 8765);
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) {
      expect(u).toMatch(/^http:\/\/.+:8765\/$/);
      expect(u).not.toContain('0.0.0.0');
    }
    expect(joinUrls('127.0.0.1', 9)).toEqual(['http://127.0.0.1:9/']);
  });

  it('runs five participants at once: each run completes with simulate()\'s numbers, none is cancelled, the waiting see their place', async () => {
    const tenures = [4, 6, 8, 12, 15];
    // Runs long enough (120 simulated years, about 1.8 million cadre-years) that the first is still
    // running when the second participant presses Run 0.3 s later, on any machine of today's speed.
    const LONG = { ...SETTINGS, burnIn: 100, years: 20 };
    const pages = await Promise.all(tenures.map(() => open()));
    for (const [i, p] of pages.entries()) {
      await setSettings(p, LONG);
      await p.fill('#lv-policy-maxTenure', String(tenures[i]));
      await p.fill('#participant-name', `P${i + 1}`);
      // Record the largest "runs ahead" each page is told while it waits.
      await p.evaluate(() => {
        (window as any).mostAhead = -1;
        new MutationObserver(() => {
          const a = Number(document.getElementById('status')!.dataset.ahead ?? -1);
          (window as any).mostAhead = Math.max((window as any).mostAhead, a);
        }).observe(document.getElementById('status')!, { attributes: true, childList: true, subtree: true, characterData: true });
      });
    }
    // 0.3 s apart, as participants pressing Run one after another.
    for (const p of pages) {
      await p.click('#run');
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const p of pages) await p.waitForSelector('body[data-state="done"]', { timeout: 100_000 });
    const ahead = await Promise.all(pages.map((p) => p.evaluate(() => (window as any).mostAhead as number)));
    // Two threads run one participant's run at a time: the last was told of runs ahead of it.
    expect(Math.max(...ahead)).toBeGreaterThanOrEqual(1);
    for (const [i, p] of pages.entries()) {
      expect(await p.isHidden('#notice'), `participant ${i + 1}`).toBe(true);
      expect(await p.isHidden('#banner'), `participant ${i + 1}`).toBe(true);
      const ts = parseCsv(await download(p, '#download-csv'));
      const { policy, baseline } = runScenarios({ levers: { 'policy.maxTenure': tenures[i] }, settings: LONG });
      for (const [arm, sc] of [['policy', policy], ['baseline', baseline]] as const) {
        const row = ts.rows.find((r) => r[0] === arm && r[1] === '1' && r[3] === '2028')!;
        const ref = simulate(sc, Number(row[2]));
        expect(row.slice(4), `participant ${i + 1}, ${arm}`).toEqual(Array.from(ref.metrics[2]!, csvNumber));
      }
    }

    // The trainer's view: every participant's policy and headline changes side by side.
    const room = await open({ url: new URL('room', server.url).href });
    await room.waitForFunction(() => Number(document.body.dataset.runs) >= 5);
    const rows = await room.$$eval('#room tbody tr', (trs) => trs.map((tr) => ({ who: tr.querySelector('th')!.textContent, state: (tr as HTMLElement).dataset.state, text: tr.textContent })));
    for (const [i, t] of tenures.entries()) {
      const row = rows.find((r) => r.who === `P${i + 1}`)!;
      expect(row.state).toBe('done');
      expect(row.text).toContain(`Tenure limit in one post: 10 → ${t}`);
      expect(row.text).toMatch(/pp/);
    }
    const api = (await (await fetch(new URL('api/room', server.url))).json()) as { runs: { name: string; headline: Record<string, { change: number }> }[] };
    const p1 = api.runs.find((r) => r.name === 'P1')!;
    expect(Number.isFinite(p1.headline.stagnation_share!.change)).toBe(true);
    await room.screenshot({ path: path.join(artifacts, 'workshop-room.png'), fullPage: true });
  });

  it('fits 360, 1024 and 1920 px with no horizontal scroll; on a phone Run and the headline numbers come first', async () => {
    for (const width of [360, 1024, 1920]) {
      const p = await open({ width });
      await setSettings(p, SETTINGS);
      await p.click('#run');
      await p.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
      const o = await overflow(p);
      expect(o.scrollWidth, `${width} px`).toBeLessThanOrEqual(o.clientWidth);
      // Every chart's download buttons lie inside the window.
      const right = await p.$$eval('.card .dl button', (bs) => Math.max(...bs.map((b) => b.getBoundingClientRect().right)));
      expect(right, `${width} px`).toBeLessThanOrEqual(o.clientWidth);
      const change = await p.$eval('#numbers th:last-child', (th) => th.getBoundingClientRect().right);
      expect(change, `${width} px`).toBeLessThanOrEqual(o.clientWidth);
      if (width === 360) {
        const y = async (sel: string) => (await p.locator(sel).boundingBox())!.y;
        expect(await y('#run')).toBeLessThan(await y('#levers'));
        expect(await y('#numbers')).toBeLessThan(await y('#levers'));
        // The lever groups are collapsed, and open on a tap.
        expect(await p.$$eval('details.group', (ds) => ds.filter((d) => (d as HTMLDetailsElement).open).length)).toBe(0);
        await p.click('details.group[data-group="limits"] summary');
        expect(await p.isVisible('#lv-policy-maxTenure')).toBe(true);
        expect((await overflow(p)).scrollWidth).toBeLessThanOrEqual(360);
      }
      await p.screenshot({ path: path.join(artifacts, `workshop-${width}.png`), fullPage: true });
      if (width === 1920) {
        // Presentation mode: chart and table text of at least 14 px.
        await p.click('#present');
        const fonts = await p.evaluate(() => {
          const sizes: number[] = [];
          const walk = (o: unknown): void => {
            if (Array.isArray(o)) o.forEach(walk);
            else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) { if (k === 'fontSize' && typeof v === 'number') sizes.push(v); else walk(v); }
          };
          for (const el of document.querySelectorAll('.chart')) walk((window as any).echarts.getInstanceByDom(el)?.getOption());
          const cells = Array.from(document.querySelectorAll('#numbers th, #numbers td, #numbers .ci')).map((e) => parseFloat(getComputedStyle(e).fontSize));
          return { chart: Math.min(...sizes), table: Math.min(...cells), count: sizes.length };
        });
        expect(fonts.count).toBeGreaterThan(10);
        expect(fonts.chart).toBeGreaterThanOrEqual(14);
        expect(fonts.table).toBeGreaterThanOrEqual(14);
        const o2 = await overflow(p);
        expect(o2.scrollWidth).toBeLessThanOrEqual(o2.clientWidth);
        await p.screenshot({ path: path.join(artifacts, 'workshop-1920-present.png') });
        await p.click('#present');
      }
    }
  });

  it('has a text alternative for every chart, a labelled year slider and a skip link to Run', async () => {
    const p = await open();
    for (const id of ['chart-stagnation_share', 'sankey-tiers', 'map']) {
      expect(await p.getAttribute(`#${id}`, 'aria-label'), id).toBeTruthy();
      expect(await p.locator(`details[data-alt="${id}"] table`).count(), id).toBe(1);
    }
    expect(await p.locator('label[for="year-slider"]').textContent()).toBe('Year shown');
    expect(await p.getAttribute('#skip', 'href')).toBe('#run');
    // The map's legend has a title with its unit; the outline is drawn.
    const map = await p.evaluate(() => (window as any).echarts.getInstanceByDom(document.getElementById('map')).getOption());
    expect(map.visualMap[0].text[0]).toMatch(/Stagnation\n\(%\)/);
    expect(map.series.length).toBe(3);
  });

  it('keeps the levers and settings in the URL: a reload and a shared link reproduce them', async () => {
    const p = await open();
    await setSettings(p, { ...SETTINGS, reformYear: 2028 });
    await p.fill('#lv-policy-maxTenure', '7');
    await p.selectOption('#lv-policy-matching', 'two-way');
    await p.check('#lv-policy-registry');
    await p.fill('#lv-policy-hardshipAllowance-5', '0.5');
    // The page's own address (page.url() follows history.replaceState only after a while).
    const link = await p.evaluate(() => location.href);
    expect(link).toContain('policy.maxTenure=7');
    await p.reload();
    await p.waitForSelector('body[data-ready="1"]');
    expect(await p.inputValue('#lv-policy-maxTenure')).toBe('7');
    const other = await open({ url: link });
    expect(await other.inputValue('#lv-policy-maxTenure')).toBe('7');
    expect(await other.inputValue('#lv-policy-matching')).toBe('two-way');
    expect(await other.isChecked('#lv-policy-registry')).toBe(true);
    expect(await other.inputValue('#lv-policy-hardshipAllowance-5')).toBe('0.5');
    expect(await other.inputValue('#set-reformYear')).toBe('2028');
    expect(await other.inputValue('#set-scale')).toBe('0.03');
    expect(await other.getAttribute('.lever[data-path="policy.registry"]', 'data-changed')).toBe('1');
    // The join dialog: the URL and its QR code, made by this server.
    await other.click('#join');
    await other.waitForFunction(() => (document.getElementById('join-qr') as HTMLImageElement).naturalWidth > 0);
    expect(await other.textContent('#share-link')).toContain('policy.maxTenure=7');
    // This test's server listens on 127.0.0.1 only: the dialog says how to let others in.
    expect(await other.textContent('#join-local')).toContain('--host 0.0.0.0');
    expect(await other.isVisible('#join-local')).toBe(true);
    await other.click('#join-close');
    const qr = await fetch(new URL(`api/qr?text=${encodeURIComponent(server.url)}`, server.url));
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });

  it('downloads a scenario that cadreflow run accepts, with the page\'s numbers, and loads it back', async () => {
    const p = await open();
    await setSettings(p, SETTINGS);
    await p.fill('#lv-policy-maxTenure', '6');
    await p.selectOption('#lv-policy-matching', 'two-way');
    await p.click('#run');
    await p.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    const file = path.join(tmp, 'workshop-scenario.json');
    writeFileSync(file, await download(p, '#download-scenario'));
    const page = parseCsv(await download(p, '#download-csv'));
    const out = path.join(tmp, 'cli');
    execFileSync(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'main.js'), 'run', file, '--out', out, '--quiet', '--threads', '1'], { cwd: tmp, stdio: 'pipe' });
    const cli = records(parseCsv(readFileSync(path.join(out, 'timeseries.csv'), 'utf8')));
    const policyRows = page.rows.filter((r) => r[0] === 'policy');
    expect(cli.length).toBe(policyRows.length);
    for (const r of policyRows) {
      const c = cli.find((x) => x.replicate === r[1] && x.year === r[3])!;
      expect(c.seed).toBe(r[2]);
      METRIC_NAMES.forEach((m, j) => expect(c[m], `${m} replicate ${r[1]} ${r[3]}`).toBe(r[4 + j]));
    }
    // Loaded back: the levers, the reform year and the settings the file names.
    await p.click('#reset');
    await setSettings(p, { scale: 0.05, years: 10 });
    await p.setInputFiles('#policy-file', { name: 'workshop-scenario.json', mimeType: 'application/json', buffer: readFileSync(file) });
    await p.waitForFunction(() => (document.getElementById('lv-policy-maxTenure') as HTMLInputElement).value === '6');
    expect(await p.inputValue('#lv-policy-matching')).toBe('two-way');
    expect(await p.inputValue('#set-scale')).toBe('0.03');
    expect(await p.inputValue('#set-years')).toBe('3');
    expect(await p.inputValue('#set-reformYear')).toBe('2027');
  });

  it('words bad input in Chinese on the Chinese page, and refuses a run over the cap before it starts', async () => {
    const p = await open({ locale: 'zh-CN' });
    const englishWords = /[A-Za-z]{3,}/;
    const banner = async () => { await p.waitForSelector('#banner:not([hidden])'); const t = (await p.textContent('#banner'))!; await p.click('#banner button'); return t; };
    await setSettings(p, SETTINGS);
    await p.fill('#lv-policy-maxTenure', '0');
    await p.click('#run');
    const a = await banner();
    expect(a).toContain('同一岗位任职上限: 0: 应 ≥ 1');
    expect(a).not.toMatch(englishWords);
    await p.fill('#lv-policy-maxTenure', '10');
    await p.fill('#set-seed', '-1');
    await p.click('#run');
    const b = await banner();
    expect(b).toContain('随机种子: -1: 应为 0–4294967295 之间的整数');
    expect(b).not.toMatch(englishWords);
    await p.fill('#set-seed', '7');
    await p.check('#set-posterior');
    await p.fill('#set-replicates', '3');
    await p.click('#run');
    const c = await banner();
    expect(c).toContain('重复次数: 3: 在后验上运行时,应为 2 的倍数且至少 4');
    expect(c).not.toMatch(englishWords);
    await p.uncheck('#set-posterior');
    // The largest run the settings allow: warned under Run before, refused on Run.
    await setSettings(p, { scale: 1, replicates: 32, years: 100, burnIn: 100 });
    expect(await p.getAttribute('#size', 'data-over')).toBe('1');
    expect(await p.textContent('#size')).toMatch(/超过本服务器的上限/);
    await p.click('#run');
    const d = await banner();
    expect(d).toMatch(/超过本服务器的上限/);
    expect(d).not.toMatch(englishWords);
    expect(await p.getAttribute('body', 'data-state')).not.toBe('running');
    // The server refuses it too, with a code the page words.
    const cfg = (await (await fetch(new URL('api/config', server.url))).json()) as { maxCadreYears: number; postsPerScale: number };
    const big = { scale: 1, replicates: 32, years: 100, burnIn: 100 };
    expect(cadreYears(cfg.postsPerScale, big)).toBeGreaterThan(cfg.maxCadreYears);
    const res = await fetch(new URL('api/run', server.url), { method: 'POST', body: JSON.stringify({ settings: big }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { problems: { code: string }[] }).problems[0]!.code).toBe('tooLarge');
  });

  it('says so when the connection drops and when the server stops', async () => {
    const own = await startServer({ port: 0, host: '127.0.0.1', threads: 1 });
    try {
      const p = await open({ url: own.url });
      await setSettings(p, { ...SETTINGS, years: 30, burnIn: 60 });
      await p.click('#run');
      await p.waitForSelector('body[data-state="running"]');
      own.server.closeAllConnections();
      await p.waitForSelector('body[data-state="lost"]');
      expect(await p.textContent('#banner')).toContain('connection to the server was lost');
      await p.click('#run');
      await p.waitForSelector('body[data-state="running"]');
      await own.close();
      await p.waitForFunction(() => /server stopped/.test(document.getElementById('banner')?.textContent ?? ''));
      expect(await p.getAttribute('body', 'data-state')).toBe('cancelled');
    } finally {
      await own.close().catch(() => undefined);
    }
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
