/**
 * Counter-based random numbers (DESIGN.md "Randomness and reproducibility").
 *
 * A draw is a pure function of (stream key, cadre key, counter): no state is
 * carried between draws, so a phase that makes an extra draw for one cadre
 * never shifts the draws of another cadre, another phase or another year.
 * That is what gives common random numbers between scenarios that differ only
 * in policy. The mixer is the 32-bit finaliser of MurmurHash3 applied twice
 * with distinct odd constants between rounds; two independent 32-bit words
 * build a 53-bit double where full resolution matters.
 */

export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of two 32-bit words. */
export function hash2(a: number, b: number): number {
  return mix32(mix32(a ^ 0x9e3779b9) ^ Math.imul(b ^ 0x7f4a7c15, 0x27d4eb2f));
}

/** Hash of three 32-bit words. */
export function hash3(a: number, b: number, c: number): number {
  return mix32(hash2(a, b) ^ Math.imul(c + 0x165667b1, 0x9e3779b1));
}

/** FNV-1a of a string, then mixed: the id of a named stream. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

const INV32 = 1 / 4294967296;

/** Uniform in [0, 1) from (stream key, cadre key, counter). 32-bit resolution. */
export function uniform(stream: number, key: number, k = 0): number {
  return hash3(stream, key, k) * INV32;
}

/** Standard normal from (stream key, cadre key, counter), by Box–Muller on two words. */
export function normal(stream: number, key: number, k = 0): number {
  const a = hash3(stream, key, 2 * k);
  const b = hash3(stream, key, 2 * k + 1);
  const u1 = (a + 1) * INV32; // (0, 1]
  const u2 = b * INV32;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(6.283185307179586 * u2);
}

/**
 * The key of the stream `name` in year `year` of the run with seed `runSeed`
 * (DESIGN.md: streams are re-derived each year from run seed, name and year).
 */
export function streamKey(runSeed: number, name: string, year: number): number {
  return hash3(runSeed >>> 0, hashString(name), (year + 100000) >>> 0);
}

/**
 * The seed of replicate `rep` of design point `point` of a scenario seeded
 * with `seed`: a hash, so neighbouring replicates are unrelated.
 */
export function runSeed(seed: number, point: number, rep: number): number {
  return hash3(seed >>> 0, point >>> 0, rep >>> 0);
}
