/**
 * The workshop page in the browser: builds the lever controls from
 * /api/config, posts a run, reads the server-sent events and draws the
 * charts as the years arrive (mean and 95% CI over replicates, the policy
 * beside the baseline on the same seeds), the headline numbers with the
 * change against the baseline, the flows and the map. Chinese or English.
 * This module starts the page and wires its buttons, the language, the join
 * dialog and presentation mode; the views are in client/: state.ts (the API's
 * types, shared state, messages), levers.ts (controls, policy packages, the
 * URL), run.ts (the run and its aggregates), charts.ts (charts, numbers,
 * downloads) and map.ts (flows and map).
 */
import { regionMetricLabel } from '../report/i18n.js';
import { S, $, t, esc, ARMS, banner, notice, download } from './client/state.js';
import {
  applyLevers, baselineLevers, buildLevers, buildPresets, buildSettings, defaultReformYear, downloadScenario, getLevers, getSettings,
  leversChanged, loadPolicy, loadPreset, QUICK, readState, savePolicy, setSettings, shareLink,
} from './client/levers.js';
import { setStatus, showDone, startRun, yearsComplete } from './client/run.js';
import { charts, renderAll, renderNumbers, summaryCsv, timeseriesCsv } from './client/charts.js';
import { renderFlows, renderMap } from './client/map.js';

let playing: number | undefined;

// ---------- language ----------

function applyLanguage(): void {
  document.documentElement.lang = S.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `CadreFlow — ${t('title')}`;
  document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => (el.textContent = t(el.dataset.i18n!)));
  $('lang-switch').textContent = t('language');
  const keep = getLevers();
  const keepSettings = getSettings();
  buildLevers();
  buildSettings();
  buildPresets();
  applyLevers(keep);
  setSettings(Object.fromEntries(Object.entries(keepSettings).filter(([, v]) => v !== null)) as Record<string, number>);
  const armOpts = (sel: HTMLSelectElement, withDiff: boolean) => {
    const v = sel.value;
    sel.innerHTML = [...ARMS, ...(withDiff ? ['difference'] : [])].map((a, i) => `<option value="${withDiff ? a : i}">${esc(t(a))}</option>`).join('');
    if (v) sel.value = v;
  };
  armOpts($<HTMLSelectElement>('map-arm'), true);
  armOpts($<HTMLSelectElement>('flow-arm'), false);
  const ms = $<HTMLSelectElement>('map-metric');
  const mv = ms.value;
  ms.innerHTML = [...S.cfg.regionMetrics, 'wageIndex'].map((m) => `<option value="${m}">${esc(m === 'wageIndex' ? (S.lang === 'zh' ? '相对工资' : 'Relative pay') : regionMetricLabel(m, S.lang))}</option>`).join('');
  if (mv) ms.value = mv;
  document.querySelectorAll('.card .dl button').forEach((b) => (b.textContent = t((b as HTMLElement).dataset.kind === 'png' ? 'downloadPng' : 'downloadSvg')));
  $('footer').textContent = `CadreFlow ${S.cfg.version} · ${S.lang === 'zh' ? '模型见 docs/MODEL.md;基线为 scenarios/baseline.json' : 'model in docs/MODEL.md; the baseline is scenarios/baseline.json'}`;
  if (S.data?.state === 'done') showDone(S.data);
  else if (!S.data) setStatus(t('noData'), 'idle');
  leversChanged();
  renderAll();
}

// ---------- joining, presentation ----------

function openJoin(): void {
  const d = $<HTMLDialogElement>('join-dialog');
  const urls = S.cfg.urls?.length ? S.cfg.urls : [location.origin + '/'];
  const list = $('join-urls');
  list.innerHTML = urls.map((u) => `<li><a href="${esc(u)}">${esc(u)}</a></li>`).join('');
  const local = /^(127\.|localhost$|\[::1\]$)/.test(location.hostname);
  const join = local ? urls[0]! : `${location.origin}/`;
  $<HTMLImageElement>('join-qr').src = `/api/qr?text=${encodeURIComponent(join)}`;
  $<HTMLImageElement>('join-qr').alt = `QR: ${join}`;
  $('share-link').textContent = shareLink();
  // A server listening on this computer only: others cannot open it.
  $('join-local').hidden = !urls.every((u) => /^http:\/\/(127\.|localhost|\[::1\])/.test(u));
  if (!d.open) d.showModal();
}

/** Presentation mode: larger text on the page and at least 14 px in the charts. */
function applyPresent(): void {
  document.body.classList.toggle('present', S.present);
  $('present').setAttribute('aria-pressed', String(S.present));
  charts.forEach((c) => c.resize());
  renderAll();
}

// ---------- start ----------

