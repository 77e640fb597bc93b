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
import { LEVER_TIPS_ZH, PRESETS_ZH, metricLabel, regionMetricLabel, ui, unitLabel, type Lang } from '../report/i18n.js';
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
  presets: { file: string; name: string; description: string; levers: Record<string, unknown>; reformYear?: number }[];
  /** metrics: every column; unitRange: those in [0, 1], whose CIs stay in [0, 1] (MetricDef share, unitRange); shares: their y axes start at 0, as in the report. */
  metrics: string[]; unitRange: string[]; shares: string[]; headline: string[]; regionMetrics: string[]; tiers: string[]; flowTypes: string[]; directions: string[]; regions: Region[];
  /** The server's posterior (null: none): the page may run over it. */
  posterior: { file: string; particles: number; parameters: string[]; seedsPerParticle: number } | null;
}
/** posterior: the run is over the posterior; replicate k ran particle `particles[k]` (draw ⌊k/m⌋). */
interface StartEvent { runId: number; cancelledPrevious: boolean; replicates: number; seeds: number[]; years: number[]; startYear: number; burnIn: number; firstYear: number; reformYear: number; settings: Record<string, number>; posterior?: { file: string; seedsPerParticle: number; particles: number[] } }
interface YearEvent { arm: number; replicate: number; year: number; metrics: (number | null)[]; regions: Record<string, (number | null)[]>; flows: { tierMatrix: number[]; typeDir: number[] } }

interface RunData {
  start: StartEvent;
  /** [arm][replicate][yearIndex] */
  metrics: (number[] | undefined)[][][];
  regions: (Record<string, number[]> | undefined)[][][];
  flows: ({ tierMatrix: number[]; typeDir: number[] } | undefined)[][][];
  /** Years complete (every replicate reported) per arm. */
  complete: [number, number];
  state: 'running' | 'done' | 'failed' | 'cancelled';
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
  root.innerHTML = '';
  for (const g of cfg.groups) {
    const fs = document.createElement('fieldset');
    fs.dataset.group = g.id;
    fs.innerHTML = `<legend>${esc(L(g.label))}</legend><p class="note">${esc(L(g.note))}</p>`;
    for (const l of cfg.levers.filter((x) => x.group === g.id)) {
      const div = document.createElement('div');
      div.className = 'lever';
      div.dataset.path = l.path;
      div.title = lang === 'zh' ? (LEVER_TIPS_ZH[l.path] ?? l.description) : l.description;
      const id = leverId(l.path);
      let html = `<label class="name" for="${l.kind === 'array' ? leverId(l.path, 0) : id}">${esc(L(l.label))}</label><span class="meta">${esc(rangeText(l))}</span>`;
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
        range.addEventListener('input', () => { box.value = range.value; checkLever(l); });
        box.addEventListener('input', () => { if (box.value !== '' && Number.isFinite(Number(box.value))) range.value = box.value; checkLever(l); });
      } else {
        div.querySelectorAll('input,select').forEach((el) => el.addEventListener('input', () => checkLever(l)));
        div.querySelectorAll('input,select').forEach((el) => el.addEventListener('change', () => checkLever(l)));
      }
    }
    root.append(fs);
  }
}

function readNumber(el: HTMLInputElement): number {
  return el.value.trim() === '' ? NaN : Number(el.value);
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
    $<HTMLInputElement>(id).value = String(v);
    $<HTMLInputElement>(`${id}-range`).value = String(v);
  } else if (l.kind === 'boolean') $<HTMLInputElement>(id).checked = !!v;
  else if (l.kind === 'enum') $<HTMLSelectElement>(id).value = String(v);
  else (v as unknown[]).forEach((x, i) => { const el = $<HTMLInputElement>(leverId(l.path, i)); if (el) el.value = String(x); });
  checkLever(l);
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
  for (const k of SETTING_KEYS) $<HTMLInputElement>(`set-${k}`).addEventListener('input', () => { checkSetting(k); if (k === 'years') checkSetting('reformYear'); });
  // Over the posterior: offered when the server has one.
  const p = cfg.posterior;
  if (p) {
    const div = document.createElement('div');
    div.className = 'setting wide';
    div.dataset.key = 'posterior';
    div.innerHTML = `<label><input type="checkbox" id="set-posterior"> ${esc(t('overPosterior'))}</label><span class="muted" id="set-posterior-note">${esc(posteriorNote())}</span><span class="err"></span>`;
    root.append(div);
    $<HTMLInputElement>('set-posterior').addEventListener('change', () => checkSetting('replicates'));
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
    if (el && x !== undefined && x !== null) { el.value = String(x); checkSetting(k); }
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
const presetName = (p: Preset) => (lang === 'zh' ? PRESETS_ZH[p.file]?.[0] : undefined) ?? p.name;
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
  applyLevers(p.levers);
  const s = getSettings();
  const first = cfg.startYear, last = cfg.startYear + (s.years ?? 30) - 1;
  setSettings({ reformYear: p.reformYear !== undefined && p.reformYear >= first && p.reformYear <= last ? p.reformYear : first });
  notice(`${t('loadedPreset')}: ${presetName(p)}`);
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
    if (!isObject(pkg) || !isObject(pkg.levers)) throw new Error(lang === 'zh' ? '不是政策包(缺少 levers)' : 'not a policy package (no "levers")');
    // Nothing is applied unless everything can be: a bad package leaves the page as it was.
    const problems = packageProblems(pkg.levers, pkg.settings);
    if (problems.length) throw new Error(`\n${problems.join('\n')}`);
    const unknown = applyLevers(pkg.levers);
    if (isObject(pkg.settings)) setSettings(pkg.settings as Record<string, number>);
    if (unknown.length) banner(`${t('badInput')}: ${file.name}: ${lang === 'zh' ? '未知杠杆' : 'unknown levers'} ${unknown.join(', ')}`);
    else notice(`${t('loadedPackage')}: ${file.name}`);
  } catch (e) {
    banner(`${t('badInput')}: ${file.name}: ${(e as Error).message}`);
  }
}

