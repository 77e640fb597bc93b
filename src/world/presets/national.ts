/**
 * The `national` world preset (MODEL.md §2.1): the 31 provinces of mainland
 * China with their real 2021 pay gradient, each with synthetic prefectures and
 * counties. China has 333 prefecture-level and 2 844 county-level units
 * (MODEL.md §9); the defaults, 11 prefectures × 9 counties per province, give
 * 341 and 3 069.
 *
 * Data (src/world/data/national.ts, generated from data/, see data/README.md):
 * province codes and names (GB/T 2260), 2021 average wage of urban non-private
 * units (中国统计年鉴2022), 2020 census population, and the approximate
 * position and land area of each province (general knowledge, marked
 * approximate). Everything below the province is modelled, deterministically
 * (no Math.random: a fixed hash of the region codes), so every call returns the
 * same regions.
 */
import type { RegionSpec } from '../region-spec.js';
import { PROVINCES, type ProvinceRow } from '../data/national.js';
import { countyWageFactor, projectKm } from './gansu.js';

/** Projection reference for all of China. Equirectangular: distances are off by
 * up to ~15% at the far north and south, enough for moving costs between provinces. */
export const NATIONAL_LAT0 = 35;
export const NATIONAL_LON0 = 105;

export interface NationalOptions {
  /** Synthetic prefectures per province, the first being the capital (default 11). */
  prefecturesPerProvince?: number;
  /** Synthetic counties per prefecture, the first being its seat district (default 9). */
  countiesPerPrefecture?: number;
}

/**
 * Modelled hardship profile of each province (MODEL.md §2.1, §9): `share`, the
 * fraction of its county-level units in the 艰苦边远地区 scheme, and `lo`–`hi`,
 * the classes those units get (the least remote in the scheme get `lo`, the
 * most remote `hi`). The 2006 scheme (国人部发〔2006〕61号) has 984 of China's
 * ~2 850 county-level units (35%), 379 of them class 1. It covers the west and
 * parts of the centre and north-east; classes 5–6 exist only on the high
 * plateau (Tibet, Qinghai, Xinjiang, western Sichuan); even the capital
 * districts of Xinjiang and Ningxia are class 1, and all of Tibet and Qinghai
 * is in. The profiles are a modelling choice from that geography, not a list.
 * Gansu's matches the gansu preset (82 of 86 counties in the scheme, classes
 * 1–4). With these shares about 1 090 of the 3 069 default counties (35%) are
 * in the scheme, 40% of those in class 1.
 */
export interface HardshipProfile {
  readonly share: number;
  readonly lo: number;
  readonly hi: number;
}

export const PROVINCE_HARDSHIP: Readonly<Record<string, HardshipProfile>> = {
  '110000': { share: 0, lo: 0, hi: 0 }, // 北京
  '120000': { share: 0, lo: 0, hi: 0 }, // 天津
  '130000': { share: 0.15, lo: 1, hi: 2 }, // 河北 (northern uplands)
  '140000': { share: 0.3, lo: 1, hi: 2 }, // 山西
  '150000': { share: 1, lo: 1, hi: 4 }, // 内蒙古
  '210000': { share: 0, lo: 0, hi: 0 }, // 辽宁
  '220000': { share: 0.3, lo: 1, hi: 2 }, // 吉林
  '230000': { share: 0.6, lo: 1, hi: 3 }, // 黑龙江 (大兴安岭)
  '310000': { share: 0, lo: 0, hi: 0 }, // 上海
  '320000': { share: 0, lo: 0, hi: 0 }, // 江苏
  '330000': { share: 0, lo: 0, hi: 0 }, // 浙江
  '340000': { share: 0, lo: 0, hi: 0 }, // 安徽
  '350000': { share: 0, lo: 0, hi: 0 }, // 福建
  '360000': { share: 0.1, lo: 1, hi: 1 }, // 江西
  '370000': { share: 0, lo: 0, hi: 0 }, // 山东
  '410000': { share: 0, lo: 0, hi: 0 }, // 河南
  '420000': { share: 0.2, lo: 1, hi: 2 }, // 湖北 (western mountains)
  '430000': { share: 0.2, lo: 1, hi: 2 }, // 湖南 (western mountains)
  '440000': { share: 0, lo: 0, hi: 0 }, // 广东
  '450000': { share: 0.4, lo: 1, hi: 2 }, // 广西
  '460000': { share: 0.3, lo: 1, hi: 1 }, // 海南
  '500000': { share: 0.3, lo: 1, hi: 2 }, // 重庆
  '510000': { share: 0.5, lo: 1, hi: 5 }, // 四川 (western Tibetan areas)
  '520000': { share: 0.5, lo: 1, hi: 2 }, // 贵州
  '530000': { share: 0.7, lo: 1, hi: 4 }, // 云南
  '540000': { share: 1, lo: 3, hi: 6 }, // 西藏
  '610000': { share: 0.5, lo: 1, hi: 2 }, // 陕西
  '620000': { share: 0.95, lo: 1, hi: 4 }, // 甘肃
  '630000': { share: 1, lo: 2, hi: 6 }, // 青海
  '640000': { share: 1, lo: 1, hi: 3 }, // 宁夏
  '650000': { share: 1, lo: 1, hi: 6 }, // 新疆
};

