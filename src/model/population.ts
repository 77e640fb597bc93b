/**
 * Creating cadres: the initial population (every post filled with the
 * scenario's initialFill probability) and recruits (MODEL.md §3.6, entry at
 * rank 0, mostly local). A new cadre's traits are counter-based draws keyed by
 * its key, so they do not depend on how many cadres were created before it.
 */
import type { Sim } from './sim.js';
import { drawBase, hash2, hashString, normalAt, uniform, uniformAt } from '../random/hash.js';
import { identityOfSystem, LEVEL_COUNTY } from '../world/constants.js';
import type { World } from '../world/world.js';
import { setBase } from './draws.js';

const TRAITS = hashString('cadre.traits');
const INIT = hashString('init.population');

/** Life-cycle profile of family burden: rises to a peak at 42, eases toward retirement (MODEL.md §3.1). */
export function lifeCycle(age: number): number {
  if (age < 25) return 0.2;
  if (age < 42) return 0.2 + (0.8 * (age - 25)) / 17;
  return Math.max(0.3, 1 - (0.7 * (age - 42)) / 18);
}

/** The entry of list[a..b) whose share of the cumulative weights cum[a..b) holds u ∈ [0, 1) (binary search). */
function pickWeighted(list: Int32Array, cum: Float64Array, a: number, b: number, u: number): number {
  // cum restarts at 0 in each range, so the range's total is cum[b - 1].
  const target = u * cum[b - 1]!;
  let lo = a, hi = b - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return list[lo]!;
}

/**
 * A home region for someone serving in g: with probability `locality` g's own
 * area (g itself if a county, a county of g if a prefecture), else a county of
 * the province; counties are drawn in proportion to their population.
 */
export function sampleHome(w: World, g: number, locality: number, u1: number, u2: number): number {
  const lv = w.level[g]!;
  if (u1 < locality) {
    if (lv === LEVEL_COUNTY) return g;
    if (lv === 2) {
      const a = w.childStart[g]!, b = w.childStart[g + 1]!;
      return b > a ? pickWeighted(w.children, w.childPopCum, a, b, u2) : g;
    }
  }
  const k = w.provinceIndex[g]!;
  const a = w.provCountyStart[k]!, b = w.provCountyStart[k + 1]!;
  return b > a ? pickWeighted(w.provCounties, w.provCountyPopCum, a, b, u2) : g;
}

/** Fills the traits that every new cadre draws (preferences, ability, family). */
function drawTraits(sim: Sim, c: number): void {
  const s = sim.store;
  const b = sim.behavior;
  const t = drawBase(TRAITS, s.key[c]!);
  s.wWage[c] = Math.max(0, b.wWage.mean + b.wWage.sd * normalAt(t, 0));
  s.wHome[c] = Math.max(0, b.wHome.mean + b.wHome.sd * normalAt(t, 1));
  s.wUrban[c] = Math.max(0, b.wUrban.mean + b.wUrban.sd * normalAt(t, 2));
  s.wCareer[c] = Math.max(0, b.wCareer.mean + b.wCareer.sd * normalAt(t, 3));
  s.ability[c] = normalAt(t, 4);
  s.familyPeak[c] = Math.min(1, b.familyBurden * (0.4 + 1.2 * uniformAt(t, 10)));
  s.performance[c] = s.ability[c]!;
  s.perfPct[c] = 0.5;
  s.reserve[c] = 0;
  s.satisfaction[c] = 0;
  s.mover[c] = 0;
  s.withheld[c] = 0;
  s.target[c] = -1;
  s.moved[c] = 0;
  s.secondRegion[c] = -1;
  s.secondmentLeft[c] = 0;
}

function seat(sim: Sim, c: number, p: number): void {
  const w = sim.world;
  const s = sim.store;
  s.post[c] = p;
  sim.occupant[p] = c;
  const g = w.postRegion[p]!;
  s.region[c] = g;
  s.rank[c] = w.postRank[p]!;
  s.identity[c] = identityOfSystem(w.postSystem[p]!);
  s.domainsServed[c] = 1 << w.postDomain[p]!;
  s.levelsServed[c] = 1 << (w.level[g]! - 1);
  s.systemsServed[c] = 1 << w.postSystem[p]!;
}

const INIT_BASE_AGE = [22, 28, 35, 43];
const INIT_AGE_SPAN = [38, 32, 25, 17];
const INIT_FEMALE = [0.45, 0.35, 0.22, 0.12];

