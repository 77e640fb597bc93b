/**
 * Docking (MODEL.md §7): with behaviour replaced by fixed hazards, the
 * simulation matches the analytic manpower models — the stationary rank
 * distribution of Bartholomew's Markov model (push) and White's vacancy-chain
 * multiplier N = (I − Q)⁻¹·1 with the flows it implies (pull).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/model/simulate.js';
import { buildWorld } from '../../src/world/world.js';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';

const col = (name: string) => METRIC_NAMES.indexOf(name);
const meanSe = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return { m, se: sd / Math.sqrt(xs.length) };
};

describe('docking against White’s vacancy chains (pull)', () => {
  const w = [0.05, 0.05, 0.05, 0.05];
  const e = [1, 0.3, 0.5, 0.2];
  const s = parseScenario({
    name: 'pull', seed: 4, startYear: 2026, burnIn: 5, years: 25,
    world: { preset: 'synthetic', scale: 0.6, synthetic: { prefecturesPerProvince: 4, countiesPerPrefecture: 4 }, initialFill: 1 },
    docking: { mode: 'pull', exitHazard: w, externalHire: e },
  });
  const world = buildWorld(s.world);
  const runs = [1, 2].map((seed) => simulate(s, seed, { world, events: true }));

  it('mean chain length by starting rank equals (I − Q)⁻¹·1', () => {
    // Q[r][r−1] = 1 − e_r (the vacancy moves down a rank when filled from below), so N_r = 1 + (1 − e_r)·N_{r−1}.
    const N = [1];
    for (let r = 1; r < 4; r++) N.push(1 + (1 - e[r]!) * N[r - 1]!);
    for (let r = 0; r < 4; r++) {
      const xs = runs.flatMap((res) => res.metrics.map((m) => m[col(`chain_length_rank${r}`)]!)).filter(Number.isFinite);
      const { m, se } = meanSe(xs);
      expect(Math.abs(m - N[r]!), `rank ${r}: simulated ${m.toFixed(3)} ± ${se.toFixed(3)}, analytic ${N[r]!.toFixed(3)}`).toBeLessThan(4 * se + 0.02);
    }
  });

  it('all posts stay filled (the stationary rank distribution is the posts) and promotions per year match the flows', () => {
    const n = Array.from(world.postsByRank);
    for (const res of runs) for (const m of res.metrics) expect(m[col('headcount')]).toBe(world.nPosts);
    // Vacancies per year at rank r: V_r = w_r·n_r + P_{r+1}; promotions into r: P_r = (1 − e_r)·V_r.
    const V = [0, 0, 0, 0], P = [0, 0, 0, 0];
    for (let r = 3; r >= 0; r--) {
      V[r] = w[r]! * n[r]! + (r < 3 ? P[r + 1]! : 0);
      P[r] = r > 0 ? (1 - e[r]!) * V[r]! : 0;
    }
    for (let r = 1; r < 4; r++) {
      const perYear = runs.flatMap((res) => res.years.map((y) => res.events!.filter((row) => {
        const f = row.split(',');
        return f[0] === String(y) && f[7] === String(r - 1) && f[8] === String(r);
      }).length));
      const { m, se } = meanSe(perYear);
      expect(Math.abs(m - P[r]!), `promotions into rank ${r}: ${m.toFixed(1)} ± ${se.toFixed(1)} vs ${P[r]!.toFixed(1)}`).toBeLessThan(4 * se + 0.5);
    }
  });
});

describe('docking against Bartholomew’s Markov manpower model (push)', () => {
  it('the rank distribution converges to the stationary distribution of P + w·r', () => {
    const w = [0.06, 0.05, 0.05, 0.1];
    const p = [0.1, 0.07, 0.05];
    const s = parseScenario({
      name: 'push', seed: 9, startYear: 2026, burnIn: 40, years: 20,
      world: { preset: 'synthetic', scale: 0.5, synthetic: { prefecturesPerProvince: 4, countiesPerPrefecture: 4 }, initialFill: 0.4, posts: { county: [20, 20, 20], prefecture: [20, 20, 20, 20], province: [20, 20, 20, 20] } },
      docking: { mode: 'push', exitHazard: w, promotionHazard: p },
    });
    // One year: leave with w_i (replaced by a recruit at rank 0), else promoted with p_i, else stay.
    const M = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (j === i ? (1 - w[i]!) * (1 - (p[i] ?? 0)) : j === i + 1 ? (1 - w[i]!) * (p[i] ?? 0) : 0) + (j === 0 ? w[i]! : 0)));
    let pi = [0.25, 0.25, 0.25, 0.25];
    for (let t = 0; t < 5000; t++) pi = [0, 1, 2, 3].map((j) => pi.reduce((a, x, i) => a + x * M[i]![j]!, 0));
    const world = buildWorld(s.world);
    for (const seed of [1, 2]) {
      const res = simulate(s, seed, { world });
      const last = res.metrics[res.metrics.length - 1]!;
      const total = last[col('headcount')]!;
      for (let r = 0; r < 4; r++) {
        const share = last[col(`rank_share_${r}`)]!;
        const se = Math.sqrt((pi[r]! * (1 - pi[r]!)) / total);
        expect(Math.abs(share - pi[r]!), `rank ${r}: ${share.toFixed(4)} vs ${pi[r]!.toFixed(4)} (n = ${total})`).toBeLessThan(4 * se);
      }
    }
  });
});

