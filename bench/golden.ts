/**
 * `node dist/bench/golden.js`: hashes of the full output (metrics and event
 * rows) of a set of scenarios that exercise every path of the model (both
 * matchings, the registry, reforms, secondments, hometown avoidance, the
 * exchange requirement, docking, other presets, a larger scale). A speed
 * change must leave every line unchanged; run it before and after and diff.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../src/scenario/load.js';
import { simulate } from '../src/model/simulate.js';

const file = (f: string) => JSON.parse(readFileSync(new URL(`../../scenarios/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const short = { burnIn: 10, years: 5, startYear: 2026 };
const cases: [string, Record<string, unknown>][] = [
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
const only = process.argv[2];
for (const [name, raw] of cases) {
  if (only && name !== only) continue;
  let s;
  try { s = parseScenario(raw); } catch (e) { process.stdout.write(`${name} invalid: ${(e as Error).message.split('\n')[0]}\n`); continue; }
  const h = createHash('sha256');
  let events = 0;
  for (const seed of [1, 2]) {
    let r;
    try { r = simulate(s, seed, { events: true }); } catch (e) { h.update(`error ${(e as Error).message}\n`); break; }
    for (const m of r.metrics) h.update(Array.from(m, (x) => (Number.isNaN(x) ? '' : String(x))).join(',') + '\n');
    for (const e of r.events!) h.update(e + '\n');
    events += r.events!.length;
  }
  process.stdout.write(`${name} ${events} ${h.digest('hex').slice(0, 16)}\n`);
}
