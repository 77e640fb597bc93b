/**
 * The regression digest (docs/DESIGN.md "Style"): a small fixed scenario's output,
 * hashed. Change the pinned value only on purpose, saying why in the commit.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/model/simulate.js';
import { formatNumber } from '../../src/experiment/csv.js';

export function runDigest(): string {
  const s = parseScenario({ name: 'digest', seed: 1, startYear: 2026, burnIn: 8, years: 4, world: { preset: 'gansu', scale: 0.05 } });
  const h = createHash('sha256');
  for (const seed of [1, 2]) {
    const r = simulate(s, seed, { events: true });
    for (const m of r.metrics) h.update(Array.from(m, formatNumber).join(',') + '\n');
    for (const e of r.events!) h.update(e + '\n');
  }
  return h.digest('hex').slice(0, 16);
}

describe('regression digest', () => {
  it('a fixed small scenario gives the pinned output', () => {
    // 2026-11-29: 87641d031036a45b → 489b6cc910e67bad, two metric columns added (team_exchange_share_*); without them the digest is the old one.
    // 2026-12-04: 489b6cc910e67bad → e0aed929710196d9, on purpose: stagnation_share counts leading cadres with
    // six metric columns added (stagnation_share_all, _rank0…3, long_tenure_transfer_rate_rank3), promotion pools
    // are kept by system (MODEL.md departure 39), and policy.tenureEnforcement exists (default 1, no draw).
    // Then e0aed929710196d9 → c1e3c47da04524cc, on purpose: appointment one level down (policy.managementScope,
    // MODEL.md departure 40) is the default.
    // 2026-12-04, later: c1e3c47da04524cc → 399b3eac586d8eb5, on purpose: a cadre's draws of a year come from one
    // draw base (model/draws.ts) and no draw is made from a pool with no live member; the realisations change,
    // the distributions do not (bench/distcheck.ts on the 13 comparable golden cases × 8 headline metrics, 64
    // replicates: PASS, max |z| 3.07 < 3.49; docs/VALIDATION.md, bench/RESULTS.md).
    // Then 399b3eac586d8eb5 → 046281355aafb05b, on purpose: free slots are handed out from the tail first
    // (model/store.ts), which changes the order of pool members; distributions checked the same way (PASS,
    // max |z| 1.82).
    expect(runDigest()).toBe('046281355aafb05b');
  });
});