/**
 * Skew of the class ladder: a unit at remoteness quantile q (0..1) among the
 * province's units in the scheme gets class lo + ⌊(hi − lo + 1) · q^1.5⌋, so
 * the lower classes are the commonest, as in the national scheme.
 */
const CLASS_SKEW = 1.5;

/** FNV-1a 32-bit hash of a string, mapped to [0, 1). Fixed, so the layout is reproducible. */
export function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * Splits `total` into integers proportional to `weights` (largest remainder),
 * so that children add up exactly to their parent. Every part is at least 1
 * when total ≥ the number of parts (the engine rejects empty regions).
 */
function split(total: number, weights: readonly number[]): number[] {
  const w = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((x) => (total * x) / w);
  const out = raw.map((x) => Math.max(1, Math.floor(x)));
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => ({ i, f: x - Math.floor(x) })).sort((a, b) => b.f - a.f || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k]!.i]! += 1;
  // Only when the minimum of 1 overshot (a tiny total): take back from the largest parts.
  while (rest < 0) {
    const big = out.indexOf(Math.max(...out));
    if (out[big]! <= 1) throw new RangeError(`national preset: population ${total} too small for ${weights.length} regions`);
    out[big]! -= 1;
    rest++;
  }
  return out;
}

/**
 * Modelled urbanisation of a province from its pay (richer = more urban; no
 * provincial urbanisation table in data/). 0.60 at the mean pay, +0.45 per
 * unit of log pay ratio, within [0.30, 0.90]. It gives Gansu 0.53 (census
 * 2020: 0.52); it overstates Tibet and Qinghai, whose average pay is raised by
 * plateau and hardship allowances rather than by urban jobs.
 */
export function provinceUrban(wageIndex: number): number {
  return clamp(0.6 + 0.45 * Math.log(wageIndex), 0.3, 0.9);
}

/** Pad an index 1.. to two digits (more if needed). */
function pad(i: number, n: number): string {
  return String(i).padStart(Math.max(2, String(n).length), '0');
}

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min || v > 1000) {
    throw new RangeError(`national preset: ${name} must be an integer from ${min} to 1000, got ${v}`);
  }
}

/**
 * The national regions, parents before children: each province followed by
 * its prefectures, each prefecture followed by its counties.
 */
export function nationalRegions(opts: NationalOptions = {}): RegionSpec[] {
  const nPref = opts.prefecturesPerProvince ?? 11;
  const nCounty = opts.countiesPerPrefecture ?? 9;
  checkCount('prefecturesPerProvince', nPref, 1);
  checkCount('countiesPerPrefecture', nCounty, 0);

  // MODEL.md §2.1: the province node stands for its capital; its wageIndex is
  // its 2021 average wage over the mean of the 31 provincial figures (103 232
  // yuan: Beijing 1.89, Gansu 0.82), so ratios between provinces are the real
  // ones (Beijing/Gansu 2.30, MODEL.md §9).
  const meanWage = PROVINCES.reduce((a, p) => a + p.avgWage2021, 0) / PROVINCES.length;

  const regions: RegionSpec[] = [];
  for (const prov of PROVINCES) buildProvince(regions, prov, meanWage, nPref, nCounty);
  return regions;
}

interface County {
  code: string;
  name: string;
  nameEn: string;
  wageIndex: number;
  urban: number;
  x: number;
  y: number;
  seat: boolean;
}

