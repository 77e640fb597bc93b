/**
 * Phase 6, Fill (MODEL.md §3.6): open posts are filled top rank first, so
 * that each filling can open a post below (vacancy chains, White 1970).
 * Reads: vacancies, movers, applicants, promotion eligibility, scores (§4.2)
 * and utilities (§4.1). Writes: post/occupant/region/rank of movers, the move
 * log, vacancy-chain tallies, recruits.
 *
 * Candidates for a post of rank r in region g are drawn (a shortlist of
 * `shortlist` from each source) from indexes kept up to date as people move:
 * promotion-eligible cadres of rank r−1 of the post's system in g and in a
 * related region (parent, a child or a sibling: cross-level and cross-region
 * promotion), and a few of another system in g (cross-system promotion), planned
 * movers of the province (same system, and a few of another) at ranks r and
 * r−1, with a priority `planPriority` in the score, and applicants who registered for
 * g at ranks r and r−1; at rank 0 a recruit if no one else is taken. A mover's
 * own post opens only when the mover has a new post, so a mover who finds
 * nothing stays (and is overdue).
 *
 * Matching: `directive` takes the best score first and the candidate may
 * refuse (probability rising with the utility lost, falling with
 * disciplineStrength, regulatory movers at (1 − disciplineStrength) of that);
 * `two-way` runs deferred acceptance on each batch of open posts of a rank.
 */
import type { Sim } from '../sim.js';
import { Buckets } from '../buckets.js';
import { deferredAcceptance } from '../matching.js';
import { scoreOf } from '../score.js';
import { MovedBits, STRIDE, R_A, R_B, R_CADRE, R_PERF, R_UNIT, FL_AWAY, FL_EXCHANGED_IN_RANK, FL_KEY_POST, FL_PROMOTABLE, FL_WITHHELD } from '../buckets.js';
import { exchangedInRank, exchangeExperience } from '../store.js';
import { CadreUtility } from '../utility.js';
import { recruit } from '../population.js';
import { recruitProbability } from '../wages.js';
import { violatesAvoidance, NEED_ECONOMY, NEED_FEMALE, NEED_YOUNG, YOUNG_AGE } from './plan.js';
import { Stream } from '../../random/stream.js';
import { streamKey, uniform } from '../../random/hash.js';
import { distance } from '../../world/world.js';
import {
  DOM_ECONOMY, F_HEAD, F_KEY, LEVEL_COUNTY, MT_CARE, MT_CULTIVATION, MT_DISCIPLINARY, MT_ELECTION, MT_PROMOTION,
  MT_REGULATORY, MT_STRUCTURAL, MT_VOLUNTARY, N_RANKS, N_SYSTEMS,
} from '../../world/constants.js';

const MAX_SHORT = 64;
/** Draws of one shortlist: at most 7 sources of at most `shortlist` (≤ 30) draws each. */
const MAX_DRAWS = 7 * 32;

const MAX_ROUNDS = 64;

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
  /** Starting rank and length of each vacancy chain of the year. */
  chainRank = new Uint8Array(1024);
  chainLen = new Int32Array(1024);
  readonly cand = new Int32Array(MAX_SHORT);
  readonly candScore = new Float64Array(MAX_SHORT);
  readonly candPromo = new Uint8Array(MAX_SHORT);
  /** The draws of the current shortlist: pool position, source flags (DR_*), and the cadre drawn. */
  readonly drawPos = new Int32Array(MAX_DRAWS);
  readonly drawFlags = new Uint8Array(MAX_DRAWS);
  readonly drawCadre = new Int32Array(MAX_DRAWS);
  /** Cadres moved since the pools were built (the pools' records of them are stale). */
  readonly moved: MovedBits;
  /** Local index of a cadre in the current two-way batch, -1 otherwise (allocated when two-way matching is first used). */
  local?: Int32Array;

  constructor(sim: Sim) {
    const w = sim.world;
    this.moverBase = w.nRegions * N_SYSTEMS * N_RANKS;
    this.applBase = this.moverBase + w.provinces.length * N_SYSTEMS * N_RANKS;
    this.prefBase = this.applBase + w.nRegions * N_RANKS;
    this.pools = new Buckets(this.prefBase + w.nRegions * N_SYSTEMS * N_RANKS);
    // Queues of (post, chain) pairs. They start small and grow (pushOpen): a year opens a fraction
    // of the posts, and keeping each open post's chain in its queue entry saves an array over all posts.
    this.queue = [];
    for (let r = 0; r < N_RANKS; r++) this.queue.push(new Int32Array(2 * Math.max(16, w.postsByRank[r]! >> 4)));
    this.moved = new MovedBits(sim.store.capacity);
  }
}

