import { describe, expect, it } from 'vitest';
import { emptySim, fillRest, place, postOf } from '../helpers.js';
import { age } from '../../src/model/phases/age.js';
import { exit } from '../../src/model/phases/exit.js';
import { appraise } from '../../src/model/phases/appraise.js';
import { NEED_FEMALE, plan } from '../../src/model/phases/plan.js';
import { apply } from '../../src/model/phases/apply.js';
import { fill } from '../../src/model/phases/fill.js';
import { update } from '../../src/model/phases/update.js';
import { MT_ELECTION, MT_CULTIVATION, MT_CARE, MT_DISCIPLINARY, MT_PROMOTION, MT_REGULATORY, MT_RETURN, MT_SECONDMENT, MT_VOLUNTARY, DOM_DISCIPLINE, F_KEY } from '../../src/world/constants.js';
import { checkInvariants } from '../../src/model/invariants.js';

const QUIET = {
  behavior: { utilityNoise: 0, performanceNoise: 0, refusalScale: 0, quitBase: 0, dismissRate: 0, applyRate: 0, recruitFill: 1, recruitHardship: 0 },
  policy: { structuralTargets: { rate: 0 }, cultivationRate: 0, careRate: 0, disciplineRate: 0, electionQuota: 0, managementScope: 'province' as const },
};
const A = 2, B = 3, F = 1;
const AGRI = 5, SOCIAL = 6;

describe('age', () => {
  it('adds a year to age and tenures and grows ties toward 1', () => {
    const sim = emptySim(QUIET);
    const c = place(sim, postOf(sim, A, 0), { age: 30, yearsInPost: 2, yearsInRank: 3, yearsInRegion: 4, ties: 0.5 });
    age(sim);
    const s = sim.store;
    expect([s.age[c], s.yearsInPost[c], s.yearsInRank[c], s.yearsInRegion[c]]).toEqual([31, 3, 4, 5]);
    expect(s.ties[c]).toBeCloseTo(0.5 + 0.5 * sim.behavior.tieGrowth, 6);
  });
});

describe('exit', () => {
  it('retires men at 60 and women below division rank at 55, and vacates their posts', () => {
    const sim = emptySim(QUIET);
    const p1 = postOf(sim, A, 0), p2 = postOf(sim, A, 1), p3 = postOf(sim, B, 0);
    place(sim, p1, { age: 60 });
    place(sim, p2, { age: 55, female: 1 });
    const stay = place(sim, p3, { age: 59 });
    exit(sim);
    expect(sim.occupant[p1]).toBe(-1);
    expect(sim.occupant[p2]).toBe(-1);
    expect(sim.occupant[p3]).toBe(stay);
    expect(sim.counters.retirements).toBe(2);
    expect(sim.store.count).toBe(1);
  });
  it('quits rise with the pay gap that wage compression opens in rich regions', () => {
    const quits = (compression: number) => {
      const sim = emptySim({ behavior: { ...QUIET.behavior, quitBase: 0.05, quitPayGap: 20 }, policy: { ...QUIET.policy, wageCompression: compression } });
      for (let p = 0; p < sim.world.nPosts; p++) if (sim.world.postRegion[p] === 0) place(sim, p, { age: 40, key: p });
      exit(sim);
      return sim.counters.quits;
    };
    expect(quits(0.9)).toBeGreaterThan(quits(0));
  });
});

describe('appraise', () => {
  it('ranks performance by ability when there is no noise and flags young top performers as reserve', () => {
    const sim = emptySim(QUIET);
    const cs = [0, 1, 2, 3, 4].map((i) => place(sim, postOf(sim, A, 0, i), { ability: i, age: 30 }));
    appraise(sim);
    const pct = cs.map((c) => sim.store.perfPct[c]!);
    expect([...pct].sort((a, b) => a - b)).toEqual(pct);
    expect(sim.store.reserve[cs[4]!]).toBe(1);
    expect(sim.store.reserve[cs[0]!]).toBe(0);
  });
});

