/**
 * The Sobol low-discrepancy sequence (Sobol 1967; Bratley & Fox 1988,
 * Algorithm 659), with the direction numbers of Joe & Kuo (2008,
 * `new-joe-kuo-6.21201`) for dimensions 2–50. Saltelli sampling for Sobol
 * indices draws 2·d dimensions for d parameters, so this table serves up to
 * 25 parameters. Points are unscrambled and start with the origin (index 0),
 * as scipy.stats.qmc.Sobol(scramble=False) gives them; 32-bit resolution.
 */

/**
 * Joe–Kuo rows for dimensions 2..50: `s a m_1 … m_s`, where s is the degree of
 * the primitive polynomial, a encodes its inner coefficients and m_k are the
 * initial direction integers. Dimension 1 is van der Corput (all m_k = 1).
 */
const JOE_KUO = [
  '1 0 1', '2 1 1 3', '3 1 1 3 1', '3 2 1 1 1', '4 1 1 1 3 3', '4 4 1 3 5 13',
  '5 2 1 1 5 5 17', '5 4 1 1 5 5 5', '5 7 1 1 7 11 19', '5 11 1 1 5 1 1', '5 13 1 1 1 3 11', '5 14 1 3 5 5 31',
  '6 1 1 3 3 9 7 49', '6 13 1 1 1 15 21 21', '6 16 1 3 1 13 27 49', '6 19 1 1 1 15 7 5', '6 22 1 3 1 15 13 25', '6 25 1 1 5 5 19 61',
  '7 1 1 3 7 11 23 15 103', '7 4 1 3 7 13 13 15 69', '7 7 1 1 3 13 7 35 63', '7 8 1 3 5 9 1 25 53', '7 14 1 3 1 13 9 35 107',
  '7 19 1 3 1 5 27 61 31', '7 21 1 1 5 11 19 41 61', '7 28 1 3 5 3 3 13 69', '7 31 1 1 7 13 1 19 1', '7 32 1 3 7 5 13 19 59',
  '7 37 1 1 3 9 25 29 41', '7 41 1 3 5 13 23 1 55', '7 42 1 3 7 3 13 59 17', '7 50 1 3 1 3 5 53 69', '7 55 1 1 5 5 23 33 13',
  '7 56 1 1 7 7 1 61 123', '7 59 1 1 7 9 13 61 49', '7 62 1 3 3 5 3 55 33',
  '8 14 1 3 1 15 31 13 49 245', '8 21 1 3 5 15 31 59 63 97', '8 22 1 3 1 11 11 11 77 249', '8 38 1 3 1 11 27 43 71 9',
  '8 47 1 1 7 15 21 11 81 45', '8 49 1 3 7 3 25 31 65 79', '8 50 1 3 1 1 19 11 3 205', '8 52 1 1 5 9 19 21 29 157',
  '8 56 1 3 7 11 1 33 89 185', '8 67 1 3 3 3 15 9 79 71', '8 70 1 3 7 11 15 39 119 27', '8 84 1 1 3 1 11 31 97 225',
  '8 97 1 1 1 3 23 43 57 177',
];

export const SOBOL_MAX_DIMENSIONS = JOE_KUO.length + 1;
const BITS = 32;

/** Direction numbers V_1..V_32 of one dimension (1-based), as 32-bit integers. */
function directions(dim: number): Uint32Array {
  const v = new Uint32Array(BITS + 1);
  if (dim === 1) {
    for (let k = 1; k <= BITS; k++) v[k] = 2 ** (BITS - k);
    return v;
  }
  const nums = JOE_KUO[dim - 2]!.split(' ').map(Number);
  const s = nums[0]!;
  const a = nums[1]!;
  const m = nums.slice(2);
  for (let k = 1; k <= Math.min(s, BITS); k++) v[k] = (m[k - 1]! * 2 ** (BITS - k)) >>> 0;
  for (let k = s + 1; k <= BITS; k++) {
    let x = v[k - s]! ^ (v[k - s]! >>> s);
    for (let l = 1; l < s; l++) if ((a >>> (s - 1 - l)) & 1) x ^= v[k - l]!;
    v[k] = x >>> 0;
  }
  return v;
}

/**
 * The first `n` points (indices 0..n−1) of the `dims`-dimensional Sobol
 * sequence, each a row of `dims` numbers in [0, 1). Gray-code order, as in
 * Antonov & Saleev (1979): point i differs from point i−1 by one direction number.
 */
export function sobolPoints(n: number, dims: number): number[][] {
  if (!Number.isInteger(dims) || dims < 1 || dims > SOBOL_MAX_DIMENSIONS) {
    throw new RangeError(`Sobol dimensions must be 1..${SOBOL_MAX_DIMENSIONS}, not ${dims}`);
  }
  if (!Number.isInteger(n) || n < 0 || n > 2 ** BITS) throw new RangeError(`number of Sobol points must be 0..2^32, not ${n}`);
  const dirs = Array.from({ length: dims }, (_, j) => directions(j + 1));
  const x = new Uint32Array(dims);
  const out: number[][] = [];
  const scale = 2 ** -BITS;
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      // c = 1-based position of the lowest zero bit of i − 1.
      let c = 1;
      let value = i - 1;
      while (value % 2 === 1) {
        value = Math.floor(value / 2);
        c++;
      }
      for (let j = 0; j < dims; j++) x[j] = (x[j]! ^ dirs[j]![c]!) >>> 0;
    }
    out.push(Array.from(x, (xi) => xi * scale));
  }
  return out;
}
