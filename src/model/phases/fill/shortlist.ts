/**
 * Shortlists of the fill phase (phase 6, MODEL.md §3.6; the phase: ../fill.ts):
 * the candidates for an open post drawn from the pools (state.ts) — promotion-
 * eligible cadres of the post's region and system, of a related region (or of
 * any region of the province for a bureau-rank post under 下管一级) and of
 * another system, planned movers (by prefecture below bureau rank under
 * 下管一级), applicants — then judged (admissible: the constraints of a
 * planned move, avoidance, structural needs, the unit's veto) and scored
 * (score.ts, with planPriority for planned movers).
 * Reads: the pools' records, the post's region, rank, system and needs.
 * Writes: the shortlist in the fill state; draws of the fill stream.
 */
import type { Sim } from '../../sim.js';
import { STRIDE, R_A, R_B, R_CADRE, R_PERF, R_UNIT, FL_AWAY, FL_EXCHANGED_IN_RANK, FL_KEY_POST, FL_PROMOTABLE, FL_WITHHELD } from '../../buckets.js';
import { violatesAvoidance, NEED_ECONOMY, NEED_FEMALE, NEED_YOUNG, YOUNG_AGE } from '../plan.js';
import { distance } from '../../../world/world.js';
import { DOM_ECONOMY, F_HEAD, F_KEY, LEVEL_COUNTY, MT_CARE, MT_CULTIVATION, MT_DISCIPLINARY, MT_ELECTION, MT_REGULATORY, MT_STRUCTURAL, N_RANKS, N_SYSTEMS } from '../../../world/constants.js';
import { MAX_SHORT, movers, promoKey, type Ctx, type FillState } from './state.js';

export function isMandatory(type: number): boolean {
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
  return typeAllows(sim, type, I[o + R_CADRE]!, g, region, sameUnit, flags);
}

const DR_PROMOTION = 1;
const DR_NEED_PROMO = 2;

/**
 * Queues up to k draws from bucket `key` (the whole bucket if it has no more
 * than k members); returns the new number of draws. A bucket with no live
 * member (all its records stale) gives no candidate whatever is drawn, so no
 * draw is made.
 */
