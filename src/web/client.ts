/**
 * The workshop page in the browser: builds the lever controls from
 * /api/config, posts a run, reads the server-sent events and draws the
 * charts as the years arrive (mean and 95% CI over replicates, the policy
 * beside the baseline on the same seeds), the headline numbers with the
 * change against the baseline, the flows and the map. Chinese or English.
 * The chart specifications are those of the report (src/report/charts.ts).
 */
import type * as EC from 'echarts';
import { lineBandOption, mapOption, sankeyOption, PALETTE } from '../report/charts.js';
import { allEqual, csvNumber, displayNumber, groupMeans, meanCI, type MeanCI } from '../report/ci.js';
import { LEVER_TIPS_ZH, PRESETS_EN, PRESETS_ZH, metricLabel, metricUnit, regionMetricLabel, titleOf, ui, unitLabel, type Lang } from '../report/i18n.js';
import { bigNumber, duration, problemText, type Problem } from './words.js';
import { tierSankey, typeSankey, type FlowTally } from '../report/flows.js';

declare const echarts: typeof EC;

// ---------- types of the API ----------

interface LeverSpec {
  path: string; group: string; label: [string, string]; kind: 'number' | 'integer' | 'boolean' | 'enum' | 'array';
  min?: number; max?: number; items?: 'number' | 'integer'; length?: number; values?: string[]; unit: string; description: string; default: unknown;
}
interface Region { code: string; name: string; nameEn: string; level: number; x: number; y: number; wageIndex: number; hardship: number; tier: number }
interface Config {
  version: string; levers: LeverSpec[]; groups: { id: string; label: [string, string]; note: [string, string] }[];
  settings: Record<string, { min: number; max: number; default: number; step: number }>; startYear: number;
  presets: { file: string; name: string; description: string; levers: Record<string, unknown>; reformYear?: number; settings: Record<string, number> }[];
  /** The reform year by default: this many years after the first reported year. */
  reformAfter: number;
  /** The server's threads, its cap on a run (cadre-years), posts at scale 1, and its speed (cadre-years a second per thread). */
  threads: number; maxCadreYears: number; postsPerScale: number; throughput: number;
  /** URLs others in the room can type. */
  urls: string[];
  /** metrics: every column; unitRange: those in [0, 1], whose CIs stay in [0, 1] (MetricDef share, unitRange); shares: their y axes start at 0, as in the report. */
  metrics: string[]; unitRange: string[]; shares: string[]; headline: string[]; regionMetrics: string[]; tiers: string[]; flowTypes: string[]; directions: string[]; regions: Region[];
  /** The server's posterior (null: none): the page may run over it. */
  posterior: { file: string; particles: number; parameters: string[]; seedsPerParticle: number } | null;
}
/** posterior: the run is over the posterior; replicate k ran particle `particles[k]` (draw ⌊k/m⌋). */
interface StartEvent { runId: number; cancelledPrevious: boolean; tasks?: number; cadreYears?: number; replicates: number; seeds: number[]; years: number[]; startYear: number; burnIn: number; firstYear: number; reformYear: number; settings: Record<string, number>; posterior?: { file: string; seedsPerParticle: number; particles: number[] } }
interface YearEvent { arm: number; replicate: number; year: number; metrics: (number | null)[]; regions: Record<string, (number | null)[]>; flows: { tierMatrix: number[]; typeDir: number[] } }

interface RunData {
  start: StartEvent;
  /** [arm][replicate][yearIndex] */
  metrics: (number[] | undefined)[][][];
  regions: (Record<string, number[]> | undefined)[][][];
  flows: ({ tierMatrix: number[]; typeDir: number[] } | undefined)[][][];
  /** Years complete (every replicate reported) per arm. */
  complete: [number, number];
  state: 'running' | 'done' | 'failed' | 'cancelled' | 'lost';
  burnInYear?: number;
  seconds?: number;
}

const ARMS = ['policy', 'baseline'] as const;
/** Which way is better, for colouring the change against the baseline (0: neither). */
const GOOD: Record<string, number> = { stagnation_share: -1, team_stagnation_share: -1, skill_diversity: 1, reverse_share: 1, exchange_coverage: 1, hardship_vacancy_rate: -1, mean_ties: -1, vacancy_rate: -1, overdue_share: -1, composite_share: 1, grassroots_share: 1 };
const ENUM_LABELS: Record<string, [string, string]> = { directive: ['指令式调配', 'Directive'], 'two-way': ['双向选择', 'Two-way selection'], 'one-level-down': ['下管一级', 'One level down (下管一级)'], province: ['全省统一调配', 'Province-wide'] };
const ARRAY_LABELS: Record<string, [string, string][]> = {
  'policy.hardshipAllowance': [1, 2, 3, 4, 5, 6].map((k) => [`${['一', '二', '三', '四', '五', '六'][k - 1]}类`, `cat. ${k}`]),
  'policy.minYearsInRank': [['科级', 'rank 1'], ['处级', 'rank 2'], ['厅级', 'rank 3']],
  'policy.promotionMaxAge': [['科级', 'rank 1'], ['处级', 'rank 2'], ['厅级', 'rank 3']],
};
const SETTING_KEYS = ['scale', 'replicates', 'years', 'burnIn', 'seed', 'reformYear'] as const;
const QUICK = { scale: 0.04, replicates: 4, years: 15, burnIn: 15 };
/** The province's outline on the map: the union of discs of this radius around the regions' seats (km). */
const OUTLINE_KM = 45;
/** Wider than this, the lever groups start open; narrower, closed (one column, Run first). */
const WIDE = 900;

let cfg: Config;
let lang: Lang = 'zh';
let data: RunData | undefined;
let runToken = 0;
/** The latest Run request; it becomes runToken (the run the page follows) only when the server accepts it. */
let requestSeq = 0;
let sliderFollows = true;
let playing: number | undefined;
const charts = new Map<string, EC.ECharts>();
const options = new Map<string, () => EC.EChartsOption>();

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
/** Present: the presentation mode (larger text on the page and in the charts). */
let present = false;

/**
 * The participant: an id kept in localStorage, so that a reload, or another tab of the same browser,
 * is the same participant (one run at a time; the trainer's view shows one row per browser).
 * crypto.getRandomValues, not randomUUID: a page opened at http://192.168.x.y is not a secure context.
 */
function participantId(): string {
  let id = localStorage.getItem('cadreflow-participant');
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem('cadreflow-participant', id);
  }
  return id;
}

/** A number for an input field: at most 6 significant digits (the exact value is kept aside, see setLever). */
function fieldNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : '';
}
const t = (key: string) => ui(key, lang);
const L = (p: [string, string]) => (lang === 'zh' ? p[0] : p[1]);
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// ---------- messages ----------

function banner(text: string | null): void {
  const b = $('banner');
  if (!text) { b.hidden = true; b.textContent = ''; return; }
  b.innerHTML = `<button type="button" aria-label="close">×</button>`;
  b.append(document.createTextNode(text));
  b.querySelector('button')!.addEventListener('click', () => banner(null));
  b.hidden = false;
}
function notice(text: string | null): void {
  const b = $('notice');
  if (!text) { b.hidden = true; b.textContent = ''; return; }
  b.innerHTML = `<button type="button" aria-label="close">×</button>`;
  b.append(document.createTextNode(text));
  b.querySelector('button')!.addEventListener('click', () => notice(null));
  b.hidden = false;
}

// ---------- controls ----------

function leverId(path: string, i?: number): string {
  return `lv-${path.replace(/\./g, '-')}${i === undefined ? '' : `-${i}`}`;
}

/** A lever's value in words of the page's language (yes/no, the matching's name). */
function valueText(v: unknown): string {
  const i = lang === 'zh' ? 0 : 1;
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : String(v);
  if (typeof v === 'string' && ENUM_LABELS[v]) return ENUM_LABELS[v]![i];
  return Array.isArray(v) ? v.join(', ') : String(v);
}

