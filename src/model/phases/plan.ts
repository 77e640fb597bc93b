/**
 * Phase 4, Plan (调控机制, MODEL.md §3.4): the organisation department lists
 * this year's movers, each with an exchange type.
 * Reads: tenures, post flags, home, reserve, experience, family burden,
 * perfPct, ties, teams. Writes: mover (type), withheld (where drawn: withheldBy), postNeed; starts
 * secondments (挂职) at once (they hold no regular post) and logs them.
 *
 * - regulatory: yearsInPost ≥ maxTenure (from rank tenureFromRank), key posts
 *   after keyMaxTenure, hometown avoidance (key posts and the two heads);
 * - cultivation: young reserve cadres without county experience, sent down as
 *   a transfer or a secondment; unit ownership withholds good ones and offers
 *   the unit's weakest instead (甩包袱);
 * - care: heavy family burden far from home → closer;
 * - disciplinary: poor appraisal with strong local ties → elsewhere;
 * - election years (换届): team members who served the term are renewed;
 * - structural: a team lacking a woman, a member under 45 or economy
 *   experience (besides the government head's own) moves one member out and marks the post for a targeted
 *   transfer in.
 * Then per team: flow control (exchangeQuota, electionQuota in election
 * years; mandatory moves first) and never both heads in one year.
 */
import type { Sim } from '../sim.js';
import { isElectionYear } from '../sim.js';
import { streamKey, uniform, uniformAt } from '../../random/hash.js';
import { D_CARE, D_CULTIVATION, D_DISCIPLINE, D_ELECTION, D_ENFORCE, D_OWNERSHIP, D_SECOND_REGION, D_SECONDMENT } from '../draws.js';
import { distance } from '../../world/world.js';
import {
  DOM_ECONOMY, F_HEAD, F_KEY, F_LEADER, LEVEL_PREFECTURE, MT_CARE, MT_CULTIVATION,
  MT_DISCIPLINARY, MT_ELECTION, MT_REGULATORY, MT_SECONDMENT, MT_STRUCTURAL,
} from '../../world/constants.js';

/** Family burden above which, and distance from home (km) beyond which, care exchange is considered. */
export const CARE_BURDEN = 0.6;
export const CARE_DISTANCE = 150;
/** Disciplinary exchange: appraisal percentile below, ties above. */
export const DISCIPLINE_PCT = 0.15;
export const DISCIPLINE_TIES = 0.6;
export const YOUNG_AGE = 45;

export const NEED_FEMALE = 1;
export const NEED_YOUNG = 2;
export const NEED_ECONOMY = 4;

/** Hometown avoidance (任职回避): a key post may not be held in one's home county, nor in the prefecture containing it. */
export function violatesAvoidance(sim: Sim, home: number, g: number): boolean {
  const w = sim.world;
  if (g === home) return true;
  return w.level[g] === LEVEL_PREFECTURE && w.prefecture[home] === g;
}

