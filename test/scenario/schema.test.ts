import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';
import { applySets, loadScenario, parseScenario, resolveScenario } from '../../src/scenario/load.js';
import { InputError, show } from '../../src/scenario/errors.js';
import { buildWorld } from '../../src/world/world.js';

const root = path.resolve(__dirname, '..', '..');

function problem(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.problems[0]!;
    throw e;
  }
  throw new Error('no error');
}

describe('scenario schema', () => {
  it('accepts {"name": "x"} with every default filled', () => {
    const s = parseScenario({ name: 'x' });
    expect(s.policy.maxTenure).toBe(10);
    expect(s.world.preset).toBe('gansu');
    expect(s.policy.barriers.crossSystem).toBe(1);
    expect(s.policy.retirement.men).toBe(60);
  });
  it('scenarios/schema.json is the JSON Schema generated from the zod schema', () => {
    const shipped = JSON.parse(readFileSync(path.join(root, 'scenarios', 'schema.json'), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
  it('every shipped scenario validates and builds its world', () => {
    const files = readdirSync(path.join(root, 'scenarios')).filter((f) => f.endsWith('.json') && f !== 'schema.json');
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) {
      const s = loadScenario(path.join(root, 'scenarios', f));
      expect(s.description.length).toBeGreaterThan(40);
      expect(buildWorld(s.world).nPosts).toBeGreaterThan(1000);
    }
  });
  it('rejects an unknown field with its path', () => {
    const p = problem(() => parseScenario({ policy: { maxTenur: 8 } }));
    expect(p.path).toBe('policy.maxTenur');
    expect(p.value).toBe(8);
    expect(p.allowed).toMatch(/unknown field/);
  });
  it('rejects a value out of range, naming the range', () => {
    const p = problem(() => parseScenario({ policy: { exchangeQuota: 1.5 } }));
    expect(p.path).toBe('policy.exchangeQuota');
    expect(p.value).toBe(1.5);
    expect(p.allowed).toMatch(/≤ 1/);
  });
  it('rejects a wrong type', () => {
    const p = problem(() => parseScenario({ years: 'ten' }));
    expect(p.path).toBe('years');
    expect(p.allowed).toMatch(/expected number/);
  });
  it('rejects a bad choice, listing the choices', () => {
    const p = problem(() => parseScenario({ policy: { matching: 'lottery' } }));
    expect(p.allowed).toMatch(/directive.*two-way/);
  });
  it('rejects a reform before the start year or after the last reported year', () => {
    const p = problem(() => parseScenario({ startYear: 2026, reforms: [{ year: 2020, policy: { maxTenure: 5 } }] }));
    expect(p.path).toBe('reforms[0].year');
    const late = problem(() => parseScenario({ startYear: 2026, years: 2, reforms: [{ year: 2027, policy: { maxTenure: 5 } }, { year: 2028, policy: { maxTenure: 4 } }] }));
    expect(late.path).toBe('reforms[1].year');
    expect(late.allowed).toMatch(/2026–2027 .*never takes effect/);
  });
  it('rejects impossible worlds: more leaders than can be promoted, and zero-sized regions', () => {
    const s1 = parseScenario({ world: { preset: 'synthetic', posts: { county: [1, 5, 5], prefecture: [1, 5, 5, 5], province: [1, 5, 5, 5] } } });
    const p1 = problem(() => buildWorld(s1.world));
    expect(p1.path).toBe('world.posts');
    expect(p1.allowed).toMatch(/impossible pyramid/);
    const s2 = parseScenario({ world: { preset: 'synthetic', posts: { county: [0, 0, 0], prefecture: [10, 5, 2, 1], province: [10, 5, 2, 1] } } });
    const p2 = problem(() => buildWorld(s2.world));
    expect(p2.path).toBe('world.posts.county');
    expect(p2.allowed).toMatch(/zero-sized/);
    const p3 = problem(() => parseScenario({ world: { preset: 'explicit', regions: [{ code: 'P', name: 'P', parent: -1, level: 3, wageIndex: 1, population: 0 }] } }));
    expect(p3.path).toBe('world.regions[0].population');
  });
  it('rejects levers whose combination makes no sense: minTenure above maxTenure or keyMaxTenure, also in force after a reform and after --set', () => {
    const p = problem(() => parseScenario({ policy: { minTenure: 5, maxTenure: 4 } }));
    expect(p).toMatchObject({ path: 'policy.minTenure', value: 5 });
    expect(p.allowed).toMatch(/^at most policy\.maxTenure \(4\): a non-mandatory move needs minTenure years in post/);
    const k = problem(() => parseScenario({ policy: { minTenure: 6, keyMaxTenure: 5 } }));
    expect(k).toMatchObject({ path: 'policy.minTenure', value: 6 });
    expect(k.allowed).toMatch(/^at most policy\.keyMaxTenure \(5\)/);
    // Equal is fine (a move allowed and due in the same year).
    expect(parseScenario({ policy: { minTenure: 5, maxTenure: 5, keyMaxTenure: 5 } }).policy.minTenure).toBe(5);
    // A reform that lowers the limit below the minimum in force, or raises the minimum above it, is named.
    const r1 = problem(() => parseScenario({ startYear: 2026, years: 10, policy: { minTenure: 4 }, reforms: [{ year: 2028, policy: { maxTenure: 3 } }] }));
    expect(r1).toMatchObject({ path: 'reforms[0].policy.maxTenure', value: 3 });
    expect(r1.allowed).toMatch(/^at least the minTenure in force from 2028 \(4\)/);
    const r2 = problem(() => parseScenario({ startYear: 2026, years: 10, reforms: [{ year: 2030, policy: { keyMaxTenure: 5 } }, { year: 2028, policy: { minTenure: 6 } }] }));
    expect(r2).toMatchObject({ path: 'reforms[0].policy.keyMaxTenure', value: 5 });
    expect(r2.allowed).toMatch(/in force from 2030 \(6\)/);
    // A later reform that restores the order does not excuse the years between.
    expect(problem(() => parseScenario({ startYear: 2026, years: 10, reforms: [{ year: 2028, policy: { maxTenure: 2 } }, { year: 2030, policy: { maxTenure: 10 } }] })).path).toBe('reforms[0].policy.maxTenure');
    // The shipped reform (keyMaxTenure 5, minTenure 5) is fine; a --set that breaks it is not.
    expect(loadScenario(path.join(root, 'scenarios', 'mandatory-limits.json')).reforms[0]!.policy.minTenure).toBe(5);
    let err: unknown;
    try {
      loadScenario(path.join(root, 'scenarios', 'mandatory-limits.json'), ['reforms[0].policy.keyMaxTenure=4']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/mandatory-limits\.json \(with --set\): reforms\[0\]\.policy\.minTenure: 5: at most the keyMaxTenure in force from 2028 \(4\)/);
    expect(problem(() => resolveScenario({ name: 'x' }, ['policy.maxTenure=2'])).path).toBe('policy.minTenure');
  });
  it('shipped descriptions are whole sentences and call the source study "the study", not "seed" (the random seed)', () => {
    const study = /\bseed §|\bseed's\b|\bthe seed\b/;
    for (const dir of ['scenarios', 'scenarios/sweeps', 'scenarios/sensitivity']) {
      for (const f of readdirSync(path.join(root, dir)).filter((x) => x.endsWith('.json') && x !== 'schema.json')) {
        const raw = JSON.parse(readFileSync(path.join(root, dir, f), 'utf8'));
        const texts: string[] = [raw.description ?? '', ...(raw.reforms ?? []).map((r: { description?: string }) => r.description ?? '')];
        for (const t of texts.filter(Boolean)) {
          expect(t, `${dir}/${f}`).toMatch(/[.)]$/);
          expect(t, `${dir}/${f}`).not.toMatch(study);
          // Brackets are closed: a description cut inside "(study §3.5 …)" is not.
          expect(t.split('(').length, `${dir}/${f}: ${t}`).toBe(t.split(')').length);
        }
      }
    }
    const described: string[] = [];
    JSON.stringify(scenarioJsonSchema(), (k, v) => (k === 'description' && typeof v === 'string' ? (described.push(v), v) : v));
    expect(described.length).toBeGreaterThan(100);
    expect(described.filter((d) => study.test(d))).toEqual([]);
    expect(described.some((d) => d.includes('study §2.1 三'))).toBe(true);
  });
  it('shortens long values in messages after a word, with an ellipsis', () => {
    const d = "Today's rules as the study describes them (Gansu, c. 2016): a 10-year limit in one post that is loosely enforced.";
    const shown = show(d);
    expect(shown.length).toBeLessThanOrEqual(80);
    expect(shown).toBe('"Today\'s rules as the study describes them (Gansu, c. 2016): a 10-year limit…');
    expect(show([0.024, 0.042, 0.07, 0.08, 0.136, 0.2, 0.024, 0.042, 0.07, 0.08, 0.136, 0.2, 0.024, 0.042, 0.07, 0.08, 0.136, 0.2])).toMatch(/^\[0\.024,0\.042,.*,0\.\d+…$/);
    expect(show('short')).toBe('"short"');
    expect(show(undefined)).toBe('(missing)');
  });
  it('applies --set overrides by dotted path, with JSON values', () => {
    const s = resolveScenario({ name: 'x' }, ['policy.maxTenure=6', 'policy.matching=two-way', 'policy.hardshipAllowance=[0,0,0,0,0,0.5]', 'world.posts.county[0]=30']);
    expect(s.policy.maxTenure).toBe(6);
    expect(s.policy.matching).toBe('two-way');
    expect(s.policy.hardshipAllowance[5]).toBe(0.5);
    expect(s.world.posts.county).toEqual([30, 14, 4]);
    expect(problem(() => parseScenario(applySets({}, ['policy.maxTenure=abc']))).allowed).toMatch(/expected number/);
    expect(problem(() => applySets({}, ['maxTenure'])).path).toBe('--set');
  });
});
