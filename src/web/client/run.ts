/**
 * The workshop page's run: its size before it starts, posting it, reading the
 * server-sent events into the run's data, the status line and progress bar,
 * and the aggregates over replicates (a metric's mean and 95% CI, the paired
 * change against the baseline, over a posterior's draws when there is one).
 */
import { groupMeans, meanCI, type MeanCI } from '../../report/ci.js';
import { bigNumber, duration } from '../words.js';
import { S, $, t, ARMS, banner, notice, problemsOf, type Config, type RunData, type StartEvent, type YearEvent } from './state.js';
import { getLevers, getSettings } from './levers.js';
import { renderAll } from './charts.js';

let runToken = 0;
/** The latest Run request; it becomes runToken (the run the page follows) only when the server accepts it. */
let requestSeq = 0;

/**
 * The participant: an id kept in localStorage, so that a reload, or another tab of the same browser,
 * is the same participant (one run at a time; the trainer's view shows one row per browser).
 * crypto.getRandomValues, not randomUUID: a page opened at http://192.168.x.y is not a secure context.
 */
export function participantId(): string {
  let id = localStorage.getItem('cadreflow-participant');
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem('cadreflow-participant', id);
  }
  return id;
}
// ---------- the run ----------

/** The size of a run in cadre-years (as the server counts it) and its seconds at the server's speed; null while a setting is invalid. */
export function runSize(): { cadreYears: number; seconds: number } | null {
  const st = getSettings();
  const { scale, years, burnIn, replicates } = st;
  if ([scale, years, burnIn, replicates].some((x) => x === null || x === undefined)) return null;
  const cy = Math.round(S.cfg.postsPerScale * scale!) * (burnIn! + years!) * replicates! * 2;
  return { cadreYears: cy, seconds: cy / (S.cfg.throughput * Math.max(1, Math.min(S.cfg.threads, 2 * replicates!))) };
}

/** Under Run: the run's size and time, a warning when it is slow, a refusal when it is over the server's cap. */
export function showSize(): void {
  const el = document.getElementById('size');
  if (!el || !S.cfg) return;
  const z = runSize();
  if (!z) { el.textContent = ''; el.className = ''; return; }
  const over = z.cadreYears > S.cfg.maxCadreYears;
  const fill = (key: string) => t(key).replace('{n}', bigNumber(z.cadreYears, S.lang)).replace('{t}', duration(z.seconds, S.lang)).replace('{max}', bigNumber(S.cfg.maxCadreYears, S.lang));
  el.textContent = over ? fill('runTooLarge') : fill('runSize') + (z.seconds > 60 ? t('runSlow') : '');
  el.className = over ? 'over' : z.seconds > 60 ? 'slow' : '';
  el.dataset.cadreYears = String(z.cadreYears);
  el.dataset.over = over ? '1' : '0';
}

export async function startRun(): Promise<void> {
  banner(null);
  const token = ++requestSeq;
  const wasRunning = S.data?.state === 'running';
  const z = runSize();
  if (z && z.cadreYears > S.cfg.maxCadreYears) {
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
      if (wasRunning && S.data?.state === 'running') setStatus(t('running'), 'running');
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
    if (S.data && S.data.state === 'running') S.data.state = 'lost';
    waiting = false;
    setStatus(t('connectionLost'), 'failed');
    banner(t('connectionLost'));
    document.body.dataset.state = 'lost';
  }
}

/** The page's run is waiting in the server's queue (no start event yet). */
let waiting = false;

export function showQueued(ev: { ahead: number; running: number; waitSeconds: number; runSeconds: number }): void {
  const ahead = ev.ahead === 0 ? t('nextInLine') : ev.ahead === 1 ? t('runAhead') : t('runsAhead').replace('{n}', String(ev.ahead));
  const eta = t('waitAbout').replace('{w}', duration(ev.waitSeconds, S.lang)).replace('{r}', duration(ev.runSeconds, S.lang));
  const s = `${t('queued')} — ${ahead} · ${eta}`;
  setStatus(s, 'waiting');
  $<HTMLProgressElement>('progress').value = 0;
  $('status').dataset.ahead = String(ev.ahead);
  document.body.dataset.state = 'waiting';
}

/** The status line of a finished run: replicates, years and seconds. */
export function showDone(d: RunData): void {
  const n = d.start.replicates, ys = d.start.years;
  const reps = S.lang === 'en' && n === 1 ? 'replicate' : t('replicatesNote');
  const p = d.start.posterior;
  const over = p ? (S.lang === 'zh' ? `,${n / p.seedsPerParticle} 个后验粒子 × ${p.seedsPerParticle} 个随机种子` : ` (${n / p.seedsPerParticle} particles of the posterior × ${p.seedsPerParticle} seeds)`) : '';
  setStatus(`${t('done')} — ${n} ${reps}${over}, ${ys[0]}–${ys[ys.length - 1]}, ${(d.seconds ?? 0).toFixed(1)} s`, 'done');
}

