/**
 * The fill phase's working memory and candidate pools (phase 6, MODEL.md
 * §3.6; the phase itself: ../fill.ts). FillState holds, once per run, the
 * pools of candidates — promotion-eligible cadres by (region, system, rank),
 * planned movers by (province, system, rank) and by prefecture, applicants by
 * (registered region, rank), all in one Buckets — the queues of open posts by
 * rank with their vacancy chains, and the scratch arrays of a shortlist.
 * buildPools fills the pools at the start of the phase from the cadres not
 * moved this year.
 * Reads: cadres' posts, ranks, regions, ages, years in rank, movers,
 * applications. Writes: the pools and their records.
 */
import type { Sim } from '../../sim.js';
import { Buckets, MovedBits, STRIDE, R_A, R_B, R_CADRE, R_PERF, R_UNIT, FL_AWAY, FL_EXCHANGED_IN_RANK, FL_KEY_POST, FL_PROMOTABLE, FL_WITHHELD } from '../../buckets.js';
import { exchangedInRank, exchangeExperience } from '../../store.js';
import type { CadreUtility } from '../../utility.js';
import { withheldBy } from '../plan.js';
import { isMandatory } from './shortlist.js';
import type { Stream } from '../../../random/stream.js';
import { F_HEAD, F_KEY, N_RANKS, N_SYSTEMS } from '../../../world/constants.js';

export const MAX_SHORT = 64;
/** Draws of one shortlist: at most 7 sources of at most `shortlist` (≤ 30) draws each. */
export const MAX_DRAWS = 7 * 32;

export const MAX_ROUNDS = 64;

/**
 * Working memory of the fill phase, allocated once per run.
 * The candidate pools share one Buckets, each in its own range of keys:
 * promotion pool (region, system, rank) from 0, mover pool (province, system, rank)
 * from moverBase, applicant pool (registered region, rank) from applBase, and
 * the movers again by (prefecture, system, rank) from prefBase (used under
 * policy.managementScope one-level-down; a province-level mover is in no such pool).
 */
export class FillState {
  readonly pools: Buckets;
  readonly moverBase: number;
  readonly applBase: number;
  /** Planned movers by (prefecture, system, rank), keyed by the prefecture's region index (下管一级). */
  readonly prefBase: number;
  /** Movers listed and drawn by prefecture below bureau rank (managementScope one-level-down), set each year. */
  byPrefecture = false;
  readonly queue: Int32Array[];
  readonly qHead = new Int32Array(N_RANKS);
  readonly qTail = new Int32Array(N_RANKS);
  /** Vacancy chain of the open post being filled now (set when it is taken from its queue). */
  chain = 0;
  /** Region and system of the open post last taken from a queue (popOpen). */
  openRegion = 0;
  openSystem = 0;
  /** Starting rank and length of each vacancy chain of the year. */
  chainRank = new Uint8Array(1024);
  chainLen = new Int32Array(1024);
  readonly cand = new Int32Array(MAX_SHORT);
  readonly candScore = new Float64Array(MAX_SHORT);
  readonly candPromo = new Uint8Array(MAX_SHORT);
  /** The planned move type of each candidate (from its record: the store's mover column, which the phase does not change). */
  readonly candType = new Uint8Array(MAX_SHORT);
  /** The draws of the current shortlist: pool position, source flags (DR_*), and the cadre drawn. */
  readonly drawPos = new Int32Array(MAX_DRAWS);
  readonly drawFlags = new Uint8Array(MAX_DRAWS);
  readonly drawCadre = new Int32Array(MAX_DRAWS);
  /** Cadres moved since the pools were built (the pools' records of them are stale). */
  readonly moved: MovedBits;
  /**
   * 8 words per slot: the cadre's keys in the promotion, mover, applicant and
   * prefecture-mover pools (-1: not listed), then the position of its record
   * in each (valid where the key is ≥ 0), in one cache line per cadre for
   * leavePools. Written by the build for the cadres in post and not moved.
   */
  posOf: Int32Array;
  /**
   * The pool positions whose records are stale (their cadre has moved), one bit
   * each: a draw of one is no candidate, known without reading the record,
   * which at a million cadres is a miss to memory where these bits stay in cache.
   */
  stale: Int32Array;
  /**
   * Live members of each pool key: its records less the stale ones. A draw
   * from a key with none alive is not made (the draws would all be stale).
   */
  live: Int32Array;
  /** Local index of a cadre in the current two-way batch, -1 otherwise (allocated when two-way matching is first used). */
  local?: Int32Array;