function rangeText(l: LeverSpec): string {
  const parts: string[] = [];
  const range = l.min !== undefined && l.max !== undefined ? `${l.min}–${l.max}` : '';
  const unit = l.unit ? unitLabel(l.unit, lang) : '';
  // A unit that only restates the range ("0–1") is not repeated.
  if (unit && unit !== range) parts.push(unit);
  if (range) parts.push(`${t('range')} ${range}`);
  parts.push(`${t('defaultValue')} ${valueText(l.default)}`);
  return parts.join(' · ');
}

function buildLevers(): void {
  const root = $('levers');
  const wasOpen = new Map(Array.from(root.querySelectorAll<HTMLDetailsElement>('details.group')).map((d) => [d.dataset.group, d.open]));
  root.innerHTML = '';
  for (const g of cfg.groups) {
    const fs = document.createElement('details');
    fs.className = 'group';
    fs.dataset.group = g.id;
    fs.open = wasOpen.get(g.id) ?? window.innerWidth > WIDE;
    fs.innerHTML = `<summary><span class="legend">${esc(L(g.label))}</span><span class="count"></span></summary><p class="note">${esc(L(g.note))}</p>`;
    for (const l of cfg.levers.filter((x) => x.group === g.id)) {
      const div = document.createElement('div');
      div.className = 'lever';
      div.dataset.path = l.path;
      div.title = lang === 'zh' ? (LEVER_TIPS_ZH[l.path] ?? l.description) : l.description;
      const id = leverId(l.path);
      let html = `<div class="namebar"><label class="name" for="${l.kind === 'array' ? leverId(l.path, 0) : id}">${esc(L(l.label))}</label><span class="mark">${esc(t('changed'))}</span></div><span class="meta">${esc(rangeText(l))}</span>`;
      if (l.kind === 'number' || l.kind === 'integer') {
        const step = l.kind === 'integer' ? 1 : Math.max((l.max! - l.min!) / 200, 0.001);
        html += `<div class="row"><input type="range" id="${id}-range" min="${l.min}" max="${l.max}" step="${step}" aria-label="${esc(L(l.label))}"><input type="number" id="${id}" min="${l.min}" max="${l.max}" step="${l.kind === 'integer' ? 1 : 'any'}"></div>`;
      } else if (l.kind === 'boolean') {
        html += `<div class="row"><input type="checkbox" id="${id}"></div>`;
      } else if (l.kind === 'enum') {
        html += `<div class="row"><select id="${id}">${l.values!.map((v) => `<option value="${esc(v)}">${esc(ENUM_LABELS[v] ? L(ENUM_LABELS[v]!) : v)}</option>`).join('')}</select></div>`;
      } else {
        const names = ARRAY_LABELS[l.path] ?? Array.from({ length: l.length ?? 0 }, (_, i) => [String(i + 1), String(i + 1)] as [string, string]);
        html += `<div class="arr n${l.length}">${names.map((n, i) => `<label>${esc(L(n))}<input type="number" id="${leverId(l.path, i)}" min="${l.min ?? ''}" max="${l.max ?? ''}" step="${l.items === 'integer' ? 1 : 'any'}"></label>`).join('')}</div>`;
      }
      html += '<span class="err"></span>';
      div.innerHTML = html;
      fs.append(div);
      if (l.kind === 'number' || l.kind === 'integer') {
        const range = div.querySelector<HTMLInputElement>(`#${id}-range`)!;
        const box = div.querySelector<HTMLInputElement>(`#${id}`)!;
        range.addEventListener('input', () => { box.value = fieldNumber(Number(range.value)); checkLever(l); leversChanged(); });
        box.addEventListener('input', () => { if (box.value !== '' && Number.isFinite(Number(box.value))) range.value = box.value; checkLever(l); leversChanged(); });
      } else {
        div.querySelectorAll('input,select').forEach((el) => el.addEventListener('input', () => { checkLever(l); leversChanged(); }));
        div.querySelectorAll('input,select').forEach((el) => el.addEventListener('change', () => { checkLever(l); leversChanged(); }));
      }
    }
    root.append(fs);
  }
}

function readNumber(el: HTMLInputElement): number {
  if (el.value.trim() === '') return NaN;
  // A value set from a preset or a link with more digits than the field shows keeps them while the field is unchanged.
  const exact = el.dataset.exact;
  if (exact !== undefined && fieldNumber(Number(exact)) === el.value.trim()) return Number(exact);
  return Number(el.value);
}

/** Shows x in a number field (6 significant digits at most), keeping the exact value aside. */
function setNumberField(el: HTMLInputElement, x: unknown): void {
  const v = Number(x);
  if (typeof x === 'number' && Number.isFinite(v)) {
    el.value = fieldNumber(v);
    el.dataset.exact = String(v);
  } else {
    el.value = x === null || x === undefined ? '' : String(x);
    delete el.dataset.exact;
  }
}

/** The value of a lever as the controls hold it (numbers may be invalid: the server says why). */
function leverValue(l: LeverSpec): unknown {
  const id = leverId(l.path);
  if (l.kind === 'number' || l.kind === 'integer') { const v = readNumber($<HTMLInputElement>(id)); return Number.isFinite(v) ? v : null; }
  if (l.kind === 'boolean') return $<HTMLInputElement>(id).checked;
  if (l.kind === 'enum') return $<HTMLSelectElement>(id).value;
  return Array.from({ length: l.length ?? 0 }, (_, i) => { const v = readNumber($<HTMLInputElement>(leverId(l.path, i))); return Number.isFinite(v) ? v : null; });
}

function setLever(l: LeverSpec, v: unknown): void {
  const id = leverId(l.path);
  if (l.kind === 'number' || l.kind === 'integer') {
    setNumberField($<HTMLInputElement>(id), v);
    $<HTMLInputElement>(`${id}-range`).value = String(v);
  } else if (l.kind === 'boolean') $<HTMLInputElement>(id).checked = !!v;
  else if (l.kind === 'enum') $<HTMLSelectElement>(id).value = String(v);
  else (v as unknown[]).forEach((x, i) => { const el = $<HTMLInputElement>(leverId(l.path, i)); if (el) setNumberField(el, x); });
  checkLever(l);
}

/** Marks the levers that differ from the baseline, and counts them in each group's heading. */
function markChanged(): void {
  const base = baselineLevers();
  const counts = new Map<string, number>();
  for (const l of cfg.levers) {
    const div = document.querySelector<HTMLElement>(`.lever[data-path="${l.path}"]`);
    if (!div) continue;
    const changed = JSON.stringify(leverValue(l)) !== JSON.stringify(base[l.path]);
    div.classList.toggle('changed', changed);
    div.dataset.changed = changed ? '1' : '0';
    if (changed) counts.set(l.group, (counts.get(l.group) ?? 0) + 1);
  }
  document.querySelectorAll<HTMLElement>('details.group').forEach((d) => {
    const n = counts.get(d.dataset.group!) ?? 0;
    d.querySelector('.count')!.textContent = n ? `${n} ${t('changedCount')}` : '';
  });
}

/** After any change of the levers or settings: the marks, the run's size and the page's URL. */
function leversChanged(): void {
  markChanged();
  showSize();
  writeUrl();
}

/** What is wrong with x as a number in [min, max] (whole if `integer`); null if nothing. */
function numberProblem(x: unknown, integer: boolean, min?: number, max?: number): string | null {
  if (typeof x !== 'number' || !Number.isFinite(x)) return lang === 'zh' ? '请输入数字' : 'a number is needed';
  if ((min !== undefined && x < min) || (max !== undefined && x > max)) return lang === 'zh' ? `应在 ${min}–${max} 之间` : `must be from ${min} to ${max}`;
  if (integer && !Number.isInteger(x)) return lang === 'zh' ? '应为整数' : 'must be a whole number';
  return null;
}

