/**
 * Every lever and behavioural parameter in the schema changes the simulation
 * (a field that nothing reads fails here).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, resolveScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/model/simulate.js';
import { buildWorld } from '../../src/world/world.js';

const BASE = { name: 'levers', seed: 3, startYear: 2026, burnIn: 6, years: 4, world: { preset: 'gansu', scale: 0.04 } };

/** The other value of each two-valued choice. */
const OTHER: Record<string, string> = { directive: 'two-way', 'two-way': 'directive', province: 'one-level-down', 'one-level-down': 'province' };

/** A different valid value for each leaf of an object (numbers to another point of their range, booleans flipped). */
function leaves(obj: Record<string, unknown>, prefix: string): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const p = `${prefix}.${k}`;
    if (typeof v === 'boolean') out.push([p, !v]);
    else if (typeof v === 'string') out.push([p, OTHER[v]]);
    else if (Array.isArray(v)) out.push([p, v.map((x: number) => (x > 10 ? x - 5 : x === 0 ? 1 : x * 2))]);
    else if (typeof v === 'number') out.push([p, v]);
    else if (v && typeof v === 'object') out.push(...leaves(v as Record<string, unknown>, p));
  }
  return out;
}

/** Picks a changed number inside the field's range: halve, or double, or step integers. */
function changed(path: string, v: number): number[] {
  const cands = Number.isInteger(v) && v > 1 ? [v - 2, v + 3, Math.round(v / 2), v * 2] : v === 0 ? [0.5, 1, 3] : [v * 3, v / 3, Math.min(1, v * 1.5), v + 1];
  return cands.filter((x) => x !== v && x >= 0);
}

function digest(sets: string[], long = false): string {
  const s = resolveScenario(long ? { ...BASE, burnIn: 30 } : BASE, sets);
  const r = simulate(s, 99, { world: buildWorld(s.world) });
  return r.metrics.map((m) => Array.from(m).map((x) => (Number.isFinite(x) ? x.toPrecision(12) : '')).join(',')).join('\n');
}

describe('every lever and behavioural parameter changes the simulation', () => {
  const s = parseScenario(BASE);
  const base = digest([]);
  let longBase: string | undefined;
  const fields = [...leaves(s.policy as never, 'policy'), ...leaves(s.behavior as never, 'behavior')];
  it.each(fields.map(([p, v]) => [p, v] as const))('%s', (p, v) => {
    const tries = typeof v === 'number' ? changed(p, v) : [v];
    let moved = false;
    // Some levers act slowly (recruits' traits reach leadership teams after decades): a long burn-in is the second try.
    for (const long of [false, true]) {
      for (const t of tries) {
        let d: string;
        try {
          d = digest([`${p}=${JSON.stringify(t)}`], long);
        } catch {
          continue; // out of this field's range: try another value
        }
        if (long) longBase ??= digest([], true);
        if (d !== (long ? longBase : base)) { moved = true; break; }
      }
      if (moved) break;
    }
    expect(moved, `${p} did not change any metric`).toBe(true);
  });
});
