/**
 * The `synthetic` preset (MODEL.md §2.1): any counts of provinces ×
 * prefectures × counties, for scale tests and teaching. Deterministic: pay
 * falls from the capital outward by `wageGradient`, positions on rings, and a
 * share of the remotest counties are hardship areas.
 */
import type { RegionSpec } from '../region-spec.js';

export interface SyntheticOptions {
  provinces: number;
  prefecturesPerProvince: number;
  countiesPerPrefecture: number;
  wageGradient: number;
  hardshipShare: number;
}

export function syntheticRegions(o: SyntheticOptions): RegionSpec[] {
  const out: RegionSpec[] = [];
  const nCounties = o.prefecturesPerProvince * o.countiesPerPrefecture;
  const nHardship = Math.round(o.hardshipShare * nCounties);
  for (let pv = 0; pv < o.provinces; pv++) {
    // Provinces on a line west to east, the east richer (a national gradient).
    const provWage = o.provinces === 1 ? 1 : 1 - o.wageGradient * (1 - pv / (o.provinces - 1)) * 0.5;
    const px = pv * 1200;
    const root = out.length;
    out.push({ code: `P${pv}`, name: `Province ${pv}`, parent: -1, level: 3, wageIndex: provWage, hardship: 0, urban: 0.8, x: px, y: 0, population: 1e6 * (1 + nCounties), minorityShare: 0 });
    // Remoteness rank of each county within the province decides hardship.
    const counties: { idx: number; remote: number }[] = [];
    for (let f = 0; f < o.prefecturesPerProvince; f++) {
      const ang = (2 * Math.PI * f) / Math.max(1, o.prefecturesPerProvince);
      const ring = 150 + 60 * (f % 3);
      const remoteF = f / Math.max(1, o.prefecturesPerProvince - 1);
      const fIdx = out.length;
      out.push({
        code: `P${pv}F${f}`, name: `Prefecture ${pv}.${f}`, parent: root, level: 2,
        wageIndex: provWage * (1 - 0.5 * o.wageGradient * remoteF), hardship: 0, urban: 0.6 - 0.2 * remoteF,
        x: px + ring * Math.cos(ang), y: ring * Math.sin(ang), population: 1e6, minorityShare: 0,
      });
      for (let c = 0; c < o.countiesPerPrefecture; c++) {
        const remoteC = (c + 1) / o.countiesPerPrefecture;
        const a2 = ang + (2 * Math.PI * c) / Math.max(1, o.countiesPerPrefecture);
        const r2 = 20 + 50 * remoteC;
        const remote = (remoteF + remoteC) / 2;
        counties.push({ idx: out.length, remote });
        out.push({
          code: `P${pv}F${f}C${c}`, name: `County ${pv}.${f}.${c}`, parent: fIdx, level: 1,
          wageIndex: provWage * (1 - o.wageGradient * remote), hardship: 0, urban: Math.max(0.1, 0.5 - 0.35 * remote),
          x: out[fIdx]!.x + r2 * Math.cos(a2), y: out[fIdx]!.y + r2 * Math.sin(a2), population: 3e5 * (1.2 - 0.5 * remote), minorityShare: 0,
        });
      }
    }
    counties.sort((a, b) => b.remote - a.remote || a.idx - b.idx);
    for (let k = 0; k < nHardship; k++) {
      // The remotest get the highest categories, up to 3.
      out[counties[k]!.idx]!.hardship = 1 + Math.min(2, Math.floor((3 * (nHardship - 1 - k)) / Math.max(1, nHardship)));
    }
  }
  return out;
}