function drawFrom(ctx: Ctx, key: number, k: number, nd: number, flags: number): number {
  const st = ctx.st;
  if (st.live[key] === 0) return nd;
  const size = st.pools.count(key);
  const draws = size < k ? size : k;
  const base = st.pools.start[key]!;
  const stale = st.stale;
  for (let i = 0; i < draws; i++) {
    const p = base + (size <= k ? i : ctx.rng.int(size));
    // A stale record (its cadre has moved) is no candidate: the draw is made, the record not read.
    if (stale[p >>> 5]! & (1 << (p & 31))) continue;
    st.drawPos[nd] = p;
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
 * The shortlist for post q (of rank r, region g, system sys), in st.cand[0..n), scored.
 *
 * In three steps, for speed: (1) all the random draws of the shortlist, in
 * the order of the sources, into st.drawPos — which members are drawn depends
 * only on the pools' sizes, not on who is admissible, so the draws (and the
 * stream's sequence) are those of drawing and judging one by one; (2) the
 * cadre of every draw, read in one loop whose loads do not depend on each
 * other, so the processor fetches the records in parallel instead of
 * waiting for each cache miss in turn; (3) judging the draws in order.
 */
export function shortlist(ctx: Ctx, q: number, r: number, g: number, sys: number): number {
  const { sim, st } = ctx;
  const w = sim.world;
  const k = sim.behavior.shortlist;
  const prov = w.provinceIndex[g]!;
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
  return judge(ctx, q, g, sys, nd);
}

/**
 * Step (3) of a shortlist: the nd draws judged in order, as addCand would
 * (new to the list, room left, admissible, then scored) with the same checks
 * and the same arithmetic, written out with the post's terms read once and the
 * system barriers from a table (ctx.barrier). A drawn record is never stale
 * (drawFrom leaves those out), so the check of this year's movers is not made.
 */
function judge(ctx: Ctx, q: number, g: number, sysQ: number, nd: number): number {
  // Most shortlists for entry posts draw no one alive: then the post's terms are not even read.
  if (nd === 0) return 0;
  const { sim, st } = ctx;
  const w = sim.world;
  const k = sim.k;
  const I = st.pools.rec, F = st.pools.recF;
  const pos = st.drawPos, cadre = st.drawCadre, fl = st.drawFlags;
  const cand = st.cand, candScore = st.candScore, candPromo = st.candPromo;
  const barrier = ctx.barrier;
  const unitQ = w.postUnit[q]!;
  const domBit = 1 << w.postDomain[q]!;
  const levelQ = w.level[g]!;
  const avoid = k.hometownAvoidance && (w.postFlags[q]! & (F_KEY | F_HEAD)) !== 0;
  const need = sim.postNeed[q]!;
  for (let i = 0; i < nd; i++) cadre[i] = I[pos[i]! * STRIDE + R_CADRE]!;
  let n = 0;
  for (let i = 0; i < nd; i++) {
    const f = fl[i]!;
    const o = pos[i]! * STRIDE;
    const a = I[o + R_A]!;
    const flags = a >>> 24;
    if ((f & DR_NEED_PROMO) && !(flags & FL_PROMOTABLE)) continue;
    const c = cadre[i]!;
    let j = 0;
    while (j < n && cand[j] !== c) j++;
    if (j < n || n >= MAX_SHORT) continue;
    // admissible(), in its order.
    if (flags & FL_AWAY) continue;
    const promotion = (f & DR_PROMOTION) !== 0;
    const fromUnit = I[o + R_UNIT]!;
    const region = w.unitRegion[fromUnit]!;
    const fromSystem = w.unitSystem[fromUnit]!;
    const b = I[o + R_B]!;
    const type = (b >>> 8) & 0xff;
    if (promotion && k.requireExchange && !(flags & FL_EXCHANGED_IN_RANK) && g === region && sysQ === fromSystem) continue;
    if (avoid && violatesAvoidance(sim, sim.store.home[c]!, g)) continue;
    if (need) {
      if ((need & NEED_FEMALE) && !((a >>> 16) & 0xff)) continue;
      if ((need & NEED_YOUNG) && ((a >>> 8) & 0xff) >= YOUNG_AGE) continue;
      if ((need & NEED_ECONOMY) && !(b & (1 << DOM_ECONOMY))) continue;
    }
    const sameUnit = fromUnit === unitQ;
    if ((flags & FL_WITHHELD) && !sameUnit && !isMandatory(type)) continue;
    if (type !== 0 && !typeAllows(sim, type, c, g, region, sameUnit, flags)) continue;
    // scoreOf(), in its order.
    let sc = F[o + R_PERF]! + k.promotionExchangeBonus * (b >>> 16);
    if (b & 0xff & domBit) sc += k.domainFit;
    sc -= barrier[fromSystem * N_SYSTEMS + sysQ]!;
    const dl = w.level[region]! - levelQ;
    sc -= k.crossLevel * (dl < 0 ? -dl : dl);
    if (sameUnit) sc += k.localBias;
    if (region === g) sc += k.regionBias;
    cand[n] = c;
    candPromo[n] = promotion ? 1 : 0;
    st.candType[n] = type;
    // The organisation places the movers it planned before it promotes (MODEL.md §3.4–3.6).
    candScore[n] = sc + (isMandatory(type) || type === MT_CARE ? k.planPriority : 0);
    n++;
  }
  return n;
}

/** The last checks of admissible(): those of the candidate's planned move of type `type`, in region `region`, for a post in g. */
function typeAllows(sim: Sim, type: number, c: number, g: number, region: number, sameUnit: boolean, flags: number): boolean {
  const w = sim.world;
  switch (type) {
    case MT_REGULATORY:
      // A key-post holder moved by hometown avoidance must leave the home region, not just the post.
      if (g === region && sim.k.hometownAvoidance && (flags & FL_KEY_POST) && violatesAvoidance(sim, sim.store.home[c]!, region)) return false;
      return !sameUnit;
    case MT_ELECTION:
    case MT_STRUCTURAL:
      return !sameUnit;
    case MT_CULTIVATION:
      return w.level[g] === LEVEL_COUNTY;
    case MT_CARE: {
      const home = sim.store.home[c]!;
      return distance(w, home, g) < distance(w, home, region);
    }
    case MT_DISCIPLINARY:
      return g !== region;
    default:
      return true;
  }
}
