/**
 * Counter-based random numbers (docs/DESIGN.md "Randomness and reproducibility").
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
  return hashAt(hash2(a, b), c);
}

/** hash3(a, b, c) from base = hash2(a, b). */
function hashAt(base: number, c: number): number {
  return mix32(base ^ Math.imul(c + 0x165667b1, 0x9e3779b1));
}

/**
 * The part of a draw that its stream and cadre key fix, for a cadre that makes
 * several draws from one stream: uniformAt(drawBase(stream, key), k) is
 * uniform(stream, key, k), and normalAt likewise normal(stream, key, k), at a
 * third of the hashing.
 */
export function drawBase(stream: number, key: number): number {
  return hash2(stream, key);
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
  return hashAt(hash2(stream, key), k) * INV32;
}

/** uniform(stream, key, k) from base = drawBase(stream, key). */
export function uniformAt(base: number, k: number): number {
  return hashAt(base, k) * INV32;
}

const TWO_26 = 67108864;
const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/** A uniform in (0, 1) with 53-bit resolution from the counters 2k and 2k + 1 of a draw base. */
export function uniform53(base: number, k: number): number {
  const a = Math.floor(uniformAt(base, 2 * k) * TWO_32) >>> 5;
  const b = Math.floor(uniformAt(base, 2 * k + 1) * TWO_32) >>> 6;
  return (a * TWO_26 + b + 0.5) / TWO_53;
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

// Normal draws by table lookup of the quantile function: one hash and no
// transcendental function per draw. 2^14 cells with linear interpolation; the
// tails are cut at the quantiles of 0.5/2^14 (|z| ≤ 3.8).
const NQ_BITS = 14;
const NQ_N = 1 << NQ_BITS;
const NQ = new Float64Array(NQ_N + 1);
for (let i = 0; i <= NQ_N; i++) NQ[i] = normalQuantile((i + 0.5) / (NQ_N + 1));

/** Standard normal from (stream key, cadre key, counter), by the tabulated quantile function. */
export function normal(stream: number, key: number, k = 0): number {
  return normalAt(hash2(stream, key), k);
}

/** normal(stream, key, k) from base = drawBase(stream, key). */
export function normalAt(base: number, k: number): number {
  const h = hashAt(base, k);
  const i = h >>> (32 - NQ_BITS);
  const f = (h & ((1 << (32 - NQ_BITS)) - 1)) * (1 / (1 << (32 - NQ_BITS)));
  const x = NQ[i]!;
  return x + (NQ[i + 1]! - x) * f;
}

/**
 * The key of the stream `name` in year `year` of the run with seed `runSeed`
 * (docs/DESIGN.md: streams are re-derived each year from run seed, name and year).
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