const states = new WeakMap<Sim, FillState>();

interface Ctx {
  sim: Sim;
  st: FillState;
  rng: Stream;
  kNoise: number;
  kRefuse: number;
  kRecruit: number;
  /** A candidate's utilities (refusals). */
  cu: CadreUtility;
}

/**
 * Every post vacant at the start of the phase starts a vacancy chain and is
 * queued at its rank. (A function of its own, so its loops are optimised apart
 * from the rest of the phase.)
 */
function startChains(sim: Sim, st: FillState): void {
  const w = sim.world;
  st.qHead.fill(0);
  st.qTail.fill(0);
  let nChains = 0;
  for (let q = 0; q < w.nPosts; q++) if (sim.occupant[q]! < 0) nChains++;
  if (nChains > st.chainLen.length) {
    st.chainRank = new Uint8Array(Math.ceil(nChains * 1.25));
    st.chainLen = new Int32Array(st.chainRank.length);
  }
  st.chainLen.fill(0, 0, nChains);
  for (let q = 0, k = 0; q < w.nPosts; q++) {
    if (sim.occupant[q]! < 0) {
      const r = w.postRank[q]!;
      st.chainRank[k] = r;
      pushOpen(st, sim, q, k++);
    }
  }
}

export function fill(sim: Sim): void {
  let st = states.get(sim);
  if (!st) { st = new FillState(sim); states.set(sim, st); }
  const p = sim.policy;
  st.byPrefecture = p.managementScope === 'one-level-down';
  buildPools(sim, st);
  st.moved.clear();
  startChains(sim, st);
  const ctx: Ctx = {
    sim, st,
    rng: new Stream(sim.seed, 'fill.shortlist', sim.year),
    kNoise: streamKey(sim.seed, 'utility.noise', sim.year),
    kRefuse: streamKey(sim.seed, 'fill.refuse', sim.year),
    kRecruit: streamKey(sim.seed, 'fill.recruit', sim.year),
    cu: new CadreUtility(sim),
  };
  for (let r = N_RANKS - 1; r >= 0; r--) {
    if (p.matching === 'two-way') fillTwoWay(ctx, r);
    else fillDirective(ctx, r);
    rotate(ctx, r);
  }
}

/** Key of the planned movers of (province, system, rank): the organisation looks first in the post's own system. */
function moverKey(st: FillState, prov: number, system: number, rank: number): number {
  return st.moverBase + (prov * N_SYSTEMS + system) * N_RANKS + rank;
}

