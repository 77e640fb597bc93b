/**
 * Phase 5, Apply (互动机制, 有交流意向登记, MODEL.md §3.5).
 * Reads: utilities of the current post and of sampled alternatives (§4.1,
 * stigma of reverse moves included), withheld. Writes: target (the region an
 * applicant registers for) and satisfaction. Planned movers also register
 * the region they would like best, so the organisation can place them there.
 * Without a registry a cadre only sees posts near by (its prefecture's
 * regions and the province); with the registry (open vacancy notices) it sees
 * the whole province and looks at twice as many alternatives.
 */
import type { Sim } from '../sim.js';
import { uniformAt } from '../../random/hash.js';
import { D_ALTERNATIVE, D_LOOK } from '../draws.js';
import { CadreUtility } from '../utility.js';
import { withheldBy } from './plan.js';
import { topRank } from '../../world/constants.js';

/** A region a cadre in g might look at: the k-th draw u from its field of view. */
export function alternativeRegion(sim: Sim, g: number, registry: boolean, u: number): number {
  const w = sim.world;
  if (registry) {
    const k = w.provinceIndex[g]!;
    const a = w.provRegionStart[k]!;
    return w.provRegions[a + Math.floor(u * (w.provRegionStart[k + 1]! - a))]!;
  }
  // Field of view without a registry: the province, the prefecture and the prefecture's counties.
  const pf = w.prefecture[g]!;
  const base = pf >= 0 ? pf : g;
  const a = w.childStart[base]!, nChild = w.childStart[base + 1]! - a;
  const n = nChild + (pf >= 0 ? 2 : 1);
  const i = Math.floor(u * n);
  if (i < nChild) return w.children[a + i]!;
  if (i === nChild) return base;
  return w.province[g]!;
}

export function apply(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  const p = sim.policy;
  const b = sim.behavior;
  const base = sim.base;
  const K = b.alternatives * (p.registry ? 2 : 1);
  const cu = new CadreUtility(sim);
  for (let c = 0; c < s.capacity; c++) {
    const post = s.post[c]!;
    if (post < 0 || s.secondRegion[c]! >= 0 || s.moved[c]) continue;
    // Planned movers always state where they would like to go (有交流意向登记); others look now and then, after a full term.
    const planned = s.mover[c]! > 0;
    if (!planned && s.yearsInPost[c]! < p.minTenure) continue;
    const look = base[c]!;
    if (!planned && uniformAt(look, D_LOOK) >= b.applyRate) continue;
    const g = s.region[c]!;
    const r = s.rank[c]!;
    const sys = w.postSystem[post]!;
    cu.load(c);
    const ucur = cu.current();
    let best = -Infinity;
    let bestG = -1;
    for (let k = 1; k <= K; k++) {
      const h = alternativeRegion(sim, g, p.registry, uniformAt(look, D_ALTERNATIVE + k));
      if (h === g || topRank(w.level[h]!) < r) continue;
      const uh = cu.at(h, r, sys);
      if (uh > best) { best = uh; bestG = h; }
    }
    if (bestG < 0) continue;
    s.satisfaction[c] = ucur - best;
    if (planned || (best - ucur > b.applyThreshold && !withheldBy(sim, c))) s.target[c] = bestG;
  }
}
