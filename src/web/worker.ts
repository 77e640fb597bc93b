/**
 * Worker-thread entry of the workshop server (piscina): runs a group of
 * replicates of one arm (policy or baseline) in lockstep, a year at a time,
 * and posts every reported year to the server through a MessagePort — the
 * metrics, the region metrics of the map and the year's flows — so the page's
 * charts grow year by year with all replicates at once.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Scenario } from '../scenario/schema.js';
import { buildWorld, type World } from '../world/world.js';
import { MOVE_TYPES } from '../world/constants.js';
import { YearStepper } from '../model/simulate.js';
import { postsPerRegion, regionYear } from '../report/regions.js';
import { emptyFlows, flowCounter } from '../report/flows.js';

export interface WebTask {
  arm: number;
  scenario: Scenario;
  /** Over a posterior: each replicate's scenario (the arm's with its particle's values; same world). */
  scenarios?: Scenario[];
  seeds: number[];
  replicates: number[];
  port: MessagePort;
  /** Testing aid: replicates of this arm that fail at the given year. */
  failAt?: { replicate: number; year: number };
}

export type WorkerMessage =
  | { type: 'progress'; arm: number; year: number }
  | { type: 'end'; arm: number }
  | { type: 'year'; arm: number; replicate: number; year: number; metrics: (number | null)[]; regions: Record<string, (number | null)[]>; flows: { tierMatrix: number[]; typeDir: number[] } };

const worlds = new Map<string, World>();
function worldFor(s: Scenario): World {
  const key = JSON.stringify(s.world);
  let w = worlds.get(key);
  if (!w) {
    if (worlds.size > 2) worlds.clear();
    w = buildWorld(s.world);
    worlds.set(key, w);
  }
  return w;
}

const json = (xs: ArrayLike<number>): (number | null)[] => Array.from(xs, (x) => (Number.isFinite(x) ? x : null));

export default function task(t: WebTask): { arm: number; replicates: number[] } {
  const world = worldFor(t.scenario);
  const posts = postsPerRegion(world);
  const { tiers, count } = flowCounter(world);
  const runs = t.seeds.map((seed, i) => new YearStepper(t.scenarios?.[i] ?? t.scenario, seed, world));
  {
    while (!runs[0]!.done) {
      let year = 0;
      runs.forEach((run, i) => {
        const r = run.step();
        year = r.year;
        if (t.failAt && t.failAt.replicate === t.replicates[i] && t.failAt.year === r.year) throw new Error(`injected failure in replicate ${t.replicates[i]} in ${r.year}`);
        if (!r.metrics) return;
        const sim = run.sim;
        const f = emptyFlows(tiers);
        const log = sim.log;
        for (let k = 0; k < log.n; k++) count(f, MOVE_TYPES[log.type[k]!]!, log.fromPost[k]!, log.toPost[k]!, log.fromRegion[k]!, log.toRegion[k]!, log.fromRank[k]!, log.toRank[k]!);
        const regions = regionYear(sim, posts);
        const msg: WorkerMessage = {
          type: 'year', arm: t.arm, replicate: t.replicates[i]!, year: r.year, metrics: json(r.metrics),
          regions: Object.fromEntries(Object.entries(regions).map(([k, v]) => [k, json(v)])),
          flows: { tierMatrix: f.tierMatrix, typeDir: f.typeDir },
        };
        t.port.postMessage(msg);
      });
      if (year < t.scenario.startYear) t.port.postMessage({ type: 'progress', arm: t.arm, year } satisfies WorkerMessage);
    }
  }
  // The server waits for this message: messages on the port and the task's result travel on different channels.
  t.port.postMessage({ type: 'end', arm: t.arm } satisfies WorkerMessage);
  return { arm: t.arm, replicates: t.replicates };
}
