/**
 * One run packed for transfer between threads: the metrics of every reported
 * year in one Float64Array (years × metrics), so the main thread receives a
 * buffer, not objects.
 */
import type { Scenario } from '../scenario/schema.js';
import { simulate } from '../model/simulate.js';
import { buildWorld, type World } from '../world/world.js';
import { closeSync, openSync, writeSync } from 'node:fs';

export interface RunTask {
  scenario: Scenario;
  seed: number;
  check?: boolean;
  events?: boolean;
  /** Write the run's career records (spells rows, no header) to this file (run --spells). */
  spells?: string;
  /** Design point and replicate, for messages and for fault injection in tests. */
  point?: number;
  replicate?: number;
}

export interface PackedResult {
  seed: number;
  years: number[];
  /** years.length × METRIC_NAMES.length values, year-major. */
  metrics: Float64Array;
  events?: string[];
  phaseSeconds: Record<string, number>;
  cadres: number;
  posts: number;
}

const worlds = new Map<string, World>();

function worldFor(s: Scenario): World {
  const key = JSON.stringify(s.world);
  let w = worlds.get(key);
  if (!w) {
    if (worlds.size > 4) worlds.clear();
    w = buildWorld(s.world);
    worlds.set(key, w);
  }
  return w;
}

/**
 * Testing aid: CADREFLOW_INJECT_FAILURE="point/replicate,…" makes those runs
 * throw, so that the handling of failed runs can be tested end to end; an
 * entry ending in `!` ("point/replicate!") ends the process running it
 * instead (a worker process that dies, CADREFLOW_WORKERS=processes).
 */
function injectedFailure(opts: { point?: number; replicate?: number }): void {
  const spec = process.env.CADREFLOW_INJECT_FAILURE;
  if (!spec || opts.point === undefined) return;
  const at = `${opts.point}/${opts.replicate}`;
  const list = spec.split(',');
  if (list.includes(at)) throw new Error(`injected failure at point ${opts.point}, replicate ${opts.replicate}`);
  if (list.includes(`${at}!`)) process.exit(3);
}

export function runOne(scenario: Scenario, seed: number, opts: { check?: boolean; events?: boolean; spells?: string; point?: number; replicate?: number } = {}): PackedResult {
  injectedFailure(opts);
  const fd = opts.spells === undefined ? -1 : openSync(opts.spells, 'w');
  let r;
  try {
    const spells = fd < 0 ? undefined : { replicate: opts.replicate ?? 0, sink: (chunk: Uint8Array) => void writeSync(fd, chunk) };
    r = simulate(scenario, seed, { check: opts.check, events: opts.events, world: worldFor(scenario), spells });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  const m = r.metrics[0]?.length ?? 0;
  const metrics = new Float64Array(r.years.length * m);
  r.metrics.forEach((row, i) => metrics.set(row, i * m));
  return { seed: r.seed, years: r.years, metrics, events: r.events, phaseSeconds: r.phaseSeconds, cadres: r.cadres, posts: r.posts };
}