function buildProvince(regions: RegionSpec[], prov: ProvinceRow, meanWage: number, nPref: number, nCounty: number): void {
  const profile = PROVINCE_HARDSHIP[prov.code];
  if (!profile) throw new Error(`national preset: no hardship profile for ${prov.code}`);
  const pWage = prov.avgWage2021 / meanWage;
  const pUrban = provinceUrban(pWage);
  const centre = projectKm(prov.lat, prov.lon, NATIONAL_LAT0, NATIONAL_LON0);
  // Ring sizes scale with the province's linear size: Gansu (≈426 000 km²)
  // gets prefectures ≈ 160–360 km and counties 20–60 km from their centre, as in
  // the real province; Beijing and Shanghai proportionally less.
  const size = Math.sqrt(prov.areaKm2);
  const countyScale = Math.min(1, size / Math.sqrt(425_800));

  // Prefectures (the first is the capital, at the capital's position; the
  // others evenly round a ring, turned by a fixed per-province angle, with a
  // little jitter).
  const turn = 2 * Math.PI * hash01(`${prov.code}#turn`);
  const prefs = [];
  for (let i = 1; i <= nPref; i++) {
    const code = `${prov.code}-P${pad(i, nPref)}`;
    const capital = i === 1;
    // Pay spread: modelled within ±15% of the province value (MODEL.md §2.1),
    // skewed below the capital as Gansu's 2021 data are (other prefectures
    // 0.80–1.00 of Lanzhou): 0.85–1.00 of the province value.
    const factor = capital ? 1 : 0.85 + 0.15 * hash01(`${code}#wage`);
    const wageIndex = pWage * factor;
    // The capital prefecture is the most urban; the others sit below the
    // provincial figure and follow their pay.
    const urban = capital
      ? clamp(pUrban + 0.2, 0.1, 0.95)
      : clamp(pUrban + 0.6 * Math.log(factor) + 0.1 * (hash01(`${code}#urban`) - 0.5), 0.1, 0.95);
    let x = centre.x;
    let y = centre.y;
    if (!capital) {
      const step = (2 * Math.PI) / (nPref - 1);
      const angle = turn + step * (i - 2 + 0.3 * (hash01(`${code}#angle`) - 0.5));
      const r = size * (0.25 + 0.3 * hash01(`${code}#r`));
      x += r * Math.cos(angle);
      y += r * Math.sin(angle);
    }
    prefs.push({ code, i, capital, wageIndex, urban, x, y });
  }

  // Counties of each prefecture (the first is the seat district, at the
  // prefecture's position; the others on a ring round it).
  const countiesOf = prefs.map((pf) => {
    const out: County[] = [];
    const countyTurn = 2 * Math.PI * hash01(`${pf.code}#turn`);
    for (let j = 1; j <= nCounty; j++) {
      const code = `${pf.code}-C${pad(j, nCounty)}`;
      const seat = j === 1;
      // Seat district more urban than its prefecture, the other counties less
      // (in Gansu: seat districts 0.5–1.0, rural counties mostly 0.3–0.5).
      const urban = seat
        ? clamp(pf.urban + 0.25, 0.1, 0.98)
        : clamp(pf.urban - 0.08 + 0.2 * (hash01(`${code}#urban`) - 0.5), 0.08, 0.95);
      let x = pf.x;
      let y = pf.y;
      if (!seat) {
        const step = (2 * Math.PI) / (nCounty - 1);
        const angle = countyTurn + step * (j - 2 + 0.3 * (hash01(`${code}#angle`) - 0.5));
        const r = (20 + 40 * hash01(`${code}#r`)) * countyScale;
        x += r * Math.cos(angle);
        y += r * Math.sin(angle);
      }
      out.push({
        code,
        name: `${prov.name}·地区${pad(pf.i, nPref)}·县${pad(j, nCounty)}${seat ? '(驻地)' : ''}`,
        nameEn: `${prov.nameEn} P${pad(pf.i, nPref)} C${pad(j, nCounty)}${seat ? ' (seat)' : ''}`,
        // Counties below their prefecture as in the gansu preset.
        wageIndex: seat ? pf.wageIndex : pf.wageIndex * countyWageFactor(urban),
        urban,
        x,
        y,
        seat,
      });
    }
    return out;
  });

  // Modelled hardship (see PROVINCE_HARDSHIP): the province's units (its
  // counties, or its prefectures if they have none) ranked by remoteness
  // score = 0.6 · distance from the capital (relative to the farthest unit of
  // the province) + 0.4 · rurality; the top `share` are in the scheme, the
  // rest class 0; the capital's seat district ranks lowest.
  const leaves: readonly { code: string; x: number; y: number; urban: number }[] = countiesOf.flat().length > 0 ? countiesOf.flat() : prefs;
  const maxKm = Math.max(1, ...leaves.map((c) => Math.hypot(c.x - centre.x, c.y - centre.y)));
  const ranked = leaves
    .map((c) => ({ code: c.code, score: 0.6 * (Math.hypot(c.x - centre.x, c.y - centre.y) / maxKm) + 0.4 * (1 - c.urban) }))
    .sort((a, b) => a.score - b.score || (a.code < b.code ? -1 : 1));
  const inScheme = Math.round(profile.share * ranked.length);
  const hardshipOf = new Map<string, number>();
  ranked.forEach((c, k) => {
    const m = k - (ranked.length - inScheme); // position among the units in the scheme
    if (m < 0) {
      hardshipOf.set(c.code, 0);
    } else {
      const q = inScheme > 1 ? m / (inScheme - 1) : 0;
      hardshipOf.set(c.code, Math.min(profile.hi, profile.lo + Math.floor((profile.hi - profile.lo + 1) * q ** CLASS_SKEW)));
    }
  });
  const classOf = (code: string): number => hardshipOf.get(code) ?? 0;

  // Population: the census figure of the province (data) split by modelled
  // weights: the capital prefecture counts double, and within a prefecture its
  // seat district counts double; otherwise equal shares. Children add up
  // exactly to their parent.
  const prefPop = split(prov.population2020, prefs.map((p) => (p.capital ? 2 : 1)));

  // Like the gansu preset, a prefecture (and the province) takes the hardship
  // class of the unit its organs sit in: its seat district.
  const prefHardship = prefs.map((pf, k) => {
    const seat = countiesOf[k]![0];
    return classOf(seat ? seat.code : pf.code);
  });

  regions.push({
    code: prov.code,
    name: prov.name,
    nameEn: prov.nameEn,
    parent: -1,
    level: 3,
    wageIndex: round(pWage, 4),
    hardship: prefHardship[0]!,
    urban: round(pUrban, 4),
    x: round(centre.x, 3),
    y: round(centre.y, 3),
    population: prov.population2020,
    minorityShare: 0,
    provenance: { wageIndex: 'data', hardship: 'modelled', urban: 'modelled', position: 'data', population: 'data' },
  });
  const provIndex = regions.length - 1;

  prefs.forEach((pf, k) => {
    regions.push({
      code: pf.code,
      name: pf.capital ? `${prov.name}·${prov.capital}(省会)` : `${prov.name}·地区${pad(pf.i, nPref)}`,
      nameEn: pf.capital ? `${prov.nameEn} P${pad(pf.i, nPref)} (${prov.capitalEn})` : `${prov.nameEn} P${pad(pf.i, nPref)}`,
      parent: provIndex,
      level: 2,
      wageIndex: round(pf.wageIndex, 4),
      hardship: prefHardship[k]!,
      urban: round(pf.urban, 4),
      x: round(pf.x, 3),
      y: round(pf.y, 3),
      population: prefPop[k]!,
      minorityShare: 0,
      provenance: { wageIndex: 'modelled', hardship: 'modelled', urban: 'modelled', position: 'modelled', population: 'modelled' },
    });
    const prefIndex = regions.length - 1;
    const counties = countiesOf[k]!;
    const pops = counties.length > 0 ? split(prefPop[k]!, counties.map((c) => (c.seat ? 2 : 1))) : [];
    counties.forEach((c, j) => {
      regions.push({
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        parent: prefIndex,
        level: 1,
        wageIndex: round(c.wageIndex, 4),
        hardship: classOf(c.code),
        urban: round(c.urban, 4),
        x: round(c.x, 3),
        y: round(c.y, 3),
        population: pops[j]!,
        minorityShare: 0,
        provenance: { wageIndex: 'modelled', hardship: 'modelled', urban: 'modelled', position: 'modelled', population: 'modelled' },
      });
    });
  });
}
