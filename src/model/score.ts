/**
 * The organisation's score of candidate c for post p (MODEL.md §4.2):
 *   performance + promotionExchangeBonus·exchangeExperience + fit(domain)
 *   − barrier(system) − barrier(level change) + localBias·[same unit]
 *   + regionBias·[same region] (the organisation knows its own people best).
 * The veto (requireExchangeForPromotion) is applied by the caller.
 */
import type { Sim } from './sim.js';
import { exchangeExperience } from './store.js';
import { identityOfSystem, SYS_BLOCK, SYS_LINE } from '../world/constants.js';

export function systemBarrier(sim: Sim, fromSystem: number, toSystem: number): number {
  if (fromSystem === toSystem) return 0;
  const k = sim.k;
  let x = k.crossSystem;
  if ((fromSystem === SYS_LINE && toSystem === SYS_BLOCK) || (fromSystem === SYS_BLOCK && toSystem === SYS_LINE)) x += k.lineBlock;
  if (identityOfSystem(fromSystem) !== identityOfSystem(toSystem)) x += k.crossIdentity;
  return x;
}

export function score(sim: Sim, c: number, p: number): number {
  const s = sim.store;
  const w = sim.world;
  const from = s.post[c]!;
  return scoreOf(sim, s.performance[c]!, exchangeExperience(s, c), s.domainsServed[c]!, w.postSystem[from]!, s.region[c]!, w.postUnit[from]!, p);
}

/**
 * The score from the candidate's performance, exchange experience, domains
 * served and the system, region and unit of its current post (the fill phase
 * reads these from its pool records, buckets.ts).
 */
export function scoreOf(sim: Sim, performance: number, exchange: number, domains: number, fromSystem: number, fromRegion: number, fromUnit: number, p: number): number {
  const w = sim.world;
  const k = sim.k;
  let sc = performance + k.promotionExchangeBonus * exchange;
  if (domains & (1 << w.postDomain[p]!)) sc += k.domainFit;
  sc -= systemBarrier(sim, fromSystem, w.postSystem[p]!);
  const dl = w.level[fromRegion]! - w.level[w.postRegion[p]!]!;
  sc -= k.crossLevel * (dl < 0 ? -dl : dl);
  if (fromUnit === w.postUnit[p]) sc += k.localBias;
  if (fromRegion === w.postRegion[p]) sc += k.regionBias;
  return sc;
}
