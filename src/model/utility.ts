/**
 * A cadre's utility of serving at rank `rank` in region `g` (MODEL.md §4.1):
 *   wWage·ln(pay·(1+allowance) + housing·[away]) − wHome·dist(home, g)/distScale
 *   − familyBurden·relocationCost·(1 − familySupport)·[g ≠ current region]
 *   + wUrban·urban + wCareer·careerValue − stigma·[reverse]·(1 − stigmaRelief) + ε.
 * ε is a counter-based normal draw keyed by (cadre, region, rank), so the same
 * cadre sees the same noise for the same place within a year.
 */
import type { Sim } from './sim.js';
import type { World } from '../world/world.js';
import { exchangedInRank } from './store.js';
import { normalAt } from '../random/hash.js';
import { D_NOISE } from './draws.js';

/**
 * The utility of one cadre at several places (apply looks at 4–7 per cadre,
 * a refusal at 2): the cadre's own terms are read once by load(), then at()
 * gives the utility of serving at a rank and system in a region, current()
 * that of the cadre's own post.
 */
export class CadreUtility {
  private c = 0;
  private home = 0;
  private homeX = 0;
  private homeY = 0;
  private cur = 0;
  private curRank = 0;
  private curSystem = 0;
  private wWage = 0;
  /** wHome / distScale. */
  private wHomeS = 0;
  private wUrban = 0;
  private wCareer = 0;
  /** familyBurden·relocationCost·(1 − familySupport). */
  private moveCost = 0;
  /** The cadre's draw base of the year (draws.ts), for the noise. */
  private base = 0;

  /** Distances between regions (km), home-major, where the world is small enough (distances()). */
  private readonly dist: Float64Array | undefined;
  private homeRow = 0;

  constructor(private readonly sim: Sim) {
    this.dist = distances(sim.world);
  }

  load(c: number): void {
    const sim = this.sim;
    const s = sim.store;
    const w = sim.world;
    const k = sim.k;
    this.c = c;
    const home = s.home[c]!;
    this.home = home;
    this.homeX = w.x[home]!;
    this.homeY = w.y[home]!;
    this.cur = s.region[c]!;
    this.curRank = s.rank[c]!;
    this.curSystem = w.postSystem[s.post[c]!]!;
    this.wWage = s.wWage[c]!;
    this.wHomeS = s.wHome[c]! / k.distScale;
    this.homeRow = home * w.nRegions;
    this.wUrban = s.wUrban[c]!;
    this.wCareer = s.wCareer[c]!;
    this.moveCost = s.familyBurden[c]! * k.relocationCost * (1 - k.familySupport);
    this.base = sim.base[c]!;
  }

  /** Utility of the loaded cadre at rank `rank` of system `system` in region g. */
  at(g: number, rank: number, system: number): number {
    const sim = this.sim;
    const w = sim.world;
    const k = sim.k;
    const cur = this.cur;
    let u = this.wWage * (g === this.home ? sim.lnPayHome[g]! : sim.lnPayAway[g]!);
    let d: number;
    if (this.dist) d = this.dist[this.homeRow + g]!;
    else {
      const dx = this.homeX - w.x[g]!;
      const dy = this.homeY - w.y[g]!;
      d = Math.sqrt(dx * dx + dy * dy);
    }
    u -= this.wHomeS * d;
    if (g !== cur) {
      u -= this.moveCost;
      // A reverse move (逆向交流): to a region that pays less or to a lower region level.
      if (w.wageIndex[g]! < w.wageIndex[cur]! - 1e-9 || w.level[g]! < w.level[cur]!) u -= k.stigma * (1 - k.stigmaRelief);
    }
    u += this.wUrban * w.urban[g]!;
    // Career value: the rank, plus the promotion edge that the policy gives exchange
    // (bonus, and the veto for cadres not exchanged at their current rank).
    let v = k.careerStep * rank;
    if (g !== cur || system !== this.curSystem) {
      v += 2 * k.promotionExchangeBonus;
      if (k.requireExchange && !exchangedInRank(sim.store, this.c)) v += 0.5;
    }
    u += this.wCareer * v;
    if (k.utilityNoise > 0) u += k.utilityNoise * normalAt(this.base, D_NOISE + g * 4 + rank);
    return u;
  }

  /** Utility of the loaded cadre's own post (its own region, rank and system). */
  current(): number {
    return this.at(this.cur, this.curRank, this.curSystem);
  }
}

/** Worlds of at most this many regions get a table of distances (at most 2 MiB). */
const MAX_TABLE_REGIONS = 512;
const tables = new WeakMap<World, Float64Array>();

/** The distance between every pair of regions, a·nRegions + b, for a world of at most MAX_TABLE_REGIONS regions (shared by the runs on it); undefined for a larger world. */
export function distances(w: World): Float64Array | undefined {
  if (w.nRegions > MAX_TABLE_REGIONS) return undefined;
  let t = tables.get(w);
  if (!t) {
    const n = w.nRegions;
    t = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
      const dx = w.x[a]! - w.x[b]!;
      const dy = w.y[a]! - w.y[b]!;
      t[a * n + b] = Math.sqrt(dx * dx + dy * dy);
    }
    tables.set(w, t);
  }
  return t;
}
