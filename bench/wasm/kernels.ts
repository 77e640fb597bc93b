/**
 * bench/wasm/kernels.ts — AssemblyScript, not part of the TypeScript build
 * (tsconfig excludes bench/wasm): WebAssembly ports of two of the engine's
 * streaming passes, for bench/wasm-probe.ts, which measures what a year loop
 * compiled to WebAssembly would gain over the same passes in JavaScript.
 *  - age, ageSimd: phase 1 (src/model/phases/age.ts) — the same columns
 *    written with the same values, the draw base by the same hash (MurmurHash3's
 *    32-bit finaliser, src/random/hash.ts); ageSimd 16 cadres a step with
 *    WebAssembly's 128-bit SIMD (ties and family burden computed in f64
 *    pairs and rounded to f32, as the JavaScript does), the rest by age.
 *  - exitDecide, exitDecideSimd: the decisions of phase 2
 *    (src/model/phases/exit.ts) — retirement, quit, dismissal, one code a slot
 *    (1, 2, 3; 0 none) and their counts — without freeing the slots;
 *    exitDecideSimd 4 cadres a step (the region's tables and the rare Math.exp
 *    lane by lane).
 * Built by bench/wasm/build.sh (AssemblyScript 0.28.20, pinned there) into
 * kernels.wasm, which is committed: rebuild it after changing this file.
 * Columns are passed as byte offsets into an imported memory.
 */
@inline function mix32(h: u32): u32 {
  h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16; return h;
}
@inline function hash2(a: u32, b: u32): u32 {
  return mix32(mix32(a ^ 0x9e3779b9) ^ ((b ^ 0x7f4a7c15) * 0x27d4eb2f));
}
@inline function uniformAt(base: u32, k: u32): f64 {
  return <f64>mix32(base ^ ((k + 0x165667b1) * 0x9e3779b1)) * (1.0 / 4294967296.0);
}
@inline function lifeCycle(age: f64): f64 {
  if (age < 25) return 0.2;
  if (age < 42) return 0.2 + (0.8 * (age - 25)) / 17;
  return Math.max(0.3, 1 - (0.7 * (age - 42)) / 18);
}
export function age(cap: i32, post: usize, ageC: usize, yip: usize, yir: usize, yireg: usize, ties: usize, peak: usize, burden: usize,
  mover: usize, withheld: usize, target: usize, moved: usize, key: usize, base: usize, g: f64, kYear: u32): void {
  for (let c: i32 = 0; c < cap; c++) {
    const o4 = <usize>c << 2, o1 = <usize>c, o2 = <usize>c << 1;
    if (load<i32>(post + o4) < 0) continue;
    const a = load<u8>(ageC + o1) + 1;
    store<u8>(ageC + o1, a);
    let v = load<u8>(yip + o1); if (v < 255) store<u8>(yip + o1, v + 1);
    v = load<u8>(yir + o1); if (v < 255) store<u8>(yir + o1, v + 1);
    v = load<u8>(yireg + o1); if (v < 255) store<u8>(yireg + o1, v + 1);
    const t = <f64>load<f32>(ties + o4);
    store<f32>(ties + o4, <f32>(t + (1 - t) * g));
    store<f32>(burden + o4, <f32>(<f64>load<f32>(peak + o4) * lifeCycle(<f64>(a & 0xff))));
    store<u8>(mover + o1, 0);
    store<u8>(withheld + o1, 0);
    store<i16>(target + o2, -1);
    store<u8>(moved + o1, 0);
    store<u32>(base + o4, hash2(kYear, load<u32>(key + o4)));
  }
}
export let retirements: i32 = 0;
export let quits: i32 = 0;
export let dismissals: i32 = 0;
// tables: retire (8 bytes), gap (f64 by region), expSat (f64 by region)
export function exitDecide(cap: i32, post: usize, ageC: usize, female: usize, rank: usize, region: usize, sat: usize, ties: usize, perfPct: usize,
  base: usize, out: usize, retire: usize, gap: usize, expSat: usize, quitBase: f64, quitPayGap: f64, quitDis: f64, dismissRate: f64): void {
  let nr = 0, nq = 0, nd = 0;
  for (let c: i32 = 0; c < cap; c++) {
    const o4 = <usize>c << 2, o1 = <usize>c;
    store<u8>(out + o1, 0);
    if (load<i32>(post + o4) < 0) continue;
    const a = load<u8>(ageC + o1);
    if (a >= load<u8>(retire + <usize>(load<u8>(female + o1) * 4 + load<u8>(rank + o1)))) { store<u8>(out + o1, 1); nr++; continue; }
    const young: f64 = a < 35 ? 2 : 1;
    const dis = -<f64>load<f32>(sat + o4);
    const g = <usize>load<i16>(region + (<usize>c << 1));
    const e = dis > 0 ? Math.exp(quitPayGap * load<f64>(gap + (g << 3)) + quitDis * dis) : load<f64>(expSat + (g << 3));
    const hq = quitBase * young * e;
    const b = load<u32>(base + o4);
    if (uniformAt(b, 0) < hq) { store<u8>(out + o1, 2); nq++; }
    else if (uniformAt(b, 1) < dismissRate * <f64>load<f32>(ties + o4) * 2 * (1 - <f64>load<f32>(perfPct + o4))) { store<u8>(out + o1, 3); nd++; }
  }
  retirements = nr; quits = nq; dismissals = nd;
}

