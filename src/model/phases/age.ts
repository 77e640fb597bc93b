/**
 * Phase 1, Age (MODEL.md §3.1).
 * Reads: age, tenures, ties, familyPeak. Writes: age, yearsInPost/Rank/Region,
 * ties (ties ← ties + (1 − ties)·tieGrowth), familyBurden (life cycle), and
 * clears the per-year working flags; sets each cadre's draw base for the
 * year (draws.ts).
 */
import type { Sim } from '../sim.js';
import { lifeCycle } from '../population.js';
import { drawBase } from '../../random/hash.js';
import { yearKey } from '../draws.js';

export function age(sim: Sim): void {
  const s = sim.store;
  const g = sim.behavior.tieGrowth;
  const kYear = (sim.yearKey = yearKey(sim));
  const base = sim.base;
  for (let c = 0; c < s.capacity; c++) {
    if (s.post[c]! < 0) continue;
    const a = s.age[c]! + 1;
    s.age[c] = a;
    if (s.yearsInPost[c]! < 255) s.yearsInPost[c]!++;
    if (s.yearsInRank[c]! < 255) s.yearsInRank[c]!++;
    if (s.yearsInRegion[c]! < 255) s.yearsInRegion[c]!++;
    const t = s.ties[c]!;
    s.ties[c] = t + (1 - t) * g;
    s.familyBurden[c] = s.familyPeak[c]! * lifeCycle(a);
    s.mover[c] = 0;
    s.withheld[c] = 0;
    s.target[c] = -1;
    s.moved[c] = 0;
    base[c] = drawBase(kYear, s.key[c]!);
  }
}
