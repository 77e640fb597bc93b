/**
 * Docking against a general vacancy-chain model (White 1970, "Chains of
 * Opportunity"; MODEL.md §7): with docking.vacancyMatrix Q, a vacancy at rank
 * i moves to rank j with probability Q[i][j] — lateral (j = i) and from above
 * (j > i) included — and ends in an outside hire with probability
 * 1 − Σ_j Q[i][j]. CadreFlow counts a chain's length as one per vacancy it
 * carries (each move into it and the closing hire), i.e. the visits to the
 * transient states of the absorbing chain, whose mean by starting rank is
 * N·1 with N = (I − Q)⁻¹ (Kemeny & Snell 1960, the fundamental matrix). The
 * vacancies a year at each rank solve V = w∘n + Qᵀ·V, so the moves from rank
 * j into rank i number V_i·Q[i][j] a year.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScenario } from '../../src/scenario/load.js';
import { InputError } from '../../src/scenario/errors.js';
import { simulate } from '../../src/model/simulate.js';
import { buildWorld } from '../../src/world/world.js';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';

const col = (name: string) => METRIC_NAMES.indexOf(name);
const meanSe = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return { m, se: sd / Math.sqrt(xs.length) };
};

/** Solves A·x = b by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let p = 0; p < n; p++) {
    let m = p;
    for (let i = p + 1; i < n; i++) if (Math.abs(M[i]![p]!) > Math.abs(M[m]![p]!)) m = i;
    [M[p], M[m]] = [M[m]!, M[p]!];
    for (let i = 0; i < n; i++) {
      if (i === p) continue;
      const f = M[i]![p]! / M[p]![p]!;
      for (let j = p; j <= n; j++) M[i]![j]! -= f * M[p]![j]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}
const I = (i: number, j: number) => (i === j ? 1 : 0);
/** N·1 with N = (I − Q)⁻¹: the mean chain length by starting rank. */
const chainLengths = (Q: number[][]) => solve(Q.map((row, i) => row.map((x, j) => I(i, j) - x)), Q.map(() => 1));
const transpose = (Q: number[][]) => Q.map((_, i) => Q.map((row) => row[i]!));

const MATRICES: Record<string, number[][]> = {
  // Mostly down a rank, with lateral moves at every rank, a vacancy one rank up from ranks 0–2
  // and a two-rank drop from rank 2 and 3.
  'one up, lateral': [
    [0.1, 0.05, 0, 0],
    [0.45, 0.15, 0.05, 0],
    [0.1, 0.4, 0.2, 0.05],
    [0.05, 0.1, 0.4, 0.2],
  ],
  // Heavy lateral moves, vacancies two ranks up (0 → 2, 1 → 3), and no outside hire at rank 3
  // (its row sums to 1: every rank-3 vacancy is filled from inside).
  'two up, no hire at the top': [
    [0.3, 0, 0.05, 0],
    [0.2, 0.3, 0, 0.1],
    [0.25, 0.25, 0.1, 0],
    [0.15, 0.15, 0.4, 0.3],
  ],
};
const EXIT = [0.08, 0.08, 0.1, 0.15];

function run(Q: number[][]) {
  const s = parseScenario({
    name: 'chains', seed: 4, startYear: 2026, burnIn: 0, years: 40,
    world: { preset: 'synthetic', scale: 0.3, synthetic: { prefecturesPerProvince: 4, countiesPerPrefecture: 4 }, initialFill: 1 },
    docking: { mode: 'pull', exitHazard: EXIT, vacancyMatrix: Q },
  });
  const world = buildWorld(s.world);
  return { world, runs: [1, 2].map((seed) => simulate(s, seed, { world, events: true })) };
}