/** What is wrong with v as the value of lever l (from a control or a policy package); null if nothing. */
function leverProblem(l: LeverSpec, v: unknown): string | null {
  if (l.kind === 'boolean') return typeof v === 'boolean' ? null : 'true / false';
  if (l.kind === 'enum') return l.values!.includes(v as string) ? null : l.values!.join(' / ');
  if (l.kind === 'array') {
    if (!Array.isArray(v) || v.length !== l.length) return lang === 'zh' ? `${l.length} 个数值` : `${l.length} numbers`;
    return v.map((x) => numberProblem(x, l.items === 'integer', l.min, l.max)).find((m) => m) ?? null;
  }
  return numberProblem(v, l.kind === 'integer', l.min, l.max);
}

/** Immediate feedback on a control; the server validates again on Run. */
function checkLever(l: LeverSpec): boolean {
  const div = document.querySelector<HTMLElement>(`.lever[data-path="${l.path}"]`)!;
  const err = leverProblem(l, leverValue(l));
  div.classList.toggle('invalid', !!err);
  div.querySelector('.err')!.textContent = err ? `${t('invalid')}: ${err}` : '';
  return !err;
}

function getLevers(): Record<string, unknown> {
  return Object.fromEntries(cfg.levers.map((l) => [l.path, leverValue(l)]));
}

/** A setting's allowed range; the reform year must be one of the years the run reports. */
function settingRange(k: string): { min: number; max: number; step: number } {
  const s = cfg.settings[k]!;
  if (k !== 'reformYear') return s;
  const years = readNumber($<HTMLInputElement>('set-years'));
  const n = Number.isInteger(years) && years >= cfg.settings.years!.min ? years : cfg.settings.years!.default;
  return { min: cfg.startYear, max: cfg.startYear + Math.min(n, cfg.settings.years!.max) - 1, step: 1 };
}

function buildSettings(): void {
  const root = $('settings');
  root.innerHTML = SETTING_KEYS.map((k) => {
    const s = cfg.settings[k]!;
    return `<div class="setting" data-key="${k}"><label for="set-${k}">${esc(t(k))} <span class="muted" id="set-${k}-range">${s.min}–${s.max}</span></label><input type="number" id="set-${k}" min="${s.min}" max="${s.max}" step="${s.step === 1 ? 1 : 'any'}"><span class="err"></span></div>`;
  }).join('');
  for (const k of SETTING_KEYS) $<HTMLInputElement>(`set-${k}`).addEventListener('input', () => { checkSetting(k); if (k === 'years') checkSetting('reformYear'); leversChanged(); });
  // Over the posterior: offered when the server has one.
  const p = cfg.posterior;
  if (p) {
    const div = document.createElement('div');
    div.className = 'setting wide';
    div.dataset.key = 'posterior';
    div.innerHTML = `<label><input type="checkbox" id="set-posterior"> ${esc(t('overPosterior'))}</label><span class="muted" id="set-posterior-note">${esc(posteriorNote())}</span><span class="err"></span>`;
    root.append(div);
    $<HTMLInputElement>('set-posterior').addEventListener('change', () => { checkSetting('replicates'); leversChanged(); });
  }
}

/** What running over the posterior means, under its checkbox. */
function posteriorNote(): string {
  const p = cfg.posterior!;
  return lang === 'zh'
    ? `每 ${p.seedsPerParticle} 次重复抽取一个后验粒子(${p.file},${p.particles} 个粒子,${p.parameters.length} 个参数);区间包含参数的不确定性。重复次数须为 ${p.seedsPerParticle} 的倍数且至少 ${2 * p.seedsPerParticle}。`
    : `Every ${p.seedsPerParticle} replicates draw a particle of the posterior (${p.file}: ${p.particles} particles, ${p.parameters.length} parameters); the intervals carry the parameters' uncertainty. Replicates: a multiple of ${p.seedsPerParticle}, at least ${2 * p.seedsPerParticle}.`;
}

function posteriorOn(): boolean {
  return !!(document.getElementById('set-posterior') as HTMLInputElement | null)?.checked;
}

function checkSetting(k: string): void {
  const s = settingRange(k);
  $(`set-${k}-range`).textContent = `${s.min}–${s.max}`;
  const v = readNumber($<HTMLInputElement>(`set-${k}`));
  const div = document.querySelector<HTMLElement>(`.setting[data-key="${k}"]`)!;
  const bad = !Number.isFinite(v) || v < s.min || v > s.max || (s.step === 1 && !Number.isInteger(v));
  const m = cfg.posterior?.seedsPerParticle ?? 1;
  const badDraws = !bad && k === 'replicates' && posteriorOn() && (v % m !== 0 || v < 2 * m);
  div.classList.toggle('invalid', bad || badDraws);
  div.querySelector('.err')!.textContent = bad ? (lang === 'zh' ? `应在 ${s.min}–${s.max} 之间` : `must be from ${s.min} to ${s.max}`)
    : badDraws ? (lang === 'zh' ? `后验运行时应为 ${m} 的倍数且至少 ${2 * m}` : `over the posterior: a multiple of ${m}, at least ${2 * m}`) : '';
}

function setSettings(v: Partial<Record<string, number>>): void {
  const box = document.getElementById('set-posterior') as HTMLInputElement | null;
  if (box && 'posterior' in v) box.checked = v.posterior === 1;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'posterior') continue;
    const el = document.getElementById(`set-${k}`) as HTMLInputElement | null;
    if (el && x !== undefined && x !== null) { setNumberField(el, x); checkSetting(k); }
  }
  // The reform year's range follows the years, which may have been set after it.
  if (document.getElementById('set-reformYear')) checkSetting('reformYear');
}

function getSettings(): Record<string, number | null> {
  const out: Record<string, number | null> = Object.fromEntries(SETTING_KEYS.map((k) => { const v = readNumber($<HTMLInputElement>(`set-${k}`)); return [k, Number.isFinite(v) ? v : null]; }));
  if (cfg.posterior) out.posterior = posteriorOn() ? 1 : 0;
  return out;
}

function baselineLevers(): Record<string, unknown> {
  return cfg.presets.find((p) => p.name === 'baseline')?.levers ?? Object.fromEntries(cfg.levers.map((l) => [l.path, l.default]));
}

function applyLevers(values: Record<string, unknown>): string[] {
  const unknown = Object.keys(values).filter((k) => !cfg.levers.some((l) => l.path === k));
  for (const l of cfg.levers) if (values[l.path] !== undefined) setLever(l, values[l.path]);
  return unknown;
}

// In Chinese, the shipped scenarios' names and descriptions in Chinese (a user's own scenario keeps its own).
type Preset = Config['presets'][number];
const presetName = (p: Preset) => (lang === 'zh' ? PRESETS_ZH[p.file]?.[0] : PRESETS_EN[p.file]) ?? titleOf(p.name);
const presetText = (p: Preset) => (lang === 'zh' ? PRESETS_ZH[p.file]?.[1] : undefined) ?? p.description;

function buildPresets(): void {
  const sel = $<HTMLSelectElement>('preset');
  const cur = sel.value;
  sel.innerHTML = cfg.presets.map((p) => `<option value="${esc(p.file)}" title="${esc(presetText(p))}">${esc(presetName(p))}</option>`).join('');
  if (cur) sel.value = cur;
  const show = () => { const p = cfg.presets.find((x) => x.file === sel.value); $('preset-description').textContent = p ? presetText(p) : ''; };
  sel.onchange = show;
  show();
}

