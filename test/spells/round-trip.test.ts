/**
 * The round trip of career records (docs/SPELLS.md): `run --spells`, then `observe` on the
 * spells, must give every metric the records can give exactly as the run's timeseries.csv
 * does — the same CSV cell, byte for byte — for several scenarios: directive and two-way
 * matching, secondments, reforms in the reported years, vacancy-chain docking (vacancy chains
 * are traced through the posts in every case), and a short
 * burn-in (careers that began before the records: their metrics are left empty, and said so).
 *
 * One metric is compared to the last written digit rather than byte for byte: allowance_cost,
 * a sum of floating-point allowances that the simulation adds up in memory order and observe in
 * the order of its own columns; the two sums may differ in the last bits, and so, rarely, in the
 * tenth significant digit that timeseries.csv writes. Every other metric is a ratio of whole
 * counts and must be identical.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
let tmp: string;

function cf(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function csv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [cols[i]!, c])));
}

/** The metric career records cannot give, even the model's own: local ties, a latent trait. */
const NOT_MEASURED = ['mean_ties'];

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-spells-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const small = ['--set', 'world.scale=0.05', '--set', 'burnIn=45', '--set', 'years=5', '--set', 'startYear=2026'];
const cases: [string, string, string[]][] = [
  ['directive matching', 'baseline.json', []],
  ['two-way matching', 'baseline.json', ['--set', 'policy.matching=two-way', '--set', 'policy.registry=true']],
  ['reforms in 2028', 'full-reform.json', []],
  ['secondments, hometown avoidance, the exchange requirement', 'baseline.json',
    ['--set', 'policy.cultivationRate=0.5', '--set', 'policy.secondmentShare=1', '--set', 'policy.hometownAvoidance=true', '--set', 'policy.requireExchangeForPromotion=true', '--set', 'seed=7']],
  ['vacancy-chain docking', 'baseline.json', ['--set', 'docking.mode=pull']],
  ['a short burn-in', 'baseline.json', ['--set', 'burnIn=6']],
];

describe('run --spells, then observe: the same metrics', () => {
  for (const [what, file, sets] of cases) {
    it(what, () => {
      const tag = what.replace(/\W+/g, '-');
      const scenario = path.join(root, 'scenarios', file);
      const run = cf(['run', scenario, ...small, ...sets, '--replicates', '2', '--threads', '2', '--spells', '--quiet', '--out', `run-${tag}`]);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const obs = cf(['observe', path.join(`run-${tag}`, 'spells.csv'), '--scenario', scenario, ...small, ...sets, '--quiet', '--out', `obs-${tag}`]);
      expect(obs.code, obs.err).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(tmp, `obs-${tag}`, 'manifest.json'), 'utf8'));
      expect(manifest.rowsRejected).toBe(0);
      expect(manifest.worldPosts).toBe(true);
      expect(manifest.notMeasured.map((x: { metric: string }) => x.metric)).toEqual(NOT_MEASURED);
      // Metrics left empty in some years (careers that began before the records), by replicate.
      const emptyIn = new Map<string, Set<string>>();
      for (const e of manifest.leftEmptyInSomeYears) {
        for (const [rep, years] of Object.entries(e.years as Record<string, number[]>)) {
          for (const y of years) for (const m of e.metrics as string[]) {
            const k = `${rep}/${y}`;
            if (!emptyIn.has(k)) emptyIn.set(k, new Set());
            emptyIn.get(k)!.add(m);
          }
        }
      }
      const a = csv(path.join(tmp, `run-${tag}`, 'timeseries.csv'));
      const b = csv(path.join(tmp, `obs-${tag}`, 'timeseries.csv'));
      expect(b.map((r) => `${r.replicate}/${r.year}`)).toEqual(a.map((r) => `${r.replicate}/${r.year}`));
      let compared = 0;
      a.forEach((ra, i) => {
        const rb = b[i]!;
        const key = `${ra.replicate}/${ra.year}`;
        for (const m of METRIC_NAMES) {
          if (NOT_MEASURED.includes(m) || emptyIn.get(key)?.has(m)) {
            expect(rb[m], `${m} ${key}`).toBe('');
            continue;
          }
          compared++;
          if (m === 'allowance_cost') {
            const x = Number(ra[m]), y = Number(rb[m]);
            expect(Math.abs(x - y), `${m} ${key}: ${ra[m]} vs ${rb[m]}`).toBeLessThanOrEqual(1e-9 * Math.abs(x));
          } else expect(rb[m], `${m} ${key}`).toBe(ra[m]);
        }
      });
      expect(compared).toBeGreaterThan(0);
      const spells = readFileSync(path.join(tmp, `run-${tag}`, 'spells.csv'), 'utf8');
      if (what === 'directive matching') {
        // The records do not depend on the threads.
        expect(cf(['run', scenario, ...small, ...sets, '--replicates', '2', '--threads', '1', '--spells', '--quiet', '--out', `run1-${tag}`]).code).toBe(0);
        expect(readFileSync(path.join(tmp, `run1-${tag}`, 'spells.csv')).equals(Buffer.from(spells))).toBe(true);
      }
      if (what === 'directive matching' || what.startsWith('secondments')) {
        // Without post numbers (as a researcher's records): the posts are the spells' own, and
        // everything comes out the same but the vacancies, which need the posts nobody holds, and
        // the vacancy chains, traced through the posts.
        const lines = spells.split('\n');
        const col = lines[0]!.split(',').indexOf('post');
        writeFileSync(path.join(tmp, `nopost-${tag}.csv`), lines.map((l) => l.split(',').filter((_c, i) => i !== col).join(',')).join('\n'));
        const obs2 = cf(['observe', `nopost-${tag}.csv`, '--scenario', scenario, ...small, ...sets, '--quiet', '--out', `obs2-${tag}`]);
        expect(obs2.code, obs2.err).toBe(0);
        const c = csv(path.join(tmp, `obs2-${tag}`, 'timeseries.csv'));
        expect(c.length).toBe(b.length);
        c.forEach((rc, i) => {
          for (const m of METRIC_NAMES) expect(rc[m], `${m} without posts`).toBe(/vacancy_rate|chain_length/.test(m) ? '' : b[i]![m]);
        });
      }
      if (what.startsWith('secondments')) {
        expect(spells).toMatch(/,secondment,return,/);
        expect(emptyIn.size).toBe(0);
      }
      if (what === 'a short burn-in') {
        // The initial population is still in post: the career metrics are left empty every year, and listed.
        expect(emptyIn.size).toBe(a.length);
        expect([...emptyIn.values()][0]).toContain('skill_diversity');
        expect(obs.err).toMatch(/skill_diversity.*left empty in 10 replicate-year/);
      } else expect(emptyIn.size, what).toBe(what === 'vacancy-chain docking' ? a.length : 0);
    });
  }
});