describe('docking against a general vacancy-chain model (pull with vacancyMatrix)', () => {
  for (const [name, Q] of Object.entries(MATRICES)) {
    it(`${name}: mean chain length by starting rank equals (I − Q)⁻¹·1`, () => {
      expect(Q.some((row, i) => row[i]! > 0) && Q.some((row, i) => row.some((x, j) => j > i && x > 0))).toBe(true);
      const exact = chainLengths(Q);
      // Readings of Q the test must be able to tell apart: lateral moves dropped (ended by a hire), rows and columns swapped.
      const wrong = [chainLengths(Q.map((row, i) => row.map((x, j) => (i === j ? 0 : x)))), chainLengths(transpose(Q))];
      const { runs } = run(Q);
      const rejected = wrong.map(() => false);
      for (let r = 0; r < 4; r++) {
        const xs = runs.flatMap((res) => res.metrics.map((m) => m[col(`chain_length_rank${r}`)]!)).filter(Number.isFinite);
        expect(xs.length).toBe(80);
        const { m, se } = meanSe(xs);
        const msg = `rank ${r}: simulated ${m.toFixed(4)} ± ${se.toFixed(4)}, exact ${exact[r]!.toFixed(4)}`;
        // A real test: the tolerance is under 10% of the chain length.
        expect(4 * se, msg).toBeLessThan(0.1 * exact[r]!);
        expect(Math.abs(m - exact[r]!), msg).toBeLessThan(4 * se);
        wrong.forEach((alt, k) => { if (Math.abs(m - alt[r]!) > 8 * se) rejected[k] = true; });
      }
      expect(rejected, 'the simulation rejects both wrong readings of Q at some rank').toEqual([true, true]);
    });
  }

  it('moves a year from rank j into rank i match V_i·Q[i][j], with V = w∘n + Qᵀ·V', () => {
    const Q = MATRICES['one up, lateral']!;
    const { world, runs } = run(Q);
    const n = Array.from(world.postsByRank);
    for (const res of runs) for (const m of res.metrics) expect(m[col('headcount')]).toBe(world.nPosts);
    const V = solve(Q.map((_, i) => Q.map((row, k) => I(i, k) - row[i]!)), EXIT.map((x, r) => x * n[r]!));
    // Count moves per (year, from rank, to rank) once.
    const counts = runs.map((res) => {
      const c = new Map<string, number>();
      for (const row of res.events!) {
        const f = row.split(',');
        const k = `${f[0]},${f[7]},${f[8]}`;
        c.set(k, (c.get(k) ?? 0) + 1);
      }
      return { years: res.years, c };
    });
    let checked = 0;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const perYear = counts.flatMap(({ years, c }) => years.map((y) => c.get(`${y},${j},${i}`) ?? 0));
        const { m, se } = meanSe(perYear);
        const expected = V[i]! * Q[i]![j]!;
        if (expected === 0) {
          expect(m, `moves from rank ${j} into rank ${i}, which Q forbids`).toBe(0);
          continue;
        }
        checked++;
        expect(Math.abs(m - expected), `moves from rank ${j} into rank ${i}: ${m.toFixed(2)} ± ${se.toFixed(2)} a year vs ${expected.toFixed(2)}`).toBeLessThan(4 * se + 0.5);
      }
    }
    expect(checked).toBe(Q.flat().filter((x) => x > 0).length);
  });

  it('the one-rank-down chains of externalHire are the special case Q[i][i−1] = 1 − externalHire[i]', () => {
    const e = [1, 0.3, 0.5, 0.2];
    const Q = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i > 0 && j === i - 1 ? 1 - e[i]! : 0)));
    const base = { name: 'pull', seed: 2, startYear: 2026, burnIn: 2, years: 4, world: { preset: 'synthetic', scale: 0.2, initialFill: 0.9 } };
    const a = simulate(parseScenario({ ...base, docking: { mode: 'pull', externalHire: e } }), 1, { events: true });
    const b = simulate(parseScenario({ ...base, docking: { mode: 'pull', vacancyMatrix: Q } }), 1, { events: true });
    expect(b.events!.length).toBeGreaterThan(100);
    expect(b.events).toEqual(a.events);
    expect(b.metrics).toEqual(a.metrics);
  });
});

describe('a vacancy matrix that does not describe chains is bad input', () => {
  const bad = (vacancyMatrix: unknown) => {
    try {
      parseScenario({ name: 'x', docking: { mode: 'pull', vacancyMatrix } });
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('a row that sums to more than 1', () => {
    const msg = bad([[0, 0, 0, 0], [0.6, 0.5, 0, 0], [0, 0.5, 0, 0], [0, 0, 0.5, 0]]);
    expect(msg).toBe('<input>: docking.vacancyMatrix[1]: [0.6,0.5,0,0]: row 1 (a vacancy at rank 1) sums to 1.1; the chances of its moving to ranks 0–3 must sum to at most 1 (the rest, 1 − sum, is the chance of an outside hire)');
  });

  it('ranks whose vacancies never reach an outside hire', () => {
    // Ranks 2 and 3 pass vacancies to each other, and rank 1 only laterally: those chains never end.
    const msg = bad([[0.5, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0.4, 0.6], [0, 0, 1, 0]]);
    expect(msg).toMatch(/^<input>: docking\.vacancyMatrix: \[\[0\.5,0,0,0\],\[0,1,0,0\],.*: a vacancy at rank 1, 2, 3 never ends in an outside hire/);
    expect(msg).toMatch(/spectral radius < 1/);
    // A full row is fine where its vacancies lead to a rank that hires.
    expect(parseScenario({ name: 'x', docking: { mode: 'pull', vacancyMatrix: [[0.5, 0, 0, 0], [1, 0, 0, 0], [0, 0.4, 0.6, 0], [0, 0, 1, 0]] } }).docking.vacancyMatrix).toBeDefined();
  });

  it('the wrong shape or an entry outside 0–1', () => {
    expect(bad([[0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]])).toMatch(/docking\.vacancyMatrix: .*must be ≥ 4 items/);
    expect(bad([[0, 0, 0, 0], [1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])).toMatch(/docking\.vacancyMatrix\[1\]: \[1,0,0\]: must be ≥ 4 items/);
    expect(bad([[0, 0, 0, 0], [1.2, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])).toMatch(/docking\.vacancyMatrix\[1\]\[0\]: 1\.2: must be ≤ 1/);
  });

  it('the CLI names the file and exits with 2', () => {
    const bin = path.resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
    if (!existsSync(bin)) throw new Error('build first: npm run build');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-docking-'));
    writeFileSync(path.join(dir, 'chains.json'), JSON.stringify({ name: 'chains', docking: { mode: 'pull', vacancyMatrix: [[0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]] } }));
    const r = spawnSync(process.execPath, [bin, 'validate', 'chains.json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '' } });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^chains\.json: docking\.vacancyMatrix: .*: a vacancy at rank 2, 3 never ends in an outside hire/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
