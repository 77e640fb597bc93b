/** Tiny hand-built worlds and cadres for unit tests of the phases; a CLI helper for kill-and-resume tests. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseScenario } from '../src/scenario/load.js';
import type { ScenarioInput } from '../src/scenario/schema.js';
import { buildWorld } from '../src/world/world.js';
import { createSim, type Sim } from '../src/model/sim.js';
import { setBase, yearKey } from '../src/model/draws.js';
import { updatePay } from '../src/model/wages.js';
import { identityOfSystem } from '../src/world/constants.js';

/** One province (Lanzhou-like), one prefecture and two counties: A (index 2, rich) and B (index 3, poor, hardship 2). */
export const TINY_REGIONS = [
  { code: 'P', name: 'Province', parent: -1, level: 3, wageIndex: 1.0, hardship: 0, urban: 0.8, x: 0, y: 0, population: 1e6 },
  { code: 'F', name: 'Prefecture', parent: 0, level: 2, wageIndex: 0.95, hardship: 0, urban: 0.6, x: 100, y: 0, population: 5e5 },
  { code: 'A', name: 'County A', parent: 1, level: 1, wageIndex: 0.9, hardship: 0, urban: 0.5, x: 120, y: 0, population: 2e5 },
  { code: 'B', name: 'County B', parent: 1, level: 1, wageIndex: 0.8, hardship: 2, urban: 0.2, x: 200, y: 50, population: 1e5 },
] as const;

export function tinyScenario(over: Record<string, unknown> = {}): ReturnType<typeof parseScenario> {
  const base: ScenarioInput = {
    name: 'tiny',
    startYear: 2026,
    burnIn: 0,
    years: 1,
    world: {
      preset: 'explicit',
      regions: TINY_REGIONS.map((r) => ({ ...r })) as never,
      posts: { county: [1, 1, 1], prefecture: [1, 1, 1, 1], province: [1, 1, 1, 1] },
      systemShare: [1, 0, 0, 0],
      initialFill: 1,
    },
  };
  const merged = deepMerge(base, over);
  return parseScenario(merged);
}

function deepMerge(a: any, b: any): any {
  if (typeof a !== 'object' || a === null || Array.isArray(a) || typeof b !== 'object' || b === null || Array.isArray(b)) return b ?? a;
  const out: any = { ...a };
  for (const k of Object.keys(b)) out[k] = deepMerge(a[k], b[k]);
  return out;
}

/** An empty sim (no cadres) on the scenario's world, pay tables computed for its start year. */
export function emptySim(over: Record<string, unknown> = {}, seed = 7): Sim {
  const s = tinyScenario(over);
  const sim = createSim(s, buildWorld(s.world), seed);
  sim.year = s.startYear;
  updatePay(sim);
  return sim;
}

export interface CadreTraits {
  age?: number; female?: number; home?: number; yearsInPost?: number; yearsInRank?: number; yearsInRegion?: number;
  ability?: number; performance?: number; perfPct?: number; ties?: number; key?: number; domains?: number; levels?: number;
  regionsServed?: number; wWage?: number; wHome?: number; wUrban?: number; wCareer?: number; familyBurden?: number;
}

/** Seats a cadre in post p with the given traits. */
export function place(sim: Sim, p: number, t: CadreTraits = {}): number {
  const s = sim.store;
  const w = sim.world;
  const c = s.allocate();
  const g = w.postRegion[p]!;
  s.post[c] = p;
  sim.occupant[p] = c;
  s.key[c] = t.key ?? 1000 + c;
  s.region[c] = g;
  s.rank[c] = w.postRank[p]!;
  s.identity[c] = identityOfSystem(w.postSystem[p]!);
  s.age[c] = t.age ?? 40;
  s.female[c] = t.female ?? 0;
  s.home[c] = t.home ?? g;
  s.yearsInPost[c] = t.yearsInPost ?? 4;
  s.yearsInRank[c] = t.yearsInRank ?? 4;
  s.yearsInRegion[c] = t.yearsInRegion ?? 4;
  s.ability[c] = t.ability ?? 0;
  s.performance[c] = t.performance ?? 0;
  s.perfPct[c] = t.perfPct ?? 0.5;
  s.ties[c] = t.ties ?? 0.3;
  s.domainsServed[c] = t.domains ?? 1 << w.postDomain[p]!;
  s.levelsServed[c] = t.levels ?? 1 << (w.level[g]! - 1);
  s.systemsServed[c] = 1 << w.postSystem[p]!;
  s.regionsServed[c] = t.regionsServed ?? 1;
  s.wWage[c] = t.wWage ?? 1.5;
  s.wHome[c] = t.wHome ?? 1;
  s.wUrban[c] = t.wUrban ?? 0.8;
  s.wCareer[c] = t.wCareer ?? 1;
  s.familyPeak[c] = t.familyBurden ?? 0.2;
  s.familyBurden[c] = t.familyBurden ?? 0.2;
  s.secondRegion[c] = -1;
  s.target[c] = -1;
  // The cadre's draw base of the current year, as the age phase sets it (draws.ts).
  sim.yearKey = yearKey(sim);
  setBase(sim, c);
  return c;
}

/** The first post of region g at rank r in domain d (block system). */
export function postOf(sim: Sim, g: number, r: number, d = 0): number {
  const w = sim.world;
  for (let p = 0; p < w.nPosts; p++) if (w.postRegion[p] === g && w.postRank[p] === r && w.postDomain[p] === d) return p;
  throw new Error(`no post at region ${g} rank ${r} domain ${d}`);
}

/**
 * Fills every vacant post with a settled cadre who is not eligible for anything this year
 * (short tenure, and a home that no avoidance rule forbids: the province seat, or county A for province posts).
 */
export function fillRest(sim: Sim, t: CadreTraits = {}): void {
  for (let p = 0; p < sim.world.nPosts; p++) {
    if (sim.occupant[p]! >= 0) continue;
    const home = sim.world.postRegion[p] === 0 ? 2 : 0;
    place(sim, p, { yearsInPost: 1, yearsInRank: 1, home, ...t });
  }
}

/** Runs the CLI (built bin) with args in cwd and kills it with SIGKILL after delayMs; resolves when it has exited. */
/**
 * Runs the CLI and kills it with SIGKILL delayMs after `file` (relative to cwd) first appears —
 * a kill in the middle of the work whatever the machine's load (returns when the child ends first).
 */
export async function killWhen(bin: string, args: string[], cwd: string, file: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [bin, ...args], { cwd });
  let done = false;
  const exited = new Promise((r) => child.on('exit', () => { done = true; r(undefined); }));
  while (!done && !existsSync(path.join(cwd, file))) await new Promise((r) => setTimeout(r, 10));
  if (!done) await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  await exited;
}

export async function killAfter(bin: string, args: string[], cwd: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [bin, ...args], { cwd });
  const exited = new Promise((r) => child.on('exit', r)); // listening before the kill: the child may have finished already
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  await exited;
}
