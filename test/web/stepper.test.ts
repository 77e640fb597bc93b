/**
 * The workshop page steps runs a year at a time (YearStepper, the loop that
 * simulate() runs): the same metrics as simulate() for the same scenario and
 * seed, with reforms and in a docking mode. And the page's scenarios: the levers
 * as a reform on the baseline, validated with the CLI's messages.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate, YearStepper } from '../../src/model/simulate.js';
import { buildWorld } from '../../src/world/world.js';
import { leverSpecs, leverValues, presets, runScenarios } from '../../src/web/levers.js';
import { regionYear, postsPerRegion } from '../../src/report/regions.js';
import { LEVERS, LEVER_TIPS_ZH, PRESETS_ZH } from '../../src/report/i18n.js';
import { InputError } from '../../src/scenario/errors.js';
import { rulesAt } from '../../src/model/policy-at.js';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';
import { emptyFlows, flowCounter, flowsFromEvents } from '../../src/report/flows.js';
import { EVENTS_HEADER } from '../../src/experiment/replicates.js';
import { MOVE_TYPES } from '../../src/world/constants.js';

function stepAll(s: ReturnType<typeof parseScenario>, seed: number) {
  const world = buildWorld(s.world);
  const st = new YearStepper(s, seed, world);
  const out: { year: number; metrics: Float64Array }[] = [];
  while (!st.done) {
    const r = st.step();
    if (r.metrics) out.push({ year: r.year, metrics: r.metrics });
  }
  return { out, st, world };
}

describe('YearStepper', () => {
  const cases = {
    'gansu with a reform': { name: 'a', startYear: 2026, years: 4, burnIn: 5, world: { preset: 'gansu', scale: 0.03 }, reforms: [{ year: 2028, policy: { maxTenure: 5, matching: 'two-way', registry: true }, behavior: { unitOwnership: 0.2 } }] },
    'synthetic, pull docking': { name: 'b', startYear: 2026, years: 3, burnIn: 4, world: { preset: 'synthetic', scale: 0.3, synthetic: { prefecturesPerProvince: 3, countiesPerPrefecture: 3 }, initialFill: 1 }, docking: { mode: 'pull' } },
  };
  for (const [label, raw] of Object.entries(cases)) {
    it(`gives the metrics of simulate(): ${label}`, () => {
      const s = parseScenario(raw);
      for (const seed of [1, 987654321]) {
        const ref = simulate(s, seed);
        const { out } = stepAll(s, seed);
        expect(out.map((x) => x.year)).toEqual(ref.years);
        out.forEach((x, i) => expect(Array.from(x.metrics)).toEqual(Array.from(ref.metrics[i]!)));
      }
    });
  }

  it('gives region metrics that add up to the province-wide ones', () => {
    const s = parseScenario({ name: 'c', startYear: 2026, years: 1, burnIn: 3, world: { preset: 'gansu', scale: 0.03 } });
    const { st, world, out } = stepAll(s, 3);
    const posts = postsPerRegion(world);
    const r = regionYear(st.sim, posts);
    const vacant = r.vacancy.reduce((a, v, g) => a + v * posts[g]!, 0);
    const metrics = out[0]!.metrics;
    expect(vacant / world.nPosts).toBeCloseTo(metrics[METRIC_NAMES.indexOf('vacancy_rate')]!, 4);
    // Net reverse inflows cancel out over the province.
    expect(r.netReverse.reduce((a, v, g) => a + (v * posts[g]!) / 100, 0)).toBeCloseTo(0, 3);
    expect(r.stagnation.every((v) => Number.isNaN(v) || (v >= 0 && v <= 1))).toBe(true);
  });

  it('counts the same flows from the move log as the report does from events.csv', () => {
    const s = parseScenario({ name: 'd', startYear: 2026, years: 3, burnIn: 3, world: { preset: 'gansu', scale: 0.03 } });
    const world = buildWorld(s.world);
    const ref = simulate(s, 5, { events: true, world });
    const fromEvents = flowsFromEvents([EVENTS_HEADER.join(','), ...ref.events!.map((e) => `0,${e}`)].join('\n'), world);
    const { tiers, count } = flowCounter(world);
    const fromLog = emptyFlows(tiers);
    const st = new YearStepper(s, 5, world);
    while (!st.done) {
      const r = st.step();
      if (!r.metrics) continue;
      fromLog.runYears++;
      const log = st.sim.log;
      for (let k = 0; k < log.n; k++) count(fromLog, MOVE_TYPES[log.type[k]!]!, log.fromPost[k]!, log.toPost[k]!, log.fromRegion[k]!, log.toRegion[k]!, log.fromRank[k]!, log.toRank[k]!);
    }
    expect(fromLog.moves).toBeGreaterThan(100);
    expect(fromLog).toEqual(fromEvents);
  });
});

describe('the page’s scenarios', () => {
  it('has a control for every lever, with unit and range from the schema', () => {
    const specs = leverSpecs();
    expect(specs.map((s) => s.path)).toEqual(LEVERS.map((l) => l.path));
    const mt = specs.find((s) => s.path === 'policy.maxTenure')!;
    expect(mt).toMatchObject({ kind: 'integer', min: 1, max: 40, unit: 'years', default: 10 });
    expect(specs.find((s) => s.path === 'policy.matching')).toMatchObject({ kind: 'enum', values: ['directive', 'two-way'] });
    expect(specs.find((s) => s.path === 'policy.hardshipAllowance')).toMatchObject({ kind: 'array', length: 6, min: 0, max: 2 });
    expect(specs.find((s) => s.path === 'behavior.unitOwnership')).toMatchObject({ kind: 'number', min: 0, max: 1 });
    for (const s of specs) expect(s.description.length, s.path).toBeGreaterThan(10);
  });

  it('builds the baseline and the policy as a reform of it, on the same seed', () => {
    const { policy, baseline } = runScenarios({ levers: { 'policy.maxTenure': 6, 'behavior.unitOwnership': 0.2, 'policy.barriers.crossSystem': 0.3 }, settings: { scale: 0.05, years: 5, burnIn: 5, replicates: 3, seed: 9, reformYear: 2027 } });
    expect(policy.seed).toBe(baseline.seed);
    expect(baseline.reforms).toEqual([]);
    expect(policy.reforms.length).toBe(1);
    expect(rulesAt(policy, 2026).policy.maxTenure).toBe(baseline.policy.maxTenure);
    expect(rulesAt(policy, 2027).policy.maxTenure).toBe(6);
    expect(rulesAt(policy, 2027).behavior.unitOwnership).toBe(0.2);
    expect(rulesAt(policy, 2027).policy.barriers.crossSystem).toBe(0.3);
    expect(rulesAt(policy, 2027).policy.barriers.lineBlock).toBe(baseline.policy.barriers.lineBlock);
  });

  it('over a posterior, a lever the posterior sets keeps each particle\'s value unless the page changes it', () => {
    const settings = { scale: 0.05, years: 5, burnIn: 5, replicates: 4, seed: 9, reformYear: 2027 };
    const levers = { ...leverValues(runScenarios({ settings }).baseline), 'policy.maxTenure': 6, 'policy.disciplineStrength': 0.9 };
    const fitted = ['policy.tenureEnforcement', 'policy.disciplineStrength', 'behavior.unitOwnership'];
    const over = runScenarios({ levers, settings: { ...settings, posterior: 1 } }, fitted).policy.reforms[0]!;
    expect(over.policy.maxTenure).toBe(6);
    expect(over.policy.disciplineStrength).toBe(0.9);
    expect('tenureEnforcement' in over.policy).toBe(false);
    expect('unitOwnership' in (over.behavior ?? {})).toBe(false);
    // Without the posterior the reform holds every lever sent.
    const plain = runScenarios({ levers, settings }, fitted).policy.reforms[0]!;
    expect(plain.policy.tenureEnforcement).toBe(levers['policy.tenureEnforcement']);
  });

  it('rejects bad values with the field, the value and what is allowed', () => {
    const bad = (req: unknown) => {
      try {
        runScenarios(req as never);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad({ levers: { 'policy.maxTenure': 99 } })).toMatch(/policy\.maxTenure: 99: must be ≤ 40/);
    expect(bad({ levers: { 'policy.matching': 'lottery' } })).toMatch(/policy\.matching: "lottery": one of "directive", "two-way"/);
    expect(bad({ levers: { 'policy.hardshipAllowance': [0.1, 0.2] } })).toMatch(/policy\.hardshipAllowance/);
    expect(bad({ levers: { 'policy.nothing': 1 } })).toMatch(/policy\.nothing/);
    expect(bad({ settings: { replicates: 0 } })).toMatch(/settings\.replicates: 0: an integer from 1 to 32/);
    expect(bad({ settings: { reformYear: 2100 } })).toMatch(/settings\.reformYear: 2100: a reported year/);
    expect(bad({ levers: { 'policy.maxTenure': null } })).toMatch(/policy\.maxTenure: null: expected number/);
    expect(bad({ bogus: 1 })).toMatch(/bogus: 1: levers or settings/);
    expect(bad({ settings: { seed: null } })).toMatch(/settings\.seed: null: an integer from 0/);
  });

  it('explains every lever in Chinese too, and only the page\'s levers', () => {
    expect(Object.keys(LEVER_TIPS_ZH).sort()).toEqual(LEVERS.map((l) => l.path).sort());
    for (const tip of Object.values(LEVER_TIPS_ZH)) expect(tip).toMatch(/[\u4e00-\u9fff]/);
    // Every shipped scenario has a Chinese name and description for the page's presets.
    expect(Object.keys(PRESETS_ZH).sort()).toEqual(presets().map((p) => p.file).sort());
  });

  it('offers the shipped scenarios as presets, the baseline first', () => {
    const ps = presets();
    expect(ps[0]!.name).toBe('baseline');
    const full = ps.find((p) => p.name === 'full-reform')!;
    expect(full.reformYear).toBe(2028);
    expect(full.levers['policy.matching']).toBe('two-way');
    expect(full.levers['behavior.unitOwnership']).toBe(0.3);
  });
});
