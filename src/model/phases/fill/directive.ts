/**
 * Directive matching (指令式调配) of the fill phase (phase 6, MODEL.md §3.6;
 * the phase: ../fill.ts): open posts of a rank are taken in queue order; each
 * offers itself to its shortlist's best score first, and a candidate may
 * refuse — with a probability rising with the utility lost (utility.ts),
 * falling with disciplineStrength, and for regulatory movers at
 * (1 − disciplineStrength) of that. A post no one takes is closed (chains.ts).
 * Reads: shortlists and scores, utilities. Writes: moves (chains.ts); draws of
 * the refusal stream.
 */
import { uniformAt } from '../../../random/hash.js';
import { refusalCounter } from '../../draws.js';
import { MT_REGULATORY } from '../../../world/constants.js';
import { closeUnfilled, move, moveType, popOpen } from './chains.js';
import { shortlist } from './shortlist.js';
import type { Ctx } from './state.js';

/** Whether cadre c, planned for a move of type `type` (its record's; 0: none), refuses post q. */
export function refuses(ctx: Ctx, c: number, q: number, type: number): boolean {
  const { sim } = ctx;
  const w = sim.world;
  const ds = sim.k.disciplineStrength;
  const regulatory = type === MT_REGULATORY;
  // The draw first: the probability of a refusal is at most (1 − ds), (1 − ds)² for a regulatory mover
  // (as computed below, rounding included), so a draw at or above that is no refusal whatever the
  // utilities, which are then not computed. The same draw and outcome as computing them first.
  const u = uniformAt(sim.base[c]!, refusalCounter(sim, q));
  if (u >= (regulatory ? (1 - ds) * (1 - ds) : 1 - ds)) return false;
  const cu = ctx.cu;
  cu.load(c);
  const loss = cu.current() - cu.at(w.postRegion[q]!, w.postRank[q]!, w.postSystem[q]!);
  if (loss <= 0) return false;
  let pr = Math.min(1, sim.k.refusalScale * loss) * (1 - ds);
  if (regulatory) pr *= 1 - ds;
  return u < pr;
}

export function fillDirective(ctx: Ctx, r: number): void {
  const { sim, st } = ctx;
  while (st.qHead[r]! < st.qTail[r]!) {
    const q = popOpen(st, r);
    if (sim.occupant[q]! >= 0) continue;
    const n = shortlist(ctx, q, r, st.openRegion, st.openSystem);
    let done = false;
    // Best score first; selection without sorting (shortlists are short).
    const tried = st.candPromo; // reuse: bit 2 marks tried
    for (let round = 0; round < n && !done; round++) {
      let bi = -1;
      for (let i = 0; i < n; i++) if (!(tried[i]! & 2) && (bi < 0 || st.candScore[i]! > st.candScore[bi]!)) bi = i;
      tried[bi] = tried[bi]! | 2;
      const c = st.cand[bi]!;
      if (refuses(ctx, c, q, st.candType[bi]!)) continue;
      move(sim, st, c, q, moveType(sim, c, q, (tried[bi]! & 1) === 1));
      done = true;
    }
    if (!done) closeUnfilled(ctx, q);
  }
}
