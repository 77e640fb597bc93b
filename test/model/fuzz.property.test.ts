/**
 * Fuzzing over the whole scenario schema: every field of `policy` and
 * `behavior` is drawn from its declared range (integers, numbers, booleans,
 * choices, lists of fixed length; from scenarios' JSON Schema, so a new lever
 * is fuzzed as soon as it exists), with a reform that redraws a random part of
 * the policy, in small worlds (synthetic of random shape, or gansu at its
 * smallest scale). Each is simulated with every invariant of MODEL.md §8
 * checked each year (the CLI's --check). Draws the schema rejects as a whole
 * (e.g. a minimum tenure above a limit; worlds too small for a pyramid) are
 * discarded, and the test fails if that leaves too few scenarios to mean
 * anything.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from '../../src/scenario/load.js';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';
import { simulate } from '../../src/model/simulate.js';
import { METRIC_NAMES, UNIT_RANGE } from '../../src/metrics/definitions.js';
import { buildWorld } from '../../src/world/world.js';
import { InputError } from '../../src/scenario/errors.js';

type Leaf = { path: string[]; arb: fc.Arbitrary<unknown> };

/** One arbitrary per leaf of a JSON Schema object, within its declared range. */
function leaves(schema: any, at: string[] = []): Leaf[] {
  if (schema?.type === 'object' && schema.properties) return Object.entries(schema.properties).flatMap(([k, v]) => leaves(v, [...at, k]));
  const num = (s: any, integer: boolean): fc.Arbitrary<number> => {
    const min = s.minimum ?? s.exclusiveMinimum ?? 0, max = s.maximum ?? min + 10;
    return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  };
  if (schema?.enum) return [{ path: at, arb: fc.constantFrom(...schema.enum) }];
  if (schema?.type === 'boolean') return [{ path: at, arb: fc.boolean() }];
  if (schema?.type === 'integer' || schema?.type === 'number') return [{ path: at, arb: num(schema, schema.type === 'integer') }];
  if (schema?.type === 'array' && schema.minItems === schema.maxItems && schema.minItems !== undefined) {
    return [{ path: at, arb: fc.array(num(schema.items, schema.items?.type === 'integer'), { minLength: schema.minItems, maxLength: schema.maxItems }) }];
  }
  throw new Error(`the fuzz test cannot draw ${at.join('.')} (${JSON.stringify(schema).slice(0, 120)}): teach it this kind of field`);
}

function put(obj: Record<string, any>, path: string[], v: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) o = o[k] ??= {};
  o[path[path.length - 1]!] = v;
}

const schema = scenarioJsonSchema() as any;
const policyLeaves = leaves(schema.properties.policy, ['policy']);
const behaviorLeaves = leaves(schema.properties.behavior, ['behavior']);
const all = [...policyLeaves, ...behaviorLeaves];

const worldArb = fc.oneof(
  fc.record({
    preset: fc.constant('synthetic'),
    scale: fc.double({ min: 0.03, max: 0.08, noNaN: true }),
    synthetic: fc.record({ provinces: fc.integer({ min: 1, max: 2 }), prefecturesPerProvince: fc.integer({ min: 1, max: 3 }), countiesPerPrefecture: fc.integer({ min: 0, max: 3 }) }),
  }),
  fc.record({ preset: fc.constant('gansu'), scale: fc.constant(0.03) }),
);

const scenarioArb = fc.record({
  world: worldArb,
  values: fc.tuple(...all.map((l) => l.arb)),
  reformValues: fc.tuple(...policyLeaves.map((l) => l.arb)),
  reformMask: fc.array(fc.boolean(), { minLength: policyLeaves.length, maxLength: policyLeaves.length }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('fuzzing the scenario schema: no invariant breaks', () => {
  it('in a few hundred random valid scenarios, run with every check', () => {
    let ran = 0, rejected = 0;
    fc.assert(
      fc.property(scenarioArb, (a) => {
        const raw: Record<string, any> = { name: 'fuzz', seed: a.seed, startYear: 2024, burnIn: 2, years: 3, world: a.world };
        all.forEach((l, i) => put(raw, l.path, a.values[i]));
        const reform: Record<string, any> = {};
        policyLeaves.forEach((l, i) => { if (a.reformMask[i]) put(reform, l.path.slice(1), a.reformValues[i]); });
        raw.reforms = [{ year: 2025, policy: reform }];
        let s, world;
        try {
          s = parseScenario(raw);
          world = buildWorld(s.world);
        } catch (e) {
          if (e instanceof InputError) { rejected++; fc.pre(false); return; }
          throw e;
        }
        ran++;
        const r = simulate(s, a.seed, { check: true, world });
        expect(r.years).toEqual([2024, 2025, 2026]);
        const hc = METRIC_NAMES.indexOf('headcount');
        for (const m of r.metrics) {
          // An empty service is a possible outcome at the ranges' ends (a quit hazard near 1 a year and no
          // recruitment: behavior.quitBase·exp(quitPayGap·gap) with recruitFill 0), not a broken invariant.
          expect(m[hc]).toBeGreaterThanOrEqual(0);
          expect(m[hc]).toBeLessThanOrEqual(world.nPosts);
          METRIC_NAMES.forEach((name, j) => {
            const v = m[j]!;
            expect(Number.isNaN(v) || Number.isFinite(v), name).toBe(true);
            if (UNIT_RANGE.has(name) && Number.isFinite(v)) expect(v >= 0 && v <= 1, `${name} = ${v}`).toBe(true);
          });
        }
      }),
      { numRuns: 300, seed: 20261204, maxSkipsPerRun: 10 },
    );
    // The discarded draws must not leave the test empty: most random scenarios are valid.
    expect(ran, `${ran} scenarios ran, ${rejected} rejected`).toBeGreaterThanOrEqual(300);
  });
});
