/**
 * The state of one run: the world, the cadre store, who holds each post,
 * the rules in force this year and the working tables of the year (pay by
 * region, the move log, counters). Phases read and write it; simulate()
 * owns it.
 */
import type { Behavior, Policy, Scenario } from '../scenario/schema.js';
import type { World } from '../world/world.js';
import { CadreStore } from './store.js';
import { MoveLog, type ExitLog } from './move-log.js';
import { hotParams, type HotParams } from './params.js';

export interface YearCounters {
  retirements: number;
  quits: number;
  dismissals: number;
  recruits: number;
  /** Headcount at the start of the year (after last year's record). */
  headcountStart: number;
  /** Vacancy chains completed this year: count and summed length, by starting rank. */
  chainsDone: Float64Array;
  chainsLen: Float64Array;
}

export interface Sim {
  scenario: Scenario;
  world: World;
  store: CadreStore;
  /**
   * The run seed as a signed 32-bit integer: the same 32 bits as the unsigned
   * seed, and every use hashes it as 32 bits (streamKey, Stream, hash2). Kept
   * signed so that it is always a small integer to V8: a seed ≥ 2^31 stored as
   * a heap number would change the hidden class of Sim in mid-sweep and
   * deoptimise every phase compiled for the old one.
   */
  seed: number;
  /** Calendar year being simulated. */
  year: number;
  policy: Policy;
  behavior: Behavior;
  /** The hot scalars of policy and behaviour (set with setRules). */
  k: HotParams;
  /** Occupant of each post, -1 = vacant. */
  occupant: Int32Array;
  yearsVacant: Uint16Array;
  /** Structural needs of a post (bit 1 a woman, 2 under 45, 4 economy experience), set by plan, cleared when filled. */
  postNeed: Uint8Array;
  /** Pay index actually paid in each region this year (after compression), and its allowance share. */
  pay: Float64Array;
  allowance: Float64Array;
  /** ln(pay·(1+allowance)) at home and, with housing support, away from home (MODEL.md §4.1). */
  lnPayHome: Float64Array;
  lnPayAway: Float64Array;
  /** Attractiveness of a region to a typical recruit, relative to the best region of its province (≤ 0). */
  attract: Float64Array;
  log: MoveLog;
  /** The year's leavers, kept only while career records are written (run --spells); null otherwise. */
  exitLog: ExitLog | null;
  /** The id (CadreStore.id) the next cadre created gets. */
  nextId: number;
  counters: YearCounters;
  /** Run invariant checks every year. */
  check: boolean;
  /** The key of this year's cadre stream (draws.ts), set by the age phase. */
  yearKey: number;
  /** Each cadre's draw base for this year (draws.ts), by slot: set by the age phase and for recruits. */
  base: Int32Array;
  /** Working memory shared by steps whose arrays do not live at the same time (scratch.ts). */
  scratch: ArrayBuffer;
}

export function newCounters(): YearCounters {
  return { retirements: 0, quits: 0, dismissals: 0, recruits: 0, headcountStart: 0, chainsDone: new Float64Array(4), chainsLen: new Float64Array(4) };
}

export function createSim(scenario: Scenario, world: World, seed: number): Sim {
  const n = world.nRegions;
  return {
    scenario,
    world,
    store: new CadreStore(world.nPosts, world.nRegions),
    seed: seed | 0,
    year: scenario.startYear - scenario.burnIn,
    policy: scenario.policy,
    behavior: scenario.behavior,
    k: hotParams(scenario.policy, scenario.behavior),
    occupant: new Int32Array(world.nPosts).fill(-1),
    yearsVacant: new Uint16Array(world.nPosts),
    postNeed: new Uint8Array(world.nPosts),
    pay: new Float64Array(n),
    allowance: new Float64Array(n),
    lnPayHome: new Float64Array(n),
    lnPayAway: new Float64Array(n),
    attract: new Float64Array(n),
    log: new MoveLog(Math.max(1024, world.nPosts >> 4), world.nRegions),
    exitLog: null,
    nextId: 0,
    counters: newCounters(),
    check: false,
    yearKey: 0,
    base: new Int32Array(world.nPosts),
    scratch: new ArrayBuffer(0),
  };
}

/** Puts the policy and behaviour of the year in force. */
export function setRules(sim: Sim, policy: Policy, behavior: Behavior): void {
  sim.policy = policy;
  sim.behavior = behavior;
  sim.k = hotParams(policy, behavior);
}

/** Election (换届) in region g this year: all regions together, or staggered by region. */
export function isElectionYear(sim: Sim, g: number): boolean {
  const cycle = sim.policy.electionCycle;
  const offset = sim.policy.staggeredElections ? g % cycle : 0;
  // Calendar alignment: 2021, 2026, … were general election years.
  return (((sim.year - 2021 - offset) % cycle) + cycle) % cycle === 0;
}

/** Retirement age of a cadre (MODEL.md §9), with the optional raise from 2025. */
export function retirementAge(policy: Policy, female: number, rank: number, year: number): number {
  const r = policy.retirement;
  const base = female ? (rank >= 2 ? r.womenLeaders : r.women) : r.men;
  if (!r.raise2025 || year <= 2025) return base;
  // Three years over 15 from 2025: one more year about every five (2028, 2033, 2038 in whole years).
  return base + Math.min(3, Math.round((year - 2025) / 5));
}
