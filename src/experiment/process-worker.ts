/**
 * The child-process entry of a run pool in process mode (pool.ts,
 * CADREFLOW_WORKERS=processes): runs the replicates the parent sends over
 * its IPC channel ({ id, task }) one at a time and answers { id, ok, result }
 * or { id, ok: false, message }. The channel uses the advanced
 * serialisation (structured clone), so a result's Float64Array comes back as
 * one. Interrupts are the parent's to handle (it finishes the runs in
 * progress and keeps what is done): a Ctrl-C that reaches the whole process
 * group is ignored here, and the child ends when the parent closes the
 * channel or goes away.
 */
import { runOne, type RunTask } from './run-one.js';

process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));
process.on('message', (m: { id: number; task: RunTask }) => {
  let reply: { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string };
  try {
    reply = { id: m.id, ok: true, result: runOne(m.task.scenario, m.task.seed, m.task) };
  } catch (e) {
    reply = { id: m.id, ok: false, message: String((e as Error)?.message ?? e) };
  }
  process.send!(reply);
});
