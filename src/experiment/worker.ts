/**
 * The worker-thread entry (piscina): runs one replicate. The metrics come back
 * as one Float64Array whose buffer is transferred to the main thread, not
 * copied (piscina's Transferable: the run allocated it and keeps no reference).
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { Scenario } from '../scenario/schema.js';
import { runOne, type RunTask, type PackedResult } from './run-one.js';

export default function task(t: RunTask): PackedResult {
  const r = runOne(t.scenario as Scenario, t.seed, t);
  return move({
    get [transferableSymbol]() {
      return [r.metrics.buffer];
    },
    get [valueSymbol]() {
      return r;
    },
  }) as unknown as PackedResult;
}