describe('plan', () => {
  it('lists a cadre at maxTenure as a regulatory mover, and not one a year short', () => {
    const sim = emptySim(QUIET);
    const due = place(sim, postOf(sim, A, 1, AGRI), { yearsInPost: 10 });
    const notDue = place(sim, postOf(sim, B, 1, AGRI), { yearsInPost: 9 });
    plan(sim);
    expect(sim.store.mover[due]).toBe(MT_REGULATORY);
    expect(sim.store.mover[notDue]).toBe(0);
  });
  it('enforces the tenure limit with probability tenureEnforcement, a draw per cadre and year; avoidance always', () => {
    const planned = (enforcement: number, year: number): { due: number; hit: number; avoid: boolean } => {
      const sim = emptySim({ ...QUIET, policy: { ...QUIET.policy, tenureEnforcement: enforcement } });
      sim.year = year;
      const w = sim.world;
      const cs: number[] = [];
      for (let p = 0; p < w.nPosts; p++) if (w.postRank[p] === 1 && !(w.postFlags[p]! & F_KEY)) cs.push(place(sim, p, { yearsInPost: 12, home: B === w.postRegion[p] ? A : B }));
      const local = place(sim, postOf(sim, A, 2, DOM_DISCIPLINE), { home: A, yearsInPost: 1 });
      plan(sim);
      return { due: cs.length, hit: cs.filter((c) => sim.store.mover[c] === MT_REGULATORY).length, avoid: sim.store.mover[local] === MT_REGULATORY };
    };
    const over = (enforcement: number, years: number[]) => years.map((y) => planned(enforcement, y)).reduce((a, b) => ({ due: a.due + b.due, hit: a.hit + b.hit, avoid: a.avoid && b.avoid }));
    const decade = Array.from({ length: 10 }, (_, i) => 2030 + i);
    const all = over(1, decade), none = over(0, decade), half = over(0.5, decade);
    expect(all.due).toBeGreaterThan(100);
    expect(all.hit).toBe(all.due);
    expect(none.hit).toBe(0);
    expect([all.avoid, none.avoid, half.avoid]).toEqual([true, true, true]);
    // About half, within 4 binomial standard deviations; the same draws in the same year, others the next.
    const sd = Math.sqrt(half.due * 0.25);
    expect(Math.abs(half.hit - half.due / 2)).toBeLessThan(4 * sd);
    expect(planned(0.5, 2030).hit).toBe(planned(0.5, 2030).hit);
    expect(decade.map((y) => planned(0.5, y).hit).some((h, _, a) => h !== a[0])).toBe(true);
  });
  it('moves a key-post holder serving in the home county under hometown avoidance', () => {
    const sim = emptySim(QUIET);
    const local = place(sim, postOf(sim, A, 2, DOM_DISCIPLINE), { home: A, yearsInPost: 1 });
    const outsider = place(sim, postOf(sim, B, 2, DOM_DISCIPLINE), { home: A, yearsInPost: 1 });
    plan(sim);
    expect(sim.store.mover[local]).toBe(MT_REGULATORY);
    expect(sim.store.mover[outsider]).toBe(0);
    const off = emptySim({ ...QUIET, policy: { ...QUIET.policy, hometownAvoidance: false } });
    const c = place(off, postOf(off, A, 2, DOM_DISCIPLINE), { home: A, yearsInPost: 1 });
    plan(off);
    expect(off.store.mover[c]).toBe(0);
  });
  it('plans care moves for burdened cadres far from home and disciplinary moves for weak cadres with strong ties', () => {
    const sim = emptySim({ ...QUIET, policy: { ...QUIET.policy, careRate: 1, disciplineRate: 1 } });
    const far = place(sim, postOf(sim, 0, 1, AGRI), { home: B, familyBurden: 0.9, yearsInPost: 4 });
    const weak = place(sim, postOf(sim, A, 1, AGRI), { perfPct: 0.05, ties: 0.9, yearsInPost: 4 });
    const fine = place(sim, postOf(sim, B, 1, AGRI), { perfPct: 0.5, ties: 0.9, yearsInPost: 4 });
    plan(sim);
    expect(sim.store.mover[far]).toBe(MT_CARE);
    expect(sim.store.mover[weak]).toBe(MT_DISCIPLINARY);
    expect(sim.store.mover[fine]).toBe(0);
  });
  it('sends young reserve cadres without county experience down, and a strong unit offers its weakest instead', () => {
    const over = { ...QUIET, policy: { ...QUIET.policy, cultivationRate: 1, secondmentShare: 1 } };
    const free = emptySim({ ...over, behavior: { ...QUIET.behavior, unitOwnership: 0 } });
    const star = place(free, postOf(free, F, 1, AGRI), { age: 30, levels: 2, perfPct: 0.95 });
    free.store.reserve[star] = 1;
    plan(free);
    expect(free.store.secondRegion[star]).toBeGreaterThan(F); // a county
    expect(free.log.type[0]).toBe(MT_SECONDMENT);

    // With full ownership the unit keeps its star and offers its weakest colleague of the same rank (甩包袱).
    const owned = emptySim({ ...over, behavior: { ...QUIET.behavior, unitOwnership: 1 }, world: { posts: { prefecture: [2, 2, 1, 1] } } });
    const unitPosts = [0, 1].map((k) => {
      let n = -1;
      for (let p = 0; p < owned.world.nPosts; p++) if (owned.world.postRegion[p] === F && owned.world.postRank[p] === 1 && owned.world.postDomain[p] === AGRI && ++n === k) return p;
      throw new Error('post');
    });
    const star2 = place(owned, unitPosts[0]!, { age: 30, levels: 2, perfPct: 1 });
    const weakling = place(owned, unitPosts[1]!, { age: 50, levels: 2, perfPct: 0.1 });
    owned.store.reserve[star2] = 1;
    plan(owned);
    expect(owned.store.secondRegion[star2]).toBe(-1);
    expect(owned.store.mover[star2]).toBe(0);
    expect(owned.store.mover[weakling]).toBe(MT_CULTIVATION);
  });
  it('keeps flow control: at most exchangeQuota of a team moves in a year, mandatory moves first', () => {
    const sim = emptySim({ ...QUIET, policy: { ...QUIET.policy, exchangeQuota: 0.25, hometownAvoidance: false } });
    // County A's team: 8 block posts at rank 2, all past the tenure limit.
    const team: number[] = [];
    for (let d = 0; d < 8; d++) team.push(place(sim, postOf(sim, A, 2, d), { yearsInPost: 12 }));
    plan(sim);
    const moving = team.filter((c) => sim.store.mover[c]! > 0).length;
    expect(moving).toBe(2); // round(0.25 × 8)
  });
});

