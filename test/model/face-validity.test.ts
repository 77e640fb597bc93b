/**
 * Face validity (docs/DESIGN.md "Style"): each lever moves its metric in the
 * documented direction, averaged over several replicates on common seeds.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FACE_BASE, meanMetrics } from '../face-validity.js';

const root = path.resolve(__dirname, '..', '..');
const one = (sets: string[], metric: string) => meanMetrics(FACE_BASE, sets, [metric])[0]!;

describe('face validity', () => {
  it('a lower maxTenure gives a lower stagnation_share', () => {
    expect(one(['policy.maxTenure=4'], 'stagnation_share')).toBeLessThan(one(['policy.maxTenure=10'], 'stagnation_share'));
  });
  it('higher hardship allowances give a lower hardship_vacancy_rate and a higher reverse_share', () => {
    const ms = ['hardship_vacancy_rate', 'reverse_share'];
    const low = meanMetrics(FACE_BASE, [], ms);
    const high = meanMetrics(FACE_BASE, ['policy.hardshipAllowance=[0.4,0.8,1.2,1.6,1.8,2.0]'], ms);
    expect(high[0]).toBeLessThan(low[0]!);
    expect(high[1]).toBeGreaterThan(low[1]!);
  });
  it('requireExchangeForPromotion gives a higher exchange_coverage', () => {
    expect(one(['policy.requireExchangeForPromotion=true'], 'exchange_coverage')).toBeGreaterThan(one([], 'exchange_coverage'));
  });
  it('a higher minTenure gives a lower fast_turnover_share', () => {
    expect(one(['policy.minTenure=5'], 'fast_turnover_share')).toBeLessThan(one(['policy.minTenure=1'], 'fast_turnover_share'));
  });
  it('no-exchange gives higher mean_ties and stagnation_share than the baseline', () => {
    const base = JSON.parse(readFileSync(path.join(root, 'scenarios', 'baseline.json'), 'utf8'));
    const none = JSON.parse(readFileSync(path.join(root, 'scenarios', 'no-exchange.json'), 'utf8'));
    const shrink = ['world.scale=0.05', 'burnIn=15', 'years=6'];
    const ms = ['mean_ties', 'stagnation_share'];
    const b = meanMetrics(base, shrink, ms);
    const n = meanMetrics(none, shrink, ms);
    expect(n[0]).toBeGreaterThan(b[0]!);
    expect(n[1]).toBeGreaterThan(b[1]!);
  });
  it('two-way selection with a registry gives fewer overdue movers than directive matching with bargaining', () => {
    const ms = ['overdue_share'];
    const dir = meanMetrics(FACE_BASE, ['policy.maxTenure=5', 'policy.disciplineStrength=0'], ms);
    const two = meanMetrics(FACE_BASE, ['policy.maxTenure=5', 'policy.disciplineStrength=0', 'policy.matching=two-way', 'policy.registry=true'], ms);
    expect(two[0]).toBeLessThan(dir[0]!);
  });
});