// SIMD: 16 cadres a step (cap rounded down; the rest scalar).
@inline function mix32x4(h: v128): v128 {
  h = v128.xor(h, i32x4.shr_u(h, 16)); h = i32x4.mul(h, i32x4.splat(0x85ebca6b));
  h = v128.xor(h, i32x4.shr_u(h, 13)); h = i32x4.mul(h, i32x4.splat(0xc2b2ae35));
  return v128.xor(h, i32x4.shr_u(h, 16));
}
@inline function lifeCycle2(a: v128): v128 {
  const y = f64x2.add(f64x2.splat(0.2), f64x2.div(f64x2.mul(f64x2.splat(0.8), f64x2.sub(a, f64x2.splat(25))), f64x2.splat(17)));
  const o = f64x2.max(f64x2.splat(0.3), f64x2.sub(f64x2.splat(1), f64x2.div(f64x2.mul(f64x2.splat(0.7), f64x2.sub(a, f64x2.splat(42))), f64x2.splat(18))));
  const r = v128.bitselect(y, o, f64x2.lt(a, f64x2.splat(42)));
  return v128.bitselect(f64x2.splat(0.2), r, f64x2.lt(a, f64x2.splat(25)));
}
@inline function f32x4Map(t: v128, g: v128, peakOrTies: bool, lcLo: v128, lcHi: v128): v128 {
  // ties: t + (1 - t)·g in f64, rounded to f32; burden: peak · lc in f64, rounded.
  const lo = f64x2.promote_low_f32x4(t);
  const hi = f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 0, 1));
  let rlo: v128, rhi: v128;
  if (peakOrTies) { rlo = f64x2.add(lo, f64x2.mul(f64x2.sub(f64x2.splat(1), lo), g)); rhi = f64x2.add(hi, f64x2.mul(f64x2.sub(f64x2.splat(1), hi), g)); }
  else { rlo = f64x2.mul(lo, lcLo); rhi = f64x2.mul(hi, lcHi); }
  return i32x4.shuffle(f32x4.demote_f64x2_zero(rlo), f32x4.demote_f64x2_zero(rhi), 0, 1, 4, 5);
}
export function ageSimd(cap: i32, post: usize, ageC: usize, yip: usize, yir: usize, yireg: usize, ties: usize, peak: usize, burden: usize,
  mover: usize, withheld: usize, target: usize, moved: usize, key: usize, base: usize, g: f64, kYear: u32): void {
  const n16 = cap & ~15;
  const gv = f64x2.splat(g);
  const one8 = i8x16.splat(1);
  const kA = i32x4.splat(mix32(kYear ^ 0x9e3779b9));
  for (let c: i32 = 0; c < n16; c += 16) {
    const o1 = <usize>c, o2 = <usize>c << 1, o4 = <usize>c << 2;
    const p0 = v128.load(post + o4), p1 = v128.load(post + o4, 16), p2 = v128.load(post + o4, 32), p3 = v128.load(post + o4, 48);
    const d0 = i32x4.lt_s(p0, i32x4.splat(0)), d1 = i32x4.lt_s(p1, i32x4.splat(0)), d2 = i32x4.lt_s(p2, i32x4.splat(0)), d3 = i32x4.lt_s(p3, i32x4.splat(0));
    const dead16a = i16x8.narrow_i32x4_s(d0, d1), dead16b = i16x8.narrow_i32x4_s(d2, d3);
    const dead8 = i8x16.narrow_i16x8_s(dead16a, dead16b);
    // Nothing live in these 16: skip.
    if (i8x16.all_true(dead8)) continue;
    const aOld = v128.load(ageC + o1);
    const aNew = v128.bitselect(aOld, i8x16.add(aOld, one8), dead8);
    v128.store(ageC + o1, aNew);
    v128.store(yip + o1, v128.bitselect(v128.load(yip + o1), i8x16.add_sat_u(v128.load(yip + o1), one8), dead8));
    v128.store(yir + o1, v128.bitselect(v128.load(yir + o1), i8x16.add_sat_u(v128.load(yir + o1), one8), dead8));
    v128.store(yireg + o1, v128.bitselect(v128.load(yireg + o1), i8x16.add_sat_u(v128.load(yireg + o1), one8), dead8));
    v128.store(mover + o1, v128.and(v128.load(mover + o1), dead8));
    v128.store(withheld + o1, v128.and(v128.load(withheld + o1), dead8));
    v128.store(moved + o1, v128.and(v128.load(moved + o1), dead8));
    v128.store(target + o2, v128.bitselect(v128.load(target + o2), i16x8.splat(-1), dead16a));
    v128.store(target + o2, v128.bitselect(v128.load(target + o2, 16), i16x8.splat(-1), dead16b), 16);
    // ages as f64 pairs
    const a16lo = i16x8.extend_low_i8x16_u(aNew), a16hi = i16x8.extend_high_i8x16_u(aNew);
    for (let j = 0; j < 4; j++) {
      const a32 = j == 0 ? i32x4.extend_low_i16x8_u(a16lo) : j == 1 ? i32x4.extend_high_i16x8_u(a16lo) : j == 2 ? i32x4.extend_low_i16x8_u(a16hi) : i32x4.extend_high_i16x8_u(a16hi);
      const d = j == 0 ? d0 : j == 1 ? d1 : j == 2 ? d2 : d3;
      const off = <usize>(j << 4);
      const aLo = f64x2.convert_low_i32x4_u(a32), aHi = f64x2.convert_low_i32x4_u(i32x4.shuffle(a32, a32, 2, 3, 0, 1));
      const tOld = v128.load(ties + o4 + off);
      v128.store(ties + o4 + off, v128.bitselect(tOld, f32x4Map(tOld, gv, true, gv, gv), d));
      const bOld = v128.load(burden + o4 + off);
      v128.store(burden + o4 + off, v128.bitselect(bOld, f32x4Map(v128.load(peak + o4 + off), gv, false, lifeCycle2(aLo), lifeCycle2(aHi)), d));
      const kk = v128.load(key + o4 + off);
      const h = mix32x4(v128.xor(kA, i32x4.mul(v128.xor(kk, i32x4.splat(0x7f4a7c15)), i32x4.splat(0x27d4eb2f))));
      v128.store(base + o4 + off, v128.bitselect(v128.load(base + o4 + off), h, d));
    }
  }
  age(cap - n16, post + (<usize>n16 << 2), ageC + n16, yip + n16, yir + n16, yireg + n16, ties + (<usize>n16 << 2), peak + (<usize>n16 << 2), burden + (<usize>n16 << 2),
    mover + n16, withheld + n16, target + (<usize>n16 << 1), moved + n16, key + (<usize>n16 << 2), base + (<usize>n16 << 2), g, kYear);
}