// ---------- the run ----------

async function startRun(): Promise<void> {
  banner(null);
  const token = ++requestSeq;
  const wasRunning = data?.state === 'running';
  setStatus(t('running'), 'running');
  let res: Response;
  try {
    res = await fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ levers: getLevers(), settings: getSettings() }) });
  } catch (e) {
    if (token === requestSeq) { setStatus(t('failed'), 'failed'); banner(`${t('failed')}: ${(e as Error).message}`); }
    return;
  }
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try { msg = (await res.json()).error ?? msg; } catch { /* keep the status line */ }
    if (token === requestSeq) {
      // A rejected request starts nothing: a run in progress goes on, and the page keeps following it.
      banner(`${res.status === 400 ? t('badInput') : t('failed')}:\n${msg}${wasRunning ? `\n${t('runGoesOn')}` : ''}`);
      if (wasRunning && data?.state === 'running') setStatus(t('running'), 'running');
      else setStatus(res.status === 400 ? t('badInput') : t('failed'), 'failed');
    }
    return;
  }
  runToken = token;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
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
      onEvent(token, name, payload ? JSON.parse(payload) : undefined);
    }
  }
}

/** The status line of a finished run: replicates, years and seconds. */
function showDone(d: RunData): void {
  const n = d.start.replicates, ys = d.start.years;
  const reps = lang === 'en' && n === 1 ? 'replicate' : t('replicatesNote');
  const p = d.start.posterior;
  const over = p ? (lang === 'zh' ? `,${n / p.seedsPerParticle} 个后验粒子 × ${p.seedsPerParticle} 个种子` : ` (${n / p.seedsPerParticle} particles of the posterior × ${p.seedsPerParticle} seeds)`) : '';
  setStatus(`${t('done')} — ${n} ${reps}${over}, ${ys[0]}–${ys[ys.length - 1]}, ${(d.seconds ?? 0).toFixed(1)} s`, 'done');
}

