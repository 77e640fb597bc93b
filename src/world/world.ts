/**
 * The world as column arrays (MODEL.md §2.1–2.4): regions, units (region ×
 * system × domain) and posts by rank, with the indexes the yearly loop needs
 * (posts by region and rank, leadership teams, regions by province). Built
 * once per run from the scenario; read-only afterwards.
 */
import type { WorldConfig } from '../scenario/schema.js';
import { inputError } from '../scenario/errors.js';
import type { RegionSpec } from './region-spec.js';
import {
  DOM_DISCIPLINE, DOM_ECONOMY, DOM_LAW, DOM_ORGANISATION, DOM_PARTY, F_HEAD, F_KEY, F_LEADER, F_SECRETARY, F_TEAM,
  LEVEL_COUNTY, N_DOMAINS, N_RANKS, N_SYSTEMS, SYS_BLOCK, teamRank, topRank,
} from './constants.js';
import { gansuRegions } from './presets/gansu.js';
import { nationalRegions } from './presets/national.js';
import { syntheticRegions } from './presets/synthetic.js';

export interface World {
  nRegions: number;
  code: string[];
  name: string[];
  parent: Int32Array;
  level: Uint8Array;
  /** wageIndex as given (market pay); policy compression acts on a copy each year. */
  wageIndex: Float64Array;
  hardship: Uint8Array;
  urban: Float64Array;
  x: Float64Array;
  y: Float64Array;
  population: Float64Array;
  /** Root (province) of each region, and its index among the provinces. */
  province: Int32Array;
  provinceIndex: Int32Array;
  provinces: Int32Array;
  /** Prefecture of a county, the region itself for a prefecture, -1 for a province. */
  prefecture: Int32Array;
  childStart: Int32Array;
  children: Int32Array;
  /** Regions of each province (CSR by province index). */
  provRegionStart: Int32Array;
  provRegions: Int32Array;
  /** Counties of each province (CSR by province index), for secondments. */
  provCountyStart: Int32Array;
  provCounties: Int32Array;
  /** Cumulative population along `children` and `provCounties`, restarting at each parent / province: draws of home counties. */
  childPopCum: Float64Array;
  provCountyPopCum: Float64Array;

  nUnits: number;
  unitRegion: Int32Array;
  unitSystem: Uint8Array;
  unitDomain: Uint8Array;
  unitPostStart: Int32Array;

  nPosts: number;
  /** Region of each post: 16-bit when the world has fewer than 32 768 regions (regionColumn). */
  postRegion: RegionColumn;
  postUnit: Int32Array;
  postSystem: Uint8Array;
  postDomain: Uint8Array;
  postRank: Uint8Array;
  postFlags: Uint8Array;
  /** Leadership team posts of each region. */
  teamStart: Int32Array;
  teamPosts: Int32Array;
  /** The two heads (党政正职) of each region's team, -1 where none. */
  secretary: Int32Array;
  govHead: Int32Array;
  /** Posts at each rank over the whole world. */
  postsByRank: Int32Array;
}

export function distance(w: World, a: number, b: number): number {
  const dx = w.x[a]! - w.x[b]!;
  const dy = w.y[a]! - w.y[b]!;
  return Math.sqrt(dx * dx + dy * dy);
}

export function regionSpecs(cfg: WorldConfig): RegionSpec[] {
  switch (cfg.preset) {
    case 'gansu':
      return gansuRegions();
    case 'national':
      return nationalRegions(cfg.national);
    case 'synthetic':
      return syntheticRegions(cfg.synthetic);
    case 'explicit':
      return cfg.regions.map((r) => ({ ...r, minorityShare: 0 }));
  }
}

function checkRegions(specs: RegionSpec[], cfg: WorldConfig): void {
  const where = cfg.preset === 'explicit' ? 'world.regions' : `world.preset (${cfg.preset})`;
  if (specs.length === 0) throw inputError(where, [], 'at least one region (a province, level 3) is needed');
  const codes = new Set<string>();
  specs.forEach((r, i) => {
    const p = `${where}[${i}]`;
    if (codes.has(r.code)) throw inputError(`${p}.code`, r.code, 'region codes must be unique');
    codes.add(r.code);
    if (r.parent === -1) {
      if (r.level !== 3) throw inputError(`${p}.level`, r.level, 'a region without a parent must be a province (level 3)');
    } else {
      if (r.parent < 0 || r.parent >= i) throw inputError(`${p}.parent`, r.parent, `the index of an earlier region in the list (0..${i - 1}) or -1`);
      const pl = specs[r.parent]!.level;
      if (r.level !== pl - 1) throw inputError(`${p}.level`, r.level, `one level below its parent (level ${pl}), i.e. ${pl - 1}`);
    }
    if (!(r.population > 0)) throw inputError(`${p}.population`, r.population, 'a positive population (a zero-sized region cannot be simulated)');
  });
}

