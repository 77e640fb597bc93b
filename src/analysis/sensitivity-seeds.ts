/**
 * Common random numbers across design points. A sweep gives replicate k of
 * point p the run seed runSeed(seed_p, p, k) (random/hash.ts), which mixes in
 * the point so that points of an ordinary sweep are independent. Sensitivity
 * analysis wants the opposite: replicate k of every point should see the
 * same random numbers (runSeed(seed, 0, k)), so that the differences between
 * points are differences of parameters, not of luck (elementary effects and
 * Sobol indices of the replicate-averaged model rather than of its noise).
 * runSeed is a composition of invertible 32-bit mixers, so for each point
 * there is exactly one scenario seed seed_p with runSeed(seed_p, p, k) =
 * runSeed(seed, 0, k) for every k; crnPointSeed computes it. The scenario
 * seed is used only to derive run seeds, so this changes nothing else.
 */
import { runSeed } from '../random/hash.js';

// The constants of hash2 in random/hash.ts (checked at run time by crnPointSeed).
const K_A = 0x9e3779b9;
const K_B = 0x7f4a7c15;
const K_M = 0x27d4eb2f;
const C1 = 0x85ebca6b;
const C2 = 0xc2b2ae35;

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, C1);
  h ^= h >>> 13;
  h = Math.imul(h, C2);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Multiplicative inverse of an odd number modulo 2^32 (Newton's iteration). */
function inverseOdd(c: number): number {
  let x = c;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(c, x));
  return x >>> 0;
}
const INV_C1 = inverseOdd(C1);
const INV_C2 = inverseOdd(C2);

function unmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, INV_C2);
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, INV_C1);
  h ^= h >>> 16;
  return h >>> 0;
}

function hash2(a: number, b: number): number {
  return mix32(mix32(a ^ K_A) ^ Math.imul(b ^ K_B, K_M));
}

/** The scenario seed of design point `point` whose replicates share the run seeds of point 0 of a scenario seeded `seed`. */
export function crnPointSeed(seed: number, point: number): number {
  const target = hash2(seed >>> 0, 0);
  const inner = (unmix32(target) ^ Math.imul(point ^ K_B, K_M)) >>> 0;
  const s = (unmix32(inner) ^ K_A) >>> 0;
  if (runSeed(s, point, 0) !== runSeed(seed, 0, 0) || runSeed(s, point, 1) !== runSeed(seed, 0, 1)) {
    throw new Error('crnPointSeed: random/hash.ts runSeed changed; update src/analysis/sensitivity-seeds.ts');
  }
  return s;
}