async function init(): Promise<void> {
  const saved = localStorage.getItem('cadreflow-lang');
  S.lang = saved === 'zh' || saved === 'en' ? saved : (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const res = await fetch('/api/config');
  if (!res.ok) throw new Error(`/api/config: ${res.status}`);
  S.cfg = await res.json();
  buildPresets();
  buildLevers();
  buildSettings();
  applyLevers(baselineLevers());
  setSettings({ ...Object.fromEntries(Object.entries(S.cfg.settings).map(([k, s]) => [k, s.default])), reformYear: defaultReformYear(S.cfg.settings.years!.default) });
  // The levers and settings of the link, else those of the last visit (a reload keeps them).
  const query = location.search.slice(1) || localStorage.getItem('cadreflow-state') || '';
  const problems = query ? readState(query) : [];
  $<HTMLInputElement>('participant-name').value = localStorage.getItem('cadreflow-name') ?? '';
  $('participant-name').addEventListener('input', () => localStorage.setItem('cadreflow-name', $<HTMLInputElement>('participant-name').value.trim()));
  S.present = localStorage.getItem('cadreflow-present') === '1';
  applyLanguage();
  S.urlReady = true;
  leversChanged();
  if (problems.length) banner(`${t('badInput')} (URL):\n${problems.join('\n')}`);
  $('lang-switch').addEventListener('click', () => { S.lang = S.lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('cadreflow-lang', S.lang); applyLanguage(); });
  $('run').addEventListener('click', () => void startRun());
  $('load-preset').addEventListener('click', loadPreset);
  $('reset').addEventListener('click', () => { applyLevers(baselineLevers()); banner(null); leversChanged(); });
  $('quick').addEventListener('click', () => { setSettings(QUICK); leversChanged(); });
  $('standard').addEventListener('click', () => { setSettings(Object.fromEntries(['scale', 'replicates', 'years', 'burnIn'].map((k) => [k, S.cfg.settings[k]!.default]))); leversChanged(); });
  $('download-scenario').addEventListener('click', () => void downloadScenario());
  $('copy-link').addEventListener('click', () => {
    const link = shareLink();
    // The clipboard needs a secure context (not http://192.168.x.y): the link is shown in the join dialog as well.
    void (navigator.clipboard?.writeText(link) ?? Promise.reject(new Error('no clipboard'))).then(() => notice(`${t('linkCopied')}: ${link}`), () => openJoin());
  });
  $('join').addEventListener('click', openJoin);
  $('join-close').addEventListener('click', () => $<HTMLDialogElement>('join-dialog').close());
  $('present').addEventListener('click', () => { S.present = !S.present; localStorage.setItem('cadreflow-present', S.present ? '1' : '0'); applyPresent(); });
  $('save-policy').addEventListener('click', savePolicy);
  $('load-policy').addEventListener('click', () => $<HTMLInputElement>('policy-file').click());
  $<HTMLInputElement>('policy-file').addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    const f = input.files?.[0];
    if (f) void loadPolicy(f).finally(() => (input.value = ''));
  });
  $('download-csv').addEventListener('click', () => { if (S.data) download('workshop-timeseries.csv', 'text/csv', timeseriesCsv()); else notice(t('noData')); });
  $('download-summary').addEventListener('click', () => { if (S.data) download('workshop-summary.csv', 'text/csv', summaryCsv()); else notice(t('noData')); });
  $('year-slider').addEventListener('input', () => { S.sliderFollows = Number($<HTMLInputElement>('year-slider').value) >= yearsComplete() - 1; renderNumbers(); renderFlows(); renderMap(); });
  $('map-metric').addEventListener('change', renderMap);
  $('map-arm').addEventListener('change', renderMap);
  $('flow-arm').addEventListener('change', renderFlows);
  $('play').addEventListener('click', () => {
    const b = $('play');
    if (playing !== undefined) { clearInterval(playing); playing = undefined; b.textContent = t('play'); return; }
    const sl = $<HTMLInputElement>('year-slider');
    if (Number(sl.value) >= yearsComplete() - 1) sl.value = '0';
    S.sliderFollows = false;
    b.textContent = t('pause');
    playing = window.setInterval(() => {
      const v = Number(sl.value) + 1;
      if (v >= yearsComplete()) { clearInterval(playing); playing = undefined; b.textContent = t('play'); S.sliderFollows = true; return; }
      sl.value = String(v);
      renderNumbers(); renderFlows(); renderMap();
    }, 450);
  });
  window.addEventListener('resize', () => { charts.forEach((c) => c.resize()); renderMap(); });
  applyPresent();
  document.body.dataset.ready = '1';
}

window.addEventListener('error', (e) => banner(`${S.lang === 'zh' ? '页面错误' : 'Page error'}: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => banner(`${S.lang === 'zh' ? '页面错误' : 'Page error'}: ${(e.reason as Error)?.message ?? String(e.reason)}`));
init().catch((e) => banner(`${S.lang === 'zh' ? '页面无法启动' : 'The page could not start'}: ${(e as Error).message}`));