function loadPreset(): void {
  const p = cfg.presets.find((x) => x.file === $<HTMLSelectElement>('preset').value);
  if (!p) return;
  applyScenario(p);
  notice(`${t('loadedPreset')}: ${presetName(p)}${Object.keys(p.settings ?? {}).length ? ` (${t('presetSettings')}: ${settingsText(p.settings)})` : ''}`);
}

/** Settings in words: "World scale 0.5, Years 6, Burn-in years 40". */
function settingsText(st: Record<string, number>): string {
  return Object.entries(st).filter(([k]) => SETTING_KEYS.includes(k as never)).map(([k, v]) => `${t(k)} ${fieldNumber(v)}`).join(', ');
}

/**
 * Applies a scenario (a preset or a loaded file): its levers, the settings it names (scale, years,
 * burn-in, replicates, seed; kept within the page's ranges) and its first reform's year when that is a
 * reported year, else the default reform year.
 */
function applyScenario(p: { levers: Record<string, unknown>; reformYear?: number; settings?: Record<string, number> }): void {
  applyLevers(p.levers);
  const named: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.settings ?? {})) {
    const r = cfg.settings[k];
    if (r && SETTING_KEYS.includes(k as never)) named[k] = Math.min(r.max, Math.max(r.min, v));
  }
  setSettings(named);
  const years = readNumber($<HTMLInputElement>('set-years'));
  const n = Number.isInteger(years) ? years : cfg.settings.years!.default;
  const first = cfg.startYear, last = cfg.startYear + n - 1;
  setSettings({ reformYear: p.reformYear !== undefined && p.reformYear >= first && p.reformYear <= last ? p.reformYear : defaultReformYear(n) });
  leversChanged();
}

function defaultReformYear(years: number): number {
  return cfg.startYear + Math.min(cfg.reformAfter, Math.max(0, years - 1));
}

// ---------- policy packages ----------

