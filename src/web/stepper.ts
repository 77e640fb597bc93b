/**
 * One run advanced a year at a time, with its state open to the caller: the
 * workshop page streams each year as it is simulated, several replicates in
 * lockstep, and maps metrics by region that need the state (stagnation and
 * vacancy by region), which simulate() does not return.
 *
 * The yearly loop is the one of src/model/simulate.ts (MODEL.md §3: the eight
 * phases in their order, reforms applied each year, the store compacted every
 * three years, docking modes). test/web/stepper.test.ts checks that both give
 * the same metrics for the same scenario and seed; if simulate() changes, that
 * test fails until this loop follows.
 */
import type { Scenario } from '../scenario/schema.js';
import type { World } from '../world/world.js';
import { createSim, setRules, type Sim } from '../model/sim.js';
import { rulesAt } from '../model/policy-at.js';
import { updatePay } from '../model/wages.js';
import { initialPopulation } from '../model/population.js';
import { age } from '../model/phases/age.js';
import { exit } from '../model/phases/exit.js';
import { appraise } from '../model/phases/appraise.js';
import { plan } from '../model/phases/plan.js';
import { apply } from '../model/phases/apply.js';
import { fill } from '../model/phases/fill.js';
import { update } from '../model/phases/update.js';
import { record } from '../model/phases/record.js';
import { compact } from '../model/compact.js';
import { dockingPull, dockingPush } from '../model/phases/docking.js';

const noop = (_sim: Sim): void => {};
/** As in simulate.ts. */
const COMPACT_EVERY = 3;

export interface StepResult {
  year: number;
  /** The metrics of a reported year (undefined during the burn-in). */
  metrics?: Float64Array;
}

export class YearStepper {
  readonly sim: Sim;
  readonly first: number;
  readonly last: number;
  private readonly steps: ((sim: Sim) => void)[];
  private next: number;

  constructor(readonly scenario: Scenario, seed: number, world: World) {
    this.sim = createSim(scenario, world, seed >>> 0);
    this.first = scenario.startYear - scenario.burnIn;
    this.last = scenario.startYear + scenario.years - 1;
    const sim = this.sim;
    sim.year = this.first;
    const r0 = rulesAt(scenario, this.first);
    setRules(sim, r0.policy, r0.behavior);
    updatePay(sim);
    initialPopulation(sim);
    const mode = scenario.docking.mode;
    this.steps = mode === 'off' ? [age, exit, appraise, plan, apply, fill, update] : [age, mode === 'push' ? dockingPush : dockingPull, noop, noop, noop, noop, update];
    this.next = this.first;
  }

  get done(): boolean {
    return this.next > this.last;
  }

  /** Simulates the next year; returns its metrics if it is a reported year. */
  step(): StepResult {
    if (this.done) throw new Error('the run is over');
    const sim = this.sim;
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
    for (const s of this.steps) s(sim);
    if (y >= this.scenario.startYear) return { year: y, metrics: record(sim) };
    return { year: y };
  }
}