@inline function u01x2(h: v128, hi: bool): v128 {
  // Two lanes of a u32x4 as f64 in [0,1).
  const v = hi ? i32x4.shuffle(h, h, 2, 3, 0, 1) : h;
  return f64x2.mul(f64x2.convert_low_i32x4_u(v), f64x2.splat(1.0 / 4294967296.0));
}
@inline function f32lanes(v: v128, hi: bool): v128 {
  return f64x2.promote_low_f32x4(hi ? i32x4.shuffle(v, v, 2, 3, 0, 1) : v);
}
@inline function narrow64to32(lo: v128, hi: v128): v128 {
  // Two f64x2 comparison masks (i64 lanes of all ones or zeros) into one i32x4 mask.
  return i32x4.shuffle(lo, hi, 0, 2, 4, 6);
}
export function exitDecideSimd(cap: i32, post: usize, ageC: usize, female: usize, rank: usize, region: usize, sat: usize, ties: usize, perfPct: usize,
  base: usize, out: usize, retire: usize, gap: usize, expSat: usize, quitBase: f64, quitPayGap: f64, quitDis: f64, dismissRate: f64): void {
  const n4 = cap & ~3;
  const retireT = v128.load(retire); // 8 entries used; swizzle indexes female·4 + rank
  let cr = i32x4.splat(0), cq = i32x4.splat(0), cd = i32x4.splat(0);
  const k0 = i32x4.splat(<i32>(<u32>0x165667b1 * <u32>0x9e3779b1));
  const k1 = i32x4.splat(<i32>((<u32>1 + <u32>0x165667b1) * <u32>0x9e3779b1));
  for (let c: i32 = 0; c < n4; c += 4) {
    const o1 = <usize>c, o2 = <usize>c << 1, o4 = <usize>c << 2;
    const live = i32x4.ge_s(v128.load(post + o4), i32x4.splat(0));
    if (!v128.any_true(live)) { v128.store32_lane(out + o1, i32x4.splat(0), 0); continue; }
    const a8 = v128.load32_zero(ageC + o1);
    const idx = i8x16.add(i8x16.shl(v128.load32_zero(female + o1), 2), v128.load32_zero(rank + o1));
    const ret8 = i8x16.ge_u(a8, i8x16.swizzle(retireT, idx));
    const ret = i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(ret8));
    const a32 = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(a8));
    const young32 = v128.bitselect(i32x4.splat(2), i32x4.splat(1), i32x4.lt_s(a32, i32x4.splat(35)));
    const s4 = v128.load(sat + o4);
    // e by lane: the region's value for the satisfied, exp(...) for the dissatisfied (scalar, rare).
    let e0: f64, e1: f64, e2: f64, e3: f64;
    const g0 = <usize>load<i16>(region + o2), g1 = <usize>load<i16>(region + o2, 2), g2 = <usize>load<i16>(region + o2, 4), g3 = <usize>load<i16>(region + o2, 6);
    const d0 = -<f64>f32x4.extract_lane(s4, 0), d1 = -<f64>f32x4.extract_lane(s4, 1), d2 = -<f64>f32x4.extract_lane(s4, 2), d3 = -<f64>f32x4.extract_lane(s4, 3);
    e0 = d0 > 0 ? Math.exp(quitPayGap * load<f64>(gap + (g0 << 3)) + quitDis * d0) : load<f64>(expSat + (g0 << 3));
    e1 = d1 > 0 ? Math.exp(quitPayGap * load<f64>(gap + (g1 << 3)) + quitDis * d1) : load<f64>(expSat + (g1 << 3));
    e2 = d2 > 0 ? Math.exp(quitPayGap * load<f64>(gap + (g2 << 3)) + quitDis * d2) : load<f64>(expSat + (g2 << 3));
    e3 = d3 > 0 ? Math.exp(quitPayGap * load<f64>(gap + (g3 << 3)) + quitDis * d3) : load<f64>(expSat + (g3 << 3));
    const eLo = f64x2.replace_lane(f64x2.splat(e0), 1, e1), eHi = f64x2.replace_lane(f64x2.splat(e2), 1, e3);
    const qb = f64x2.splat(quitBase);
    const hqLo = f64x2.mul(f64x2.mul(qb, f64x2.convert_low_i32x4_s(young32)), eLo);
    const hqHi = f64x2.mul(f64x2.mul(qb, f64x2.convert_low_i32x4_s(i32x4.shuffle(young32, young32, 2, 3, 0, 1))), eHi);
    const b4 = v128.load(base + o4);
    const h0 = mix32x4(v128.xor(b4, k0)), h1 = mix32x4(v128.xor(b4, k1));
    const quit = narrow64to32(f64x2.lt(u01x2(h0, false), hqLo), f64x2.lt(u01x2(h0, true), hqHi));
    const t4 = v128.load(ties + o4), p4 = v128.load(perfPct + o4);
    const dr = f64x2.splat(dismissRate), two = f64x2.splat(2), one = f64x2.splat(1);
    const thLo = f64x2.mul(f64x2.mul(f64x2.mul(dr, f32lanes(t4, false)), two), f64x2.sub(one, f32lanes(p4, false)));
    const thHi = f64x2.mul(f64x2.mul(f64x2.mul(dr, f32lanes(t4, true)), two), f64x2.sub(one, f32lanes(p4, true)));
    const dis = narrow64to32(f64x2.lt(u01x2(h1, false), thLo), f64x2.lt(u01x2(h1, true), thHi));
    const isRet = v128.and(live, ret);
    const isQuit = v128.andnot(v128.and(live, quit), ret);
    const isDis = v128.andnot(v128.andnot(v128.and(live, dis), ret), quit);
    cr = i32x4.sub(cr, isRet); cq = i32x4.sub(cq, isQuit); cd = i32x4.sub(cd, isDis);
    const code = v128.or(v128.or(v128.and(isRet, i32x4.splat(1)), v128.and(isQuit, i32x4.splat(2))), v128.and(isDis, i32x4.splat(3)));
    v128.store32_lane(out + o1, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(code, code), i16x8.splat(0)), 0);
  }
  const nr = i32x4.extract_lane(cr, 0) + i32x4.extract_lane(cr, 1) + i32x4.extract_lane(cr, 2) + i32x4.extract_lane(cr, 3);
  const nq = i32x4.extract_lane(cq, 0) + i32x4.extract_lane(cq, 1) + i32x4.extract_lane(cq, 2) + i32x4.extract_lane(cq, 3);
  const nd = i32x4.extract_lane(cd, 0) + i32x4.extract_lane(cd, 1) + i32x4.extract_lane(cd, 2) + i32x4.extract_lane(cd, 3);
  exitDecide(cap - n4, post + (<usize>n4 << 2), ageC + n4, female + n4, rank + n4, region + (<usize>n4 << 1), sat + (<usize>n4 << 2), ties + (<usize>n4 << 2), perfPct + (<usize>n4 << 2),
    base + (<usize>n4 << 2), out + n4, retire, gap, expSat, quitBase, quitPayGap, quitDis, dismissRate);
  retirements += nr; quits += nq; dismissals += nd;
}
