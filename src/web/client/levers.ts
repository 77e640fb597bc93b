/**
 * The workshop page's controls: the levers and settings built from
 * /api/config, their checks and marks, the presets and scenario files, the
 * policy packages (save, load), and the page's state in its URL (a link
 * reproduces the policy).
 */
import { LEVER_TIPS_ZH, PRESETS_EN, PRESETS_ZH, titleOf, unitLabel } from '../../report/i18n.js';
import { defaultReformYear as reformYearFrom } from '../reform-year.js';
import { S, $, t, L, esc, banner, notice, download, problemsOf, type LeverSpec, type Preset } from './state.js';
import { showSize } from './run.js';

export const ENUM_LABELS: Record<string, [string, string]> = { directive: ['指令式调配', 'Directive'], 'two-way': ['双向选择', 'Two-way selection'], 'one-level-down': ['下管一级', 'One level down (下管一级)'], province: ['全省统一调配', 'Province-wide'] };
export const ARRAY_LABELS: Record<string, [string, string][]> = {
  'policy.hardshipAllowance': [1, 2, 3, 4, 5, 6].map((k) => [`${['一', '二', '三', '四', '五', '六'][k - 1]}类`, `cat. ${k}`]),
  'policy.minYearsInRank': [['科级', 'rank 1'], ['处级', 'rank 2'], ['厅级', 'rank 3']],
  'policy.promotionMaxAge': [['科级', 'rank 1'], ['处级', 'rank 2'], ['厅级', 'rank 3']],
};
export const SETTING_KEYS = ['scale', 'replicates', 'years', 'burnIn', 'seed', 'startYear', 'reformYear'] as const;
export const QUICK = { scale: 0.04, replicates: 4, years: 15, burnIn: 15 };
/** Wider than this, the lever groups start open; narrower, closed (one column, Run first). */
export const WIDE = 900;

/** A number for an input field: at most 6 significant digits (the exact value is kept aside, see setLever). */
export function fieldNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : '';
}

// ---------- controls ----------

export function leverId(path: string, i?: number): string {
  return `lv-${path.replace(/\./g, '-')}${i === undefined ? '' : `-${i}`}`;
}

/** A lever's value in words of the page's language (yes/no, the matching's name). */
export function valueText(v: unknown): string {
  const i = S.lang === 'zh' ? 0 : 1;
  if (typeof v === 'boolean') return S.lang === 'zh' ? (v ? '是' : '否') : String(v);
  if (typeof v === 'string' && ENUM_LABELS[v]) return ENUM_LABELS[v]![i];
  return Array.isArray(v) ? v.join(', ') : String(v);
}

export function rangeText(l: LeverSpec): string {
  const parts: string[] = [];
  const range = l.min !== undefined && l.max !== undefined ? `${l.min}–${l.max}` : '';
  const unit = l.unit ? unitLabel(l.unit, S.lang) : '';
  // A unit that only restates the range ("0–1") is not repeated.
  if (unit && unit !== range) parts.push(unit);
  if (range) parts.push(`${t('range')} ${range}`);
  parts.push(`${t('defaultValue')} ${valueText(l.default)}`);
  return parts.join(' · ');
}

