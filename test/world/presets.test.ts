import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gansuRegions, projectKm, GANSU_LAT0, GANSU_LON0 } from '../../src/world/presets/gansu.js';
import { nationalRegions, PROVINCE_HARDSHIP } from '../../src/world/presets/national.js';
import { GANSU_COUNTIES, GANSU_OTHER_CENSUS_UNITS, GANSU_PREFECTURES, GANSU_PROVINCE } from '../../src/world/data/gansu.js';
import { PROVINCES } from '../../src/world/data/national.js';
import type { RegionSpec } from '../../src/world/region-spec.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Structural checks every preset must pass (MODEL.md §2.1: a tree, parents first). */
function checkTree(regions: RegionSpec[]): void {
  const codes = new Set<string>();
  regions.forEach((r, i) => {
    expect(codes.has(r.code), `duplicate code ${r.code}`).toBe(false);
    codes.add(r.code);
    if (r.parent === -1) {
      expect(r.level).toBe(3);
    } else {
      expect(r.parent).toBeGreaterThanOrEqual(0);
      expect(r.parent).toBeLessThan(i);
      expect(r.level).toBe(regions[r.parent]!.level - 1);
    }
  });
}

/** Every value within its documented range (region-spec.ts). */
function checkRanges(regions: RegionSpec[]): void {
  for (const r of regions) {
    const at = `${r.code} ${r.name}`;
    expect(Number.isInteger(r.hardship) && r.hardship >= 0 && r.hardship <= 6, at).toBe(true);
    expect(r.urban, at).toBeGreaterThanOrEqual(0);
    expect(r.urban, at).toBeLessThanOrEqual(1);
    expect(r.minorityShare, at).toBeGreaterThanOrEqual(0);
    expect(r.minorityShare, at).toBeLessThanOrEqual(1);
    expect(Number.isInteger(r.population) && r.population > 0, at).toBe(true);
    expect(r.wageIndex, at).toBeGreaterThan(0);
    expect(Number.isFinite(r.x) && Number.isFinite(r.y), at).toBe(true);
  }
}

function children(regions: RegionSpec[], i: number): RegionSpec[] {
  return regions.filter((r) => r.parent === i);
}

