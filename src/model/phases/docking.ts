/**
 * Docking modes (MODEL.md §7, verification): the model's behaviour replaced by
 * the fixed hazards of the analytic manpower models it must reproduce.
 *
 * - push (Bartholomew's Markov model, constant size): each cadre leaves with
 *   exitHazard[rank], else is promoted with promotionHazard[rank] into a vacant
 *   post of the next rank in its province; leavers are replaced by recruits
 *   into vacant entry posts. Posts must be plentiful so that vacancies never
 *   bind (world.initialFill well below 1).
 * - pull (vacancy chains, White 1970, "Chains of Opportunity"): each cadre
 *   leaves with exitHazard[rank]; every open post starts a chain. A vacancy at
 *   rank i is filled by a random cadre of rank j of its province with
 *   probability Q[i][j], whose post carries the chain on, or from outside with
 *   probability 1 − Σ_j Q[i][j], which ends it. Q is docking.vacancyMatrix
 *   (any rank to any rank, lateral moves included) or, without it, the
 *   one-rank-down chains of externalHire: Q[i][i−1] = 1 − externalHire[i].
 *   A chain's length (one per vacancy it carries: each move into it and the
 *   closing hire) then has mean (I − Q)⁻¹·1 by starting rank, the row sums of
 *   the fundamental matrix of the absorbing Markov chain (Kemeny & Snell
 *   1960, Finite Markov Chains, ch. III).
 * Reads: ranks, posts, hazards. Writes: exits, moves (logged, as promotions
 * when the rank rises, otherwise as voluntary moves), recruits, chain
 * tallies. Replaces exit, plan, apply and fill.
 */
import type { Sim } from '../sim.js';
import { streamKey, uniform } from '../../random/hash.js';
import { Stream } from '../../random/stream.js';
import { recruit } from '../population.js';
import { move } from './fill.js';
import { EXIT_QUIT, MT_PROMOTION, MT_VOLUNTARY, N_RANKS } from '../../world/constants.js';
import type { Scenario } from '../../scenario/schema.js';

/** Exits at the fixed hazards. */
export function dockingExit(sim: Sim): void {
  const s = sim.store;
  const h = sim.scenario.docking.exitHazard;
  const key = streamKey(sim.seed, 'docking.exit', sim.year);
  for (let c = 0; c < s.capacity; c++) {
    const post = s.post[c]!;
    if (post < 0) continue;
    if (uniform(key, s.key[c]!) < h[s.rank[c]!]!) {
      sim.exitLog?.push(s.id[c]!, EXIT_QUIT);
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

/** Moves c into open post q (the fill phase's move, a promotion when the rank rises); returns the post it left. */
function moveInto(sim: Sim, c: number, q: number): number {
  const from = sim.store.post[c]!;
  move(sim, undefined, c, q, sim.world.postRank[q]! > sim.store.rank[c]! ? MT_PROMOTION : MT_VOLUNTARY);
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
    const from = moveInto(sim, c, takeRandom(list, rng));
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

/**
 * The vacancy transition matrix Q of pull mode and each rank's chance of an
 * outside hire, 1 − Σ_j Q[i][j]: docking.vacancyMatrix, or the one-rank-down
 * chains of externalHire (rank 0 always hires from outside), whose hire
 * chances are taken as given rather than recomputed from Q (1 − (1 − x) need
 * not be x in floating point).
 */
export function vacancyChains(docking: Scenario['docking']): { Q: number[][]; hire: number[] } {
  const m = docking.vacancyMatrix;
  if (m) return { Q: m, hire: m.map((row) => Math.max(0, 1 - row.reduce((a, x) => a + x, 0))) };
  const e = docking.externalHire;
  return {
    Q: Array.from({ length: N_RANKS }, (_, i) => Array.from({ length: N_RANKS }, (_, j) => (i > 0 && j === i - 1 ? 1 - e[i]! : 0))),
    hire: e.map((x, i) => (i === 0 ? 1 : x)),
  };
}

/**
 * Where a vacancy at a rank goes, for a uniform draw u: −1 (an outside hire)
 * when u < 1 − Σ_j Q[i][j], else the rank j whose share of [1 − Σ, 1) holds u.
 * Hire first, so that externalHire's chains draw exactly as `u < externalHire`.
 */
function destination(row: readonly number[], hireProbability: number, u: number): number {
  if (u < hireProbability) return -1;
  let c = hireProbability;
  let j = -1;
  for (let k = 0; k < row.length; k++) {
    if (row[k]! <= 0) continue;
    j = k;
    c += row[k]!;
    if (u < c) break;
  }
  return j; // the last rank with Q > 0 where rounding leaves Σ a hair short of 1 − hire
}

export function dockingPull(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  dockingExit(sim);
  const { Q, hire } = vacancyChains(sim.scenario.docking);
  const rng = new Stream(sim.seed, 'docking.pull', sim.year);
  // Cadres by (province, rank), drawn at random and removed when they move: one move a year.
  const pool: number[][] = Array.from({ length: w.provinces.length * N_RANKS }, () => []);
  for (let c = 0; c < s.capacity; c++) if (s.post[c]! >= 0) pool[w.provinceIndex[s.region[c]!]! * N_RANKS + s.rank[c]!]!.push(c);
  // Open posts by rank; each starts a chain.
  const queue: number[][] = Array.from({ length: N_RANKS }, () => []);
  const head = new Array<number>(N_RANKS).fill(0);
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
  // Top rank first; a vacancy that moves up (or, laterally, to its own rank) waits for the
  // next pass or the rest of this one. One-rank-down chains take a single pass.
  for (let open = true; open; open = queue.some((qr, r) => head[r]! < qr.length)) {
    for (let r = N_RANKS - 1; r >= 0; r--) {
      const qr = queue[r]!;
      for (; head[r]! < qr.length; head[r]!++) {
        const q = qr[head[r]!]!;
        const k = chainOf.get(q)!;
        chainLen[k]!++;
        const j = destination(Q[r]!, hire[r]!, rng.next());
        const from = j >= 0 ? pool[w.provinceIndex[w.postRegion[q]!]! * N_RANKS + j]! : [];
        if (from.length === 0) {
          // An outside hire, or no cadre of rank j left in the province to move this year.
          recruit(sim, q);
          sim.counters.chainsDone[chainRank[k]!]!++;
          sim.counters.chainsLen[chainRank[k]!]! += chainLen[k]!;
        } else {
          const left = moveInto(sim, takeRandom(from, rng), q);
          chainOf.set(left, k);
          queue[j]!.push(left);
        }
      }
    }
  }
}
