/**
 * One growable buffer per run for working arrays whose lives do not overlap
 * (memory, docs/DESIGN.md "Speed"): the fill phase's candidate pools (buckets.ts),
 * which live from the start of fill to its end, and the yearly reordering of
 * the store (compact.ts), which runs between years. At a million cadres the
 * pools take about 18 bytes per cadre; sharing the buffer keeps the
 * reordering from adding its 8 bytes per cadre on top at the peak.
 */
import type { Sim } from './sim.js';

/** The run's scratch buffer, at least `bytes` long (its contents are not kept when it grows). */
export function scratch(sim: Sim, bytes: number): ArrayBuffer {
  if (sim.scratch.byteLength < bytes) sim.scratch = new ArrayBuffer(Math.ceil((bytes * 1.05) / 8) * 8);
  return sim.scratch;
}
