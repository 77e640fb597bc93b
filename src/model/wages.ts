/**
 * Wages and allowances (MODEL.md §4.3), recomputed each year from the policy
 * in force: pay index after compression (阳光工资), hardship allowance by
 * category, the log-pay terms of the utility, and each region's
 * attractiveness to a typical recruit (relative to the best of its province).
 */
import type { Sim } from './sim.js';
import { distance } from '../world/world.js';

export function allowanceShare(table: readonly number[], category: number): number {
  return category <= 0 ? 0 : table[Math.min(6, category) - 1] ?? 0;
}

export function updatePay(sim: Sim): void {
  const w = sim.world;
  const p = sim.policy;
  const b = sim.behavior;
  let mean = 0;
  for (let g = 0; g < w.nRegions; g++) mean += w.wageIndex[g]!;
  mean /= w.nRegions;
  for (let g = 0; g < w.nRegions; g++) {
    const pay = mean + (1 - p.wageCompression) * (w.wageIndex[g]! - mean);
    const a = allowanceShare(p.hardshipAllowance, w.hardship[g]!);
    sim.pay[g] = pay;
    sim.allowance[g] = a;
    sim.lnPayHome[g] = Math.log(pay * (1 + a));
    sim.lnPayAway[g] = Math.log(pay * (1 + a) + p.housingSupport);
    // A typical recruit's view of the region: mean weights, distance from the provincial capital as remoteness.
    const remote = distance(w, g, w.province[g]!) / b.distScale;
    sim.attract[g] = b.wWage.mean * sim.lnPayHome[g]! + b.wUrban.mean * w.urban[g]! - 0.5 * b.wHome.mean * remote;
  }
  // Attractiveness relative to the best region of the same province (≤ 0).
  const best = new Float64Array(w.provinces.length).fill(-Infinity);
  for (let g = 0; g < w.nRegions; g++) best[w.provinceIndex[g]!] = Math.max(best[w.provinceIndex[g]!]!, sim.attract[g]!);
  for (let g = 0; g < w.nRegions; g++) sim.attract[g] = sim.attract[g]! - best[w.provinceIndex[g]!]!;
}

/** Probability that an open entry post in region g is filled by a recruit this year. */
export function recruitProbability(sim: Sim, g: number): number {
  return sim.behavior.recruitFill * Math.exp(sim.behavior.recruitHardship * sim.attract[g]!);
}