function onEvent(token: number, name: string, ev: any): void {
  if (token !== runToken) {
    // An older run: only its cancellation is worth telling.
    if (name === 'cancelled') notice(t('cancelled'));
    return;
  }
  if (name === 'start') {
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
    showDone(data);
    $<HTMLProgressElement>('progress').value = 1;
    renderAll();
  } else if (name === 'error') {
    if (data) data.state = 'failed';
    setStatus(t('failed'), 'failed');
    banner(`${t('failed')}: ${ev.message}`);
  } else if (name === 'cancelled') {
    if (data) data.state = 'cancelled';
    setStatus(t('cancelledByOther'), 'failed');
    notice(t('cancelledByOther'));
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
  card.innerHTML = `<div class="dl"><button type="button" data-kind="png">${t('downloadPng')}</button><button type="button" data-kind="svg">${t('downloadSvg')}</button></div><div class="chart ${cls}" id="${id}"></div>`;
  parent.append(card);
  card.querySelector('[data-kind=png]')!.addEventListener('click', () => downloadChart(id, 'png'));
  card.querySelector('[data-kind=svg]')!.addEventListener('click', () => downloadChart(id, 'svg'));
  return card.querySelector<HTMLElement>(`#${id}`)!;
}

function draw(id: string, parent: HTMLElement, make: () => EC.EChartsOption, cls = ''): void {
  const el = chartCard(parent, id, cls);
  options.set(id, make);
  let c = charts.get(id);
  if (!c) { c = echarts.init(el, null, { renderer: 'canvas' }); charts.set(id, c); }
  c.setOption(make(), { notMerge: true });
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
  for (const m of cfg.headline) {
    const j = cfg.metrics.indexOf(m);
    draw(`chart-${m}`, grid, () => {
      const series = ARMS.map((arm, a) => {
        const cis = years.map((_, k) => (data && k < c ? metricCI(a, j, k) : { mean: NaN, low: NaN, high: NaN }));
        return { name: t(arm), mean: cis.map((x) => x.mean), low: cis.map((x) => x.low), high: cis.map((x) => x.high), color: a === 0 ? PALETTE[0] : PALETTE[1], dashed: a === 1 };
      });
      const marks = data ? [{ at: data.start.reformYear, label: `${t('reform')} ${data.start.reformYear}` }] : [];
      return lineBandOption({ title: metricLabel(m, lang), subtitle: m, categories: years, series, marks, legend: true, fromZero: cfg.shares.includes(m) });
    });
  }
}

/** The interval under a number: [low, high], or "all replicates" when every replicate gave the value (no interval to show). */
function ciText(x: MeanCI): string {
  if (allEqual(x)) return lang === 'zh' ? '各次重复相同' : 'all replicates';
  return Number.isFinite(x.low) ? `[${displayNumber(x.low)}, ${displayNumber(x.high)}]` : '';
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
      `<td data-metric="${m}" data-arm="${arm}" data-value="${csvNumber(x.mean)}"><span class="v">${displayNumber(x.mean)}</span><span class="ci">${ciText(x)}</span></td>`;
    const sig = Number.isFinite(d.low) && (d.low > 0 || d.high < 0);
    const dir = GOOD[m] ?? 0;
    const cls = sig && dir ? (Math.sign(d.mean) === dir ? 'good' : 'bad') : '';
    const rel = Number.isFinite(b.mean) && b.mean !== 0 ? ` (${d.mean >= 0 ? '+' : ''}${displayNumber((100 * d.mean) / Math.abs(b.mean), 2)}%)` : '';
    h += `<tr data-metric="${m}"><td>${esc(metricLabel(m, lang))}</td>${cell('policy', p)}${cell('baseline', b)}<td class="${cls}" data-metric="${m}" data-arm="difference" data-value="${csvNumber(d.mean)}"><span class="v">${d.mean >= 0 ? '+' : ''}${displayNumber(d.mean)}${rel}</span><span class="ci">${ciText(d)}</span></td></tr>`;
  }
  const cap = data?.start.posterior ? `<caption class="muted" id="ci-note">${esc(t('intervalsOverPosterior'))}</caption>` : '';
  table.innerHTML = cap + h + '</tbody>';
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

function renderFlows(): void {
  const arm = Number($<HTMLSelectElement>('flow-arm').value || 0);
  const k = selectedYearIndex();
  const f = flowTally(arm, k);
  const note = data && k >= 0 ? `${data.start.years[0]}–${data.start.years[k]} · ${f.runYears} ${lang === 'zh' ? '重复·年' : 'replicate-years'}` : t('noData');
  $('flow-note').textContent = note;
  const parent = $('flows');
  draw('sankey-tiers', parent, () => sankeyOption(tierSankey(f, lang, t('flowsTiers'))), 'tall');
  draw('sankey-types', parent, () => sankeyOption(typeSankey(f, lang, t('flowsTypes'))), 'tall');
}

function renderMap(): void {
  const metric = $<HTMLSelectElement>('map-metric').value || 'stagnation';
  const armSel = $<HTMLSelectElement>('map-arm').value || 'policy';
  const k = selectedYearIndex();
  $('map-year').textContent = data && k >= 0 ? String(data.start.years[k]) : '–';
  const el = $('map-card');
  const w = Math.max(400, el.clientWidth || 800);
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
  draw('map', el, () => mapOption({
    title: label, subtitle: fixed ? (lang === 'zh' ? '地区数据,政策与基线相同' : 'data of the regions, the same under the policy and the baseline') : `${armSel === 'difference' ? t('difference') : t(armSel)}${data && k >= 0 ? ` · ${data.start.years[k]}` : ''}`,
    regions: cfg.regions.map((r, g) => ({ code: r.code, name: lang === 'zh' ? r.name : r.nameEn, level: r.level, x: r.x, y: r.y, value: values[g]! })),
    width: w, height: 560, labels: true, diverging, ...range,
  }), 'map');
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
  renderAll();
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
  setSettings({ ...Object.fromEntries(Object.entries(cfg.settings).map(([k, s]) => [k, s.default])), reformYear: cfg.startYear });
  applyLanguage();
  $('lang-switch').addEventListener('click', () => { lang = lang === 'zh' ? 'en' : 'zh'; localStorage.setItem('cadreflow-lang', lang); applyLanguage(); });
  $('run').addEventListener('click', () => void startRun());
  $('load-preset').addEventListener('click', loadPreset);
  $('reset').addEventListener('click', () => { applyLevers(baselineLevers()); banner(null); });
  $('quick').addEventListener('click', () => setSettings(QUICK));
  $('standard').addEventListener('click', () => setSettings(Object.fromEntries(['scale', 'replicates', 'years', 'burnIn'].map((k) => [k, cfg.settings[k]!.default]))));
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
  document.body.dataset.ready = '1';
}

window.addEventListener('error', (e) => banner(`${lang === 'zh' ? '页面错误' : 'Page error'}: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => banner(`${lang === 'zh' ? '页面错误' : 'Page error'}: ${(e.reason as Error)?.message ?? String(e.reason)}`));
init().catch((e) => banner(`${lang === 'zh' ? '页面无法启动' : 'The page could not start'}: ${(e as Error).message}`));
