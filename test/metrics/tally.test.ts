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
