/**
 * The worker-thread entry (piscina): runs one replicate. The metrics come back
 * as one Float64Array (structured clone copies it as a single buffer).
 */
import type { Scenario } from '../scenario/schema.js';
import { runOne, type RunTask, type PackedResult } from './run-one.js';

export default function task(t: RunTask): PackedResult {
  return runOne(t.scenario as Scenario, t.seed, t);
}
