/**
 * Memory locality (docs/DESIGN.md "Speed"): every third year (COMPACT_EVERY in
 * simulate.ts) the store is reordered so
 * that the cadres of one region, and within it one rank, occupy neighbouring
 * slots. The fill phase draws candidates at random from (region, rank) pools;
 * with the pool's members side by side its reads stay in cache at a million
 * cadres. A counting sort: O(N), deterministic, and keyed draws make results
 * independent of slots except through the order of pool members.
 */
import type { Sim } from './sim.js';
import { N_RANKS } from '../world/constants.js';
import { scratch } from './scratch.js';

/** Its passes are functions of their own, so that V8 optimises each loop with its own type feedback. */
export function compact(sim: Sim): void {
  const s = sim.store;
  const count = countKeys(sim);
  // The order and the permutation's gather buffer live in the run's scratch buffer (no pools between years).
  const buf = scratch(sim, 8 * s.count);
  const order = new Int32Array(buf, 0, s.count);
  orderSlots(sim, count, order);
  s.permute(order, new Int32Array(buf, 4 * s.count, s.count));
  seatOccupants(sim);
}

/** Start of each (region, rank) key in the new order. */
function countKeys(sim: Sim): Int32Array {
  const s = sim.store;
  const nKeys = sim.world.nRegions * N_RANKS;
  const count = new Int32Array(nKeys + 1);
  for (let c = 0; c < s.capacity; c++) if (s.post[c]! >= 0) count[sim.world.postRegion[s.post[c]!]! * N_RANKS + s.rank[c]! + 1]!++;
  for (let k = 0; k < nKeys; k++) count[k + 1]! += count[k]!;
  return count;
}

function orderSlots(sim: Sim, count: Int32Array, order: Int32Array): void {
  const s = sim.store;
  for (let c = 0; c < s.capacity; c++) {
    const p = s.post[c]!;
    if (p >= 0) order[count[sim.world.postRegion[p]! * N_RANKS + s.rank[c]!]!++] = c;
  }
}

function seatOccupants(sim: Sim): void {
  const s = sim.store;
  const occ = sim.occupant;
  occ.fill(-1);
  for (let c = 0; c < s.count; c++) occ[s.post[c]!] = c;
}
