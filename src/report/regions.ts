/**
 * Metrics by region for the maps: stagnation (share of a region's leading
 * cadres, rank ≥ 1, with yearsInPost ≥ stagnationYears, as stagnation_share of MODEL.md §5),
 * vacancy rate, net inflow of reverse moves and inflow of exchange moves
 * (both per 100 posts of the region), and mean local ties.
 *
 * From a run's state after a year's record phase (the page), or — for the
 * flows only — from events.csv (the report, which has no state). Moves are
 * counted as in src/metrics/tally.ts: returns from secondment and promotions
 * in place are left out; a reverse move goes to a region of lower wageIndex.
 */
import type { Sim } from '../model/sim.js';
import { regionSpecs, type World } from '../world/world.js';
import type { WorldConfig } from '../scenario/schema.js';
import { MT_RETURN } from '../world/constants.js';
import { eachEvent } from './flows.js';

export const REGION_METRICS = ['stagnation', 'vacancy', 'netReverse', 'inflow', 'ties'] as const;
export type RegionMetric = (typeof REGION_METRICS)[number];
export type RegionValues = Record<RegionMetric, number[]>;

/** Region names for display: Chinese as in the world, English (pinyin) where the preset has it. */
export function regionNames(cfg: WorldConfig, w: World): { zh: string[]; en: string[] } {
  const en = new Map<string, string>();
  try {
    for (const r of regionSpecs(cfg)) if (r.nameEn) en.set(r.code, r.nameEn);
  } catch {
    /* names only */
  }
  return { zh: [...w.name], en: w.name.map((n, g) => en.get(w.code[g]!) ?? n) };
}

export function postsPerRegion(w: World): Float64Array {
  const n = new Float64Array(w.nRegions);
  for (let q = 0; q < w.nPosts; q++) n[w.postRegion[q]!]!++;
  return n;
}

function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(6)) : NaN;
}

/** The region metrics of the year just recorded (call after record, before the next year clears the move log). */
export function regionYear(sim: Sim, posts: Float64Array): RegionValues {
  const w = sim.world;
  const s = sim.store;
  const n = w.nRegions;
  const stagYears = sim.scenario.outputs.stagnationYears;
  const cadres = new Float64Array(n), leading = new Float64Array(n), stagnant = new Float64Array(n), ties = new Float64Array(n), vacant = new Float64Array(n);
  const revIn = new Float64Array(n), revOut = new Float64Array(n), inflow = new Float64Array(n);
  for (let c = 0; c < s.capacity; c++) {
    const p = s.post[c]!;
    if (p < 0) continue;
    const g = w.postRegion[p]!;
    cadres[g]!++;
    if (s.rank[c]! > 0) {
      leading[g]!++;
      if (s.yearsInPost[c]! >= stagYears) stagnant[g]!++;
    }
    ties[g]! += s.ties[c]!;
  }
  for (let q = 0; q < w.nPosts; q++) if (sim.occupant[q]! < 0) vacant[w.postRegion[q]!]!++;
  const log = sim.log;
  for (let i = 0; i < log.n; i++) {
    if (log.type[i] === MT_RETURN) continue;
    const from = log.fromPost[i]!, to = log.toPost[i]!;
    if (log.toRank[i]! > log.fromRank[i]! && w.postUnit[from] === w.postUnit[to]) continue;
    const gf = log.fromRegion[i]!, gt = log.toRegion[i]!;
    if (gf === gt) continue;
    inflow[gt]!++;
    if (w.wageIndex[gt]! < w.wageIndex[gf]! - 1e-9) { revIn[gt]!++; revOut[gf]!++; }
  }
  const out: RegionValues = { stagnation: [], vacancy: [], netReverse: [], inflow: [], ties: [] };
  for (let g = 0; g < n; g++) {
    out.stagnation.push(round(leading[g]! > 0 ? stagnant[g]! / leading[g]! : NaN));
    out.vacancy.push(round(posts[g]! > 0 ? vacant[g]! / posts[g]! : NaN));
    out.netReverse.push(round(posts[g]! > 0 ? (100 * (revIn[g]! - revOut[g]!)) / posts[g]! : NaN));
    out.inflow.push(round(posts[g]! > 0 ? (100 * inflow[g]!) / posts[g]! : NaN));
    out.ties.push(round(cadres[g]! > 0 ? ties[g]! / cadres[g]! : NaN));
  }
  return out;
}

/**
 * Net reverse inflow and exchange inflow by region from events.csv, per 100
 * posts and per year, averaged over the replicate-years present.
 */
export function regionFlowsFromEvents(text: string, w: World): { netReverse: number[]; inflow: number[]; runYears: number } {
  const posts = postsPerRegion(w);
  const n = w.nRegions;
  const revIn = new Float64Array(n), revOut = new Float64Array(n), inflow = new Float64Array(n);
  const runYears = eachEvent(text, w.code, (type, from, to, gf, gt, fk, tk) => {
    if (type === 'return') return;
    if (tk > fk && w.postUnit[from] === w.postUnit[to]) return;
    if (gf === gt) return;
    inflow[gt]!++;
    if (w.wageIndex[gt]! < w.wageIndex[gf]! - 1e-9) { revIn[gt]!++; revOut[gf]!++; }
  });
  const per = Math.max(1, runYears);
  const netReverse: number[] = [], inf: number[] = [];
  for (let g = 0; g < n; g++) {
    netReverse.push(posts[g]! > 0 ? (100 * (revIn[g]! - revOut[g]!)) / posts[g]! / per : NaN);
    inf.push(posts[g]! > 0 ? (100 * inflow[g]!) / posts[g]! / per : NaN);
  }
  return { netReverse, inflow: inf, runYears };
}
