/**
 * The organisation's score of candidate c for post p (MODEL.md §4.2):
 *   performance + promotionExchangeBonus·exchangeExperience + fit(domain)
 *   − barrier(system) − barrier(level change) + localBias·[same unit].
 * The veto (requireExchangeForPromotion) is applied by the caller.
 */
import type { Sim } from './sim.js';
import { exchangeExperience } from './store.js';
import { identityOfSystem, SYS_BLOCK, SYS_LINE } from '../world/constants.js';

export function systemBarrier(sim: Sim, fromSystem: number, toSystem: number): number {
  if (fromSystem === toSystem) return 0;
  const bar = sim.policy.barriers;
  let x = bar.crossSystem;
  if ((fromSystem === SYS_LINE && toSystem === SYS_BLOCK) || (fromSystem === SYS_BLOCK && toSystem === SYS_LINE)) x += bar.lineBlock;
  if (identityOfSystem(fromSystem) !== identityOfSystem(toSystem)) x += bar.crossIdentity;
  return x;
}

export function score(sim: Sim, c: number, p: number): number {
  const s = sim.store;
  const w = sim.world;
  const b = sim.behavior;
  const from = s.post[c]!;
  let sc = s.performance[c]! + sim.policy.promotionExchangeBonus * exchangeExperience(s, c);
  if (s.domainsServed[c]! & (1 << w.postDomain[p]!)) sc += b.domainFit;
  sc -= systemBarrier(sim, w.postSystem[from]!, w.postSystem[p]!);
  const dl = w.level[w.postRegion[from]!]! - w.level[w.postRegion[p]!]!;
  sc -= sim.policy.barriers.crossLevel * (dl < 0 ? -dl : dl);
  if (w.postUnit[from] === w.postUnit[p]) sc += b.localBias;
  return sc;
}