export function buildLevers(): void {
  const root = $('levers');
  const wasOpen = new Map(Array.from(root.querySelectorAll<HTMLDetailsElement>('details.group')).map((d) => [d.dataset.group, d.open]));
  root.innerHTML = '';
  for (const g of S.cfg.groups) {
    const fs = document.createElement('details');
    fs.className = 'group';
    fs.dataset.group = g.id;
    fs.open = wasOpen.get(g.id) ?? window.innerWidth > WIDE;
    fs.innerHTML = `<summary><span class="legend">${esc(L(g.label))}</span><span class="count"></span></summary><p class="note">${esc(L(g.note))}</p>`;
    for (const l of S.cfg.levers.filter((x) => x.group === g.id)) {
      const div = document.createElement('div');
      div.className = 'lever';
      div.dataset.path = l.path;
      div.title = S.lang === 'zh' ? (LEVER_TIPS_ZH[l.path] ?? l.description) : l.description;
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

export function readNumber(el: HTMLInputElement): number {
  if (el.value.trim() === '') return NaN;
  // A value set from a preset or a link with more digits than the field shows keeps them while the field is unchanged.
  const exact = el.dataset.exact;
  if (exact !== undefined && fieldNumber(Number(exact)) === el.value.trim()) return Number(exact);
  return Number(el.value);
}

/** Shows x in a number field (6 significant digits at most), keeping the exact value aside. */
export function setNumberField(el: HTMLInputElement, x: unknown): void {
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
export function leverValue(l: LeverSpec): unknown {
  const id = leverId(l.path);
  if (l.kind === 'number' || l.kind === 'integer') { const v = readNumber($<HTMLInputElement>(id)); return Number.isFinite(v) ? v : null; }
  if (l.kind === 'boolean') return $<HTMLInputElement>(id).checked;
  if (l.kind === 'enum') return $<HTMLSelectElement>(id).value;
  return Array.from({ length: l.length ?? 0 }, (_, i) => { const v = readNumber($<HTMLInputElement>(leverId(l.path, i))); return Number.isFinite(v) ? v : null; });
}

export function setLever(l: LeverSpec, v: unknown): void {
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
export function markChanged(): void {
  const base = baselineLevers();
  const counts = new Map<string, number>();
  for (const l of S.cfg.levers) {
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
export function leversChanged(): void {
  markChanged();
  showSize();
  writeUrl();
}

/** What is wrong with x as a number in [min, max] (whole if `integer`); null if nothing. */
export function numberProblem(x: unknown, integer: boolean, min?: number, max?: number): string | null {
  if (typeof x !== 'number' || !Number.isFinite(x)) return S.lang === 'zh' ? '请输入数字' : 'a number is needed';
  if ((min !== undefined && x < min) || (max !== undefined && x > max)) return S.lang === 'zh' ? `应在 ${min}–${max} 之间` : `must be from ${min} to ${max}`;
  if (integer && !Number.isInteger(x)) return S.lang === 'zh' ? '应为整数' : 'must be a whole number';
  return null;
}

/** What is wrong with v as the value of lever l (from a control or a policy package); null if nothing. */
export function leverProblem(l: LeverSpec, v: unknown): string | null {
  if (l.kind === 'boolean') return typeof v === 'boolean' ? null : 'true / false';
  if (l.kind === 'enum') return l.values!.includes(v as string) ? null : l.values!.join(' / ');
  if (l.kind === 'array') {
    if (!Array.isArray(v) || v.length !== l.length) return S.lang === 'zh' ? `${l.length} 个数值` : `${l.length} numbers`;
    return v.map((x) => numberProblem(x, l.items === 'integer', l.min, l.max)).find((m) => m) ?? null;
  }
  return numberProblem(v, l.kind === 'integer', l.min, l.max);
}

/** Immediate feedback on a control; the server validates again on Run. */
export function checkLever(l: LeverSpec): boolean {
  const div = document.querySelector<HTMLElement>(`.lever[data-path="${l.path}"]`)!;
  const err = leverProblem(l, leverValue(l));
  div.classList.toggle('invalid', !!err);
  div.querySelector('.err')!.textContent = err ? `${t('invalid')}: ${err}` : '';
  return !err;
}

export function getLevers(): Record<string, unknown> {
  return Object.fromEntries(S.cfg.levers.map((l) => [l.path, leverValue(l)]));
}

/** A setting's allowed range; the reform year must be one of the years the run reports. */
export function settingRange(k: string): { min: number; max: number; step: number } {
  const s = S.cfg.settings[k]!;
  if (k !== 'reformYear') return s;
  const years = readNumber($<HTMLInputElement>('set-years'));
  const n = Number.isInteger(years) && years >= S.cfg.settings.years!.min ? years : S.cfg.settings.years!.default;
  const first = startYear();
  return { min: first, max: first + Math.min(n, S.cfg.settings.years!.max) - 1, step: 1 };
}

/** The first year the settings showed last (what an edit of the field moves the reform year from). */
let shownStart = NaN;

/** The first reported year of the page's settings (its default while the field holds no valid year). */
export function startYear(): number {
  const r = S.cfg.settings.startYear!;
  const el = document.getElementById('set-startYear') as HTMLInputElement | null;
  const v = el ? readNumber(el) : NaN;
  return Number.isInteger(v) && v >= r.min && v <= r.max ? v : r.default;
}

export function buildSettings(): void {
  const root = $('settings');
  root.innerHTML = SETTING_KEYS.map((k) => {
    const s = S.cfg.settings[k]!;
    return `<div class="setting" data-key="${k}"><label for="set-${k}">${esc(t(k))} <span class="muted" id="set-${k}-range">${s.min}–${s.max}</span></label><input type="number" id="set-${k}" min="${s.min}" max="${s.max}" step="${s.step === 1 ? 1 : 'any'}"><span class="err"></span></div>`;
  }).join('');
  // A new first year moves the reform year with it (same distance from the start); new years change its range.
  for (const k of SETTING_KEYS) $<HTMLInputElement>(`set-${k}`).addEventListener('input', () => {
    checkSetting(k);
    if (k === 'startYear') {
      const now = startYear(), reform = readNumber($<HTMLInputElement>('set-reformYear'));
      if (Number.isFinite(shownStart) && now !== shownStart && Number.isInteger(reform)) setNumberField($<HTMLInputElement>('set-reformYear'), reform + now - shownStart);
      shownStart = now;
    }
    if (k === 'years' || k === 'startYear') checkSetting('reformYear');
    leversChanged();
  });
  // Over the posterior: offered when the server has one.
  const p = S.cfg.posterior;
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
export function posteriorNote(): string {
  const p = S.cfg.posterior!;
  return S.lang === 'zh'
    ? `每 ${p.seedsPerParticle} 次重复抽取一个后验粒子(${p.file},${p.particles} 个粒子,${p.parameters.length} 个参数);区间包含参数的不确定性。重复次数须为 ${p.seedsPerParticle} 的倍数且至少 ${2 * p.seedsPerParticle}。`
    : `Every ${p.seedsPerParticle} replicates draw a particle of the posterior (${p.file}: ${p.particles} particles, ${p.parameters.length} parameters); the intervals carry the parameters' uncertainty. Replicates: a multiple of ${p.seedsPerParticle}, at least ${2 * p.seedsPerParticle}.`;
}

export function posteriorOn(): boolean {
  return !!(document.getElementById('set-posterior') as HTMLInputElement | null)?.checked;
}

export function checkSetting(k: string): void {
  const s = settingRange(k);
  $(`set-${k}-range`).textContent = `${s.min}–${s.max}`;
  const v = readNumber($<HTMLInputElement>(`set-${k}`));
  const div = document.querySelector<HTMLElement>(`.setting[data-key="${k}"]`)!;
  const bad = !Number.isFinite(v) || v < s.min || v > s.max || (s.step === 1 && !Number.isInteger(v));
  const m = S.cfg.posterior?.seedsPerParticle ?? 1;
  const badDraws = !bad && k === 'replicates' && posteriorOn() && (v % m !== 0 || v < 2 * m);
  div.classList.toggle('invalid', bad || badDraws);
  div.querySelector('.err')!.textContent = bad ? (S.lang === 'zh' ? `应在 ${s.min}–${s.max} 之间` : `must be from ${s.min} to ${s.max}`)
    : badDraws ? (S.lang === 'zh' ? `后验运行时应为 ${m} 的倍数且至少 ${2 * m}` : `over the posterior: a multiple of ${m}, at least ${2 * m}`) : '';
}

export function setSettings(v: Partial<Record<string, number>>): void {
  const box = document.getElementById('set-posterior') as HTMLInputElement | null;
  if (box && 'posterior' in v) box.checked = v.posterior === 1;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'posterior') continue;
    const el = document.getElementById(`set-${k}`) as HTMLInputElement | null;
    if (el && x !== undefined && x !== null) { setNumberField(el, x); checkSetting(k); }
  }
  // The reform year's range follows the years and the first year, which may have been set after it.
  if (document.getElementById('set-reformYear')) checkSetting('reformYear');
  shownStart = startYear();
}

export function getSettings(): Record<string, number | null> {
  const out: Record<string, number | null> = Object.fromEntries(SETTING_KEYS.map((k) => { const v = readNumber($<HTMLInputElement>(`set-${k}`)); return [k, Number.isFinite(v) ? v : null]; }));
  if (S.cfg.posterior) out.posterior = posteriorOn() ? 1 : 0;
  return out;
}

export function baselineLevers(): Record<string, unknown> {
  return S.cfg.presets.find((p) => p.name === 'baseline')?.levers ?? Object.fromEntries(S.cfg.levers.map((l) => [l.path, l.default]));
}

export function applyLevers(values: Record<string, unknown>): string[] {
  const unknown = Object.keys(values).filter((k) => !S.cfg.levers.some((l) => l.path === k));
  for (const l of S.cfg.levers) if (values[l.path] !== undefined) setLever(l, values[l.path]);
  return unknown;
}

// In Chinese, the shipped scenarios' names and descriptions in Chinese (a user's own scenario keeps its own).
export const presetName = (p: Preset) => (S.lang === 'zh' ? PRESETS_ZH[p.file]?.[0] : PRESETS_EN[p.file]) ?? titleOf(p.name);
export const presetText = (p: Preset) => (S.lang === 'zh' ? PRESETS_ZH[p.file]?.[1] : undefined) ?? p.description;

export function buildPresets(): void {
  const sel = $<HTMLSelectElement>('preset');
  const cur = sel.value;
  sel.innerHTML = S.cfg.presets.map((p) => `<option value="${esc(p.file)}" title="${esc(presetText(p))}">${esc(presetName(p))}</option>`).join('');
  if (cur) sel.value = cur;
  const show = () => { const p = S.cfg.presets.find((x) => x.file === sel.value); $('preset-description').textContent = p ? presetText(p) : ''; };
  sel.onchange = show;
  show();
}

export function loadPreset(): void {
  const p = S.cfg.presets.find((x) => x.file === $<HTMLSelectElement>('preset').value);
  if (!p) return;
  applyScenario(p);
  notice(`${t('loadedPreset')}: ${presetName(p)}${Object.keys(p.settings ?? {}).length ? ` (${t('presetSettings')}: ${settingsText(p.settings)})` : ''}`);
}

/** Settings in words: "World scale 0.5, Years 6, Burn-in years 40". */
export function settingsText(st: Record<string, number>): string {
  return Object.entries(st).filter(([k]) => SETTING_KEYS.includes(k as never)).map(([k, v]) => `${t(k)} ${fieldNumber(v)}`).join(', ');
}

/**
 * Applies a scenario (a preset or a loaded file): its levers, the settings it names (scale, years,
 * burn-in, replicates, seed, first reported year; kept within the page's ranges) and its first reform's year when that is a
 * reported year, else the default reform year.
 */
export function applyScenario(p: { levers: Record<string, unknown>; reformYear?: number; settings?: Record<string, number> }): void {
  applyLevers(p.levers);
  const named: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.settings ?? {})) {
    const r = S.cfg.settings[k];
    if (r && SETTING_KEYS.includes(k as never)) named[k] = Math.min(r.max, Math.max(r.min, v));
  }
  setSettings(named);
  const years = readNumber($<HTMLInputElement>('set-years'));
  const n = Number.isInteger(years) ? years : S.cfg.settings.years!.default;
  const first = startYear(), last = first + n - 1;
  setSettings({ reformYear: p.reformYear !== undefined && p.reformYear >= first && p.reformYear <= last ? p.reformYear : defaultReformYear(n) });
  leversChanged();
}

/** The reform year by default for `years` reported years from the page's first year (reform-year.ts, as the server's). */
export function defaultReformYear(years: number): number {
  return reformYearFrom(startYear(), years);
}

// ---------- policy packages ----------

export function savePolicy(): void {
  const pkg = { format: 'cadreflow-policy-package', version: 1, program: `cadreflow ${S.cfg.version}`, saved: new Date().toISOString(), levers: getLevers(), settings: getSettings() };
  download('policy-package.json', 'application/json', JSON.stringify(pkg, null, 2) + '\n');
}

export const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** What is wrong with a policy package's values, one line per lever or setting (empty: it can be applied). */
export function packageProblems(levers: Record<string, unknown>, settings: unknown): string[] {
  const out: string[] = [];
  for (const l of S.cfg.levers) {
    const p = l.path in levers ? leverProblem(l, levers[l.path]) : null;
    // The lever's name as the page shows it, and its path as the file has it.
    if (p) out.push(`${L(l.label)} (${l.path}): ${JSON.stringify(levers[l.path])}: ${p}`);
  }
  if (settings !== undefined) {
    if (!isObject(settings)) out.push(`settings: ${JSON.stringify(settings)}: ${S.lang === 'zh' ? '对象' : 'an object'}`);
    else for (const [k, v] of Object.entries(settings)) {
      const r = S.cfg.settings[k];
      if (v === null) continue; // saved from an empty field: not set
      const p = r ? numberProblem(v, r.step === 1, r.min, r.max) : S.lang === 'zh' ? '未知设置' : 'not a setting';
      if (p) out.push(`${r ? `${t(k)} (settings.${k})` : `settings.${k}`}: ${JSON.stringify(v)}: ${p}`);
    }
  }
  return out;
}

export async function loadPolicy(file: File): Promise<void> {
  try {
    const pkg = JSON.parse(await file.text());
    // A scenario file (as scenarios/*.json or "Download scenario" writes): the server reads its levers.
    if (isObject(pkg) && !('levers' in pkg) && pkg.format === undefined) return await loadScenarioFile(file.name, pkg);
    if (!isObject(pkg) || !isObject(pkg.levers)) throw new Error(S.lang === 'zh' ? '不是政策包(缺少 levers)' : 'not a policy package (no "levers")');
    // Nothing is applied unless everything can be: a bad package leaves the page as it was.
    const problems = packageProblems(pkg.levers, pkg.settings);
    if (problems.length) throw new Error(`\n${problems.join('\n')}`);
    const unknown = applyLevers(pkg.levers);
    if (isObject(pkg.settings)) setSettings(pkg.settings as Record<string, number>);
    leversChanged();
    if (unknown.length) banner(`${t('badInput')}: ${file.name}: ${S.lang === 'zh' ? '未知杠杆' : 'unknown levers'} ${unknown.join(', ')}`);
    else notice(`${t('loadedPackage')}: ${file.name}`);
  } catch (e) {
    banner(`${t('badInput')}: ${file.name}: ${(e as Error).message}`);
  }
}
export async function loadScenarioFile(name: string, raw: Record<string, unknown>): Promise<void> {
  const res = await fetch('/api/scenario/levers', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(raw) });
  if (!res.ok) throw new Error(`\n${await problemsOf(res)}`);
  const p = (await res.json()) as Preset;
  applyScenario(p);
  notice(`${t('loadedScenario')}: ${name}${Object.keys(p.settings ?? {}).length ? ` (${t('presetSettings')}: ${settingsText(p.settings)})` : ''}`);
}

/** The levers and settings as a scenario file for `cadreflow run` (the server writes it: the baseline with the levers as a reform). */
export async function downloadScenario(): Promise<void> {
  const res = await fetch('/api/scenario', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ levers: getLevers(), settings: getSettings() }) });
  if (!res.ok) { banner(`${t('badInput')}:\n${await problemsOf(res)}`); return; }
  download('workshop-scenario.json', 'application/json', JSON.stringify(await res.json(), null, 2) + '\n');
}

