/**
 * The trainer's view (/room): every participant's latest run side by side —
 * their name, the state of the run, the levers they changed (from the
 * baseline) and the change of each headline metric against the baseline in the
 * last year with its 95% CI — polled from /api/room every few seconds, so the
 * room can compare the policies. Chinese or English, as the page.
 */
import { LEVERS, metricLabel, ui, type Lang } from '../report/i18n.js';
import { displayNumber } from '../report/ci.js';

interface Entry {
  participant: string; name: string; state: string; submitted: string; done: number; ahead?: number;
  settings: Record<string, number>; year: number;
  changed: { path: string; value: unknown; baseline: unknown }[];
  headline?: Record<string, { policy: number | null; baseline: number | null; change: number | null; low: number | null; high: number | null }>;
}
interface Room { threads: number; running: number; waiting: number; runs: Entry[] }
interface Config { headline: string[]; shares: string[] }

/** Which way is better (as on the page): a change whose CI excludes zero is green or red. */
const GOOD: Record<string, number> = { stagnation_share: -1, team_stagnation_share: -1, skill_diversity: 1, reverse_share: 1, exchange_coverage: 1, hardship_vacancy_rate: -1, mean_ties: -1, vacancy_rate: -1, overdue_share: -1, composite_share: 1, grassroots_share: 1 };

let lang: Lang = 'zh';
let cfg: Config;
let last: Room | undefined;
const $ = (id: string) => document.getElementById(id)!;
const t = (k: string) => ui(k, lang);
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function leverLabel(path: string): string {
  const l = LEVERS.find((x) => x.path === path);
  return l ? (lang === 'zh' ? l.label[0] : l.label[1]) : path;
}
function valueText(v: unknown): string {
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (typeof v === 'number') return String(Number(v.toPrecision(4)));
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  return String(v);
}
function change(m: string, x: number | null): string {
  if (x === null) return '–';
  const share = cfg.shares.includes(m);
  return `${x >= 0 ? '+' : ''}${displayNumber(share ? 100 * x : x)}${share ? ' pp' : ''}`;
}
function bound(m: string, x: number | null): string {
  if (x === null) return '–';
  return displayNumber(cfg.shares.includes(m) ? 100 * x : x);
}

function render(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `CadreFlow — ${t('roomTitle')}`;
  document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => (el.textContent = t(el.dataset.i18n!)));
  $('lang-switch').textContent = t('language');
  const table = $('room');
  if (!last) return;
  $('room-status').textContent = `${t('refreshed')} ${new Date().toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB')} · ${t('stateRunning')} ${last.running} · ${t('stateWaiting')} ${last.waiting}`;
  if (!last.runs.length) {
    table.innerHTML = `<tbody><tr><td>${esc(t('noRuns'))}</td></tr></tbody>`;
    return;
  }
  const states: Record<string, string> = { waiting: 'stateWaiting', running: 'stateRunning', done: 'stateDone', failed: 'stateFailed', cancelled: 'stateCancelled' };
  let h = `<thead><tr><th scope="col">${esc(t('participant'))}</th><th scope="col">${esc(t('state'))}</th><th scope="col">${esc(t('leversChanged'))}</th>`;
  for (const m of cfg.headline) h += `<th scope="col">${esc(metricLabel(m, lang))}<span class="ci">${esc(t('change'))}${cfg.shares.includes(m) ? ' (pp)' : ''}</span></th>`;
  h += '</tr></thead><tbody>';
  for (const r of last.runs) {
    const who = r.name || `#${r.participant}`;
    const st = `${t(states[r.state] ?? r.state)}${r.state === 'running' ? ` ${Math.round(100 * r.done)}%` : ''}${r.ahead !== undefined ? ` (${r.ahead})` : ''}`;
    const settings = `${t('settingsShort')}: ${t('scale')} ${r.settings.scale}, ${t('replicates')} ${r.settings.replicates}, ${t('reformYear')} ${r.settings.reformYear}, ${t('atYear')} ${r.year}`;
    const levers = r.changed.length ? `<ul>${r.changed.map((c) => `<li>${esc(leverLabel(c.path))}: ${esc(valueText(c.baseline))} → <b>${esc(valueText(c.value))}</b></li>`).join('')}</ul>` : esc(t('noChange'));
    h += `<tr data-participant="${esc(r.participant)}" data-state="${esc(r.state)}"><th scope="row">${esc(who)}</th><td class="state">${esc(st)}</td><td>${levers}<span class="ci">${esc(settings)}</span></td>`;
    for (const m of cfg.headline) {
      const x = r.headline?.[m];
      if (!x) { h += '<td class="num">–</td>'; continue; }
      const sig = x.low !== null && x.high !== null && (x.low > 0 || x.high < 0);
      const dir = GOOD[m] ?? 0;
      const cls = sig && dir && x.change !== null ? (Math.sign(x.change) === dir ? 'good' : 'bad') : '';
      h += `<td class="num ${cls}" data-metric="${m}" data-value="${x.change ?? ''}">${esc(change(m, x.change))}<span class="ci">[${esc(bound(m, x.low))}, ${esc(bound(m, x.high))}]</span></td>`;
    }
    h += '</tr>';
  }
  table.innerHTML = h + '</tbody>';
  document.body.dataset.runs = String(last.runs.length);
}

async function poll(): Promise<void> {
  try {
    const res = await fetch('/api/room');
    if (!res.ok) throw new Error(`${res.status}`);
    last = await res.json();
    $('banner').hidden = true;
    render();
  } catch (e) {
    const b = $('banner');
    b.textContent = `${t('noServer')}: ${(e as Error).message}`;
    b.hidden = false;
  }
}

async function init(): Promise<void> {
  const saved = localStorage.getItem('cadreflow-lang');
  lang = saved === 'zh' || saved === 'en' ? saved : (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  cfg = await (await fetch('/api/config')).json();
  const present = () => document.body.classList.toggle('present', localStorage.getItem('cadreflow-present') === '1');
  present();
  $('lang-switch').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('cadreflow-lang', lang); render(); });
  $('present').addEventListener('click', () => { localStorage.setItem('cadreflow-present', document.body.classList.contains('present') ? '0' : '1'); present(); });
  render();
  await poll();
  setInterval(() => void poll(), 3000);
  document.body.dataset.ready = '1';
}

init().catch((e) => { const b = $('banner'); b.textContent = String((e as Error).message); b.hidden = false; });