describe('plan: teams', () => {
  const ELECTION = { ...QUIET, policy: { ...QUIET.policy, electionQuota: 1, electionCycle: 5, staggeredElections: false, exchangeQuota: 1, hometownAvoidance: false } };
  it('renews team members who served a term in an election year, but not one away on secondment', () => {
    const sim = emptySim(ELECTION);
    expect(sim.year).toBe(2026); // a general election year
    const here = place(sim, postOf(sim, A, 2, AGRI), { yearsInPost: 6 });
    const away = place(sim, postOf(sim, A, 2, SOCIAL), { yearsInPost: 6 });
    sim.store.secondRegion[away] = B;
    sim.store.region[away] = B;
    plan(sim);
    expect(sim.store.mover[here]).toBe(MT_ELECTION);
    expect(sim.store.mover[away]).toBe(0);
  });
  it('a structural need marks a post for one year only', () => {
    const sim = emptySim(QUIET);
    const q = postOf(sim, A, 2, AGRI);
    sim.postNeed[q] = NEED_FEMALE;
    plan(sim);
    expect(sim.postNeed[q]).toBe(0);
  });
});

describe('fill', () => {
  it('moves a cadre at maxTenure into an open post of the same rank elsewhere', () => {
    const sim = emptySim(QUIET);
    const from = postOf(sim, A, 1, AGRI);
    const to = postOf(sim, B, 1, AGRI);
    const c = place(sim, from, { yearsInPost: 10 });
    sim.store.satisfaction[c] = -1; // dissatisfied with the old post
    sim.occupant[to] = -1;
    fillRest(sim);
    sim.store.release(sim.occupant[to]!);
    sim.occupant[to] = -1;
    plan(sim);
    fill(sim);
    expect(sim.store.post[c]).toBe(to);
    expect(sim.occupant[from]).toBe(-1); // its old post opened; nobody eligible to take it
    expect(sim.log.type[0]).toBe(MT_REGULATORY);
    expect(sim.store.satisfaction[c]).toBe(0); // the old dissatisfaction does not follow it
  });
  it('avoidance moves a key-post holder out of the home region even when a post at home is open', () => {
    const sim = emptySim(QUIET);
    const key = postOf(sim, A, 2, DOM_DISCIPLINE);
    const home = postOf(sim, A, 2, SOCIAL);
    const away = postOf(sim, B, 2, SOCIAL);
    const c = place(sim, key, { home: A, yearsInPost: 1 });
    fillRest(sim);
    for (const p of [home, away]) { sim.store.release(sim.occupant[p]!); sim.occupant[p] = -1; }
    plan(sim);
    fill(sim);
    expect(sim.store.post[c]).toBe(away);
    expect(sim.store.region[c]).toBe(B);
  });
  it('resolves a vacancy chain of length 3 top-down: promotion, promotion, recruit', () => {
    const sim = emptySim(QUIET);
    const top = postOf(sim, A, 2, AGRI), mid = postOf(sim, A, 1, AGRI), low = postOf(sim, A, 0, AGRI);
    const m = place(sim, mid, { yearsInRank: 5, age: 40, home: B });
    const l = place(sim, low, { yearsInRank: 5, age: 30, home: B });
    fillRest(sim);
    sim.store.release(sim.occupant[top]!);
    sim.occupant[top] = -1;
    const before = sim.store.count;
    plan(sim);
    fill(sim);
    expect(sim.store.post[m]).toBe(top);
    expect(sim.store.post[l]).toBe(mid);
    expect(sim.occupant[low]).toBeGreaterThanOrEqual(0); // a recruit
    expect(sim.store.count).toBe(before + 1);
    expect(Array.from(sim.log.toRank.subarray(0, sim.log.n))).toEqual([2, 1]);
    expect(sim.log.type[0]).toBe(MT_PROMOTION);
    expect(sim.counters.chainsDone[2]).toBe(1);
    expect(sim.counters.chainsLen[2]).toBe(3);
  });
  it('requireExchangeForPromotion vetoes a local promotion of a cadre not exchanged at the current rank', () => {
    const run = (require: boolean) => {
      const sim = emptySim({ ...QUIET, policy: { ...QUIET.policy, requireExchangeForPromotion: require } });
      const top = postOf(sim, A, 2, AGRI);
      const m = place(sim, postOf(sim, A, 1, AGRI), { yearsInRank: 5, home: B, regionsServed: 1 });
      fillRest(sim);
      sim.store.release(sim.occupant[top]!);
      sim.occupant[top] = -1;
      fill(sim);
      return sim.store.post[m] === top;
    };
    expect(run(false)).toBe(true);
    expect(run(true)).toBe(false);
  });
  it('in directive matching a candidate who loses utility may refuse, unless discipline is strict', () => {
    const refused = (discipline: number) => {
      const sim = emptySim({ behavior: { ...QUIET.behavior, refusalScale: 20 }, policy: { ...QUIET.policy, disciplineStrength: discipline } });
      const from = postOf(sim, 0, 1, AGRI), to = postOf(sim, B, 1, AGRI);
      const c = place(sim, from, { yearsInPost: 10, home: 0 });
      fillRest(sim);
      sim.store.release(sim.occupant[to]!);
      sim.occupant[to] = -1;
      plan(sim);
      fill(sim);
      return sim.store.post[c] !== to;
    };
    expect(refused(0)).toBe(true);
    expect(refused(1)).toBe(false);
  });
  it('two-way matching pairs planned movers with posts by deferred acceptance (each gets the post it prefers when posts agree)', () => {
    const sim = emptySim({ ...QUIET, policy: { ...QUIET.policy, matching: 'two-way', hometownAvoidance: false } });
    // Two regulatory movers at rank 1: x from the province, y from the prefecture; open posts in A and B.
    const x = place(sim, postOf(sim, 0, 1, AGRI), { yearsInPost: 10, home: A, performance: 1 });
    const y = place(sim, postOf(sim, F, 1, AGRI), { yearsInPost: 10, home: B, performance: 0 });
    fillRest(sim);
    const pa = postOf(sim, A, 1, SOCIAL), pb = postOf(sim, B, 1, SOCIAL);
    for (const p of [pa, pb]) { sim.store.release(sim.occupant[p]!); sim.occupant[p] = -1; }
    plan(sim);
    fill(sim);
    // Each prefers the post near home; no post prefers the other so strongly that it blocks: the stable matching sends each home.
    expect(sim.store.post[x]).toBe(pa);
    expect(sim.store.post[y]).toBe(pb);
  });
});

