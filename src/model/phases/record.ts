/**
 * Phase 8, Record (MODEL.md §3.8): the metrics of §5 for this year and, when
 * asked, one event row per move.
 * Reads: the store, posts, teams, the move log and the year's counters.
 * Writes: nothing in the state; returns the year's metric values.
 */
import type { Sim } from '../sim.js';
import { tally } from '../../metrics/tally.js';
import { computeMetrics } from '../../metrics/definitions.js';
import { MOVE_TYPES } from '../../world/constants.js';

export function record(sim: Sim): Float64Array {
  return computeMetrics(tally(sim));
}

export const EVENT_COLUMNS = ['year', 'cadre', 'type', 'from_post', 'to_post', 'from_region', 'to_region', 'from_rank', 'to_rank', 'reverse', 'downward'];

/** This year's moves as CSV rows (without the replicate column), in the order they happened. */
export function eventRows(sim: Sim): string[] {
  const w = sim.world;
  const log = sim.log;
  const rows: string[] = [];
  for (let i = 0; i < log.n; i++) {
    const gf = log.fromRegion[i]!, gt = log.toRegion[i]!;
    const reverse = gf !== gt && w.wageIndex[gt]! < w.wageIndex[gf]! - 1e-9 ? 1 : 0;
    const downward = w.level[gt]! < w.level[gf]! ? 1 : 0;
    rows.push(`${sim.year},${sim.store.key[log.cadre[i]!]},${MOVE_TYPES[log.type[i]!]},${log.fromPost[i]},${log.toPost[i]},${w.code[gf]},${w.code[gt]},${log.fromRank[i]},${log.toRank[i]},${reverse},${downward}`);
  }
  return rows;
}
