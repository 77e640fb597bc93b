/**
 * `node dist/bench/golden.js`: hashes of the full output (metrics and event
 * rows) of a set of scenarios that exercise every path of the model (both
 * matchings, the registry, reforms, secondments, hometown avoidance, the
 * exchange requirement, docking, other presets, a larger scale). A speed
 * change must leave every line unchanged; run it before and after and diff.
 * The cases are in bench/golden-cases.ts.
 */
import { createHash } from 'node:crypto';
import { parseScenario } from '../src/scenario/load.js';
import { simulate } from '../src/model/simulate.js';
import { GOLDEN_CASES } from './golden-cases.js';

const only = process.argv[2];
for (const [name, raw] of GOLDEN_CASES) {
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
