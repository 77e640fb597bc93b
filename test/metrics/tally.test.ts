import { describe, expect, it } from 'vitest';
import { emptySim, place } from '../helpers.js';
import { tally } from '../../src/metrics/tally.js';
import { computeMetrics, METRIC_NAMES } from '../../src/metrics/definitions.js';
import { F_TEAM, MT_ELECTION, MT_SECONDMENT } from '../../src/world/constants.js';

const A = 2, F = 1;

describe('tally: new team members (team_exchange_coverage)', () => {
  it('counts a cadre who moved into a team post, and not a team member leaving on secondment', () => {
    const sim = emptySim();
    const w = sim.world;
    const teamPosts: number[] = [];
    for (let p = 0; p < w.nPosts; p++) if (w.postRegion[p] === F && w.postFlags[p]! & F_TEAM) teamPosts.push(p);
    expect(teamPosts.length).toBeGreaterThanOrEqual(2);
    const [p, q] = teamPosts as [number, number];
    const r = w.postRank[p]!;
    // A member of the prefecture's team is seconded to county A: the log keeps the post as the target.
    const member = place(sim, p, { age: 40 });
    sim.log.push(member, p, p, F, A, r, r, MT_SECONDMENT, 3, 3);
    let t = tally(sim);
    expect(Array.from(t.teamNew)).toEqual([0, 0, 0, 0]);
    expect(Array.from(t.teamNewExchanged)).toEqual([0, 0, 0, 0]);
    // A cadre from county A elected into the prefecture's team is a new member, exchanged in.
    const from = w.nPosts - 1;
    const newcomer = place(sim, q, { age: 45 });
    sim.log.push(newcomer, from, q, A, F, w.postRank[q]! - 1, w.postRank[q]!, MT_ELECTION, 5, 5);
    t = tally(sim);
    expect(t.teamNew[w.level[F]!]).toBe(1);
    expect(t.teamNewExchanged[w.level[F]!]).toBe(1);
    expect(t.teamNew.reduce((a, b) => a + b, 0)).toBe(1);
    // Per new member (coverage) and per member at year end (share: the seconded member keeps the post).
    const lv = w.level[F]!;
    expect(t.teamMembers[lv]).toBe(2);
    const m = computeMetrics(t);
    const at = (name: string) => m[METRIC_NAMES.indexOf(name)];
    const level = lv === 2 ? 'prefecture' : 'county';
    expect(at(`team_exchange_coverage_${level}`)).toBe(1);
    expect(at(`team_exchange_share_${level}`)).toBe(0.5);
  });
});

describe('tally: stagnation of leading cadres and long-tenure transfers at bureau rank', () => {
  it('counts stagnation among leading cadres (rank ≥ 1) for the headline, all cadres and by rank apart', () => {
    const sim = emptySim();
    const w = sim.world;
    const byRank: number[][] = [[], [], [], []];
    for (let p = 0; p < w.nPosts; p++) byRank[w.postRank[p]!]!.push(p);
    // Rank 0: 3 cadres, 2 of them 10+ years in post; rank 1: 2 cadres, 1 stagnant; rank 3: 1 cadre, 0 stagnant.
    place(sim, byRank[0]![0]!, { yearsInPost: 12 });
    place(sim, byRank[0]![1]!, { yearsInPost: 10 });
    place(sim, byRank[0]![2]!, { yearsInPost: 3 });
    place(sim, byRank[1]![0]!, { yearsInPost: 11 });
    place(sim, byRank[1]![1]!, { yearsInPost: 9 });
    const boss = place(sim, byRank[3]![0]!, { yearsInPost: 6 });
    // The bureau cadre is moved at the same rank after 6 years (a long-tenure transfer); a rank-3
    // secondment and a promotion into rank 3 are not counted.
    const p3 = byRank[3]![0]!, q3 = byRank[3]![1]!;
    sim.log.push(boss, p3, q3, w.postRegion[p3]!, w.postRegion[q3]!, 3, 3, MT_ELECTION, 6, 6);
    sim.log.push(boss, p3, p3, w.postRegion[p3]!, A, 3, 3, MT_SECONDMENT, 7, 7);
    sim.log.push(boss, byRank[2]![0]!, p3, w.postRegion[p3]!, w.postRegion[p3]!, 2, 3, MT_ELECTION, 8, 8);
    const m = computeMetrics(tally(sim));
    const at = (name: string) => m[METRIC_NAMES.indexOf(name)];
    expect(at('stagnation_share')).toBeCloseTo(1 / 3, 12);
    expect(at('stagnation_share_all')).toBeCloseTo(3 / 6, 12);
    expect(at('stagnation_share_rank0')).toBeCloseTo(2 / 3, 12);
    expect(at('stagnation_share_rank1')).toBeCloseTo(1 / 2, 12);
    expect(at('stagnation_share_rank2')).toBeNaN();
    expect(at('stagnation_share_rank3')).toBe(0);
    expect(at('long_tenure_transfer_rate_rank3')).toBe(1);
  });
});