export function plan(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  const p = sim.policy;
  const b = sim.behavior;
  const base = sim.base;
  const enforcement = p.tenureEnforcement;
  // A structural need marks a post for one year: last year's unmet needs lapse.
  sim.postNeed.fill(0);

  for (let c = 0; c < s.capacity; c++) {
    const post = s.post[c]!;
    if (post < 0 || s.secondRegion[c]! >= 0) continue;
    const t = s.yearsInPost[c]!;
    // Only posts above staff rank carry flags (world.ts: leaders are rank ≥ 1), so most cadres skip this random read.
    const f = s.rank[c]! > 0 ? w.postFlags[post]! : 0;
    const g = s.region[c]!;
    // An overdue cadre is planned with probability tenureEnforcement (1: always, without a draw); one
    // left in post this year is considered for the other kinds of move below.
    if (((s.rank[c]! >= p.tenureFromRank && t >= p.maxTenure) || ((f & F_KEY) && (f & F_LEADER) && t >= p.keyMaxTenure))
      && (enforcement >= 1 || uniformAt(base[c]!, D_ENFORCE) < enforcement)) {
      s.mover[c] = MT_REGULATORY;
      continue;
    }
    if (p.hometownAvoidance && (f & (F_KEY | F_HEAD)) && (f & F_LEADER) && violatesAvoidance(sim, s.home[c]!, g)) {
      s.mover[c] = MT_REGULATORY;
      continue;
    }
    if (t < p.minTenure) continue;
    if (s.reserve[c] && !(s.levelsServed[c]! & 1) && w.level[g]! >= 2 && uniformAt(base[c]!, D_CULTIVATION) < p.cultivationRate) {
      let who = c;
      if ((s.withheld[c] = withheldBy(sim, c))) who = weakestInUnit(sim, c);
      if (who < 0) continue;
      if (who === c && uniformAt(base[c]!, D_SECONDMENT) < p.secondmentShare) second(sim, c, uniformAt(base[c]!, D_SECOND_REGION));
      else s.mover[who] = MT_CULTIVATION;
      continue;
    }
    if (s.familyBurden[c]! > CARE_BURDEN && distance(w, s.home[c]!, g) > CARE_DISTANCE && uniformAt(base[c]!, D_CARE) < p.careRate) {
      if (!(s.withheld[c] = withheldBy(sim, c))) s.mover[c] = MT_CARE;
      continue;
    }
    if (s.perfPct[c]! < DISCIPLINE_PCT && s.ties[c]! > DISCIPLINE_TIES && uniformAt(base[c]!, D_DISCIPLINE) < p.disciplineRate) {
      s.mover[c] = MT_DISCIPLINARY;
    }
  }
  planTeams(sim);
}

/**
 * Whether c's unit withholds c this year (unit ownership keeps its good
 * cadres: probability unitOwnership·perfPct), for a cadre in post and not
 * seconded at the plan. The draw is made only where it matters — a
 * cultivation or care move in the plan, an application (apply.ts), a
 * candidate's record in the fill phase — and is the same wherever it is made
 * (the cadre's draw base of the year, draws.ts); s.withheld holds it only where the plan made it.
 */
export function withheldBy(sim: Sim, c: number): number {
  const x = sim.behavior.unitOwnership * sim.store.perfPct[c]!;
  return x > 0 && uniformAt(sim.base[c]!, D_OWNERSHIP) < x ? 1 : 0;
}

/** The weakest cadre of c's unit and rank who is free to move: what a unit offers instead of a good one. */
function weakestInUnit(sim: Sim, c: number): number {
  const s = sim.store;
  const w = sim.world;
  const u = w.postUnit[s.post[c]!]!;
  const r = s.rank[c]!;
  let best = -1;
  let bestPct = 2;
  for (let q = w.unitPostStart[u]!; q < w.unitPostStart[u + 1]!; q++) {
    if (w.postRank[q] !== r) continue;
    const o = sim.occupant[q]!;
    if (o < 0 || o === c || s.mover[o] || s.moved[o] || s.secondRegion[o]! >= 0 || s.yearsInPost[o]! < sim.policy.minTenure) continue;
    if (s.perfPct[o]! < bestPct) { bestPct = s.perfPct[o]!; best = o; }
  }
  return best;
}

/** A secondment (挂职) to a county of the province: the home post is kept (MODEL.md §3.4). */
function second(sim: Sim, c: number, u: number): void {
  const s = sim.store;
  const w = sim.world;
  const k = w.provinceIndex[s.region[c]!]!;
  const a = w.provCountyStart[k]!, n = w.provCountyStart[k + 1]! - a;
  if (n === 0) return;
  const to = w.provCounties[a + Math.floor(u * n)]!;
  if (to === s.region[c]) return;
  const post = s.post[c]!;
  sim.log.push(c, post, post, s.region[c]!, to, s.rank[c]!, s.rank[c]!, MT_SECONDMENT, s.yearsInPost[c]!, s.yearsInRank[c]!);
  s.secondRegion[c] = to;
  s.secondmentLeft[c] = sim.policy.secondmentYears;
  s.region[c] = to;
  s.moved[c] = 1;
}