/** Key of the planned movers a post draws from: those of prefecture f (its region index) if f ≥ 0, else of province prov. */
function movers(st: FillState, f: number, prov: number, system: number, rank: number): number {
  return f >= 0 ? st.prefBase + (f * N_SYSTEMS + system) * N_RANKS + rank : moverKey(st, prov, system, rank);
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
 * Both passes compute the keys inline (poolKeys), with the columns and the
 * policy's thresholds in locals: they run over every slot of a million-cadre
 * store. The passes are separate functions, so that each is optimised with
 * the type feedback of its own loop (one loop with a pass flag was
 * deoptimised again and again).
 */
function buildPools(sim: Sim, st: FillState): void {
  const k = poolKeys(sim, st);
  st.pools.start.fill(0);
  countMembers(sim, st, k);
  st.pools.prepare(sim);
  placeMembers(sim, st, k);
  st.pools.finish();
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
  const postCol = s.post, movedCol = s.moved;
  for (let c = 0; c < s.capacity; c++) {
    const post = postCol[c]!;
    if (post < 0 || movedCol[c]) continue;
    keysOf(sim, k, c, post);
    if (k.kp >= 0) start[k.kp + 1]!++;
    if (k.km >= 0) start[k.km + 1]!++;
    if (k.ka >= 0) start[k.ka + 1]!++;
    if (k.kf >= 0) start[k.kf + 1]!++;
  }
}

function placeMembers(sim: Sim, st: FillState, k: PoolKeys): void {
  const s = sim.store;
  const w = sim.world;
  const pools = st.pools;
  const start = pools.start;
  const postCol = s.post, movedCol = s.moved;
  for (let c = 0; c < s.capacity; c++) {
    const post = postCol[c]!;
    if (post < 0 || movedCol[c]) continue;
    keysOf(sim, k, c, post);
    const kp = k.kp, km = k.km, ka = k.ka, kf = k.kf;
    if (kp < 0 && km < 0 && ka < 0) continue;
    const flags = (s.secondRegion[c]! >= 0 ? FL_AWAY : 0) | (s.withheld[c] ? FL_WITHHELD : 0) | (exchangedInRank(s, c) ? FL_EXCHANGED_IN_RANK : 0) | (kp >= 0 ? FL_PROMOTABLE : 0)
      | (w.postFlags[post]! & (F_KEY | F_HEAD) ? FL_KEY_POST : 0);
    const perf = s.performance[c]!;
    const a = s.rank[c]! | (s.age[c]! << 8) | (s.female[c]! << 16) | (flags << 24);
    const b = s.domainsServed[c]! | (s.mover[c]! << 8) | (Math.min(0xffff, exchangeExperience(s, c)) << 16);
    const unit = w.postUnit[post]!;
    if (kp >= 0) writeMember(pools, start[kp]!++, c, unit, perf, a, b);
    if (km >= 0) writeMember(pools, start[km]!++, c, unit, perf, a, b);
    if (ka >= 0) writeMember(pools, start[ka]!++, c, unit, perf, a, b);
    if (kf >= 0) writeMember(pools, start[kf]!++, c, unit, perf, a, b);
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

/**
 * Rotation (轮岗, 对调): mandatory movers of rank r still without a post after
 * the open posts are filled swap posts pairwise with another such mover of
 * the province (same system first), where each may take the other's post and
 * neither refuses. A swap opens no post, so it needs no vacancy.
 */
function rotate(ctx: Ctx, r: number): void {
  const { sim, st } = ctx;
  const s = sim.store;
  const w = sim.world;
  const twoWay = sim.k.twoWay;
  const k = sim.behavior.shortlist * 2;
  for (let prov = 0; prov < w.provinces.length; prov++) {
    for (let sys = 0; sys < N_SYSTEMS; sys++) {
      const key = moverKey(st, prov, sys, r);
      // Walk the pool (members who have moved are skipped: deletion is lazy).
      const pool = st.pools;
      for (let i = 0; i < pool.count(key); i++) {
        const ia = pool.pos(key, i);
        const a = pool.rec[ia * STRIDE + R_CADRE]!;
        let partner = -1;
        if (!s.moved[a] && isMandatory(s.mover[a]!)) {
          for (let t = 0; t < k && partner < 0; t++) {
            const otherKey = t < k - 2 ? key : moverKey(st, prov, ctx.rng.int(N_SYSTEMS), r);
            const n = pool.count(otherKey);
            if (n === 0) continue;
            const ib = pool.pos(otherKey, ctx.rng.int(n));
            const b = pool.rec[ib * STRIDE + R_CADRE]!;
            if (b === a || s.moved[b] || !isMandatory(s.mover[b]!)) continue;
            const pa = s.post[a]!, pb = s.post[b]!;
            if (!admissible(sim, st, pool.rec, ia * STRIDE, pb, false) || !admissible(sim, st, pool.rec, ib * STRIDE, pa, false)) continue;
            if (!twoWay && (refuses(ctx, a, pb) || refuses(ctx, b, pa))) continue;
            partner = b;
          }
        }
        if (partner >= 0) swap(sim, st, a, partner);
      }
    }
  }
}

function swap(sim: Sim, st: FillState, a: number, b: number): void {
  const s = sim.store;
  const w = sim.world;
  const pa = s.post[a]!, pb = s.post[b]!;
  for (const [c, from, to] of [[a, pa, pb], [b, pb, pa]] as const) {
    sim.log.push(c, from, to, s.region[c]!, w.postRegion[to]!, s.rank[c]!, w.postRank[to]!, s.mover[c]!, s.yearsInPost[c]!, s.yearsInRank[c]!);
  }
  for (const [c, to] of [[a, pb], [b, pa]] as const) {
    sim.occupant[to] = c;
    s.post[c] = to;
    s.region[c] = w.postRegion[to]!;
    s.moved[c] = 1;
    st.moved.set(c);
    s.satisfaction[c] = 0;
    sim.postNeed[to] = 0;
  }
}

// ---------------------------------------------------------------- candidates

function isMandatory(type: number): boolean {
  return type === MT_REGULATORY || type === MT_ELECTION || type === MT_STRUCTURAL || type === MT_DISCIPLINARY || type === MT_CULTIVATION;
}

/**
 * Whether the cadre whose pool record is I[o..o+STRIDE) may take post q
 * (constraints of its planned move, avoidance, needs, veto, ownership). The
 * record is valid while the cadre has not moved this year, checked first.
 */
export function admissible(sim: Sim, st: FillState, I: Int32Array, o: number, q: number, promotion: boolean): boolean {
  if (st.moved.has(I[o + R_CADRE]!)) return false;
  const w = sim.world;
  const k = sim.k;
  const a = I[o + R_A]!;
  const flags = a >>> 24;
  if (flags & FL_AWAY) return false;
  const g = w.postRegion[q]!;
  const fromUnit = I[o + R_UNIT]!;
  const region = w.unitRegion[fromUnit]!;
  const fromSystem = w.unitSystem[fromUnit]!;
  const b = I[o + R_B]!;
  const type = (b >>> 8) & 0xff;
  // 资格否决: a promotion needs an exchange at the current rank behind it, or must itself be one (交流提拔).
  if (promotion && k.requireExchange && !(flags & FL_EXCHANGED_IN_RANK) && g === region && w.postSystem[q] === fromSystem) return false;
  // The home region is read from the store only where it matters (avoidance at key posts, care moves): it is not in the record.
  if (k.hometownAvoidance && (w.postFlags[q]! & (F_KEY | F_HEAD)) && violatesAvoidance(sim, sim.store.home[I[o + R_CADRE]!]!, g)) return false;
  const need = sim.postNeed[q]!;
  if (need) {
    if ((need & NEED_FEMALE) && !((a >>> 16) & 0xff)) return false;
    if ((need & NEED_YOUNG) && ((a >>> 8) & 0xff) >= YOUNG_AGE) return false;
    if ((need & NEED_ECONOMY) && !(b & (1 << DOM_ECONOMY))) return false;
  }
  const sameUnit = fromUnit === w.postUnit[q];
  if ((flags & FL_WITHHELD) && !sameUnit && !isMandatory(type)) return false;
  switch (type) {
    case MT_REGULATORY:
      // A key-post holder moved by hometown avoidance must leave the home region, not just the post.
      if (g === region && k.hometownAvoidance && (flags & FL_KEY_POST) && violatesAvoidance(sim, sim.store.home[I[o + R_CADRE]!]!, region)) return false;
      return !sameUnit;
    case MT_ELECTION:
    case MT_STRUCTURAL:
      return !sameUnit;
    case MT_CULTIVATION:
      return w.level[g] === LEVEL_COUNTY;
    case MT_CARE: {
      const home = sim.store.home[I[o + R_CADRE]!]!;
      return distance(w, home, g) < distance(w, home, region);
    }
    case MT_DISCIPLINARY:
      return g !== region;
    default:
      return true;
  }
}

/** Adds the member at position i of the pools to the shortlist if new and admissible; returns the new length. */
function addCand(ctx: Ctx, n: number, c: number, i: number, q: number, promotion: boolean): number {
  const st = ctx.st;
  for (let j = 0; j < n; j++) if (st.cand[j] === c) return n;
  const I = st.pools.rec;
  const o = i * STRIDE;
  if (n >= MAX_SHORT || !admissible(ctx.sim, st, I, o, q, promotion)) return n;
  const b = I[o + R_B]!;
  const type = (b >>> 8) & 0xff;
  st.cand[n] = c;
  st.candPromo[n] = promotion ? 1 : 0;
  // The organisation places the movers it planned before it promotes (MODEL.md §3.4–3.6).
  const unit = I[o + R_UNIT]!;
  const w = ctx.sim.world;
  st.candScore[n] = scoreOf(ctx.sim, st.pools.recF[o + R_PERF]!, b >>> 16, b & 0xff, w.unitSystem[unit]!, w.unitRegion[unit]!, unit, q) + (isMandatory(type) || type === MT_CARE ? ctx.sim.k.planPriority : 0);
  return n + 1;
}

const DR_PROMOTION = 1;
const DR_NEED_PROMO = 2;

/** Key of the promotion pool of region g, system sys, rank r (cadres of rank r eligible for promotion to r + 1). */
function promoKey(g: number, sys: number, r: number): number {
  return (g * N_SYSTEMS + sys) * N_RANKS + r;
}

/** Queues up to k draws from bucket `key` (the whole bucket if it has no more than k members); returns the new number of draws. */
function drawFrom(ctx: Ctx, key: number, k: number, nd: number, flags: number): number {
  const st = ctx.st;
  const size = st.pools.count(key);
  if (size === 0) return nd;
  const draws = size < k ? size : k;
  const base = st.pools.start[key]!;
  for (let i = 0; i < draws; i++) {
    st.drawPos[nd] = base + (size <= k ? i : ctx.rng.int(size));
    st.drawFlags[nd++] = flags;
  }
  return nd;
}

/** A region related to g for cross-region promotion: its parent, one of its children or a sibling, with equal chances among those that exist. */
function relatedRegion(ctx: Ctx, g: number): number {
  const w = ctx.sim.world;
  const par = w.parent[g]!;
  const ca = w.childStart[g]!, cn = w.childStart[g + 1]! - ca;
  const sa = par >= 0 ? w.childStart[par]! : 0, sn = par >= 0 ? w.childStart[par + 1]! - sa : 0;
  const kinds = (par >= 0 ? 1 : 0) + (cn > 0 ? 1 : 0) + (sn > 1 ? 1 : 0);
  if (kinds === 0) return g;
  let k = Math.floor(ctx.rng.next() * kinds);
  if (par >= 0 && k-- === 0) return par;
  if (cn > 0 && k-- === 0) return w.children[ca + ctx.rng.int(cn)]!;
  return w.children[sa + ctx.rng.int(sn)]!;
}

/** A region of g's province drawn uniformly (g itself included, and then the source is skipped): the province's field of choice for a bureau-rank post. */
function anyRegion(ctx: Ctx, g: number): number {
  const w = ctx.sim.world;
  const k = w.provinceIndex[g]!;
  const a = w.provRegionStart[k]!;
  return w.provRegions[a + ctx.rng.int(w.provRegionStart[k + 1]! - a)]!;
}

/**
 * The shortlist for post q, in st.cand[0..n), scored.
 *
 * In three steps, for speed: (1) all the random draws of the shortlist, in
 * the order of the sources, into st.drawPos — which members are drawn depends
 * only on the pools' sizes, not on who is admissible, so the draws (and the
 * stream's sequence) are those of drawing and judging one by one; (2) the
 * cadre of every draw, read in one loop whose loads do not depend on each
 * other, so the processor fetches the records in parallel instead of
 * waiting for each cache miss in turn; (3) judging the draws in order.
 */
function shortlist(ctx: Ctx, q: number): number {
  const { sim, st } = ctx;
  const w = sim.world;
  const k = sim.behavior.shortlist;
  const r = w.postRank[q]!;
  const g = w.postRegion[q]!;
  const prov = w.provinceIndex[g]!;
  const sys = w.postSystem[q]!;
  const appl = st.applBase;
  // 下管一级 (managementScope one-level-down): the province appoints to bureau-rank posts and to the
  // province's own posts, from the whole province; a prefecture appoints to the posts below bureau rank
  // of its own organs and counties, from its movers only.
  const f = st.byPrefecture && r < 3 ? w.prefecture[g]! : -1;
  let nd = 0;
  if (r >= 1) {
    nd = drawFrom(ctx, promoKey(g, sys, r - 1), k, nd, DR_PROMOTION);
    const h = st.byPrefecture && r === 3 ? anyRegion(ctx, g) : relatedRegion(ctx, g);
    if (h !== g) nd = drawFrom(ctx, promoKey(h, sys, r - 1), k, nd, DR_PROMOTION);
    // Promotable cadres of the region in another system (a cross-system promotion, which barriers make harder to win).
    nd = drawFrom(ctx, promoKey(g, (sys + 1 + ctx.rng.int(N_SYSTEMS - 1)) % N_SYSTEMS, r - 1), Math.max(1, k >> 1), nd, DR_PROMOTION);
    nd = drawFrom(ctx, movers(st, f, prov, sys, r - 1), k, nd, DR_PROMOTION | DR_NEED_PROMO);
    nd = drawFrom(ctx, appl + g * N_RANKS + r - 1, k, nd, DR_PROMOTION | DR_NEED_PROMO);
  }
  nd = drawFrom(ctx, movers(st, f, prov, sys, r), k, nd, 0);
  // Movers of another system (a cross-system exchange, which barriers make harder to win).
  nd = drawFrom(ctx, movers(st, f, prov, (sys + 1 + ctx.rng.int(N_SYSTEMS - 1)) % N_SYSTEMS, r), Math.max(1, k >> 1), nd, 0);
  nd = drawFrom(ctx, appl + g * N_RANKS + r, k, nd, 0);
  const I = st.pools.rec;
  const pos = st.drawPos, cadre = st.drawCadre, fl = st.drawFlags;
  for (let i = 0; i < nd; i++) cadre[i] = I[pos[i]! * STRIDE + R_CADRE]!;
  let n = 0;
  for (let i = 0; i < nd; i++) {
    const f = fl[i]!;
    const o = pos[i]! * STRIDE;
    if ((f & DR_NEED_PROMO) && !((I[o + R_A]! >>> 24) & FL_PROMOTABLE)) continue;
    n = addCand(ctx, n, cadre[i]!, pos[i]!, q, (f & DR_PROMOTION) !== 0);
  }
  return n;
}

// ---------------------------------------------------------------- moving

function moveType(sim: Sim, c: number, q: number, promotion: boolean): number {
  if (sim.postNeed[q]) return MT_STRUCTURAL;
  const m = sim.store.mover[c]!;
  if (m) return m;
  return promotion ? MT_PROMOTION : MT_VOLUNTARY;
}

/** Queues open post q of vacancy chain k at its rank (the queue grows by half when full; readers index st.queue[r] afresh, never a saved reference). */
function pushOpen(st: FillState, sim: Sim, q: number, k: number): void {
  const r = sim.world.postRank[q]!;
  let queue = st.queue[r]!;
  const i = 2 * st.qTail[r]!++;
  if (i === queue.length) {
    const grown = new Int32Array(queue.length + 2 * ((queue.length >> 2) + 16));
    grown.set(queue);
    st.queue[r] = queue = grown;
  }
  queue[i] = q;
  queue[i + 1] = k;
}

/** Takes the next open post of rank r from its queue; its chain becomes st.chain. */
function popOpen(st: FillState, r: number): number {
  const i = 2 * st.qHead[r]!++;
  const queue = st.queue[r]!;
  st.chain = queue[i + 1]!;
  return queue[i]!;
}

/** Moves cadre c into open post q; its old post opens and continues q's vacancy chain (st.chain). */
export function move(sim: Sim, st: FillState | undefined, c: number, q: number, type: number): void {
  const s = sim.store;
  const w = sim.world;
  const from = s.post[c]!;
  sim.log.push(c, from, q, s.region[c]!, w.postRegion[q]!, s.rank[c]!, w.postRank[q]!, type, s.yearsInPost[c]!, s.yearsInRank[c]!);
  sim.occupant[from] = -1;
  sim.occupant[q] = c;
  s.post[c] = q;
  s.region[c] = w.postRegion[q]!;
  s.rank[c] = w.postRank[q]!;
  s.moved[c] = 1;
  // Dissatisfaction with the old post does not carry over to the new one.
  s.satisfaction[c] = 0;
  sim.postNeed[q] = 0;
  if (st) {
    st.moved.set(c);
    const k = st.chain;
    st.chainLen[k]!++;
    pushOpen(st, sim, from, k);
  }
}

function chainEnds(ctx: Ctx, completed: boolean): void {
  const { sim, st } = ctx;
  const k = st.chain;
  if (completed) {
    const r = st.chainRank[k]!;
    sim.counters.chainsDone[r]!++;
    sim.counters.chainsLen[r]! += st.chainLen[k]!;
  }
}

/** No internal candidate took q (of chain st.chain): at rank 0 a recruit may; otherwise it stays vacant. */
function closeUnfilled(ctx: Ctx, q: number): void {
  const { sim, st } = ctx;
  const w = sim.world;
  if (w.postRank[q] === 0 && uniform(ctx.kRecruit, q) < recruitProbability(sim, w.postRegion[q]!)) {
    recruit(sim, q);
    st.chainLen[st.chain]!++;
    chainEnds(ctx, true);
  } else {
    chainEnds(ctx, false);
  }
}

// ---------------------------------------------------------------- directive

function refuses(ctx: Ctx, c: number, q: number): boolean {
  const { sim } = ctx;
  const w = sim.world;
  const cu = ctx.cu;
  cu.load(c);
  const loss = cu.current(ctx.kNoise) - cu.at(w.postRegion[q]!, w.postRank[q]!, w.postSystem[q]!, ctx.kNoise);
  if (loss <= 0) return false;
  const ds = sim.k.disciplineStrength;
  let pr = Math.min(1, sim.k.refusalScale * loss) * (1 - ds);
  if (sim.store.mover[c] === MT_REGULATORY) pr *= 1 - ds;
  return uniform(ctx.kRefuse, sim.store.key[c]!, q) < pr;
}

function fillDirective(ctx: Ctx, r: number): void {
  const { sim, st } = ctx;
  while (st.qHead[r]! < st.qTail[r]!) {
    const q = popOpen(st, r);
    if (sim.occupant[q]! >= 0) continue;
    const n = shortlist(ctx, q);
    let done = false;
    // Best score first; selection without sorting (shortlists are short).
    const tried = st.candPromo; // reuse: bit 2 marks tried
    for (let round = 0; round < n && !done; round++) {
      let bi = -1;
      for (let i = 0; i < n; i++) if (!(tried[i]! & 2) && (bi < 0 || st.candScore[i]! > st.candScore[bi]!)) bi = i;
      tried[bi] = tried[bi]! | 2;
      const c = st.cand[bi]!;
      if (refuses(ctx, c, q)) continue;
      move(sim, st, c, q, moveType(sim, c, q, (tried[bi]! & 1) === 1));
      done = true;
    }
    if (!done) closeUnfilled(ctx, q);
  }
}

// ---------------------------------------------------------------- two-way

function fillTwoWay(ctx: Ctx, r: number): void {
  const { sim, st } = ctx;
  const w = sim.world;
  const local = (st.local ??= new Int32Array(sim.store.capacity).fill(-1));
  for (let round = 0; round < MAX_ROUNDS && st.qHead[r]! < st.qTail[r]!; round++) {
    const batch: number[] = [];
    const batchChain: number[] = [];
    while (st.qHead[r]! < st.qTail[r]!) {
      const q = popOpen(st, r);
      if (sim.occupant[q]! < 0) { batch.push(q); batchChain.push(st.chain); }
    }
    // Edges (candidate, post) with the post's score of the candidate and the candidate's utility of the post.
    const cadres: number[] = [];
    const eCand: number[] = [];
    const ePost: number[] = [];
    const eScore: number[] = [];
    const eUtil: number[] = [];
    const ePromo: number[] = [];
    const ucur: number[] = [];
    for (let j = 0; j < batch.length; j++) {
      const q = batch[j]!;
      const n = shortlist(ctx, q);
      for (let i = 0; i < n; i++) {
        const c = st.cand[i]!;
        let li = local[c]!;
        if (li < 0) {
          li = cadres.length;
          local[c] = li;
          cadres.push(c);
          ctx.cu.load(c);
          ucur.push(ctx.cu.current(ctx.kNoise));
        }
        ctx.cu.load(c);
        const u = ctx.cu.at(w.postRegion[q]!, r, w.postSystem[q]!, ctx.kNoise);
        // A planned mover must go somewhere; anyone else only takes a post they prefer to their own.
        if (!sim.store.mover[c] && u <= ucur[li]!) continue;
        eCand.push(li); ePost.push(j); eScore.push(st.candScore[i]!); eUtil.push(u); ePromo.push(st.candPromo[i]!);
      }
    }
    // Rows per candidate, best utility first (ties: lower post index).
    const order = eCand.map((_, i) => i).sort((a, b) => eCand[a]! - eCand[b]! || eUtil[b]! - eUtil[a]! || ePost[a]! - ePost[b]!);
    const start = new Int32Array(cadres.length + 1);
    for (const e of order) start[eCand[e]! + 1]!++;
    for (let i = 0; i < cadres.length; i++) start[i + 1]! += start[i]!;
    const recv = new Int32Array(order.length);
    const sc = new Float64Array(order.length);
    order.forEach((e, i) => { recv[i] = ePost[e]!; sc[i] = eScore[e]!; });
    const m = deferredAcceptance(cadres.length, batch.length, start, recv, sc);
    for (const c of cadres) local[c] = -1;
    for (let j = 0; j < batch.length; j++) {
      const q = batch[j]!;
      st.chain = batchChain[j]!;
      const li = m.receiverMatch[j]!;
      if (li < 0) { closeUnfilled(ctx, q); continue; }
      const c = cadres[li]!;
      // Promotion if the candidate's rank is below the post's.
      move(sim, st, c, q, moveType(sim, c, q, sim.store.rank[c]! < r));
    }
  }
  // Posts still open after the last round stay vacant.
  while (st.qHead[r]! < st.qTail[r]!) {
    const q = popOpen(st, r);
    if (sim.occupant[q]! < 0) closeUnfilled(ctx, q);
  }
}
