/**
 * Phase 6, Fill (MODEL.md §3.6): open posts are filled top rank first, so
 * that each filling can open a post below (vacancy chains, White 1970).
 * Reads: vacancies, movers, applicants, promotion eligibility, scores (§4.2)
 * and utilities (§4.1). Writes: post/occupant/region/rank of movers, the move
 * log, vacancy-chain tallies, recruits.
 *
 * Candidates for a post of rank r in region g are drawn (a shortlist of
 * `shortlist` from each source) from indexes kept up to date as people move:
 * promotion-eligible cadres of rank r−1 of the post's system in g and in a
 * related region (parent, a child or a sibling: cross-level and cross-region
 * promotion), and a few of another system in g (cross-system promotion), planned
 * movers of the province (same system, and a few of another) at ranks r and
 * r−1, with a priority `planPriority` in the score, and applicants who registered for
 * g at ranks r and r−1; at rank 0 a recruit if no one else is taken. A mover's
 * own post opens only when the mover has a new post, so a mover who finds
 * nothing stays (and is overdue).
 *
 * Matching: `directive` takes the best score first and the candidate may
 * refuse (probability rising with the utility lost, falling with
 * disciplineStrength, regulatory movers at (1 − disciplineStrength) of that);
 * `two-way` runs deferred acceptance on each batch of open posts of a rank.
 */
import type { Sim } from '../sim.js';
import { CadreUtility } from '../utility.js';
import { Stream } from '../../random/stream.js';
import { streamKey } from '../../random/hash.js';
import { N_RANKS, N_SYSTEMS } from '../../world/constants.js';
import { systemBarrier } from '../score.js';
import { recruitProbability } from '../wages.js';
import { buildPools, FillState, isStale, type Ctx } from './fill/state.js';
import { startChains } from './fill/chains.js';
import { fillDirective } from './fill/directive.js';
import { fillTwoWay } from './fill/two-way.js';
import { rotate } from './fill/rotation.js';

// The phase is split by concern: state.ts (working memory, candidate pools), shortlist.ts (drawing,
// judging and scoring candidates), chains.ts (open-post queues, vacancy chains, moves), directive.ts
// and two-way.ts (the two matchings), rotation.ts (swaps of mandatory movers).
export { FillState } from './fill/state.js';
export { admissible } from './fill/shortlist.js';
export { move } from './fill/chains.js';

const states = new WeakMap<Sim, FillState>();

export function fill(sim: Sim): void {
  let st = states.get(sim);
  if (!st) { st = new FillState(sim); states.set(sim, st); }
  const p = sim.policy;
  st.byPrefecture = p.managementScope === 'one-level-down';
  buildPools(sim, st);
  st.moved.clear();
  startChains(sim, st);
  const ctx: Ctx = {
    sim, st,
    rng: new Stream(sim.seed, 'fill.shortlist', sim.year),
    kRecruit: streamKey(sim.seed, 'fill.recruit', sim.year),
    cu: new CadreUtility(sim),
    barrier: new Float64Array(N_SYSTEMS * N_SYSTEMS),
    recruitP: new Float64Array(sim.world.nRegions),
  };
  for (let g = 0; g < sim.world.nRegions; g++) ctx.recruitP[g] = recruitProbability(sim, g);
  for (let a = 0; a < N_SYSTEMS; a++) for (let b = 0; b < N_SYSTEMS; b++) ctx.barrier[a * N_SYSTEMS + b] = systemBarrier(sim, a, b);
  for (let r = N_RANKS - 1; r >= 0; r--) {
    if (p.matching === 'two-way') fillTwoWay(ctx, r);
    else fillDirective(ctx, r);
    rotate(ctx, r);
  }
  if (sim.check) checkLive(st);
}

/** Under --check: each pool key's live count equals its records that are not stale (MODEL.md §8). */
function checkLive(st: FillState): void {
  const start = st.pools.start;
  for (let key = 0; key < st.live.length; key++) {
    let n = 0;
    for (let i = start[key]!; i < start[key + 1]!; i++) if (!isStale(st, i)) n++;
    if (n !== st.live[key]) throw new Error(`invariant: pool key ${key} has ${n} live records, counted ${st.live[key]}`);
  }
}