const PRIORITY = [9, 0, 4, 2, 5, 6, 1, 9, 9, 9, 9]; // by move type: regulatory first, then election, structural…

function planTeams(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  const p = sim.policy;
  const st = p.structuralTargets;
  const kSt = streamKey(sim.seed, 'plan.structural', sim.year);
  const members: number[] = [];
  for (let g = 0; g < w.nRegions; g++) {
    const a = w.teamStart[g]!, e = w.teamStart[g + 1]!;
    if (e === a) continue;
    const election = isElectionYear(sim, g);
    // A concentrated election may single out prefecture teams (prefectureElectionWeight; 1: as every team).
    const quota = w.level[g] === LEVEL_PREFECTURE ? Math.min(1, p.electionQuota * p.prefectureElectionWeight) : p.electionQuota;
    let female = 0, young = 0, economy = 0;
    members.length = 0;
    for (let i = a; i < e; i++) {
      const c = sim.occupant[w.teamPosts[i]!]!;
      if (c < 0) continue;
      if (s.female[c]) female = 1;
      if (s.age[c]! < YOUNG_AGE) young = 1;
      if (s.domainsServed[c]! & (1 << DOM_ECONOMY) && w.postDomain[s.post[c]!] !== DOM_ECONOMY) economy = 1;
      // A member on secondment (挂职) keeps the post and counts for the team's make-up, but is not moved from it.
      if (s.secondRegion[c]! >= 0) continue;
      members.push(c);
      if (election && !s.mover[c] && !s.moved[c] && s.yearsInPost[c]! >= p.electionCycle && uniformAt(sim.base[c]!, D_ELECTION) < quota) s.mover[c] = MT_ELECTION;
    }
    const needs = (st.female && !female ? NEED_FEMALE : 0) | (st.young && !young ? NEED_YOUNG : 0) | (st.domain && !economy ? NEED_ECONOMY : 0);
    if (needs && uniform(kSt, g) < st.rate) {
      let out = -1;
      for (const c of members) {
        if (s.mover[c] || s.moved[c] || (w.postFlags[s.post[c]!]! & F_HEAD) || s.yearsInPost[c]! < p.minTenure) continue;
        if (out < 0 || s.yearsInPost[c]! > s.yearsInPost[out]!) out = c;
      }
      if (out >= 0) {
        s.mover[out] = MT_STRUCTURAL;
        sim.postNeed[s.post[out]!] = needs;
      }
    }
    // Flow control: keep the highest-priority planned moves up to the quota.
    const q = election ? Math.max(p.exchangeQuota, quota) : p.exchangeQuota;
    const cap = q > 0 ? Math.max(1, Math.round(q * (e - a))) : 0;
    const planned = members.filter((c) => s.mover[c]! > 0);
    if (planned.length > cap) {
      planned.sort((x, y) => PRIORITY[s.mover[x]!]! - PRIORITY[s.mover[y]!]! || s.post[x]! - s.post[y]!);
      for (let i = cap; i < planned.length; i++) dropMove(sim, planned[i]!);
    }
    // The party and government heads of one region are not moved in the same year.
    const sec = w.secretary[g]!, gov = w.govHead[g]!;
    const cs = sec >= 0 ? sim.occupant[sec]! : -1;
    const cg = gov >= 0 ? sim.occupant[gov]! : -1;
    if (cs >= 0 && cg >= 0 && s.mover[cs] && s.mover[cg]) dropMove(sim, PRIORITY[s.mover[cg]!]! < PRIORITY[s.mover[cs]!]! ? cs : cg);
  }
}

function dropMove(sim: Sim, c: number): void {
  sim.store.mover[c] = 0;
  sim.postNeed[sim.store.post[c]!] = 0;
}