/**
 * Posts of each unit (system × domain, index system·8 + domain) at each rank
 * in a region of this level, from the template (MODEL.md §2.4). The template
 * times `scale` and the system's share is rounded by error diffusion across
 * the units, so a small scale keeps the region's pyramid instead of giving
 * every unit one post of every rank; each block unit keeps one post at the
 * team rank (its seat in the leadership team).
 */
export function unitPostCounts(cfg: WorldConfig, level: number): number[][] {
  const tpl = level === 1 ? cfg.posts.county : level === 2 ? cfg.posts.prefecture : cfg.posts.province;
  const tr = teamRank(level);
  const out: number[][] = Array.from({ length: N_SYSTEMS * N_DOMAINS }, () => new Array(topRank(level) + 1).fill(0));
  for (let r = 0; r <= topRank(level); r++) {
    let acc = 0;
    for (let s = 0; s < N_SYSTEMS; s++) {
      for (let d = 0; d < N_DOMAINS; d++) {
        const x = Math.max(0, tpl[r] ?? 0) * cfg.scale * cfg.systemShare[s]!;
        let n = Math.floor(acc + x + 1e-9) - Math.floor(acc + 1e-9);
        acc += x;
        if (s === SYS_BLOCK && r === tr && (tpl[r] ?? 0) > 0) n = Math.max(1, n);
        out[s * N_DOMAINS + d]![r] = n;
      }
    }
  }
  return out;
}

function checkTemplates(cfg: WorldConfig, specs: RegionSpec[]): void {
  const names = ['', 'county', 'prefecture', 'province'] as const;
  const levels = new Set(specs.map((s) => s.level));
  for (const level of levels) {
    const key = names[level] as 'county' | 'prefecture' | 'province';
    const tpl = cfg.posts[key];
    let total = 0;
    for (const unit of unitPostCounts(cfg, level)) for (const n of unit) total += n;
    if (total === 0) throw inputError(`world.posts.${key}`, tpl, `a ${key} would have no posts (a zero-sized region); give at least one post at some rank`);
    if (!(tpl[0]! > 0)) throw inputError(`world.posts.${key}[0]`, tpl[0], 'entry-rank posts must be positive: recruits enter at rank 0');
    if (!(cfg.systemShare[SYS_BLOCK]! > 0)) throw inputError('world.systemShare[0]', cfg.systemShare[0], 'the block system must have posts: leadership teams are block posts');
    const tr = teamRank(level);
    if (!(tpl[tr]! > 0)) throw inputError(`world.posts.${key}[${tr}]`, tpl[tr], `a ${key} needs posts at rank ${tr} for its leadership team`);
  }
}

/** A column of region indexes (or -1). */
export type RegionColumn = Int16Array | Int32Array;

/** A column of `length` region indexes: 16-bit when the world has fewer than 32 768 regions (every preset but huge synthetic ones). */
export function regionColumn(nRegions: number, length: number): RegionColumn {
  return nRegions <= 0x7fff ? new Int16Array(length) : new Int32Array(length);
}