describe('gansu preset', () => {
  const g = gansuRegions();
  const byCode = new Map(g.map((r) => [r.code, r]));
  const counties = g.filter((r) => r.level === 1);
  const prefectures = g.filter((r) => r.level === 2);

  it('has 1 province, 14 prefectures and 86 counties, parents before children', () => {
    expect(g.filter((r) => r.level === 3)).toHaveLength(1);
    expect(prefectures).toHaveLength(14);
    expect(counties).toHaveLength(86);
    expect(g[0]).toMatchObject({ code: '620000', name: '甘肃省', level: 3, parent: -1 });
    checkTree(g);
  });

  it('leaves out 兰州新区 and keeps 嘉峪关 as a prefecture without counties', () => {
    expect(g.some((r) => r.name.includes('兰州新区') || r.code === '620171')).toBe(false);
    const jyg = g.findIndex((r) => r.code === '620200');
    expect(g[jyg]).toMatchObject({ name: '嘉峪关市', level: 2 });
    expect(children(g, jyg)).toHaveLength(0);
    // Every other prefecture has counties.
    for (const p of prefectures) if (p.code !== '620200') expect(children(g, g.indexOf(p)).length).toBeGreaterThan(0);
  });

  it('has all values in range', () => {
    checkRanges(g);
    for (const r of g) {
      expect(r.wageIndex).toBeGreaterThan(0.7);
      expect(r.wageIndex).toBeLessThan(1.05);
    }
  });

  it('takes wageIndex from 2021 prefecture wages, Lanzhou = 1', () => {
    expect(byCode.get('620100')!.wageIndex).toBe(1);
    expect(g[0]!.wageIndex).toBe(1);
    // The max/min ratio across prefectures is the data's (MODEL.md §9: ≈ 1.3).
    const wages = GANSU_PREFECTURES.map((p) => p.wage2021);
    const dataRatio = Math.max(...wages) / Math.min(...wages);
    const idx = prefectures.map((p) => p.wageIndex);
    expect(Math.max(...idx) / Math.min(...idx)).toBeCloseTo(dataRatio, 3);
    expect(dataRatio).toBeCloseTo(92408 / 73337, 6); // 嘉峪关 / 陇南
    expect(dataRatio).toBeGreaterThan(1.2);
    expect(dataRatio).toBeLessThan(1.35);
    for (const p of prefectures) {
      const row = GANSU_PREFECTURES.find((x) => x.code === p.code)!;
      expect(p.wageIndex).toBeCloseTo(row.wage2021 / 92050, 4);
      expect(p.provenance?.wageIndex).toBe('data');
    }
  });

  it('pays counties 92–100% of their prefecture, seat districts 100%', () => {
    for (const c of counties) {
      const p = g[c.parent]!;
      expect(c.wageIndex).toBeLessThanOrEqual(p.wageIndex);
      expect(c.wageIndex).toBeGreaterThanOrEqual(0.92 * p.wageIndex - 1e-4);
      if (Number(c.code.slice(4)) < 21) expect(c.wageIndex).toBe(p.wageIndex);
      expect(c.provenance?.wageIndex).toBe('modelled');
    }
  });

  it('marks exactly the 14 class-1 units of the 2006 list as data', () => {
    const data = g.filter((r) => r.provenance?.hardship === 'data');
    expect(data).toHaveLength(14);
    for (const r of data) expect(r).toMatchObject({ level: 1, hardship: 1 });
    expect(data.map((r) => r.name).sort()).toEqual(
      ['红古区', '白银区', '秦州区', '麦积区', '西峰区', '庆城县', '合水县', '正宁县', '宁县', '崆峒区', '泾川县', '灵台县', '崇信县', '华亭市'].sort(),
    );
    // The class-1 list is complete, so no modelled county is class 1.
    for (const c of counties) if (c.provenance?.hardship === 'modelled') expect(c.hardship).not.toBe(1);
  });

  it('models the other hardship classes plausibly', () => {
    const inScheme = counties.filter((c) => c.hardship >= 1);
    // Most of Gansu's counties are in the scheme.
    expect(inScheme.length).toBeGreaterThanOrEqual(60);
    expect(Math.max(...counties.map((c) => c.hardship))).toBeLessThanOrEqual(4);
    // Central Lanzhou is out of the scheme; the far west and the Gannan plateau are high.
    for (const code of ['620102', '620103', '620104', '620105']) expect(byCode.get(code)!.hardship).toBe(0);
    for (const code of ['620923', '620924']) expect(byCode.get(code)!.hardship).toBeGreaterThanOrEqual(3); // 肃北, 阿克塞
    for (const c of counties.filter((c) => c.code.startsWith('6230'))) expect(c.hardship).toBeGreaterThanOrEqual(2); // 甘南
    // A prefecture takes its seat unit's class; the province sits in Lanzhou (class 0).
    expect(g[0]!.hardship).toBe(0);
    expect(byCode.get('620100')!.hardship).toBe(0);
    expect(byCode.get('623000')!.hardship).toBe(byCode.get('623001')!.hardship);
  });

  it('uses the 2020 census populations', () => {
    expect(g[0]!.population).toBe(25_019_831);
    expect(prefectures.reduce((a, p) => a + p.population, 0)).toBe(25_019_831);
    // 兰州新区 (288 200) is in Lanzhou's and Gansu's totals but in no county node.
    const xinqu = GANSU_OTHER_CENSUS_UNITS.find((u) => u.code === '620171')!;
    expect(xinqu.population).toBe(288_200);
    const leaves = g.filter((r, i) => r.level === 1 || children(g, i).length === 0);
    expect(leaves.reduce((a, r) => a + r.population, 0)).toBe(25_019_831 - 288_200);
    for (const p of prefectures) {
      const own = children(g, g.indexOf(p)).reduce((a, c) => a + c.population, 0);
      if (p.code === '620100') expect(own + 288_200).toBe(p.population);
      else if (p.code !== '620200') expect(own).toBe(p.population);
    }
    expect(byCode.get('620200')!.population).toBe(312_663);
  });

  it('aggregates urbanisation and minority share by population', () => {
    // Gansu's 2020 census urbanisation rate is 52.23%.
    expect(g[0]!.urban).toBeCloseTo(0.5223, 3);
    expect(byCode.get('620200')!.urban).toBeCloseTo(0.9443, 4);
    const gannan = byCode.get('623000')!;
    expect(gannan.minorityShare).toBeGreaterThan(0.5);
    for (const c of counties) {
      const row = GANSU_COUNTIES.find((x) => x.code === c.code)!;
      expect(c.urban).toBe(row.urban);
      expect(c.minorityShare).toBe(row.minorityShare);
    }
  });

  it('projects positions in km around 36°N 104°E, the province at Lanzhou', () => {
    const lz = byCode.get('620100')!;
    expect(g[0]!.x).toBe(lz.x);
    expect(g[0]!.y).toBe(lz.y);
    const p = projectKm(37, 105, GANSU_LAT0, GANSU_LON0);
    expect(p.x).toBeCloseTo(111.32 * Math.cos((36 * Math.PI) / 180), 6);
    expect(p.y).toBeCloseTo(110.57, 6);
    // 敦煌 is about 940 km west-north-west of Lanzhou.
    const dh = byCode.get('620982')!;
    expect(Math.hypot(dh.x - lz.x, dh.y - lz.y)).toBeGreaterThan(880);
    expect(Math.hypot(dh.x - lz.x, dh.y - lz.y)).toBeLessThan(1000);
  });

  it('is deterministic', () => {
    expect(gansuRegions()).toEqual(gansuRegions());
    expect(GANSU_PROVINCE.population).toBe(25_019_831);
  });
});