/** The initial population: a rough cross-section that the burn-in brings to steady state. */
export function initialPopulation(sim: Sim): void {
  const w = sim.world;
  const s = sim.store;
  const fill = sim.scenario.world.initialFill;
  const seedKey = hash2(sim.seed, INIT);
  for (let p = 0; p < w.nPosts; p++) {
    if (uniform(seedKey, p, 0) >= fill) continue;
    const c = s.allocate();
    s.key[c] = hash2(seedKey, p);
    s.id[c] = sim.nextId++;
    drawTraits(sim, c);
    seat(sim, c, p);
    const ib = drawBase(INIT, s.key[c]!);
    const r = w.postRank[p]!;
    const g = w.postRegion[p]!;
    s.female[c] = uniformAt(ib, 0) < INIT_FEMALE[r]! ? 1 : 0;
    const maxAge = s.female[c] && r < 2 ? 54 : 59;
    s.age[c] = Math.min(maxAge, INIT_BASE_AGE[r]! + Math.floor(uniformAt(ib, 1) * INIT_AGE_SPAN[r]!));
    s.home[c] = sampleHome(w, g, sim.behavior.recruitLocality, uniformAt(ib, 2), uniformAt(ib, 3));
    const career = s.age[c]! - 22;
    s.yearsInPost[c] = Math.floor(uniformAt(ib, 4) * Math.min(career + 1, 12));
    s.yearsInRank[c] = Math.min(career, s.yearsInPost[c]! + Math.floor(uniformAt(ib, 5) * 4));
    s.yearsInRegion[c] = Math.min(career, s.yearsInPost[c]! + Math.floor(uniformAt(ib, 6) * 10));
    // Some past experience, more for higher ranks.
    for (let d = 0; d < 8; d++) if (uniformAt(ib, 10 + d) < 0.08 * (1 + r)) s.domainsServed[c]! |= 1 << d;
    if (r >= 2 && w.level[g]! > 1 && uniformAt(ib, 20) < 0.4) s.levelsServed[c]! |= 1;
    if (uniformAt(ib, 21) < 0.05 * (1 + r)) s.systemsServed[c]! |= 1 << Math.floor(uniformAt(ib, 22) * 4);
    s.regionsServed[c] = 1 + (uniformAt(ib, 23) < 0.15 * (1 + r) ? 1 : 0);
    s.moves[c] = s.regionsServed[c]! - 1;
    s.lastMoveYear[c] = sim.year - s.yearsInPost[c]!;
    s.lastMoveType[c] = 0;
    s.ties[c] = 1 - Math.pow(1 - sim.behavior.tieGrowth, s.yearsInRegion[c]!);
    s.familyBurden[c] = s.familyPeak[c]! * lifeCycle(s.age[c]!);
  }
}

const RECRUIT = hashString('fill.recruit');

/** A recruit (公务员考试) into entry post p this year. Returns the new cadre's slot. */
export function recruit(sim: Sim, p: number): number {
  const w = sim.world;
  const s = sim.store;
  const c = s.allocate();
  s.key[c] = hash2(hash2(sim.seed, RECRUIT), hash2(sim.year, p));
  s.id[c] = sim.nextId++;
  drawTraits(sim, c);
  seat(sim, c, p);
  const rb = drawBase(RECRUIT, s.key[c]!);
  s.female[c] = uniformAt(rb, 0) < sim.behavior.femaleRecruitShare ? 1 : 0;
  s.age[c] = 22 + Math.floor(uniformAt(rb, 1) * 9);
  s.home[c] = sampleHome(w, w.postRegion[p]!, sim.behavior.recruitLocality, uniformAt(rb, 2), uniformAt(rb, 3));
  s.yearsInPost[c] = 0;
  s.yearsInRank[c] = 0;
  s.yearsInRegion[c] = 0;
  s.regionsServed[c] = 1;
  s.moves[c] = 0;
  s.lastMoveYear[c] = sim.year;
  s.lastMoveType[c] = 0;
  s.ties[c] = s.home[c] === w.postRegion[p] ? 0.3 : 0;
  s.familyBurden[c] = s.familyPeak[c]! * lifeCycle(s.age[c]!);
  s.moved[c] = 1;
  setBase(sim, c);
  sim.counters.recruits++;
  return c;
}