export function buildWorld(cfg: WorldConfig): World {
  const specs = regionSpecs(cfg);
  checkRegions(specs, cfg);
  checkTemplates(cfg, specs);
  const n = specs.length;
  const parent = Int32Array.from(specs, (s) => s.parent);
  const level = Uint8Array.from(specs, (s) => s.level);
  const province = new Int32Array(n);
  const prefecture = new Int32Array(n);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    province[i] = p < 0 ? i : province[p]!;
    if (p < 0) roots.push(i);
    prefecture[i] = level[i] === 3 ? -1 : level[i] === 2 ? i : p;
  }
  const provinceIndex = new Int32Array(n);
  roots.forEach((r, k) => (provinceIndex[r] = k));
  for (let i = 0; i < n; i++) provinceIndex[i] = provinceIndex[province[i]!]!;

  const csr = (keyOf: (i: number) => number, nKeys: number, include: (i: number) => boolean) => {
    const start = new Int32Array(nKeys + 1);
    for (let i = 0; i < n; i++) if (include(i)) start[keyOf(i) + 1]!++;
    for (let k = 0; k < nKeys; k++) start[k + 1]! += start[k]!;
    const fill = start.slice(0, nKeys);
    const list = new Int32Array(start[nKeys]!);
    for (let i = 0; i < n; i++) if (include(i)) list[fill[keyOf(i)]!++] = i;
    return [start, list] as const;
  };
  const [childStart, children] = csr((i) => parent[i]!, n, (i) => parent[i]! >= 0);
  const [provRegionStart, provRegions] = csr((i) => provinceIndex[i]!, roots.length, () => true);
  const [provCountyStart, provCounties] = csr((i) => provinceIndex[i]!, roots.length, (i) => level[i] === LEVEL_COUNTY);
  const cumulate = (start: Int32Array, list: Int32Array) => {
    const cum = new Float64Array(list.length);
    for (let k = 0; k + 1 < start.length; k++) {
      let acc = 0;
      for (let i = start[k]!; i < start[k + 1]!; i++) cum[i] = acc += specs[list[i]!]!.population;
    }
    return cum;
  };
  const childPopCum = cumulate(childStart, children);
  const provCountyPopCum = cumulate(provCountyStart, provCounties);

  // Units and posts: contiguous by region, then system, then domain, then rank.
  // Count first, then fill typed arrays: no per-post JS arrays (a national world has millions of posts).
  const countsByLevel = [undefined, unitPostCounts(cfg, 1), unitPostCounts(cfg, 2), unitPostCounts(cfg, 3)];
  const perRegion = [0, 1, 2, 3].map((lv) => (lv === 0 ? 0 : countsByLevel[lv]!.reduce((a, unit) => a + unit.reduce((x, y) => x + y, 0), 0)));
  let nPosts = 0;
  for (let g = 0; g < n; g++) nPosts += perRegion[level[g]!]!;
  const nUnits = n * N_SYSTEMS * N_DOMAINS;
  const uRegion = new Int32Array(nUnits);
  const uSys = new Uint8Array(nUnits);
  const uDom = new Uint8Array(nUnits);
  const uStart = new Int32Array(nUnits + 1);
  const pRegion = regionColumn(n, nPosts);
  const pUnit = new Int32Array(nPosts);
  const pRank = new Uint8Array(nPosts);
  const pFlags = new Uint8Array(nPosts);
  const postSystem = new Uint8Array(nPosts);
  const postDomain = new Uint8Array(nPosts);
  const secretary = new Int32Array(n).fill(-1);
  const govHead = new Int32Array(n).fill(-1);
  const teamLists: number[][] = [];
  let p = 0;
  let u = 0;
  for (let g = 0; g < n; g++) {
    const lv = level[g]!;
    const tr = teamRank(lv);
    const team: number[] = [];
    const byUnit = countsByLevel[lv]!;
    for (let s = 0; s < N_SYSTEMS; s++) {
      for (let d = 0; d < N_DOMAINS; d++, u++) {
        const counts = byUnit[s * N_DOMAINS + d]!;
        uRegion[u] = g;
        uSys[u] = s;
        uDom[u] = d;
        uStart[u] = p;
        for (let r = 0; r < counts.length; r++) {
          for (let k = 0; k < counts[r]!; k++, p++) {
            let f = 0;
            if (r >= 1 && k === 0) {
              f |= F_LEADER;
              if (d === DOM_ORGANISATION || d === DOM_DISCIPLINE || d === DOM_LAW || d === DOM_ECONOMY) f |= F_KEY;
              if (s === SYS_BLOCK && r === tr) {
                f |= F_TEAM;
                team.push(p);
                if (d === DOM_PARTY) { f |= F_HEAD | F_KEY | F_SECRETARY; secretary[g] = p; }
                if (d === DOM_ECONOMY) { f |= F_HEAD | F_KEY; govHead[g] = p; }
              }
            }
            pRegion[p] = g;
            pUnit[p] = u;
            pRank[p] = r;
            pFlags[p] = f;
            postSystem[p] = s;
            postDomain[p] = d;
          }
        }
      }
    }
    teamLists.push(team);
  }
  uStart[nUnits] = p;
  const postsByRank = new Int32Array(N_RANKS);
  for (let p = 0; p < nPosts; p++) postsByRank[pRank[p]!]!++;
  for (let r = 1; r < N_RANKS; r++) {
    if (postsByRank[r]! > postsByRank[r - 1]!) {
      throw inputError('world.posts', cfg.posts, `an impossible pyramid: ${postsByRank[r]} posts at rank ${r} but only ${postsByRank[r - 1]} at rank ${r - 1} to promote from; each rank needs at most as many posts as the rank below (a larger world.scale keeps the pyramid)`);
    }
  }
  const teamStart = new Int32Array(n + 1);
  teamLists.forEach((t, g) => (teamStart[g + 1] = teamStart[g]! + t.length));
  const teamPosts = Int32Array.from(teamLists.flat());

  return {
    nRegions: n,
    code: specs.map((s) => s.code),
    name: specs.map((s) => s.name),
    parent,
    level,
    wageIndex: Float64Array.from(specs, (s) => s.wageIndex),
    hardship: Uint8Array.from(specs, (s) => s.hardship),
    urban: Float64Array.from(specs, (s) => s.urban),
    x: Float64Array.from(specs, (s) => s.x),
    y: Float64Array.from(specs, (s) => s.y),
    population: Float64Array.from(specs, (s) => s.population),
    province,
    provinceIndex,
    provinces: Int32Array.from(roots),
    prefecture,
    childStart,
    children,
    provRegionStart,
    provRegions,
    provCountyStart,
    provCounties,
    childPopCum,
    provCountyPopCum,
    nUnits,
    unitRegion: uRegion,
    unitSystem: uSys,
    unitDomain: uDom,
    unitPostStart: uStart,
    nPosts,
    postRegion: pRegion,
    postUnit: pUnit,
    postSystem,
    postDomain,
    postRank: pRank,
    postFlags: pFlags,
    teamStart,
    teamPosts,
    secretary,
    govHead,
    postsByRank,
  };
}