export function onEvent(token: number, name: string, ev: any): void {
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
    S.data = { start: s, metrics: arr(), regions: arr(), flows: arr(), complete: [0, 0], state: 'running' };
    if (s.cancelledPrevious) notice(t('cancelled'));
    S.sliderFollows = true;
    const sl = $<HTMLInputElement>('year-slider');
    sl.max = String(s.years.length - 1);
    sl.value = '0';
    setStatus(`${t('running')} ${t('burnInProgress')}`, 'running');
    renderAll();
  } else if (name === 'progress' && S.data) {
    S.data.burnInYear = Math.max(S.data.burnInYear ?? -Infinity, ev.year);
    updateProgress();
  } else if (name === 'year' && S.data) {
    const y = ev as YearEvent;
    const k = y.year - S.data.start.startYear;
    const nan = (xs: (number | null)[]) => xs.map((x) => (x === null ? NaN : x));
    S.data.metrics[y.arm]![y.replicate]![k] = nan(y.metrics);
    S.data.regions[y.arm]![y.replicate]![k] = Object.fromEntries(Object.entries(y.regions).map(([m, v]) => [m, nan(v)]));
    S.data.flows[y.arm]![y.replicate]![k] = y.flows;
    const before = Math.min(...S.data.complete);
    for (const arm of [0, 1]) {
      let c = S.data.complete[arm]!;
      while (c < S.data.start.years.length && S.data.metrics[arm]!.every((rep) => rep[c] !== undefined)) c++;
      S.data.complete[arm] = c;
    }
    if (Math.min(...S.data.complete) > before) scheduleRender();
    updateProgress();
  } else if (name === 'done' && S.data) {
    S.data.state = 'done';
    S.data.seconds = ev.seconds;
    // The server's speed, as measured from its finished runs, for the next estimates.
    void fetch('/api/config').then((r) => r.json()).then((c: Config) => { S.cfg.throughput = c.throughput; showSize(); }).catch(() => undefined);
    showDone(S.data);
    $<HTMLProgressElement>('progress').value = 1;
    renderAll();
  } else if (name === 'error') {
    waiting = false;
    if (S.data) S.data.state = 'failed';
    setStatus(t('failed'), 'failed');
    banner(`${t('failed')}: ${ev.message}`);
  } else if (name === 'cancelled') {
    waiting = false;
    if (S.data) S.data.state = 'cancelled';
    // Only the participant's own newer run (from another tab of this browser) or the server stopping cancel a run.
    const why = ev?.reason === 'stopping' ? t('serverStopped') : t('replacedByOwn');
    setStatus(why, 'failed');
    if (ev?.reason === 'stopping') banner(why);
    else notice(why);
    document.body.dataset.state = 'cancelled';
  }
}

export function setStatus(text: string, cls: string): void {
  const s = $('status');
  s.textContent = text;
  s.className = cls;
  s.dataset.state = cls;
}

export function updateProgress(): void {
  if (!S.data || S.data.state !== 'running') return;
  const s = S.data.start;
  const total = s.burnIn + s.years.length;
  const burn = S.data.burnInYear === undefined ? 0 : S.data.burnInYear - s.firstYear + 1;
  const done = Math.min(...S.data.complete) > 0 ? s.burnIn + Math.min(...S.data.complete) : Math.min(burn, s.burnIn);
  $<HTMLProgressElement>('progress').value = total ? done / total : 0;
  const c = Math.min(...S.data.complete);
  setStatus(c > 0 ? `${t('running')} ${s.years[c - 1]} / ${s.years[s.years.length - 1]}` : `${t('running')} ${t('burnInProgress')} ${Math.max(0, burn)}/${s.burnIn}`, 'running');
}

let renderPending = false;
export function scheduleRender(): void {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderAll(); });
}

// ---------- aggregates ----------

export function yearsComplete(): number {
  return S.data ? Math.min(...S.data.complete) : 0;
}

/**
 * Over a posterior the replicates of one drawn particle are not independent: the interval is that
 * of the draws' means (as summary.csv's of `run --posterior`, experiment/stats.ts), and so wider.
 * The sd stays that of the replicates.
 */
export function overDraws(values: number[], unitRange = false): MeanCI {
  const c = meanCI(values, unitRange);
  const p = S.data?.start.posterior;
  if (!p) return c;
  const g = meanCI(groupMeans(values, values.map((_, k) => Math.floor(k / p.seedsPerParticle))), unitRange);
  return { ...c, mean: g.mean, low: g.low, high: g.high };
}
export function metricCI(arm: number, j: number, k: number) {
  return overDraws(S.data!.metrics[arm]!.map((rep) => rep[k]?.[j] ?? NaN), S.cfg.unitRange.includes(S.cfg.metrics[j]!));
}
/** Paired differences policy − baseline: Student's t (they may rightly be negative). */
export function diffCI(j: number, k: number) {
  return overDraws(S.data!.metrics[0]!.map((rep, r) => (rep[k]?.[j] ?? NaN) - (S.data!.metrics[1]![r]![k]?.[j] ?? NaN)));
}

export function selectedYearIndex(): number {
  const c = yearsComplete();
  if (c === 0) return -1;
  const v = Number($<HTMLInputElement>('year-slider').value);
  return Math.min(v, c - 1);
}