  constructor(sim: Sim) {
    const w = sim.world;
    this.moverBase = w.nRegions * N_SYSTEMS * N_RANKS;
    this.applBase = this.moverBase + w.provinces.length * N_SYSTEMS * N_RANKS;
    this.prefBase = this.applBase + w.nRegions * N_RANKS;
    this.pools = new Buckets(this.prefBase + w.nRegions * N_SYSTEMS * N_RANKS);
    // Queues of (post, chain, region, system) entries. They start small and grow (pushOpen): a year opens a
    // fraction of the posts, and keeping each open post's chain in its queue entry saves an array over all posts.
    this.queue = [];
    for (let r = 0; r < N_RANKS; r++) this.queue.push(new Int32Array(4 * Math.max(16, w.postsByRank[r]! >> 4)));
    this.moved = new MovedBits(sim.store.capacity);
    this.posOf = new Int32Array(0);
    this.stale = new Int32Array(0);
    this.live = new Int32Array(this.pools.start.length - 1);
  }
}

export interface Ctx {
  sim: Sim;
  st: FillState;
  rng: Stream;
  kRecruit: number;
  /** A candidate's utilities (refusals). */
  cu: CadreUtility;
  /** systemBarrier(from, to) of this year at from·N_SYSTEMS + to. */
  barrier: Float64Array;
  /** recruitProbability of each region this year. */
  recruitP: Float64Array;
}

/** Key of the planned movers of (province, system, rank): the organisation looks first in the post's own system. */
export function moverKey(st: FillState, prov: number, system: number, rank: number): number {
  return st.moverBase + (prov * N_SYSTEMS + system) * N_RANKS + rank;
}

/** Key of the planned movers a post draws from: those of prefecture f (its region index) if f ≥ 0, else of province prov. */
export function movers(st: FillState, f: number, prov: number, system: number, rank: number): number {
  return f >= 0 ? st.prefBase + (f * N_SYSTEMS + system) * N_RANKS + rank : moverKey(st, prov, system, rank);
}

/** Key of the promotion pool of region g, system sys, rank r (cadres of rank r eligible for promotion to r + 1). */
export function promoKey(g: number, sys: number, r: number): number {
  return (g * N_SYSTEMS + sys) * N_RANKS + r;
}

/**
 * The three candidate pools of the year, with each member's record (buckets.ts):
 * one pass counts the members of each key, a second places them in slot order
 * and writes the record once per cadre into each pool that lists it. Cadres who
 * have moved (or are free slots) are in no pool, so the pass skips them early.
 *
 * Pool keys of a cadre in post, not moved this year:
 *  - promotion pool (region, rank): not seconded, below rank 3, with
 *    yearsInRank ≥ minYearsInRank[rank] and age ≤ promotionMaxAge[rank];
 *  - mover pool (province, system of the post, rank): a planned mover;
 *  - applicant pool (registered region, rank): an applicant.
 * The first pass computes the keys (keysOf, with the policy's thresholds read
 * once: poolKeys) and leaves them in st.posOf, which the second reads back in
 * slot order, writing the records' positions beside them (kept for marking
 * stale records when a member moves: leavePools). The passes are separate
 * functions, so that each is optimised with the type feedback of its own loop
 * (one loop with a pass flag was deoptimised again and again).
 */
export function buildPools(sim: Sim, st: FillState): void {
  const k = poolKeys(sim, st);
  if (st.posOf.length < 8 * sim.store.capacity) st.posOf = new Int32Array(8 * sim.store.capacity);
  st.pools.start.fill(0);
  countMembers(sim, st, k);
  st.pools.prepare(sim);
  const words = (st.pools.start[st.pools.start.length - 1]! + 31) >>> 5;
  if (st.stale.length < words) st.stale = new Int32Array(words + (words >>> 3));
  else st.stale.fill(0, 0, words);
  placeMembers(sim, st);
  st.pools.finish();
  const start = st.pools.start, live = st.live;
  for (let key = 0; key < live.length; key++) live[key] = start[key + 1]! - start[key]!;
}

/** Cadre c, a pool member not moved since the pools were built, is moving: its records become stale and its keys lose a live member. */
export function leavePools(st: FillState, c: number): void {
  const stale = st.stale, pos = st.posOf, live = st.live, o = 8 * c;
  for (let j = 0; j < 4; j++) {
    const key = pos[o + j]!;
    if (key < 0) continue;
    setStale(stale, pos[o + 4 + j]!);
    live[key]!--;
  }
}

function setStale(stale: Int32Array, i: number): void {
  stale[i >>> 5]! |= 1 << (i & 31);
}

/** Whether the record at pool position i is stale (its cadre has moved since the pools were built). */
export function isStale(st: FillState, i: number): boolean {
  return (st.stale[i >>> 5]! & (1 << (i & 31))) !== 0;
}

/** What the pool keys of a cadre depend on, read once per build. */
interface PoolKeys {
  minYears: Int32Array;
  maxAge: Int32Array;
  moverBase: number;
  applBase: number;
  prefBase: number;
  /** Whether movers are also listed by prefecture (managementScope one-level-down). */
  byPrefecture: boolean;
  /** The four keys of the last cadre passed to keysOf (-1: not in that pool). */
  kp: number;
  km: number;
  ka: number;
  kf: number;
}

