/**
 * The `gansu` world preset (MODEL.md §2.1): 甘肃省, its 14 prefectures (市州)
 * and 86 county-level units (县市区), built from the real data in data/ (see
 * data/README.md for sources and certainty). The tables are compiled into
 * src/world/data/gansu.ts by scripts/gen-presets.mjs so that nothing is read
 * from disk at run time.
 *
 * What is data and what is modelled (each RegionSpec says so in `provenance`):
 * - tree, names, codes: GB/T 2260 (data). 兰州新区 is left out: it is a
 *   statistical unit, not a county; 嘉峪关 is a prefecture without counties.
 * - wageIndex: prefectures = 2021 average wage / Lanzhou's (data); counties =
 *   the prefecture's index times a modelled county factor.
 * - urban, minorityShare, population: 2020 census by county (data); prefecture
 *   and province values are population-weighted aggregates of the census units.
 * - position: seat coordinates (data, GCJ-02, ≈0.5 km off WGS-84), projected.
 * - hardship: the 14 class-1 units of the 2006 list are data; every other
 *   class is modelled by the scoring rule in `modelledHardship` below.
 */
import type { RegionSpec } from '../region-spec.js';
import {
  GANSU_COUNTIES,
  GANSU_OTHER_CENSUS_UNITS,
  GANSU_PREFECTURES,
  GANSU_PROVINCE,
  type GansuCountyRow,
} from '../data/gansu.js';

/** Projection reference for Gansu (roughly the middle of the province). */
export const GANSU_LAT0 = 36;
export const GANSU_LON0 = 104;

/** km per degree of latitude (WGS-84 mean around 36°N). */
const KM_PER_DEG_LAT = 110.57;
/** km per degree of longitude at the equator. */
const KM_PER_DEG_LON_EQ = 111.32;

/**
 * Equirectangular projection to km (east, north) around (lat0, lon0).
 * Good to ~1% over one province, which is well inside what distances are used
 * for (MODEL.md §2.1: distances between regions for moving costs and ties).
 */
export function projectKm(lat: number, lon: number, lat0: number, lon0: number): { x: number; y: number } {
  const x = (lon - lon0) * KM_PER_DEG_LON_EQ * Math.cos((lat0 * Math.PI) / 180);
  const y = (lat - lat0) * KM_PER_DEG_LAT;
  return { x, y };
}

/**
 * Modelled pay of a county relative to its prefecture seat. No county pay data
 * exists in data/; public pay in a county seat is somewhat below the
 * prefecture seat, more so the more rural the county. Linear in rurality
 * (1 − urbanisation): 1.0 for a fully urban county, 0.92 for a fully rural one.
 */
export function countyWageFactor(urban: number): number {
  return 1 - 0.08 * (1 - urban);
}

/**
 * GB/T 2260 codes xxxx01–xxxx20 are the urban districts (市辖区) of a
 * prefecture city, and, in the two autonomous prefectures, their seat cities
 * (临夏市 622901, 合作市 623001). They are the prefecture seat's urban area and
 * get the prefecture's own pay index (no county discount).
 */
export function isSeatUnit(code: string): boolean {
  return Number(code.slice(4, 6)) < 21;
}

/** Hardship scoring rule for the counties whose class is not in the data. */
export const GANSU_HARDSHIP_RULE = {
  /** Remoteness: points per km from Lanzhou's seat, capped. */
  kmPerPoint: 300,
  maxRemoteness: 3,
  /** Minority share 0..1 → 0..2.5 points (Tibetan, Hui, Dongxiang, Mongol, Kazakh, Yugur areas). */
  minorityWeight: 2.5,
  /** Rurality (1 − urbanisation) 0..1 → 0..2 points. */
  ruralWeight: 2,
  /** Pay shortfall of the prefecture against Lanzhou, 0..0.2 → 0..1 point. */
  payWeight: 5,
  /** Below this score a county is outside the scheme (class 0). */
  inScheme: 0.8,
  /** Score at or above which a county in the scheme is class 3, and class 4. */
  class3: 3.5,
  class4: 4.5,
} as const;

