/**
 * Phase 3, Appraise (年度考核, MODEL.md §3.3).
 * Reads: ability, experience sets. Writes: performance, perfPct (percentile
 * from a histogram, O(N), no sort), reserve (后备干部: young top performers).
 * performance = ability + skillBonus·diversity + noise.
 */
import type { Sim } from '../sim.js';
import { normal, streamKey } from '../../random/hash.js';
import { popcount8 } from '../../world/constants.js';

const BINS = 4096;
const LO = -6;
const HI = 10;
export const RESERVE_MAX_AGE = 40;
export const RESERVE_SHARE = 0.2;

/** Diversity of experience: extra domains, levels and systems served, each scaled to 0..1. */
export function diversity(domains: number, levels: number, systems: number): number {
  return (popcount8(domains) - 1) / 7 + (popcount8(levels) - 1) / 2 + (popcount8(systems) - 1) / 3;
}

export function appraise(sim: Sim): void {
  const s = sim.store;
  const b = sim.behavior;
  const key = streamKey(sim.seed, 'appraise', sim.year);
  const hist = new Float64Array(BINS);
  const scale = BINS / (HI - LO);
  let n = 0;
  for (let c = 0; c < s.capacity; c++) {
    if (s.post[c]! < 0) continue;
    const perf = s.ability[c]! + b.skillBonus * diversity(s.domainsServed[c]!, s.levelsServed[c]!, s.systemsServed[c]!) + b.performanceNoise * normal(key, s.key[c]!);
    s.performance[c] = perf;
    let bin = Math.floor((perf - LO) * scale);
    bin = bin < 0 ? 0 : bin >= BINS ? BINS - 1 : bin;
    hist[bin]!++;
    n++;
  }
  // Mid-rank percentile of each bin.
  let cum = 0;
  for (let i = 0; i < BINS; i++) {
    const h = hist[i]!;
    hist[i] = n > 0 ? (cum + h / 2) / n : 0.5;
    cum += h;
  }
  for (let c = 0; c < s.capacity; c++) {
    if (s.post[c]! < 0) continue;
    let bin = Math.floor((s.performance[c]! - LO) * scale);
    bin = bin < 0 ? 0 : bin >= BINS ? BINS - 1 : bin;
    const pct = hist[bin]!;
    s.perfPct[c] = pct;
    s.reserve[c] = s.age[c]! <= RESERVE_MAX_AGE && pct >= 1 - RESERVE_SHARE ? 1 : 0;
  }
}
