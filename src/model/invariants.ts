/**
 * The invariants of MODEL.md §8, checked every year with --check and in the
 * property tests. A violation throws InvariantError naming the year, the rule
 * and the cadre or post.
 */
import type { Sim } from './sim.js';

export class InvariantError extends Error {
  constructor(year: number, rule: string) {
    super(`invariant violated in ${year}: ${rule}`);
    this.name = 'InvariantError';
  }
}

/** The state of each slot at the end of the previous year, to check what may change in one year. */
export interface Snapshot {
  key: Uint32Array;
  rank: Uint8Array;
  age: Uint8Array;
  yearsInPost: Uint8Array;
  alive: Uint8Array;
  headcount: number;
}

export function snapshot(sim: Sim): Snapshot {
  const s = sim.store;
  const alive = new Uint8Array(s.capacity);
  for (let c = 0; c < s.capacity; c++) alive[c] = s.post[c]! >= 0 ? 1 : 0;
  return { key: s.key.slice(), rank: s.rank.slice(), age: s.age.slice(), yearsInPost: s.yearsInPost.slice(), alive, headcount: s.count };
}

export function checkInvariants(sim: Sim, prev: Snapshot | undefined): void {
  const s = sim.store;
  const w = sim.world;
  const fail = (rule: string) => { throw new InvariantError(sim.year, rule); };
  let alive = 0;
  for (let c = 0; c < s.capacity; c++) {
    const p = s.post[c]!;
    if (p < 0) continue;
    alive++;
    if (p >= w.nPosts) fail(`cadre ${c} holds post ${p}, which does not exist`);
    if (sim.occupant[p] !== c) fail(`cadre ${c} holds post ${p} but the post's occupant is ${sim.occupant[p]}`);
    if (s.rank[c] !== w.postRank[p]) fail(`cadre ${c} has rank ${s.rank[c]} in a post of rank ${w.postRank[p]}`);
    const seconded = s.secondRegion[c]! >= 0;
    if (!seconded && s.region[c] !== w.postRegion[p]) fail(`cadre ${c} serves in region ${s.region[c]} but its post is in ${w.postRegion[p]}`);
    if (seconded && s.region[c] !== s.secondRegion[c]) fail(`seconded cadre ${c} is not in its secondment region`);
    if (prev && prev.alive[c] && prev.key[c] === s.key[c]) {
      if (s.rank[c]! > prev.rank[c]! + 1) fail(`cadre ${c} rose from rank ${prev.rank[c]} to ${s.rank[c]} in one year`);
      if (s.age[c] !== prev.age[c]! + 1) fail(`cadre ${c} aged from ${prev.age[c]} to ${s.age[c]}`);
      const y = s.yearsInPost[c]!;
      if (y !== 0 && y !== Math.min(255, prev.yearsInPost[c]! + 1)) fail(`cadre ${c}'s years in post went from ${prev.yearsInPost[c]} to ${y}`);
    }
  }
  let occupied = 0;
  for (let p = 0; p < w.nPosts; p++) {
    const c = sim.occupant[p]!;
    if (c < 0) continue;
    occupied++;
    if (s.post[c] !== p) fail(`post ${p} lists occupant ${c}, who holds post ${s.post[c]}`);
  }
  if (occupied !== alive) fail(`${alive} cadres in post but ${occupied} posts occupied`);
  if (alive !== s.count) fail(`store counts ${s.count} cadres but ${alive} slots are in use`);
  const k = sim.counters;
  if (prev) {
    const exits = k.retirements + k.quits + k.dismissals;
    if (alive !== prev.headcount + k.recruits - exits) fail(`headcount ${alive} ≠ ${prev.headcount} + ${k.recruits} recruits − ${exits} exits`);
  }
}
