/**
 * simulate(scenario, seed) → result: one run, a pure function of the resolved
 * scenario and the run seed (docs/DESIGN.md). A year (YearStepper.step) is a plain
 * loop over the eight phases of MODEL.md §3 in their documented order, each timed.
 */
import type { Scenario } from '../scenario/schema.js';
import { buildWorld, type World } from '../world/world.js';
import { createSim, setRules, type Sim } from './sim.js';
import { rulesAt } from './policy-at.js';
import { updatePay } from './wages.js';
import { initialPopulation } from './population.js';
import { age } from './phases/age.js';
import { exit } from './phases/exit.js';
import { appraise } from './phases/appraise.js';
import { plan } from './phases/plan.js';
import { apply } from './phases/apply.js';
import { fill } from './phases/fill.js';
import { update } from './phases/update.js';
import { eventRows, record } from './phases/record.js';
import { checkInvariants, snapshot, type Snapshot } from './invariants.js';
import { compact } from './compact.js';
import { dockingPull, dockingPush } from './phases/docking.js';
import { SpellWriter } from '../spells/write.js';

export const PHASES = ['age', 'exit', 'appraise', 'plan', 'apply', 'fill', 'update', 'record'] as const;
const STEPS: ((sim: Sim) => void)[] = [age, exit, appraise, plan, apply, fill, update];
const noop = (_sim: Sim): void => {};
/** Years between reorderings of the store for memory locality (compact.ts). */
const COMPACT_EVERY = 3;

export interface SimulateOptions {
  /** Check every invariant of MODEL.md §8 each year (slower). */
  check?: boolean;
  /** Collect one CSV row per move (events.csv). */
  events?: boolean;
  /** Called after each reported year with its metrics (for streaming). */
  onYear?: (year: number, metrics: Float64Array) => void;
  /** A world already built from the same scenario.world (read-only, may be shared between runs). */
  world?: World;
  /** Milliseconds spent in each phase (order of PHASES), accumulated as the run goes (for benchmarks that time single years). */
  phaseClock?: Float64Array;
  /**
   * Write career records (docs/SPELLS.md): every spell of the run, burn-in included, as CSV rows
   * (no header) starting with `replicate`, handed to `sink` in chunks of UTF-8 (views of a buffer
   * that is reused once the call returns). Changes nothing else.
   */
  spells?: { replicate: number; sink: (chunk: Uint8Array) => void };
}

export interface RunResult {
  seed: number;
  /** Calendar years reported. */
  years: number[];
  /** Metric values per reported year, in the order of METRIC_NAMES. */
  metrics: Float64Array[];
  /** Event rows per move (without the replicate column), when asked. */
  events?: string[];
  /** Seconds spent in each phase over the whole run (burn-in included). */
  phaseSeconds: Record<string, number>;
  cadres: number;
  posts: number;
}

export interface StepResult {
  year: number;
  /** The metrics of a reported year (undefined during the burn-in). */
  metrics?: Float64Array;
}

/**
 * One run advanced a year at a time, with its state (`sim`) open to the
 * caller: simulate() runs it to the end; the workshop page streams each year as
 * it is simulated and maps metrics by region from the state.
 */
export class YearStepper {
  readonly sim: Sim;
  readonly first: number;
  readonly last: number;
  /** Milliseconds spent in each phase (order of PHASES), burn-in included. */
  readonly clock: Float64Array;
  private readonly steps: ((sim: Sim) => void)[];
  private next: number;
  private prev: Snapshot | undefined;

  constructor(readonly scenario: Scenario, seed: number, world: World, opts: { check?: boolean; phaseClock?: Float64Array } = {}) {
    const sim = (this.sim = createSim(scenario, world, seed >>> 0));
    sim.check = !!opts.check;
    this.clock = opts.phaseClock ?? new Float64Array(PHASES.length);
    this.first = scenario.startYear - scenario.burnIn;
    this.last = scenario.startYear + scenario.years - 1;
    sim.year = this.first;
    const r0 = rulesAt(scenario, this.first);
    setRules(sim, r0.policy, r0.behavior);
    updatePay(sim);
    initialPopulation(sim);
    // Docking modes replace exit, plan, apply and fill by fixed hazards (phases/docking.ts).
    const mode = scenario.docking.mode;
    this.steps = mode === 'off' ? STEPS : [age, mode === 'push' ? dockingPush : dockingPull, noop, noop, noop, noop, update];
    this.next = this.first;
  }

  get done(): boolean {
    return this.next > this.last;
  }

  /** Simulates the next year; returns its metrics if it is a reported year. */
  step(): StepResult {
    if (this.done) throw new Error('the run is over');
    const sim = this.sim;
    const secs = this.clock;
    const steps = this.steps;
    const y = this.next++;
    sim.year = y;
    const rules = rulesAt(this.scenario, y);
    setRules(sim, rules.policy, rules.behavior);
    updatePay(sim);
    const k = sim.counters;
    k.retirements = k.quits = k.dismissals = k.recruits = 0;
    k.chainsDone.fill(0);
    k.chainsLen.fill(0);
    k.headcountStart = sim.store.count;
    sim.log.clear();
    if (y > this.first && (y - this.first) % COMPACT_EVERY === 0) compact(sim);
    if (sim.check) this.prev = snapshot(sim);
    for (let i = 0; i < steps.length; i++) {
      const t0 = performance.now();
      steps[i]!(sim);
      secs[i]! += performance.now() - t0;
    }
    if (sim.check) checkInvariants(sim, this.prev);
    if (y < this.scenario.startYear) return { year: y };
    const t0 = performance.now();
    const metrics = record(sim);
    secs[PHASES.length - 1]! += performance.now() - t0;
    return { year: y, metrics };
  }
}

export function simulate(scenario: Scenario, seed: number, opts: SimulateOptions = {}): RunResult {
  const world = opts.world ?? buildWorld(scenario.world);
  const run = new YearStepper(scenario, seed, world, { check: opts.check, phaseClock: opts.phaseClock });
  const result: RunResult = { seed: seed >>> 0, years: [], metrics: [], phaseSeconds: {}, cadres: 0, posts: world.nPosts };
  if (opts.events) result.events = [];
  const spells = opts.spells ? new SpellWriter(run.sim, opts.spells.replicate, opts.spells.sink) : undefined;
  spells?.begin();
  while (!run.done) {
    const { year, metrics } = run.step();
    if (spells) {
      const t0 = performance.now();
      spells.afterYear();
      run.clock[PHASES.length - 1]! += performance.now() - t0;
    }
    if (!metrics) continue;
    result.years.push(year);
    result.metrics.push(metrics);
    if (result.events) {
      const t0 = performance.now();
      for (const row of eventRows(run.sim)) result.events.push(row);
      run.clock[PHASES.length - 1]! += performance.now() - t0;
    }
    opts.onYear?.(year, metrics);
  }
  spells?.end();
  PHASES.forEach((p, i) => (result.phaseSeconds[p] = run.clock[i]! / 1000));
  result.cadres = run.sim.store.count;
  return result;
}
