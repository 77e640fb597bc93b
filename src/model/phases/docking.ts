/**
 * Docking modes (MODEL.md §7, verification): the model's behaviour replaced by
 * the fixed hazards of the analytic manpower models it must reproduce.
 *
 * - push (Bartholomew's Markov model, constant size): each cadre leaves with
 *   exitHazard[rank], else is promoted with promotionHazard[rank] into a vacant
 *   post of the next rank in its province; leavers are replaced by recruits
 *   into vacant entry posts. Posts must be plentiful so that vacancies never
 *   bind (world.initialFill well below 1).
 * - pull (White's vacancy chains): each cadre leaves with exitHazard[rank];
 *   vacancies are filled top rank first, from outside with probability
 *   externalHire[rank] (always at rank 0), else by a random cadre of the rank
 *   below in the province, whose post continues the chain.
 * Reads: ranks, posts, hazards. Writes: exits, moves (logged, as promotions),
 * recruits, chain tallies. Replaces exit, plan, apply and fill.
 */
import type { Sim } from '../sim.js';
import { streamKey, uniform } from '../../random/hash.js';
import { Stream } from '../../random/stream.js';
import { recruit } from '../population.js';
import { move } from './fill.js';
import { MT_PROMOTION, N_RANKS } from '../../world/constants.js';

/** Exits at the fixed hazards. */
export function dockingExit(sim: Sim): void {
  const s = sim.store;
  const h = sim.scenario.docking.exitHazard;
  const key = streamKey(sim.seed, 'docking.exit', sim.year);
  for (let c = 0; c < s.capacity; c++) {
    const post = s.post[c]!;
    if (post < 0) continue;
    if (uniform(key, s.key[c]!) < h[s.rank[c]!]!) {
      sim.occupant[post] = -1;
      s.release(c);
      sim.counters.quits++;
    }
  }
}

/** Vacant posts by (province, rank), as lists to draw from and remove. */
function vacanciesByProvinceRank(sim: Sim): number[][] {
  const w = sim.world;
  const lists: number[][] = Array.from({ length: w.provinces.length * N_RANKS }, () => []);
  for (let q = 0; q < w.nPosts; q++) if (sim.occupant[q]! < 0) lists[w.provinceIndex[w.postRegion[q]!]! * N_RANKS + w.postRank[q]!]!.push(q);
  return lists;
}

function takeRandom(list: number[], rng: Stream): number {
  const i = rng.int(list.length);
  const v = list[i]!;
  list[i] = list[list.length - 1]!;
  list.pop();
  return v;
}

/** Promotes c into open post q (the fill phase's move); returns the post it left. */
function promote(sim: Sim, c: number, q: number): number {
  const from = sim.store.post[c]!;
  move(sim, undefined, c, q, MT_PROMOTION);
  return from;
}

export function dockingPush(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  const before = s.count;
  dockingExit(sim);
  const exits = before - s.count;
  const ph = sim.scenario.docking.promotionHazard;
  const key = streamKey(sim.seed, 'docking.promote', sim.year);
  const rng = new Stream(sim.seed, 'docking.place', sim.year);
  const vac = vacanciesByProvinceRank(sim);
  // Decide promotions on the start-of-year ranks, then carry them out (one step per year).
  const promoted: number[] = [];
  for (let c = 0; c < s.capacity; c++) {
    if (s.post[c]! < 0 || s.rank[c]! >= N_RANKS - 1) continue;
    if (uniform(key, s.key[c]!) < ph[s.rank[c]!]!) promoted.push(c);
  }
  for (const c of promoted) {
    const list = vac[w.provinceIndex[s.region[c]!]! * N_RANKS + s.rank[c]! + 1]!;
    if (list.length === 0) throw new Error(`docking (push): no vacant post at rank ${s.rank[c]! + 1}; make posts plentiful (world.initialFill lower)`);
    const from = promote(sim, c, takeRandom(list, rng));
    vac[w.provinceIndex[w.postRegion[from]!]! * N_RANKS + w.postRank[from]!]!.push(from);
  }
  // Constant size: as many recruits as leavers, into random vacant entry posts.
  for (let i = 0; i < exits; i++) {
    const k = w.provinceIndex[w.provinces[0]!]! * N_RANKS; // entry posts of the first province first
    let list = vac[k]!;
    if (list.length === 0) list = vac.find((l, j) => j % N_RANKS === 0 && l.length > 0) ?? [];
    if (list.length === 0) throw new Error('docking (push): no vacant entry post for a recruit');
    recruit(sim, takeRandom(list, rng));
  }
}

export function dockingPull(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  dockingExit(sim);
  const hire = sim.scenario.docking.externalHire;
  const rng = new Stream(sim.seed, 'docking.pull', sim.year);
  // Cadres by (province, rank), drawn at random and removed when promoted.
  const pool: number[][] = Array.from({ length: w.provinces.length * N_RANKS }, () => []);
  for (let c = 0; c < s.capacity; c++) if (s.post[c]! >= 0) pool[w.provinceIndex[s.region[c]!]! * N_RANKS + s.rank[c]!]!.push(c);
  // Open posts by rank; each starts a chain.
  const queue: number[][] = Array.from({ length: N_RANKS }, () => []);
  const chainOf = new Map<number, number>();
  const chainRank: number[] = [];
  const chainLen: number[] = [];
  for (let q = 0; q < w.nPosts; q++) {
    if (sim.occupant[q]! >= 0) continue;
    chainOf.set(q, chainRank.length);
    chainRank.push(w.postRank[q]!);
    chainLen.push(0);
    queue[w.postRank[q]!]!.push(q);
  }
  for (let r = N_RANKS - 1; r >= 0; r--) {
    const qr = queue[r]!;
    for (let i = 0; i < qr.length; i++) {
      const q = qr[i]!;
      const k = chainOf.get(q)!;
      chainLen[k]!++;
      const below = r > 0 ? pool[w.provinceIndex[w.postRegion[q]!]! * N_RANKS + r - 1]! : [];
      if (r === 0 || rng.next() < hire[r]! || below.length === 0) {
        recruit(sim, q);
        sim.counters.chainsDone[chainRank[k]!]!++;
        sim.counters.chainsLen[chainRank[k]!]! += chainLen[k]!;
      } else {
        const c = takeRandom(below, rng);
        const from = promote(sim, c, q);
        chainOf.set(from, k);
        queue[r - 1]!.push(from);
      }
    }
  }
}