describe('national preset', () => {
  const n = nationalRegions();
  const provinces = n.filter((r) => r.level === 3);
  const byCode = new Map(n.map((r) => [r.code, r]));

  it('has 31 provinces, 11 prefectures each and 9 counties each by default', () => {
    expect(provinces).toHaveLength(31);
    for (const p of provinces) expect(p.parent).toBe(-1);
    expect(n.filter((r) => r.level === 2)).toHaveLength(31 * 11);
    expect(n.filter((r) => r.level === 1)).toHaveLength(31 * 11 * 9);
    checkTree(n);
    checkRanges(n);
    expect(provinces.map((p) => p.code)).toEqual(PROVINCES.map((p) => p.code));
  });

  it('keeps the real 2021 provincial pay ratios', () => {
    const bj = byCode.get('110000')!;
    const gs = byCode.get('620000')!;
    expect(bj.wageIndex / gs.wageIndex).toBeCloseTo(194651 / 84500, 3);
    const mean = PROVINCES.reduce((a, p) => a + p.avgWage2021, 0) / 31;
    expect(gs.wageIndex).toBeCloseTo(84500 / mean, 4);
    expect(provinces.reduce((a, p) => a + p.wageIndex, 0) / 31).toBeCloseTo(1, 3);
  });

  it('spreads prefectures within ±15% of their province (capital = province) and counties below them', () => {
    n.forEach((r, i) => {
      if (r.level !== 3) return;
      const prefs = children(n, i);
      expect(prefs[0]!.wageIndex).toBe(r.wageIndex);
      for (const pf of prefs) {
        expect(pf.wageIndex).toBeGreaterThanOrEqual(0.85 * r.wageIndex - 1e-4);
        expect(pf.wageIndex).toBeLessThanOrEqual(1.15 * r.wageIndex + 1e-4);
        for (const c of children(n, n.indexOf(pf))) {
          expect(c.wageIndex).toBeLessThanOrEqual(pf.wageIndex);
          expect(c.wageIndex).toBeGreaterThanOrEqual(0.92 * pf.wageIndex - 1e-4);
        }
      }
    });
  });

  it('splits the census population exactly', () => {
    expect(provinces.reduce((a, p) => a + p.population, 0)).toBe(1_411_778_724 - 2_000_000);
    n.forEach((r, i) => {
      const kids = children(n, i);
      if (kids.length > 0) expect(kids.reduce((a, c) => a + c.population, 0)).toBe(r.population);
    });
  });

  it('puts the high hardship classes in the west', () => {
    const classesOf = (code: string) => n.filter((r) => r.level === 1 && r.code.startsWith(code)).map((r) => r.hardship);
    for (const east of ['110000', '310000', '320000', '440000']) expect(Math.max(...classesOf(east))).toBe(0);
    expect(Math.min(...classesOf('540000'))).toBeGreaterThanOrEqual(3);
    expect(Math.max(...classesOf('540000'))).toBe(6);
    expect(Math.max(...classesOf('620000'))).toBe(4);
    const counties = n.filter((r) => r.level === 1);
    const share = counties.filter((r) => r.hardship > 0).length / counties.length;
    // About 984 of ~2 850 county-level units are in the 2006 scheme (35%).
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.4);
    expect(Object.keys(PROVINCE_HARDSHIP).sort()).toEqual(PROVINCES.map((p) => p.code).sort());
  });

  it('places the provinces at their capitals and keeps prefectures near them', () => {
    const bj = byCode.get('110000')!;
    const sh = byCode.get('310000')!;
    // Beijing–Shanghai is about 1 070 km.
    expect(Math.hypot(bj.x - sh.x, bj.y - sh.y)).toBeGreaterThan(950);
    expect(Math.hypot(bj.x - sh.x, bj.y - sh.y)).toBeLessThan(1200);
    const gs = n.indexOf(byCode.get('620000')!);
    for (const pf of children(n, gs).slice(1)) {
      const d = Math.hypot(pf.x - n[gs]!.x, pf.y - n[gs]!.y);
      expect(d).toBeGreaterThan(140);
      expect(d).toBeLessThan(360);
    }
  });

  it('is deterministic', () => {
    expect(nationalRegions()).toEqual(nationalRegions());
    expect(nationalRegions({ prefecturesPerProvince: 4, countiesPerPrefecture: 3 })).toEqual(
      nationalRegions({ prefecturesPerProvince: 4, countiesPerPrefecture: 3 }),
    );
  });

  it('follows the count options', () => {
    const small = nationalRegions({ prefecturesPerProvince: 3, countiesPerPrefecture: 2 });
    expect(small).toHaveLength(31 * (1 + 3 + 3 * 2));
    checkTree(small);
    checkRanges(small);
    const flat = nationalRegions({ prefecturesPerProvince: 1, countiesPerPrefecture: 0 });
    expect(flat).toHaveLength(62);
    checkTree(flat);
    checkRanges(flat);
    const big = nationalRegions({ prefecturesPerProvince: 40, countiesPerPrefecture: 40 });
    expect(big).toHaveLength(31 * (1 + 40 + 1600));
    // Cheap checks only (50 000 regions): every region non-empty, codes unique.
    expect(big.every((r) => Number.isInteger(r.population) && r.population > 0)).toBe(true);
    expect(new Set(big.map((r) => r.code)).size).toBe(big.length);
    expect(() => nationalRegions({ prefecturesPerProvince: 0 })).toThrow(RangeError);
    expect(() => nationalRegions({ countiesPerPrefecture: 2.5 })).toThrow(RangeError);
  });
});

describe('generated data tables', () => {
  it('are up to date with data/', () => {
    const res = spawnSync(process.execPath, ['scripts/gen-presets.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