describe('apply', () => {
  it('registers a cadre whose best alternative beats the current post by more than the threshold', () => {
    const sim = emptySim({ behavior: { ...QUIET.behavior, applyRate: 1, applyThreshold: 0.1, alternatives: 20 } });
    // Serving in poor remote county B with home in the province capital: the capital region looks much better.
    const c = place(sim, postOf(sim, B, 1, AGRI), { home: 0, wHome: 3, yearsInPost: 4 });
    const settled = place(sim, postOf(sim, 0, 1, AGRI), { home: 0, yearsInPost: 4 });
    apply(sim);
    expect(sim.store.target[c]).toBeGreaterThanOrEqual(0);
    expect(sim.store.target[c]).not.toBe(B);
    expect(sim.store.target[settled]).toBe(-1);
    expect(sim.store.satisfaction[c]).toBeLessThan(0);
  });
  it('a registered applicant fills an open post in the region it registered for (voluntary move)', () => {
    const sim = emptySim({ behavior: { ...QUIET.behavior, applyRate: 1, applyThreshold: 0.1, alternatives: 20 }, policy: { ...QUIET.policy, registry: true } });
    const c = place(sim, postOf(sim, B, 1, AGRI), { home: 0, wHome: 3, yearsInPost: 4 });
    fillRest(sim, { yearsInPost: 1 });
    apply(sim);
    const target = sim.store.target[c]!;
    const open = postOf(sim, target, 1, SOCIAL);
    sim.store.release(sim.occupant[open]!);
    sim.occupant[open] = -1;
    fill(sim);
    expect(sim.store.post[c]).toBe(open);
    expect(sim.log.type[0]).toBe(MT_VOLUNTARY);
  });
});