function download(name: string, type: string, content: string | Blob): void {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function savePolicy(): void {
  const pkg = { format: 'cadreflow-policy-package', version: 1, program: `cadreflow ${cfg.version}`, saved: new Date().toISOString(), levers: getLevers(), settings: getSettings() };
  download('policy-package.json', 'application/json', JSON.stringify(pkg, null, 2) + '\n');
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** What is wrong with a policy package's values, one line per lever or setting (empty: it can be applied). */
function packageProblems(levers: Record<string, unknown>, settings: unknown): string[] {
  const out: string[] = [];
  for (const l of cfg.levers) {
    const p = l.path in levers ? leverProblem(l, levers[l.path]) : null;
    if (p) out.push(`${l.path}: ${JSON.stringify(levers[l.path])}: ${p}`);
  }
  if (settings !== undefined) {
    if (!isObject(settings)) out.push(`settings: ${JSON.stringify(settings)}: ${lang === 'zh' ? '对象' : 'an object'}`);
    else for (const [k, v] of Object.entries(settings)) {
      const r = cfg.settings[k];
      if (v === null) continue; // saved from an empty field: not set
      const p = r ? numberProblem(v, r.step === 1, r.min, r.max) : lang === 'zh' ? '未知设置' : 'not a setting';
      if (p) out.push(`settings.${k}: ${JSON.stringify(v)}: ${p}`);
    }
  }
  return out;
}

async function loadPolicy(file: File): Promise<void> {
  try {
    const pkg = JSON.parse(await file.text());
    // A scenario file (as scenarios/*.json or "Download scenario" writes): the server reads its levers.
    if (isObject(pkg) && !('levers' in pkg) && pkg.format === undefined) return await loadScenarioFile(file.name, pkg);
    if (!isObject(pkg) || !isObject(pkg.levers)) throw new Error(lang === 'zh' ? '不是政策包(缺少 levers)' : 'not a policy package (no "levers")');
    // Nothing is applied unless everything can be: a bad package leaves the page as it was.
    const problems = packageProblems(pkg.levers, pkg.settings);
    if (problems.length) throw new Error(`\n${problems.join('\n')}`);
    const unknown = applyLevers(pkg.levers);
    if (isObject(pkg.settings)) setSettings(pkg.settings as Record<string, number>);
    leversChanged();
    if (unknown.length) banner(`${t('badInput')}: ${file.name}: ${lang === 'zh' ? '未知杠杆' : 'unknown levers'} ${unknown.join(', ')}`);
    else notice(`${t('loadedPackage')}: ${file.name}`);
  } catch (e) {
    banner(`${t('badInput')}: ${file.name}: ${(e as Error).message}`);
  }
}

/** The problems of a 400 answer in the page's language, one a line. */
async function problemsOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string; problems?: Problem[] };
    if (body.problems?.length) return body.problems.map((p) => problemText(p, lang)).join('\n');
    return body.error ?? `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

async function loadScenarioFile(name: string, raw: Record<string, unknown>): Promise<void> {
  const res = await fetch('/api/scenario/levers', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(raw) });
  if (!res.ok) throw new Error(`\n${await problemsOf(res)}`);
  const p = (await res.json()) as Preset;
  applyScenario(p);
  notice(`${t('loadedScenario')}: ${name}${Object.keys(p.settings ?? {}).length ? ` (${t('presetSettings')}: ${settingsText(p.settings)})` : ''}`);
}

/** The levers and settings as a scenario file for `cadreflow run` (the server writes it: the baseline with the levers as a reform). */
async function downloadScenario(): Promise<void> {
  const res = await fetch('/api/scenario', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ levers: getLevers(), settings: getSettings() }) });
  if (!res.ok) { banner(`${t('badInput')}:\n${await problemsOf(res)}`); return; }
  download('workshop-scenario.json', 'application/json', JSON.stringify(await res.json(), null, 2) + '\n');
}

// ---------- the page's state in its URL ----------

/** The levers that differ from the baseline and every setting, as a query string: a link reproduces the policy. */
function stateQuery(): string {
  const q = new URLSearchParams();
  const base = baselineLevers();
  for (const l of cfg.levers) {
    const v = leverValue(l);
    if (JSON.stringify(v) !== JSON.stringify(base[l.path])) q.set(l.path, Array.isArray(v) ? v.join(',') : String(v));
  }
  for (const [k, v] of Object.entries(getSettings())) if (v !== null) q.set(k, String(v));
  return q.toString();
}

let urlReady = false;
function writeUrl(): void {
  if (!urlReady) return;
  const q = stateQuery();
  history.replaceState(null, '', q ? `?${q}` : location.pathname);
  localStorage.setItem('cadreflow-state', q);
}

/** A link to this page with this policy, at an address others can open (the server's network address when opened locally). */
function shareLink(): string {
  const local = /^(127\.|localhost$|\[::1\]$)/.test(location.hostname);
  const origin = local && cfg.urls?.length ? cfg.urls[0]!.replace(/\/$/, '') : location.origin;
  const q = stateQuery();
  return `${origin}/${q ? `?${q}` : ''}`;
}

/** Reads levers and settings from a query string; returns the problems (nothing is applied from a bad value). */
function readState(query: string): string[] {
  const q = new URLSearchParams(query);
  const levers: Record<string, unknown> = {};
  const settings: Record<string, number> = {};
  const problems: string[] = [];
  for (const [k, text] of q) {
    const l = cfg.levers.find((x) => x.path === k);
    if (l) {
      const num = (x: string) => (x.trim() === '' ? NaN : Number(x));
      const v = l.kind === 'boolean' ? (text === 'true' ? true : text === 'false' ? false : text) : l.kind === 'enum' ? text : l.kind === 'array' ? text.split(',').map(num) : num(text);
      const p = leverProblem(l, v);
      if (p) problems.push(`${L(l.label)}: ${text}: ${p}`);
      else levers[k] = v;
    } else if (k in cfg.settings) {
      const r = cfg.settings[k]!;
      const v = Number(text);
      const p = numberProblem(v, r.step === 1, r.min, r.max);
      if (p) problems.push(`${t(k)}: ${text}: ${p}`);
      else settings[k] = v;
    } else problems.push(`${k}: ${lang === 'zh' ? '不是本页面的杠杆或设置' : 'not a lever or setting of this page'}`);
  }
  applyLevers(levers);
  setSettings(settings);
  return problems;
}

// ---------- the run ----------

/** The size of a run in cadre-years (as the server counts it) and its seconds at the server's speed; null while a setting is invalid. */
function runSize(): { cadreYears: number; seconds: number } | null {
  const st = getSettings();
  const { scale, years, burnIn, replicates } = st;
  if ([scale, years, burnIn, replicates].some((x) => x === null || x === undefined)) return null;
  const cy = Math.round(cfg.postsPerScale * scale!) * (burnIn! + years!) * replicates! * 2;
  return { cadreYears: cy, seconds: cy / (cfg.throughput * Math.max(1, Math.min(cfg.threads, 2 * replicates!))) };
}

/** Under Run: the run's size and time, a warning when it is slow, a refusal when it is over the server's cap. */
function showSize(): void {
  const el = document.getElementById('size');
  if (!el || !cfg) return;
  const z = runSize();
  if (!z) { el.textContent = ''; el.className = ''; return; }
  const over = z.cadreYears > cfg.maxCadreYears;
  const fill = (key: string) => t(key).replace('{n}', bigNumber(z.cadreYears, lang)).replace('{t}', duration(z.seconds, lang)).replace('{max}', bigNumber(cfg.maxCadreYears, lang));
  el.textContent = over ? fill('runTooLarge') : fill('runSize') + (z.seconds > 60 ? t('runSlow') : '');
  el.className = over ? 'over' : z.seconds > 60 ? 'slow' : '';
  el.dataset.cadreYears = String(z.cadreYears);
  el.dataset.over = over ? '1' : '0';
}

async function startRun(): Promise<void> {
  banner(null);
  const token = ++requestSeq;
  const wasRunning = data?.state === 'running';
  const z = runSize();
  if (z && z.cadreYears > cfg.maxCadreYears) {
    // Refused here, before anything runs (the server would refuse it too).
    showSize();
    banner(`${t('badInput')}:\n${$('size').textContent}${wasRunning ? `\n${t('runGoesOn')}` : ''}`);
    if (!wasRunning) setStatus(t('badInput'), 'failed');
    return;
  }
  setStatus(t('running'), 'running');
  const name = $<HTMLInputElement>('participant-name').value.trim();
  let res: Response;
  try {
    res = await fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ participant: participantId(), ...(name ? { name } : {}), levers: getLevers(), settings: getSettings() }) });
  } catch (e) {
    if (token === requestSeq) { setStatus(t('noServer'), 'failed'); banner(`${t('noServer')}: ${(e as Error).message}`); }
    return;
  }
  if (!res.ok) {
    const msg = await problemsOf(res);
    if (token === requestSeq) {
      // A rejected request starts nothing: a run in progress goes on, and the page keeps following it.
      banner(`${res.status === 400 ? t('badInput') : t('failed')}:\n${msg}${wasRunning ? `\n${t('runGoesOn')}` : ''}`);
      if (wasRunning && data?.state === 'running') setStatus(t('running'), 'running');
      else setStatus(res.status === 400 ? t('badInput') : t('failed'), 'failed');
    }
    return;
  }
  runToken = token;
  waiting = true;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let name = 'message';
        let payload = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) payload += line.slice(6);
        }
        if (name === 'done' || name === 'error' || name === 'cancelled') ended = true;
        onEvent(token, name, payload ? JSON.parse(payload) : undefined);
      }
    }
  } catch {
    /* the connection broke: said below */
  }
  // A stream that stops without saying how the run ended: the connection (or the server) went away.
  if (!ended && token === runToken) {
    if (data && data.state === 'running') data.state = 'lost';
    waiting = false;
    setStatus(t('connectionLost'), 'failed');
    banner(t('connectionLost'));
    document.body.dataset.state = 'lost';
  }
}

/** The page's run is waiting in the server's queue (no start event yet). */
let waiting = false;

function showQueued(ev: { ahead: number; running: number; waitSeconds: number; runSeconds: number }): void {
  const ahead = ev.ahead === 0 ? t('nextInLine') : ev.ahead === 1 ? t('runAhead') : t('runsAhead').replace('{n}', String(ev.ahead));
  const eta = t('waitAbout').replace('{w}', duration(ev.waitSeconds, lang)).replace('{r}', duration(ev.runSeconds, lang));
  const s = `${t('queued')} — ${ahead} · ${eta}`;
  setStatus(s, 'waiting');
  $<HTMLProgressElement>('progress').value = 0;
  $('status').dataset.ahead = String(ev.ahead);
  document.body.dataset.state = 'waiting';
}

/** The status line of a finished run: replicates, years and seconds. */
function showDone(d: RunData): void {
  const n = d.start.replicates, ys = d.start.years;
  const reps = lang === 'en' && n === 1 ? 'replicate' : t('replicatesNote');
  const p = d.start.posterior;
  const over = p ? (lang === 'zh' ? `,${n / p.seedsPerParticle} 个后验粒子 × ${p.seedsPerParticle} 个随机种子` : ` (${n / p.seedsPerParticle} particles of the posterior × ${p.seedsPerParticle} seeds)`) : '';
  setStatus(`${t('done')} — ${n} ${reps}${over}, ${ys[0]}–${ys[ys.length - 1]}, ${(d.seconds ?? 0).toFixed(1)} s`, 'done');
}

function onEvent(token: number, name: string, ev: any): void {
  if (token !== runToken) {
    // An older run: only its cancellation is worth telling.
    if (name === 'cancelled') notice(t('cancelled'));
    return;
  }
  if (name === 'queued') {
    if (waiting) showQueued(ev);
  } else if (name === 'start') {
    waiting = false;
    const s = ev as StartEvent;
    const arr = <T>() => ARMS.map(() => Array.from({ length: s.replicates }, () => new Array<T>(s.years.length)));
    data = { start: s, metrics: arr(), regions: arr(), flows: arr(), complete: [0, 0], state: 'running' };
    if (s.cancelledPrevious) notice(t('cancelled'));
    sliderFollows = true;
    const sl = $<HTMLInputElement>('year-slider');
    sl.max = String(s.years.length - 1);
    sl.value = '0';
    setStatus(`${t('running')} ${t('burnInProgress')}`, 'running');
    renderAll();
  } else if (name === 'progress' && data) {
    data.burnInYear = Math.max(data.burnInYear ?? -Infinity, ev.year);
    updateProgress();
  } else if (name === 'year' && data) {
    const y = ev as YearEvent;
    const k = y.year - data.start.startYear;
    const nan = (xs: (number | null)[]) => xs.map((x) => (x === null ? NaN : x));
    data.metrics[y.arm]![y.replicate]![k] = nan(y.metrics);
    data.regions[y.arm]![y.replicate]![k] = Object.fromEntries(Object.entries(y.regions).map(([m, v]) => [m, nan(v)]));
    data.flows[y.arm]![y.replicate]![k] = y.flows;
    const before = Math.min(...data.complete);
    for (const arm of [0, 1]) {
      let c = data.complete[arm]!;
      while (c < data.start.years.length && data.metrics[arm]!.every((rep) => rep[c] !== undefined)) c++;
      data.complete[arm] = c;
    }
    if (Math.min(...data.complete) > before) scheduleRender();
    updateProgress();
  } else if (name === 'done' && data) {
    data.state = 'done';
    data.seconds = ev.seconds;
    // The server's speed, as measured from its finished runs, for the next estimates.
    void fetch('/api/config').then((r) => r.json()).then((c: Config) => { cfg.throughput = c.throughput; showSize(); }).catch(() => undefined);
    showDone(data);
    $<HTMLProgressElement>('progress').value = 1;
    renderAll();
  } else if (name === 'error') {
    waiting = false;
    if (data) data.state = 'failed';
    setStatus(t('failed'), 'failed');
    banner(`${t('failed')}: ${ev.message}`);
  } else if (name === 'cancelled') {
    waiting = false;
    if (data) data.state = 'cancelled';
    // Only the participant's own newer run (from another tab of this browser) or the server stopping cancel a run.
    const why = ev?.reason === 'stopping' ? t('serverStopped') : t('replacedByOwn');
    setStatus(why, 'failed');
    if (ev?.reason === 'stopping') banner(why);
    else notice(why);
    document.body.dataset.state = 'cancelled';
  }
}

function setStatus(text: string, cls: string): void {
  const s = $('status');
  s.textContent = text;
  s.className = cls;
  s.dataset.state = cls;
}

function updateProgress(): void {
  if (!data || data.state !== 'running') return;
  const s = data.start;
  const total = s.burnIn + s.years.length;
  const burn = data.burnInYear === undefined ? 0 : data.burnInYear - s.firstYear + 1;
  const done = Math.min(...data.complete) > 0 ? s.burnIn + Math.min(...data.complete) : Math.min(burn, s.burnIn);
  $<HTMLProgressElement>('progress').value = total ? done / total : 0;
  const c = Math.min(...data.complete);
  setStatus(c > 0 ? `${t('running')} ${s.years[c - 1]} / ${s.years[s.years.length - 1]}` : `${t('running')} ${t('burnInProgress')} ${Math.max(0, burn)}/${s.burnIn}`, 'running');
}

let renderPending = false;
function scheduleRender(): void {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderAll(); });
}

// ---------- aggregates ----------

function yearsComplete(): number {
  return data ? Math.min(...data.complete) : 0;
}

/**
 * Over a posterior the replicates of one drawn particle are not independent: the interval is that
 * of the draws' means (as summary.csv's of `run --posterior`, experiment/stats.ts), and so wider.
 * The sd stays that of the replicates.
 */
function overDraws(values: number[], unitRange = false): MeanCI {
  const c = meanCI(values, unitRange);
  const p = data?.start.posterior;
  if (!p) return c;
  const g = meanCI(groupMeans(values, values.map((_, k) => Math.floor(k / p.seedsPerParticle))), unitRange);
  return { ...c, mean: g.mean, low: g.low, high: g.high };
}
function metricCI(arm: number, j: number, k: number) {
  return overDraws(data!.metrics[arm]!.map((rep) => rep[k]?.[j] ?? NaN), cfg.unitRange.includes(cfg.metrics[j]!));
}
/** Paired differences policy − baseline: Student's t (they may rightly be negative). */
function diffCI(j: number, k: number) {
  return overDraws(data!.metrics[0]!.map((rep, r) => (rep[k]?.[j] ?? NaN) - (data!.metrics[1]![r]![k]?.[j] ?? NaN)));
}

function selectedYearIndex(): number {
  const c = yearsComplete();
  if (c === 0) return -1;
  const v = Number($<HTMLInputElement>('year-slider').value);
  return Math.min(v, c - 1);
}

// ---------- drawing ----------

function chartCard(parent: HTMLElement, id: string, cls = ''): HTMLElement {
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
function altTable(id: string, title: string, head: string[], rows: (string | number)[][]): void {
  const el = document.getElementById(id);
  const d = document.querySelector<HTMLDetailsElement>(`details[data-alt="${id}"]`);
  if (!el || !d) return;
  el.setAttribute('aria-label', title);
  d.querySelector('summary')!.textContent = `${t('tableOfValues')}: ${title}`;
  d.querySelector('table')!.innerHTML = `<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')}</tbody>`;
}

