/** CadreFlow as a library: simulate(scenario, seed) and what is built on it. */
export { simulate, PHASES, type RunResult, type SimulateOptions } from './model/simulate.js';
export { ScenarioSchema, scenarioJsonSchema, type Scenario, type ScenarioInput, type Policy, type Behavior } from './scenario/schema.js';
export { loadScenario, parseScenario, applySets } from './scenario/load.js';
export { InputError } from './scenario/errors.js';
export { buildWorld, type World } from './world/world.js';
export { METRICS, METRIC_NAMES, HEADLINE } from './metrics/definitions.js';
export { runReplicates, replicateSeeds } from './experiment/replicates.js';
export { runSeed } from './random/hash.js';
export { summarize, t975 } from './experiment/stats.js';
export { observe, type ObserveResult } from './spells/observe.js';
export { SPELL_COLUMNS, SPELL_HEADER, KINDS } from './spells/format.js';
