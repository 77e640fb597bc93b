/**
 * Phase 3, Appraise (年度考核, MODEL.md §3.3).
 * Reads: ability, experience sets. Writes: performance, perfPct (percentile
 * from a histogram, O(N), no sort), reserve (后备干部: young top performers).
 * performance = ability + skillBonus·diversity + noise.
 */
import type { Sim } from '../sim.js';
import { normalAt } from '../../random/hash.js';
import { D_APPRAISE } from '../draws.js';
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

/**
 * diversity() by the counts of domains, levels and systems served (each 0–8): the same
 * values, computed once, so that the yearly pass makes no division.
 */
const DIVERSITY = new Float64Array(9 * 9 * 9);
const ones = (k: number) => (1 << k) - 1;
for (let d = 0; d <= 8; d++) for (let l = 0; l <= 8; l++) for (let y = 0; y <= 8; y++) DIVERSITY[(d * 9 + l) * 9 + y] = diversity(ones(d), ones(l), ones(y));

/**
 * Three passes, each a function of its own, so that V8 optimises each loop with
 * its own type feedback (as one function it was optimised inside the first loop
 * and deoptimised at the second, every year).
 */
export function appraise(sim: Sim): void {
  const hist = new Float64Array(BINS);
  const n = scorePerformance(sim, hist);
  toPercentiles(hist, n);
  assignPercentiles(sim, hist);
}

const SCALE = BINS / (HI - LO);

function binOf(perf: number): number {
  const bin = Math.floor((perf - LO) * SCALE);
  return bin < 0 ? 0 : bin >= BINS ? BINS - 1 : bin;
}

/** Performance of every cadre, counted into the histogram; returns the number of cadres. */
function scorePerformance(sim: Sim, hist: Float64Array): number {
  const s = sim.store;
  const b = sim.behavior;
  const base = sim.base;
  let n = 0;
  for (let c = 0; c < s.capacity; c++) {
    if (s.post[c]! < 0) continue;
    const div = DIVERSITY[(popcount8(s.domainsServed[c]!) * 9 + popcount8(s.levelsServed[c]!)) * 9 + popcount8(s.systemsServed[c]!)]!;
    const perf = s.ability[c]! + b.skillBonus * div + b.performanceNoise * normalAt(base[c]!, D_APPRAISE);
    s.performance[c] = perf;
    hist[binOf(perf)]!++;
    n++;
  }
  return n;
}

/** Mid-rank percentile of each bin, in place. */
function toPercentiles(hist: Float64Array, n: number): void {
  let cum = 0;
  for (let i = 0; i < BINS; i++) {
    const h = hist[i]!;
    hist[i] = n > 0 ? (cum + h / 2) / n : 0.5;
    cum += h;
  }
}

function assignPercentiles(sim: Sim, hist: Float64Array): void {
  const s = sim.store;
  for (let c = 0; c < s.capacity; c++) {
    if (s.post[c]! < 0) continue;
    const pct = hist[binOf(s.performance[c]!)]!;
    s.perfPct[c] = pct;
    s.reserve[c] = s.age[c]! <= RESERVE_MAX_AGE && pct >= 1 - RESERVE_SHARE ? 1 : 0;
  }
}