/** Shares are shown in percent (their changes in percentage points), other metrics as they are. */
const isShare = (m: string) => cfg.shares.includes(m);
const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : x);
/** A metric's interval as displayed: a metric in [0, 1] kept in [0, 1] (MetricDef share, unitRange). */
function shown(m: string, x: MeanCI): MeanCI {
  return cfg.unitRange.includes(m) ? { ...x, mean: x.mean, low: clamp01(x.low), high: clamp01(x.high) } : x;
}
/** A value of metric m in words: 12.3% for a share; a change of a share in pp. */
function valueShown(m: string, x: number, change = false): string {
  if (!Number.isFinite(x)) return '–';
  const sign = change && x >= 0 ? '+' : '';
  if (isShare(m)) return `${sign}${displayNumber(100 * x)}${change ? ' pp' : '%'}`;
  return `${sign}${displayNumber(x)}`;
}

function draw(id: string, parent: HTMLElement, make: () => EC.EChartsOption, cls = ''): void {
  const el = chartCard(parent, id, cls);
  options.set(id, make);
  let c = charts.get(id);
  if (!c) { c = echarts.init(el, null, { renderer: 'canvas' }); charts.set(id, c); }
  c.setOption(present ? (bigText(make(), 14) as EC.EChartsOption) : make(), { notMerge: true });
  const st = data ? `${data.state}:${yearsComplete()}` : 'empty';
  el.dataset.years = String(yearsComplete());
  el.dataset.state = st;
}

