/**
 * The year's per-cadre draws from one base (docs/DESIGN.md "Randomness and
 * reproducibility"): at the start of each year the age phase hashes the
 * stream `cadre.year` of the year with the cadre's key once, into
 * Sim.base[c], and every draw the cadre makes that year in exit, appraise,
 * plan and apply — and the ownership draw wherever it is read — is
 * uniformAt(base, counter) or normalAt(base, counter) with its own counter
 * below. A draw is still a pure function of (run seed, year, cadre key,
 * purpose), so scenarios that differ only in policy share them (common random
 * numbers), at one full hash per cadre-year instead of one per draw.
 */
import { drawBase, streamKey } from '../random/hash.js';
import type { Sim } from './sim.js';

export const D_QUIT = 0;
export const D_DISMISS = 1;
export const D_APPRAISE = 2;
export const D_ENFORCE = 3;
export const D_CULTIVATION = 4;
export const D_SECONDMENT = 5;
export const D_SECOND_REGION = 6;
export const D_CARE = 7;
export const D_DISCIPLINE = 8;
export const D_OWNERSHIP = 9;
export const D_ELECTION = 10;
/** Whether a cadre looks at alternatives this year (apply). */
export const D_LOOK = 11;
/** The k-th alternative a cadre looks at is D_ALTERNATIVE + k, k = 1 … 2·alternatives (≤ 40). */
export const D_ALTERNATIVE = 16;
/**
 * The noise of a cadre's utility of serving at rank r in region g (utility.ts)
 * is D_NOISE + 4g + r: the same wherever it is read in the year; the draw of
 * whether the cadre refuses post q (fill) follows, at D_NOISE + 4·nRegions + q.
 */
export const D_NOISE = 64;

/** The counter of the draw of whether a cadre refuses post q. */
export function refusalCounter(sim: Sim, q: number): number {
  return D_NOISE + 4 * sim.world.nRegions + q;
}

/** The key of the year's cadre stream (set in Sim.yearKey by the age phase). */
export function yearKey(sim: Sim): number {
  return streamKey(sim.seed, 'cadre.year', sim.year);
}

/** Sets the draw base of cadre c (in post) for the current year. */
export function setBase(sim: Sim, c: number): void {
  sim.base[c] = drawBase(sim.yearKey, sim.store.key[c]!);
}