export interface HardshipInputs {
  /** Distance from Lanzhou's seat, km. */
  km: number;
  urban: number;
  minorityShare: number;
  /** The prefecture's wage index (Lanzhou = 1). */
  prefectureWageIndex: number;
}

/** The hardship score of a county (higher = harder); see `modelledHardship`. */
export function hardshipScore(h: HardshipInputs): number {
  const r = GANSU_HARDSHIP_RULE;
  const remoteness = Math.min(r.maxRemoteness, h.km / r.kmPerPoint);
  const minority = r.minorityWeight * h.minorityShare;
  const rural = r.ruralWeight * (1 - h.urban);
  const pay = r.payWeight * Math.max(0, 1 - h.prefectureWageIndex);
  return remoteness + minority + rural + pay;
}

/**
 * Modelled hardship class (MODEL.md §2.1, §9) for a county that is not on the
 * class-1 list. The 2006 list (国人部发〔2006〕61号) gives Gansu exactly 14
 * class-1 units and that list is complete, so any other county is either
 * outside the scheme (0) or in class 2 or higher — never 1. The score adds
 * remoteness (distance from Lanzhou), minority share (a proxy for the Tibetan
 * plateau of Gannan and the Qilian range and for the poor Hui/Dongxiang areas
 * of Linxia; there is no altitude in data/), rurality and the prefecture's pay
 * shortfall. The 14 real class-1 units score 1.0–3.1 on this rule; only the
 * four central Lanzhou districts score below 0.8 (`inScheme`) and are left out
 * of the scheme. Above that: class 2 below 3.5, class 3 below 4.5, class 4
 * from 4.5. Capped at 4 because classes 5–6 are for the highest parts of
 * Tibet, Qinghai and Xinjiang.
 */