// ---------- the page's state in its URL ----------

/** The levers that differ from the baseline and every setting, as a query string: a link reproduces the policy. */
export function stateQuery(): string {
  const q = new URLSearchParams();
  const base = baselineLevers();
  for (const l of S.cfg.levers) {
    const v = leverValue(l);
    if (JSON.stringify(v) !== JSON.stringify(base[l.path])) q.set(l.path, Array.isArray(v) ? v.join(',') : String(v));
  }
  for (const [k, v] of Object.entries(getSettings())) if (v !== null) q.set(k, String(v));
  return q.toString();
}

export function writeUrl(): void {
  if (!S.urlReady) return;
  const q = stateQuery();
  history.replaceState(null, '', q ? `?${q}` : location.pathname);
  localStorage.setItem('cadreflow-state', q);
}

/** A link to this page with this policy, at an address others can open (the server's network address when opened locally). */
export function shareLink(): string {
  const local = /^(127\.|localhost$|\[::1\]$)/.test(location.hostname);
  const origin = local && S.cfg.urls?.length ? S.cfg.urls[0]!.replace(/\/$/, '') : location.origin;
  const q = stateQuery();
  return `${origin}/${q ? `?${q}` : ''}`;
}

/** Reads levers and settings from a query string; returns the problems (nothing is applied from a bad value). */
export function readState(query: string): string[] {
  const q = new URLSearchParams(query);
  const levers: Record<string, unknown> = {};
  const settings: Record<string, number> = {};
  const problems: string[] = [];
  for (const [k, text] of q) {
    const l = S.cfg.levers.find((x) => x.path === k);
    if (l) {
      const num = (x: string) => (x.trim() === '' ? NaN : Number(x));
      const v = l.kind === 'boolean' ? (text === 'true' ? true : text === 'false' ? false : text) : l.kind === 'enum' ? text : l.kind === 'array' ? text.split(',').map(num) : num(text);
      const p = leverProblem(l, v);
      if (p) problems.push(`${L(l.label)}: ${text}: ${p}`);
      else levers[k] = v;
    } else if (k in S.cfg.settings) {
      const r = S.cfg.settings[k]!;
      const v = Number(text);
      const p = numberProblem(v, r.step === 1, r.min, r.max);
      if (p) problems.push(`${t(k)}: ${text}: ${p}`);
      else settings[k] = v;
    } else problems.push(`${k}: ${S.lang === 'zh' ? '不是本页面的杠杆或设置' : 'not a lever or setting of this page'}`);
  }
  applyLevers(levers);
  setSettings(settings);
  return problems;
}