function downloadChart(id: string, kind: 'png' | 'svg'): void {
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

function renderCharts(): void {
  const grid = $('charts');
  const years = data?.start.years ?? Array.from({ length: 30 }, (_, i) => cfg.startYear + i);
  const c = yearsComplete();
  $('charts-note').textContent = t('percentNote');
  for (const m of cfg.headline) {
    const j = cfg.metrics.indexOf(m);
    const f = isShare(m) ? 100 : 1;
    const cisOf = (a: number) => years.map((_, k) => (data && k < c ? shown(m, metricCI(a, j, k)) : { mean: NaN, low: NaN, high: NaN, n: 0, sd: NaN }));
    const cis = ARMS.map((_, a) => cisOf(a));
    draw(`chart-${m}`, grid, () => {
      const series = ARMS.map((arm, a) => ({ name: t(arm), mean: cis[a]!.map((x) => f * x.mean), low: cis[a]!.map((x) => f * x.low), high: cis[a]!.map((x) => f * x.high), color: a === 0 ? PALETTE[0] : PALETTE[1], dashed: a === 1 }));
      const marks = data ? [{ at: data.start.reformYear, label: `${t('reform')} ${data.start.reformYear}` }] : [];
      return lineBandOption({ title: metricLabel(m, lang), subtitle: m, categories: years, series, marks, legend: true, fromZero: isShare(m), yName: isShare(m) ? '%' : metricUnit(m, lang) });
    });
    const ci = (x: MeanCI) => (Number.isFinite(x.low) ? ` [${valueShown(m, x.low)}, ${valueShown(m, x.high)}]` : '');
    altTable(`chart-${m}`, metricLabel(m, lang), [t('year'), `${t('policy')} (95% CI)`, `${t('baseline')} (95% CI)`], years.slice(0, c).map((y, k) => [y, valueShown(m, cis[0]![k]!.mean) + ci(cis[0]![k]!), valueShown(m, cis[1]![k]!.mean) + ci(cis[1]![k]!)]));
  }
}

/** The interval under a number: [low, high], or "all replicates" when every replicate gave the value (no interval to show). */
function ciText(x: MeanCI, m?: string, change = false): string {
  if (allEqual(x)) return lang === 'zh' ? '各次重复相同' : 'all replicates';
  if (!Number.isFinite(x.low)) return '';
  return m ? `[${valueShown(m, x.low, change)}, ${valueShown(m, x.high, change)}]` : `[${displayNumber(x.low)}, ${displayNumber(x.high)}]`;
}

function renderNumbers(): void {
  const table = $('numbers');
  const k = selectedYearIndex();
  $('numbers-year').textContent = k >= 0 && data ? String(data.start.years[k]) : '–';
  table.dataset.year = k >= 0 && data ? String(data.start.years[k]) : '';
  let h = `<thead><tr><th></th><th>${esc(t('policy'))}</th><th>${esc(t('baseline'))}</th><th>${esc(t('change'))}</th></tr></thead><tbody>`;
  for (const m of cfg.headline) {
    const j = cfg.metrics.indexOf(m);
    if (k < 0 || !data) {
      h += `<tr data-metric="${m}"><td>${esc(metricLabel(m, lang))}</td><td>–</td><td>–</td><td>–</td></tr>`;
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
    h += `<tr data-metric="${m}"><td>${esc(metricLabel(m, lang))}</td>${cell('policy', p)}${cell('baseline', b)}<td class="${cls}" data-metric="${m}" data-arm="difference" data-value="${csvNumber(d.mean)}"><span class="v">${valueShown(m, d.mean, true)}${rel}</span><span class="ci">${ciText(d, m, true)}</span></td></tr>`;
  }
  const cap = data?.start.posterior ? `<caption class="muted" id="ci-note">${esc(t('intervalsOverPosterior'))}</caption>` : '';
  table.innerHTML = cap + h + '</tbody>';
  $('numbers-note').textContent = t('percentNote');
}

function flowTally(arm: number, upTo: number): FlowTally {
  const nT = cfg.tiers.length;
  const f: FlowTally = { tiers: cfg.tiers, tierMatrix: new Array(nT * nT).fill(0), typeDir: new Array(cfg.flowTypes.length * cfg.directions.length).fill(0), runYears: 0, moves: 0 };
  if (!data) return f;
  for (const rep of data.flows[arm]!) {
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
function narrowSankey(o: EC.EChartsOption, width: number): EC.EChartsOption {
  if (!width || width >= 600) return o;
  const series = (o.series as Record<string, unknown>[]).map((x) => ({ ...x, right: Math.round(0.42 * width), label: { ...(x.label as object), fontSize: 10 } }));
  return { ...o, series } as EC.EChartsOption;
}

function renderFlows(): void {
  const arm = Number($<HTMLSelectElement>('flow-arm').value || 0);
  const k = selectedYearIndex();
  const f = flowTally(arm, k);
  const note = data && k >= 0 ? `${data.start.years[0]}–${data.start.years[k]} · ${f.runYears} ${lang === 'zh' ? '重复·年' : 'replicate-years'}` : t('noData');
  $('flow-note').textContent = note;
  const parent = $('flows');
  const specs = { 'sankey-tiers': tierSankey(f, lang, t('flowsTiers')), 'sankey-types': typeSankey(f, lang, t('flowsTypes')) };
  for (const [id, spec] of Object.entries(specs)) {
    draw(id, parent, () => narrowSankey(sankeyOption(spec), parent.clientWidth), 'tall');
    const label = new Map(spec.nodes.map((n) => [n.id, n.label.replace(/^→ /, '')]));
    altTable(id, spec.title ?? id, [t('from'), t('to'), `${t('flowCount')} (${spec.unit ?? ''})`], spec.links.filter((l) => l.value > 0).map((l) => [label.get(l.source) ?? l.source, label.get(l.target) ?? l.target, displayNumber(l.value)]));
  }
}

function renderMap(): void {
  const metric = $<HTMLSelectElement>('map-metric').value || 'stagnation';
  const armSel = $<HTMLSelectElement>('map-arm').value || 'policy';
  const k = selectedYearIndex();
  $('map-year').textContent = data && k >= 0 ? String(data.start.years[k]) : '–';
  const el = $('map-card');
  const w = el.clientWidth || 800;
  const h = w < 600 ? 420 : present ? 640 : 560;
  const mean = (arm: number, g: number) => meanCI(data!.regions[arm]!.map((rep) => rep[k]?.[metric]?.[g] ?? NaN)).mean;
  const values = cfg.regions.map((r, g) => {
    if (metric === 'wageIndex') return r.wageIndex;
    if (!data || k < 0) return NaN;
    if (armSel === 'difference') return mean(0, g) - mean(1, g);
    return mean(armSel === 'baseline' ? 1 : 0, g);
  });
  const label = metric === 'wageIndex' ? (lang === 'zh' ? '相对工资(工资指数)' : 'Relative pay (wageIndex)') : regionMetricLabel(metric, lang);
  // The wage index is the region's data, the same in both arms: no difference to show, and a sequential scale.
  const fixed = metric === 'wageIndex';
  const diverging = !fixed && (armSel === 'difference' || metric === 'netReverse');
  // The same colour range for policy and baseline, so that switching compares like with like.
  let range: { min?: number; max?: number } = {};
  if (data && k >= 0 && metric !== 'wageIndex' && armSel !== 'difference') {
    const all = [0, 1].flatMap((a) => cfg.regions.map((_, g) => mean(a, g))).filter(Number.isFinite);
    if (all.length) {
      let lo = Math.min(...all), hi = Math.max(...all);
      if (diverging) { const m = Math.max(Math.abs(lo), Math.abs(hi)); lo = -m; hi = m; }
      range = { min: lo, max: hi };
    }
  }
  // The legend's title and unit: shares in percent (a difference in percentage points), flows per 100 posts, ties an index.
  const pct = metric === 'stagnation' || metric === 'vacancy';
  const unit = pct ? (armSel === 'difference' ? 'pp' : '%') : metric === 'netReverse' || metric === 'inflow' ? (lang === 'zh' ? '每百岗位每年' : 'per 100 posts a year') : metric === 'ties' ? (lang === 'zh' ? '指数 0–1' : 'index 0–1') : (lang === 'zh' ? '指数' : 'index');
  const f = pct ? 100 : 1;
  const legend = `${metric === 'wageIndex' ? (lang === 'zh' ? '相对工资' : 'Relative pay') : regionMetricLabel(metric, lang)}\n(${unit})`;
  const name = (r: Region) => (lang === 'zh' ? r.name : r.nameEn);
  const scaled = values.map((v) => f * v);
  draw('map', el, () => mapOption({
    title: label, subtitle: fixed ? (lang === 'zh' ? '地区数据,政策与基线相同' : 'data of the regions, the same under the policy and the baseline') : `${armSel === 'difference' ? t('difference') : t(armSel)}${data && k >= 0 ? ` · ${data.start.years[k]}` : ''}`,
    regions: cfg.regions.map((r, g) => ({ code: r.code, name: name(r), level: r.level, x: r.x, y: r.y, value: scaled[g]! })),
    width: w, height: h, labels: true, diverging, ...(range.min !== undefined ? { min: f * range.min, max: f * range.max! } : {}),
    valueName: legend, outlineKm: OUTLINE_KM, shiftLabels: true,
  }), 'map');
  if ($('map').style.height !== `${h}px`) { $('map').style.height = `${h}px`; charts.get('map')?.resize(); }
  $('map-note').textContent = t('mapOutline');
  altTable('map', `${label} (${unit})`, [t('region'), t('value')], cfg.regions.map((r, g) => [name(r), Number.isFinite(scaled[g]!) ? displayNumber(scaled[g]!) : '–']));
}

function renderAll(): void {
  const c = yearsComplete();
  const sl = $<HTMLInputElement>('year-slider');
  if (data && sliderFollows && c > 0) sl.value = String(c - 1);
  renderNumbers();
  renderCharts();
  renderFlows();
  renderMap();
  document.body.dataset.years = String(c);
  document.body.dataset.state = data?.state ?? 'empty';
}

// ---------- downloads of results ----------

function timeseriesCsv(): string {
  if (!data) return '';
  // Over a posterior, as run's timeseries.csv: the particle each replicate ran, after the seed.
  const p = data.start.posterior;
  let out = ['arm', 'replicate', 'seed', ...(p ? ['particle'] : []), 'year', ...cfg.metrics].join(',') + '\n';
  ARMS.forEach((arm, a) => data!.metrics[a]!.forEach((rep, r) => rep.forEach((row, k) => {
    if (row) out += [arm, r, data!.start.seeds[r], ...(p ? [p.particles[r]] : []), data!.start.years[k], ...row.map(csvNumber)].join(',') + '\n';
  })));
  return out;
}

function summaryCsv(): string {
  if (!data) return '';
  let out = 'arm,metric,year,n,mean,sd,ci_low,ci_high,diff_mean,diff_ci_low,diff_ci_high\n';
  const c = yearsComplete();
  ARMS.forEach((arm, a) => cfg.metrics.forEach((m, j) => {
    for (let k = 0; k < c; k++) {
      const s = metricCI(a, j, k);
      const d = a === 0 ? diffCI(j, k) : undefined;
      out += [arm, m, data!.start.years[k], s.n, csvNumber(s.mean), csvNumber(s.sd), csvNumber(s.low), csvNumber(s.high), d ? csvNumber(d.mean) : '', d ? csvNumber(d.low) : '', d ? csvNumber(d.high) : ''].join(',') + '\n';
    }
  }));
  return out;
}

// ---------- language ----------

function applyLanguage(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
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
  ms.innerHTML = [...cfg.regionMetrics, 'wageIndex'].map((m) => `<option value="${m}">${esc(m === 'wageIndex' ? (lang === 'zh' ? '相对工资' : 'Relative pay') : regionMetricLabel(m, lang))}</option>`).join('');
  if (mv) ms.value = mv;
  document.querySelectorAll('.card .dl button').forEach((b) => (b.textContent = t((b as HTMLElement).dataset.kind === 'png' ? 'downloadPng' : 'downloadSvg')));
  $('footer').textContent = `CadreFlow ${cfg.version} · ${lang === 'zh' ? '模型见 docs/MODEL.md;基线为 scenarios/baseline.json' : 'model in docs/MODEL.md; the baseline is scenarios/baseline.json'}`;
  if (data?.state === 'done') showDone(data);
  else if (!data) setStatus(t('noData'), 'idle');
  leversChanged();
  renderAll();
}

// ---------- joining, presentation ----------

function openJoin(): void {
  const d = $<HTMLDialogElement>('join-dialog');
  const urls = cfg.urls?.length ? cfg.urls : [location.origin + '/'];
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
  document.body.classList.toggle('present', present);
  $('present').setAttribute('aria-pressed', String(present));
  charts.forEach((c) => c.resize());
  renderAll();
}

/** Chart text of at least `min` px (presentation mode): every fontSize below it raised, axis labels, legends and titles given one. */
function bigText(o: unknown, min: number): unknown {
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

// ---------- start ----------

async function init(): Promise<void> {
  const saved = localStorage.getItem('cadreflow-lang');
  lang = saved === 'zh' || saved === 'en' ? saved : (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const res = await fetch('/api/config');
  if (!res.ok) throw new Error(`/api/config: ${res.status}`);
  cfg = await res.json();
  buildPresets();
  buildLevers();
  buildSettings();
  applyLevers(baselineLevers());
  setSettings({ ...Object.fromEntries(Object.entries(cfg.settings).map(([k, s]) => [k, s.default])), reformYear: defaultReformYear(cfg.settings.years!.default) });
  // The levers and settings of the link, else those of the last visit (a reload keeps them).
  const query = location.search.slice(1) || localStorage.getItem('cadreflow-state') || '';
  const problems = query ? readState(query) : [];
  $<HTMLInputElement>('participant-name').value = localStorage.getItem('cadreflow-name') ?? '';
  $('participant-name').addEventListener('input', () => localStorage.setItem('cadreflow-name', $<HTMLInputElement>('participant-name').value.trim()));
  present = localStorage.getItem('cadreflow-present') === '1';
  applyLanguage();
  urlReady = true;
  leversChanged();
  if (problems.length) banner(`${t('badInput')} (URL):\n${problems.join('\n')}`);
  $('lang-switch').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('cadreflow-lang', lang); applyLanguage(); });
  $('run').addEventListener('click', () => void startRun());
  $('load-preset').addEventListener('click', loadPreset);
  $('reset').addEventListener('click', () => { applyLevers(baselineLevers()); banner(null); leversChanged(); });
  $('quick').addEventListener('click', () => { setSettings(QUICK); leversChanged(); });
  $('standard').addEventListener('click', () => { setSettings(Object.fromEntries(['scale', 'replicates', 'years', 'burnIn'].map((k) => [k, cfg.settings[k]!.default]))); leversChanged(); });
  $('download-scenario').addEventListener('click', () => void downloadScenario());
  $('copy-link').addEventListener('click', () => {
    const link = shareLink();
    // The clipboard needs a secure context (not http://192.168.x.y): the link is shown in the join dialog as well.
    void (navigator.clipboard?.writeText(link) ?? Promise.reject(new Error('no clipboard'))).then(() => notice(`${t('linkCopied')}: ${link}`), () => openJoin());
  });
  $('join').addEventListener('click', openJoin);
  $('join-close').addEventListener('click', () => $<HTMLDialogElement>('join-dialog').close());
  $('present').addEventListener('click', () => { present = !present; localStorage.setItem('cadreflow-present', present ? '1' : '0'); applyPresent(); });
  $('save-policy').addEventListener('click', savePolicy);
  $('load-policy').addEventListener('click', () => $<HTMLInputElement>('policy-file').click());
  $<HTMLInputElement>('policy-file').addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    const f = input.files?.[0];
    if (f) void loadPolicy(f).finally(() => (input.value = ''));
  });
  $('download-csv').addEventListener('click', () => { if (data) download('workshop-timeseries.csv', 'text/csv', timeseriesCsv()); else notice(t('noData')); });
  $('download-summary').addEventListener('click', () => { if (data) download('workshop-summary.csv', 'text/csv', summaryCsv()); else notice(t('noData')); });
  $('year-slider').addEventListener('input', () => { sliderFollows = Number($<HTMLInputElement>('year-slider').value) >= yearsComplete() - 1; renderNumbers(); renderFlows(); renderMap(); });
  $('map-metric').addEventListener('change', renderMap);
  $('map-arm').addEventListener('change', renderMap);
  $('flow-arm').addEventListener('change', renderFlows);
  $('play').addEventListener('click', () => {
    const b = $('play');
    if (playing !== undefined) { clearInterval(playing); playing = undefined; b.textContent = t('play'); return; }
    const sl = $<HTMLInputElement>('year-slider');
    if (Number(sl.value) >= yearsComplete() - 1) sl.value = '0';
    sliderFollows = false;
    b.textContent = t('pause');
    playing = window.setInterval(() => {
      const v = Number(sl.value) + 1;
      if (v >= yearsComplete()) { clearInterval(playing); playing = undefined; b.textContent = t('play'); sliderFollows = true; return; }
      sl.value = String(v);
      renderNumbers(); renderFlows(); renderMap();
    }, 450);
  });
  window.addEventListener('resize', () => { charts.forEach((c) => c.resize()); renderMap(); });
  applyPresent();
  document.body.dataset.ready = '1';
}

window.addEventListener('error', (e) => banner(`${lang === 'zh' ? '页面错误' : 'Page error'}: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => banner(`${lang === 'zh' ? '页面错误' : 'Page error'}: ${(e.reason as Error)?.message ?? String(e.reason)}`));
init().catch((e) => banner(`${lang === 'zh' ? '页面无法启动' : 'The page could not start'}: ${(e as Error).message}`));