export function modelledHardship(h: HardshipInputs): number {
  const r = GANSU_HARDSHIP_RULE;
  const s = hardshipScore(h);
  if (s < r.inScheme) return 0;
  if (s < r.class3) return 2;
  if (s < r.class4) return 3;
  return 4;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

interface Unit {
  population: number;
  urban: number;
  minorityShare: number;
}

/** Population-weighted means of urbanisation and minority share. */
function weighted(units: readonly Unit[]): { population: number; urban: number; minorityShare: number } {
  let p = 0;
  let u = 0;
  let m = 0;
  for (const x of units) {
    p += x.population;
    u += x.population * x.urban;
    m += x.population * x.minorityShare;
  }
  return { population: p, urban: p > 0 ? u / p : 0, minorityShare: p > 0 ? m / p : 0 };
}

/**
 * The Gansu regions, parents before children: index 0 is the province, then
 * each prefecture followed by its counties (GB/T 2260 order). Pure: the same
 * array contents on every call.
 */
export function gansuRegions(): RegionSpec[] {
  const lanzhou = GANSU_PREFECTURES.find((p) => p.code === '620100');
  if (!lanzhou) throw new Error('gansu preset: 兰州市 missing from the data tables');
  const lanzhouPos = projectKm(lanzhou.lat, lanzhou.lon, GANSU_LAT0, GANSU_LON0);

  // All census units (counties, 兰州新区, 嘉峪关's 市辖区) for the aggregates:
  // the prefecture populations in data/ include 兰州新区, so its urbanisation
  // and minority share belong in Lanzhou's means too.
  const censusUnits: readonly (Unit & { prefectureCode: string })[] = [...GANSU_COUNTIES, ...GANSU_OTHER_CENSUS_UNITS];

  const regions: RegionSpec[] = [];
  const all = weighted(censusUnits);
  regions.push({
    code: GANSU_PROVINCE.code,
    name: GANSU_PROVINCE.name,
    nameEn: GANSU_PROVINCE.nameEn,
    parent: -1,
    level: 3,
    // The provincial organs sit in Lanzhou: the capital is the pay reference (≈ 1.0, MODEL.md §2.1).
    wageIndex: 1,
    // The hardship allowance goes by where a unit is located; Lanzhou's seat district is class 0.
    hardship: 0,
    urban: round(all.urban, 4),
    x: round(lanzhouPos.x, 3),
    y: round(lanzhouPos.y, 3),
    // Sum of the 14 prefectures = the official census total (includes 兰州新区).
    population: GANSU_PREFECTURES.reduce((a, p) => a + p.population, 0),
    minorityShare: round(all.minorityShare, 4),
    provenance: { wageIndex: 'data', hardship: 'modelled', urban: 'data', position: 'data', population: 'data' },
  });

  for (const p of GANSU_PREFECTURES) {
    const pIndex = regions.length;
    const pWage = p.wage2021 / lanzhou.wage2021;
    const pPos = projectKm(p.lat, p.lon, GANSU_LAT0, GANSU_LON0);
    const agg = weighted(censusUnits.filter((u) => u.prefectureCode === p.code));
    const counties = GANSU_COUNTIES.filter((c) => c.prefectureCode === p.code);

    const countyHardship = (c: { lat: number; lon: number; urban: number; minorityShare: number }): number => {
      const pos = projectKm(c.lat, c.lon, GANSU_LAT0, GANSU_LON0);
      return modelledHardship({
        km: Math.hypot(pos.x - lanzhouPos.x, pos.y - lanzhouPos.y),
        urban: c.urban,
        minorityShare: c.minorityShare,
        prefectureWageIndex: pWage,
      });
    };
    const classOf = (c: GansuCountyRow): number => c.hardshipClass ?? countyHardship(c);

    // A prefecture's organs sit in its seat unit and draw that unit's
    // allowance, so the prefecture node takes its seat's class (modelled even
    // where the seat's class is data, since the mapping is ours). 嘉峪关 has
    // no counties: its own census row is scored like a county.
    let hardship: number;
    if (counties.length > 0) {
      const seat = counties[0]!;
      if (!isSeatUnit(seat.code)) throw new Error(`gansu preset: first county of ${p.code} is not its seat`);
      hardship = classOf(seat);
    } else {
      hardship = countyHardship({ lat: p.lat, lon: p.lon, urban: agg.urban, minorityShare: agg.minorityShare });
    }

    regions.push({
      code: p.code,
      name: p.name,
      nameEn: p.nameEn,
      parent: 0,
      level: 2,
      wageIndex: round(pWage, 4),
      hardship,
      urban: round(agg.urban, 4),
      x: round(pPos.x, 3),
      y: round(pPos.y, 3),
      population: p.population,
      minorityShare: round(agg.minorityShare, 4),
      provenance: { wageIndex: 'data', hardship: 'modelled', urban: 'data', position: 'data', population: 'data' },
    });

    for (const c of counties) {
      const pos = projectKm(c.lat, c.lon, GANSU_LAT0, GANSU_LON0);
      const seat = isSeatUnit(c.code);
      regions.push({
        code: c.code,
        name: c.name,
        nameEn: c.nameEn,
        parent: pIndex,
        level: 1,
        wageIndex: round(seat ? pWage : pWage * countyWageFactor(c.urban), 4),
        hardship: classOf(c),
        urban: c.urban,
        x: round(pos.x, 3),
        y: round(pos.y, 3),
        population: c.population,
        minorityShare: c.minorityShare,
        provenance: {
          // Even for seat districts: applying the prefecture-wide average to
          // one district is an assumption, so no county index is 'data'.
          wageIndex: 'modelled',
          hardship: c.hardshipClass === null ? 'modelled' : 'data',
          urban: 'data',
          position: 'data',
          population: 'data',
        },
      });
    }
  }
  return regions;
}
