/**
 * Phase 7, Update (MODEL.md §3.7).
 * Reads: the move log. Writes, for everyone who moved: experience sets,
 * identity, regionsServed, ties (× tieCarry on a change of region), tenures
 * reset, moves, lastMoveYear/Type; returns from secondment (logged as
 * `return`); years vacant of posts.
 */
import type { Sim } from '../sim.js';
import { identityOfSystem, MT_RETURN, MT_SECONDMENT } from '../../world/constants.js';

export function update(sim: Sim): void {
  careers(sim);
  returns(sim);
  vacancies(sim);
}

// Three passes, each its own function so that each loop is optimised with its own type feedback.

/** Careers of everyone who moved, from the move log. */
function careers(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  const log = sim.log;
  const carry = sim.behavior.tieCarry;
  const nMoves = log.n;
  for (let i = 0; i < nMoves; i++) {
    const c = log.cadre[i]!;
    const to = log.toPost[i]!;
    const g = log.toRegion[i]!;
    s.domainsServed[c]! |= 1 << w.postDomain[to]!;
    s.levelsServed[c]! |= 1 << (w.level[g]! - 1);
    s.systemsServed[c]! |= 1 << w.postSystem[to]!;
    s.identity[c] = identityOfSystem(w.postSystem[to]!);
    if (g !== log.fromRegion[i]) {
      if (s.regionsServed[c]! < 255) s.regionsServed[c]!++;
      s.ties[c] = s.ties[c]! * carry;
      s.yearsInRegion[c] = 0;
    }
    if (log.type[i] !== MT_SECONDMENT) s.yearsInPost[c] = 0;
    if (log.toRank[i] !== log.fromRank[i]) s.yearsInRank[c] = 0;
    if (s.moves[c]! < 255) s.moves[c]!++;
    s.lastMoveYear[c] = sim.year;
    s.lastMoveType[c] = log.type[i]!;
  }
}

/** Returns from secondment (挂职): back to the home post, which was kept. */
function returns(sim: Sim): void {
  const s = sim.store;
  const w = sim.world;
  const carry = sim.behavior.tieCarry;
  for (let c = 0; c < s.capacity; c++) {
    if (s.post[c]! < 0 || s.secondRegion[c]! < 0 || s.moved[c]) continue;
    if (--s.secondmentLeft[c]! > 0) continue;
    const post = s.post[c]!;
    const home = w.postRegion[post]!;
    sim.log.push(c, post, post, s.secondRegion[c]!, home, s.rank[c]!, s.rank[c]!, MT_RETURN, s.yearsInPost[c]!, s.yearsInRank[c]!);
    s.secondRegion[c] = -1;
    s.region[c] = home;
    s.ties[c] = s.ties[c]! * carry;
    s.yearsInRegion[c] = 0;
  }
}

/** Years vacant of every post. */
function vacancies(sim: Sim): void {
  const w = sim.world;
  for (let q = 0; q < w.nPosts; q++) {
    if (sim.occupant[q]! < 0) { if (sim.yearsVacant[q]! < 65535) sim.yearsVacant[q]!++; }
    else sim.yearsVacant[q] = 0;
  }
}
