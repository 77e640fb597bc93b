/**
 * A cadre's utility of serving at rank `rank` in region `g` (MODEL.md §4.1):
 *   wWage·ln(pay·(1+allowance) + housing·[away]) − wHome·dist(home, g)/distScale
 *   − familyBurden·relocationCost·(1 − familySupport)·[g ≠ current region]
 *   + wUrban·urban + wCareer·careerValue − stigma·[reverse]·(1 − stigmaRelief) + ε.
 * ε is a counter-based normal draw keyed by (cadre, region, rank), so the same
 * cadre sees the same noise for the same place within a year.
 */
import type { Sim } from './sim.js';
import { exchangedInRank } from './store.js';
import { drawBase, normalAt } from '../random/hash.js';

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
  private wHome = 0;
  private wUrban = 0;
  private wCareer = 0;
  /** familyBurden·relocationCost·(1 − familySupport). */
  private moveCost = 0;
  private key = 0;
  /** The noise stream last used for this cadre and its drawBase (NaN: none yet). */
  private noiseStream = NaN;
  private noiseBase = 0;

  constructor(private readonly sim: Sim) {}

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
    this.wHome = s.wHome[c]!;
    this.wUrban = s.wUrban[c]!;
    this.wCareer = s.wCareer[c]!;
    this.moveCost = s.familyBurden[c]! * k.relocationCost * (1 - k.familySupport);
    this.key = s.key[c]!;
    this.noiseStream = NaN;
  }

  /** Utility of the loaded cadre at rank `rank` of system `system` in region g. */
  at(g: number, rank: number, system: number, noiseStream: number): number {
    const sim = this.sim;
    const w = sim.world;
    const k = sim.k;
    const cur = this.cur;
    let u = this.wWage * (g === this.home ? sim.lnPayHome[g]! : sim.lnPayAway[g]!);
    const dx = this.homeX - w.x[g]!;
    const dy = this.homeY - w.y[g]!;
    u -= (this.wHome * Math.sqrt(dx * dx + dy * dy)) / k.distScale;
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
    if (k.utilityNoise > 0) {
      // A cadre's utilities at several places draw from one stream: hash its part once.
      if (noiseStream !== this.noiseStream) {
        this.noiseStream = noiseStream;
        this.noiseBase = drawBase(noiseStream, this.key);
      }
      u += k.utilityNoise * normalAt(this.noiseBase, g * 4 + rank);
    }
    return u;
  }

  /** Utility of the loaded cadre's own post (its own region, rank and system). */
  current(noiseStream: number): number {
    return this.at(this.cur, this.curRank, this.curSystem, noiseStream);
  }
}
