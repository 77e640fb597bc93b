/**
 * Runs replicates on worker threads (piscina) or, with one thread, in this
 * thread. Results come back in any order; callers receive them with their
 * index and write in index order, so output never depends on the thread count.
 */
import { Piscina } from 'piscina';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { runOne, type PackedResult, type RunTask } from './run-one.js';

/** The compiled worker: next to this file when running from dist/, else in dist/ (tests run the TypeScript sources). */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const local = here.replace(/\.ts$/, '.js').replace(/pool\.js$/, 'worker.js');
  if (here.endsWith('.js') && existsSync(local)) return local;
  const root = path.resolve(path.dirname(here), '..', '..');
  const dist = path.join(root, 'dist', 'src', 'experiment', 'worker.js');
  if (!existsSync(dist)) throw new Error(`the compiled worker ${dist} is missing: run npm run build`);
  return dist;
}

export function defaultThreads(): number {
  return availableParallelism();
}

export interface PoolRun {
  /** Called as each task finishes (in finishing order). */
  onResult?: (index: number, result: PackedResult) => void;
  threads: number;
}

/** Mean run time below which a sweep keeps a second run queued in each worker. */
export const SHORT_RUN_SECONDS = 0.5;

/**
 * How many runs a sweep keeps in flight on `threads` worker threads (pool
 * created with tasksPerWorker 2): two per worker while its runs are short —
 * none finished yet, or a mean under SHORT_RUN_SECONDS — so that a worker
 * starts its next run the moment one ends; one per worker once they are
 * longer, so that at the end of a sweep no run waits in one worker's queue
 * behind a long run while the other worker is idle. One thread runs in the
 * main thread, one run at a time.
 */
export function runsInFlight(threads: number, runsDone: number, meanRunSeconds: number): number {
  if (threads <= 1) return 1;
  return runsDone === 0 || meanRunSeconds < SHORT_RUN_SECONDS ? 2 * threads : threads;
}

export class RunPool {
  private piscina?: Piscina;
  /**
   * `tasksPerWorker` 2 (for many short runs: a sweep keeps runsInFlight() runs in flight): a
   * worker's second task waits in its own queue and starts the moment the first ends, instead of
   * after a round trip through the main thread. For long runs keep 1: a task queued behind a long
   * one would wait while another worker is idle.
   */
  constructor(readonly threads: number, tasksPerWorker = 1) {
    if (threads > 1) this.piscina = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000, concurrentTasksPerWorker: tasksPerWorker });
  }

  async run(task: RunTask): Promise<PackedResult> {
    if (this.piscina) return (await this.piscina.run(task)) as PackedResult;
    // One thread: run here, yielding to the event loop between runs so progress can be drawn.
    await new Promise((r) => setImmediate(r));
    return runOne(task.scenario, task.seed, task);
  }

  async close(): Promise<void> {
    await this.piscina?.destroy();
  }
}

/** Runs all tasks, at most `threads` at a time, and returns the results in task order. */
export async function runAll(tasks: RunTask[], opts: PoolRun): Promise<PackedResult[]> {
  const pool = new RunPool(opts.threads);
  const out: PackedResult[] = new Array(tasks.length);
  try {
    await Promise.all(
      tasks.map((t, i) =>
        pool.run(t).then((r) => {
          out[i] = r;
          opts.onResult?.(i, r);
        }),
      ),
    );
  } finally {
    await pool.close();
  }
  return out;
}
