/**
 * The golden scenarios: a set of cases that exercise every path of the model
 * (both matchings, the registry, reforms, secondments, hometown avoidance, the
 * exchange requirement, docking, other presets, a larger scale), as raw
 * scenario objects for parseScenario. Used by bench/golden.ts (hashes of the
 * full output) and bench/distcheck.ts (distributions of the headline metrics).
 */
import { readFileSync } from 'node:fs';

// Relative to the compiled file, dist/bench/golden-cases.js: the repository's scenarios/.
const file = (f: string) => JSON.parse(readFileSync(new URL(`../../scenarios/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const short = { burnIn: 10, years: 5, startYear: 2026 };

export const GOLDEN_CASES: [string, Record<string, unknown>][] = [
  ['baseline', { ...file('baseline.json'), ...short, world: { preset: 'gansu', scale: 0.1 } }],
  ['full-reform', { ...file('full-reform.json'), ...short, startYear: 2024, world: { preset: 'gansu', scale: 0.1 } }],
  ['two-way', { ...file('two-way-selection.json'), ...short, world: { preset: 'gansu', scale: 0.1 } }],
  ['mandatory', { ...file('mandatory-limits.json'), ...short, world: { preset: 'gansu', scale: 0.1 } }],
  ['break-barriers', { ...file('break-barriers.json'), ...short, world: { preset: 'gansu', scale: 0.1 } }],
  ['incentive', { ...file('promotion-incentive.json'), ...short, world: { preset: 'gansu', scale: 0.1 } }],
  ['hardship', { ...file('hardship-allowance.json'), ...short, world: { preset: 'gansu', scale: 0.1 } }],
  ['no-exchange', { ...file('no-exchange.json'), ...short, world: { preset: 'gansu', scale: 0.1 } }],
  ['require-registry', { name: 'rr', seed: 5, ...short, world: { preset: 'gansu', scale: 0.1 }, policy: { requireExchangeForPromotion: true, registry: true, hometownAvoidance: true, secondmentShare: 0.8 } }],
  ['synthetic', { name: 'syn', seed: 3, ...short, world: { preset: 'synthetic', scale: 0.5, synthetic: { provinces: 3 } } }],
  ['national', { name: 'nat', seed: 4, burnIn: 3, years: 2, startYear: 2026, world: { preset: 'national', scale: 0.1 } }],
  ['gansu-1', { name: 'g1', seed: 9, burnIn: 4, years: 3, startYear: 2026, world: { preset: 'gansu', scale: 1 } }],
  ['push', { name: 'push', seed: 2, ...short, world: { preset: 'gansu', scale: 0.1, initialFill: 0.5 }, docking: { mode: 'push' } }],
  ['pull', { name: 'pull', seed: 2, ...short, world: { preset: 'gansu', scale: 0.1 }, docking: { mode: 'pull' } }],
];