function poolKeys(sim: Sim, st: FillState): PoolKeys {
  const p = sim.policy;
  const minYears = new Int32Array(N_RANKS).fill(0x7fffffff), maxAge = new Int32Array(N_RANKS).fill(-1);
  for (let r = 0; r < 3; r++) { minYears[r] = p.minYearsInRank[r]!; maxAge[r] = p.promotionMaxAge[r]!; }
  return { minYears, maxAge, moverBase: st.moverBase, applBase: st.applBase, prefBase: st.prefBase, byPrefecture: p.managementScope === 'one-level-down', kp: -1, km: -1, ka: -1, kf: -1 };
}

/** Sets k.kp, k.km, k.ka for cadre c in post `post`, not moved this year. */
function keysOf(sim: Sim, k: PoolKeys, c: number, post: number): void {
  const s = sim.store;
  const w = sim.world;
  const r = s.rank[c]!;
  const g = s.region[c]!;
  k.kp = s.secondRegion[c]! < 0 && s.yearsInRank[c]! >= k.minYears[r]! && s.age[c]! <= k.maxAge[r]! ? promoKey(g, w.postSystem[post]!, r) : -1;
  k.km = s.mover[c] ? k.moverBase + (w.provinceIndex[g]! * N_SYSTEMS + w.postSystem[post]!) * N_RANKS + r : -1;
  const f = k.byPrefecture && s.mover[c] ? w.prefecture[w.postRegion[post]!]! : -1;
  k.kf = f >= 0 ? k.prefBase + (f * N_SYSTEMS + w.postSystem[post]!) * N_RANKS + r : -1;
  const t = s.target[c]!;
  k.ka = t >= 0 ? k.applBase + t * N_RANKS + r : -1;
}

function countMembers(sim: Sim, st: FillState, k: PoolKeys): void {
  const s = sim.store;
  const start = st.pools.start;
  const posOf = st.posOf;
  const postCol = s.post, movedCol = s.moved;
  for (let c = 0; c < s.capacity; c++) {
    const post = postCol[c]!;
    if (post < 0 || movedCol[c]) continue;
    keysOf(sim, k, c, post);
    const o = 8 * c;
    if ((posOf[o] = k.kp) >= 0) start[k.kp + 1]!++;
    if ((posOf[o + 1] = k.km) >= 0) start[k.km + 1]!++;
    if ((posOf[o + 2] = k.ka) >= 0) start[k.ka + 1]!++;
    if ((posOf[o + 3] = k.kf) >= 0) start[k.kf + 1]!++;
  }
}

/** Writes the records, from the keys that countMembers left in st.posOf, and puts each record's position in their place. */
function placeMembers(sim: Sim, st: FillState): void {
  const s = sim.store;
  const w = sim.world;
  const pools = st.pools;
  const start = pools.start;
  const postCol = s.post, movedCol = s.moved;
  const posOf = st.posOf;
  for (let c = 0; c < s.capacity; c++) {
    const post = postCol[c]!;
    if (post < 0 || movedCol[c]) continue;
    const o = 8 * c;
    const kp = posOf[o]!, km = posOf[o + 1]!, ka = posOf[o + 2]!, kf = posOf[o + 3]!;
    if (kp < 0 && km < 0 && ka < 0) continue;
    // Whether the unit withholds the cadre matters only for a move that is not mandatory (admissible), and
    // is drawn only then; a cadre seconded before this year's plan was not planned, so not withheld.
    const away = s.secondRegion[c]! >= 0;
    const withheld = !away && !isMandatory(s.mover[c]!) && withheldBy(sim, c);
    const flags = (away ? FL_AWAY : 0) | (withheld ? FL_WITHHELD : 0) | (exchangedInRank(s, c) ? FL_EXCHANGED_IN_RANK : 0) | (kp >= 0 ? FL_PROMOTABLE : 0)
      | (w.postFlags[post]! & (F_KEY | F_HEAD) ? FL_KEY_POST : 0);
    const perf = s.performance[c]!;
    const a = s.rank[c]! | (s.age[c]! << 8) | (s.female[c]! << 16) | (flags << 24);
    const b = s.domainsServed[c]! | (s.mover[c]! << 8) | (Math.min(0xffff, exchangeExperience(s, c)) << 16);
    const unit = w.postUnit[post]!;
    if (kp >= 0) writeMember(pools, (posOf[o + 4] = start[kp]!++), c, unit, perf, a, b);
    if (km >= 0) writeMember(pools, (posOf[o + 5] = start[km]!++), c, unit, perf, a, b);
    if (ka >= 0) writeMember(pools, (posOf[o + 6] = start[ka]!++), c, unit, perf, a, b);
    if (kf >= 0) writeMember(pools, (posOf[o + 7] = start[kf]!++), c, unit, perf, a, b);
  }
}

function writeMember(pool: Buckets, i: number, c: number, unit: number, perf: number, a: number, b: number): void {
  const o = i * STRIDE;
  const R = pool.rec;
  R[o + R_CADRE] = c;
  R[o + R_UNIT] = unit;
  pool.recF[o + R_PERF] = perf;
  R[o + R_A] = a;
  R[o + R_B] = b;
}
