/**
 * The workshop page's shared part: the types of the API (/api/config and the
 * run's events), the state every view reads (configuration, language, the
 * run's data) in one object, the helpers $, t, L and esc, the banner and the
 * notice, the problems of a refused request in words, and file downloads.
 */
import { ui, type Lang } from '../../report/i18n.js';
import { problemText, type Problem } from '../words.js';

// ---------- types of the API ----------

export interface LeverSpec {
  path: string; group: string; label: [string, string]; kind: 'number' | 'integer' | 'boolean' | 'enum' | 'array';
  min?: number; max?: number; items?: 'number' | 'integer'; length?: number; values?: string[]; unit: string; description: string; default: unknown;
}
export interface Region { code: string; name: string; nameEn: string; level: number; x: number; y: number; wageIndex: number; hardship: number; tier: number }
export interface Config {
  version: string; levers: LeverSpec[]; groups: { id: string; label: [string, string]; note: [string, string] }[];
  settings: Record<string, { min: number; max: number; default: number; step: number }>;
  presets: { file: string; name: string; description: string; levers: Record<string, unknown>; reformYear?: number; settings: Record<string, number> }[];
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
export interface StartEvent { runId: number; cancelledPrevious: boolean; tasks?: number; cadreYears?: number; replicates: number; seeds: number[]; years: number[]; startYear: number; burnIn: number; firstYear: number; reformYear: number; settings: Record<string, number>; posterior?: { file: string; seedsPerParticle: number; particles: number[] } }
export interface YearEvent { arm: number; replicate: number; year: number; metrics: (number | null)[]; regions: Record<string, (number | null)[]>; flows: { tierMatrix: number[]; typeDir: number[] } }

export interface RunData {
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

/** One entry of Config's presets (a shipped scenario or the server's own). */
export type Preset = Config['presets'][number];

export const ARMS = ['policy', 'baseline'] as const;
/**
 * The page's shared state, read and written through this object by every module of the page
 * (an imported binding cannot be assigned): the server's configuration, the language, the run
 * the page follows, presentation mode, whether the year slider follows the latest year, and
 * whether the page's URL follows the controls (not before the link's state has been read).
 */
export const S = {
  cfg: undefined as unknown as Config,
  lang: 'zh' as Lang,
  data: undefined as RunData | undefined,
  /** Present: the presentation mode (larger text on the page and in the charts). */
  present: false,
  sliderFollows: true,
  urlReady: false,
};

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
export const t = (key: string) => ui(key, S.lang);
export const L = (p: [string, string]) => (S.lang === 'zh' ? p[0] : p[1]);
export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// ---------- messages ----------

export function banner(text: string | null): void {
  const b = $('banner');
  if (!text) { b.hidden = true; b.textContent = ''; return; }
  b.innerHTML = `<button type="button" aria-label="close">×</button>`;
  b.append(document.createTextNode(text));
  b.querySelector('button')!.addEventListener('click', () => banner(null));
  b.hidden = false;
}
export function notice(text: string | null): void {
  const b = $('notice');
  if (!text) { b.hidden = true; b.textContent = ''; return; }
  b.innerHTML = `<button type="button" aria-label="close">×</button>`;
  b.append(document.createTextNode(text));
  b.querySelector('button')!.addEventListener('click', () => notice(null));
  b.hidden = false;
}

/** The problems of a 400 answer in the page's language, one a line. */
export async function problemsOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string; problems?: Problem[] };
    if (body.problems?.length) return body.problems.map((p) => problemText(p, S.lang)).join('\n');
    return body.error ?? `${res.status} ${res.statusText}`;
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

/** Saves content as a file of the browser's downloads. */
export function download(name: string, type: string, content: string | Blob): void {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
