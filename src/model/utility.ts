/**
 * A cadre's utility of serving at rank `rank` in region `g` (MODEL.md §4.1):
 *   wWage·ln(pay·(1+allowance) + housing·[away]) − wHome·dist(home, g)/distScale
 *   − familyBurden·relocationCost·(1 − familySupport)·[g ≠ current region]
 *   + wUrban·urban + wCareer·careerValue − stigma·[reverse]·(1 − stigmaRelief) + ε.
 * ε is a counter-based normal draw keyed by (cadre, region, rank), so the same
 * cadre sees the same noise for the same place within a year.
 */
import type { Sim } from './sim.js';
import { exchangedInRank } from './store.js';
import { normal } from '../random/hash.js';

/** A reverse move (逆向交流): to a region that pays less or to a lower region level (MODEL.md §4.1). */
export function isReverse(sim: Sim, from: number, to: number): boolean {
  const w = sim.world;
  return w.wageIndex[to]! < w.wageIndex[from]! - 1e-9 || w.level[to]! < w.level[from]!;
}

/**
 * Career value of a post: its rank, plus the promotion edge that the policy
 * gives exchange (bonus, and the veto for cadres who have never been exchanged).
 */
export function careerValue(sim: Sim, c: number, g: number, rank: number, system: number): number {
  const s = sim.store;
  const k = sim.k;
  let v = k.careerStep * rank;
  const exchange = g !== s.region[c] || system !== sim.world.postSystem[s.post[c]!];
  if (exchange) {
    v += 2 * k.promotionExchangeBonus;
    if (k.requireExchange && !exchangedInRank(s, c)) v += 0.5;
  }
  return v;
}

export function utility(sim: Sim, c: number, g: number, rank: number, system: number, noiseStream: number): number {
  const s = sim.store;
  const w = sim.world;
  const k = sim.k;
  const home = s.home[c]!;
  const cur = s.region[c]!;
  let u = s.wWage[c]! * (g === home ? sim.lnPayHome[g]! : sim.lnPayAway[g]!);
  const dx = w.x[home]! - w.x[g]!;
  const dy = w.y[home]! - w.y[g]!;
  u -= (s.wHome[c]! * Math.sqrt(dx * dx + dy * dy)) / k.distScale;
  if (g !== cur) {
    u -= s.familyBurden[c]! * k.relocationCost * (1 - k.familySupport);
    if (isReverse(sim, cur, g)) u -= k.stigma * (1 - k.stigmaRelief);
  }
  u += s.wUrban[c]! * w.urban[g]!;
  u += s.wCareer[c]! * careerValue(sim, c, g, rank, system);
  if (k.utilityNoise > 0) u += k.utilityNoise * normal(noiseStream, s.key[c]!, g * 4 + rank);
  return u;
}

/** Utility of the cadre's current post (no noise stream offset: its own post is index 0 of the noise counter space). */
export function currentUtility(sim: Sim, c: number, noiseStream: number): number {
  const s = sim.store;
  const post = s.post[c]!;
  return utility(sim, c, s.region[c]!, s.rank[c]!, sim.world.postSystem[post]!, noiseStream);
}
