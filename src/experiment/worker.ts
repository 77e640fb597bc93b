/**
 * The worker-thread entry (piscina): runs one replicate. The result comes back
 * by structured clone: its metrics are one Float64Array of a few kilobytes
 * (years × metrics), which is cheaper to copy than to transfer (a sweep of
 * 10 000 runs of 2 ms each ran ~10% faster on two threads copying than
 * transferring the buffer; bench/RESULTS.md, third round).
 */
import { runOne, type RunTask, type PackedResult } from './run-one.js';

export default function task(t: RunTask): PackedResult {
  return runOne(t.scenario, t.seed, t);
}
