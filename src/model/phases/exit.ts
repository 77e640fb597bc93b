/**
 * Phase 2, Exit (MODEL.md §3.2).
 * Reads: age, sex, rank, region pay, satisfaction, ties, perfPct.
 * Writes: frees the slots of leavers and vacates their posts; counters; the exit log, if kept.
 * Retirement at the age limit (by sex and rank, optional 2025 raise); quits
 * with a hazard that rises with the gap between market pay (the region's
 * wageIndex) and the pay actually paid, and with dissatisfaction; dismissal
 * with a hazard that rises with local ties and poor appraisal.
 */
import type { Sim } from '../sim.js';
import { retirementAge } from '../sim.js';
import { uniformAt } from '../../random/hash.js';
import { D_DISMISS, D_QUIT } from '../draws.js';
import { EXIT_DISMISSAL, EXIT_QUIT, EXIT_RETIREMENT } from '../../world/constants.js';

/** What the pass reads by (sex, rank) and by region, computed once a year. */
export interface ExitTables {
  /** Retirement age at female·4 + rank. */
  retire: Uint8Array;
  /** Log pay gap by region: market pay over public pay received (only a shortfall drives quits). */
  gap: Float64Array;
  /**
   * The quit hazard's exponential for a cadre who is not dissatisfied, by region: most cadres are
   * not, and one Math.exp per cadre is a noticeable share of this pass at a million cadres.
   * (Same expression as in the loop with dis = 0, so the same value.)
   */
  expSatisfied: Float64Array;
}

export function exitTables(sim: Sim): ExitTables {
  const w = sim.world;
  const b = sim.behavior;
  const retire = new Uint8Array(8);
  for (let f = 0; f < 2; f++) for (let r = 0; r < 4; r++) retire[f * 4 + r] = retirementAge(sim.policy, f, r, sim.year);
  const gap = new Float64Array(w.nRegions);
  for (let g = 0; g < w.nRegions; g++) gap[g] = Math.max(0, Math.log(b.marketPay * w.wageIndex[g]!) - sim.lnPayHome[g]!);
  const expSatisfied = new Float64Array(w.nRegions);
  for (let g = 0; g < w.nRegions; g++) expSatisfied[g] = Math.exp(b.quitPayGap * gap[g]! + b.quitDissatisfaction * 0);
  return { retire, gap, expSatisfied };
}

export function exit(sim: Sim): void {
  const s = sim.store;
  const b = sim.behavior;
  const base = sim.base;
  const { retire, gap, expSatisfied } = exitTables(sim);
  for (let c = 0; c < s.capacity; c++) {
    const post = s.post[c]!;
    if (post < 0) continue;
    let leave = 0;
    if (s.age[c]! >= retire[s.female[c]! * 4 + s.rank[c]!]!) {
      leave = EXIT_RETIREMENT;
      sim.counters.retirements++;
    } else {
      const young = s.age[c]! < 35 ? 2 : 1;
      const dis = -s.satisfaction[c]!;
      const g = s.region[c]!;
      const e = dis > 0 ? Math.exp(b.quitPayGap * gap[g]! + b.quitDissatisfaction * dis) : expSatisfied[g]!;
      const hq = b.quitBase * young * e;
      if (uniformAt(base[c]!, D_QUIT) < hq) {
        leave = EXIT_QUIT;
        sim.counters.quits++;
      } else if (uniformAt(base[c]!, D_DISMISS) < b.dismissRate * s.ties[c]! * 2 * (1 - s.perfPct[c]!)) {
        leave = EXIT_DISMISSAL;
        sim.counters.dismissals++;
      }
    }
    if (leave) {
      sim.exitLog?.push(s.id[c]!, leave);
      sim.occupant[post] = -1;
      s.release(c);
    }
  }
}
