/** `cadreflow discover DIR`: scenario discovery (PRIM) on a finished sweep or optimize directory; README "Scenario discovery". */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, inputError } from '../scenario/errors.js';
import { parseCondition } from '../analysis/discover-cases.js';
import { discover, discoveryText, writeDiscovery, type DiscoverOptions } from '../analysis/discover.js';
import { intOption } from './options.js';

export interface DiscoverCliOptions {
  where?: string[];
  year?: string;
  window?: string;
  versus?: string;
  cases?: string;
  posterior?: string;
  threshold?: string;
  boxStep?: string;
  boxes?: string;
  alpha?: string;
  pasteAlpha?: string;
  minMass?: string;
  paste?: boolean;
  out?: string;
  force?: boolean;
  quiet?: boolean;
}

/** A number option in (min, max) or [min, max]. */
function numberOption(flag: string, value: string | undefined, min: number, max: number, open: boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const x = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
  const ok = Number.isFinite(x) && (open ? x > min && x < max : x >= min && x <= max);
  if (!ok) throw inputError(flag, value, what);
  return x;
}

export function discoverOptions(o: DiscoverCliOptions): DiscoverOptions {
  const where = (o.where ?? []).map(parseCondition);
  if (!where.length) throw inputError('--where', undefined, 'a condition on a metric, e.g. --where "stagnation_share < 0.15" (several --where must all hold)');
  let window: [number, number] | undefined;
  if (o.window !== undefined) {
    const m = /^\s*(\d{1,4})\s*[:–-]\s*(\d{1,4})\s*$/.exec(o.window);
    if (!m) throw inputError('--window', o.window, 'FROM:TO, two reported years, e.g. 2045:2050');
    window = [Number(m[1]), Number(m[2])];
  }
  let versus: number | undefined;
  if (o.versus !== undefined) {
    const m = /^\s*(?:point\s*=\s*)?(\d+)\s*$/.exec(o.versus);
    if (!m) throw inputError('--versus', o.versus, 'a design point of the sweep, as 3 or point=3 (its number in points.csv)');
    versus = Number(m[1]);
  }
  if (o.cases !== undefined && o.cases !== 'replicates' && o.cases !== 'points') throw inputError('--cases', o.cases, 'replicates (one case per run: point × replicate) or points (one per design point, the mean over its replicates)');
  let boxSteps: number[] | undefined;
  if (o.boxStep !== undefined) {
    const parts = o.boxStep.split(',');
    if (!parts.every((p) => /^\s*\d+\s*$/.test(p))) throw inputError('--box-step', o.boxStep, 'steps of the peeling trajectories, whole numbers from 0, for box 1 (and 2, … comma-separated)');
    boxSteps = parts.map(Number);
  }
  return {
    where,
    year: intOption('--year', o.year, 0, 9999),
    window,
    versus,
    cases: o.cases as DiscoverOptions['cases'],
    posterior: o.posterior,
    threshold: numberOption('--threshold', o.threshold, 0, 1, false, 'a density from 0 to 1: the chosen step is the one of largest coverage whose density reaches it'),
    boxSteps,
    maxBoxes: intOption('--boxes', o.boxes, 1, 100),
    alpha: numberOption('--alpha', o.alpha, 0, 0.5, true, 'a share of the box peeled at each step, above 0 and below 0.5 (default 0.05)'),
    pasteAlpha: numberOption('--paste-alpha', o.pasteAlpha, 0, 0.5, true, 'a share of the strip beyond a face pasted at each step, above 0 and below 0.5 (default 0.05)'),
    minMass: numberOption('--min-mass', o.minMass, 0, 1, true, 'the smallest share of all cases a box may hold, above 0 and below 1 (default 0.05)'),
    paste: o.paste,
    out: o.out,
    force: !!o.force,
  };
}

function isUnfinished(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).complete === false;
  } catch {
    return false; // discover says what is wrong with it
  }
}

export async function discoverCommand(dir: string, o: DiscoverCliOptions): Promise<void> {
  const opts = discoverOptions(o);
  // The sweep's own message for an unfinished sweep, with the command that continues it (report.js loads the chart library: only then).
  const partial = isUnfinished(dir) ? (await import('./report.js')).unfinished(dir) : undefined;
  if (partial) throw new InputError([{ path: '<DIR>', value: dir, allowed: 'complete results', message: `${partial.text}; discovery needs every run${partial.resume ? `: continue it with ${partial.resume}` : ''}` }]);
  const d = discover(dir, opts);
  const out = await writeDiscovery(d, opts);
  if (!o.quiet) {
    const where = path.relative(process.cwd(), out) || '.';
    process.stdout.write(`${discoveryText(d)}\n\nboxes.csv, trajectory.csv, cases.csv and report.html in ${where}\n`);
  }
}