describe('update', () => {
  it('records experience, carries part of the ties on a change of region and resets tenures', () => {
    const sim = emptySim(QUIET);
    const from = postOf(sim, A, 1, AGRI), to = postOf(sim, B, 1, SOCIAL);
    const c = place(sim, from, { yearsInPost: 10, ties: 0.8 });
    fillRest(sim);
    sim.store.release(sim.occupant[to]!);
    sim.occupant[to] = -1;
    plan(sim);
    fill(sim);
    update(sim);
    const s = sim.store;
    expect(s.domainsServed[c]! & (1 << SOCIAL)).toBeTruthy();
    expect(s.regionsServed[c]).toBe(2);
    expect(s.ties[c]).toBeCloseTo(0.8 * sim.behavior.tieCarry, 6);
    expect([s.yearsInPost[c], s.yearsInRegion[c], s.yearsInRank[c]]).toEqual([0, 0, 4]);
    expect(s.lastMoveType[c]).toBe(MT_REGULATORY);
  });
  it('returns a seconded cadre to the home post it kept when the secondment ends', () => {
    const sim = emptySim({ ...QUIET, policy: { ...QUIET.policy, cultivationRate: 1, secondmentShare: 1, secondmentYears: 1 }, behavior: { ...QUIET.behavior, unitOwnership: 0 } });
    const post = postOf(sim, F, 1, AGRI);
    const c = place(sim, post, { age: 30, levels: 2 });
    sim.store.reserve[c] = 1;
    plan(sim);
    expect(sim.store.secondRegion[c]).toBeGreaterThan(F);
    update(sim);
    checkInvariants(sim, undefined);
    sim.year++;
    sim.log.clear();
    age(sim);
    update(sim);
    expect(sim.store.secondRegion[c]).toBe(-1);
    expect(sim.store.region[c]).toBe(F);
    expect(sim.store.post[c]).toBe(post);
    expect(sim.log.type[0]).toBe(MT_RETURN);
  });
});
