/**
 * Runs replicates on worker threads (piscina) or, with one thread, in this
 * thread; with CADREFLOW_WORKERS=processes, on child processes instead of
 * threads (one per thread asked for: separate processes share no V8
 * background threads, heap allocator or address space, which threads of one
 * process do). Results come back in any order; callers receive them with
 * their index and write in index order, so output never depends on the
 * thread count or the kind of worker.
 */
import { Piscina } from 'piscina';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { runOne, type PackedResult, type RunTask } from './run-one.js';
import { inputError } from '../scenario/errors.js';

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

/** The child-process worker (process-worker.js), beside the compiled thread worker. */
function processWorkerFile(): string {
  return workerFile().replace(/worker\.js$/, 'process-worker.js');
}

/** The kind of worker of CADREFLOW_WORKERS: `threads` (the default) or `processes`. */
export function workerKind(env: NodeJS.ProcessEnv = process.env): 'threads' | 'processes' {
  const v = env.CADREFLOW_WORKERS;
  if (v === undefined || v === '' || v === 'threads') return 'threads';
  if (v === 'processes') return 'processes';
  throw inputError('CADREFLOW_WORKERS (environment)', v, "'threads' or 'processes'");
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
  private processes?: ProcessPool;
  /**
   * `tasksPerWorker` 2 (for many short runs: a sweep keeps runsInFlight() runs in flight): a
   * worker's second task waits in its own queue and starts the moment the first ends, instead of
   * after a round trip through the main thread. For long runs keep 1: a task queued behind a long
   * one would wait while another worker is idle.
   */
  constructor(readonly threads: number, tasksPerWorker = 1) {
    if (threads > 1 && workerKind() === 'processes') this.processes = new ProcessPool(threads, tasksPerWorker);
    else if (threads > 1) this.piscina = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000, concurrentTasksPerWorker: tasksPerWorker });
  }

  async run(task: RunTask): Promise<PackedResult> {
    if (this.piscina) return (await this.piscina.run(task)) as PackedResult;
    if (this.processes) return this.processes.run(task);
    // One thread: run here, yielding to the event loop between runs so progress can be drawn.
    await new Promise((r) => setImmediate(r));
    return runOne(task.scenario, task.seed, task);
  }

  async close(): Promise<void> {
    await this.piscina?.destroy();
    await this.processes?.close();
  }
}

interface Pending {
  id: number;
  task: RunTask;
  resolve: (r: PackedResult) => void;
  reject: (e: Error) => void;
}

interface Child {
  proc: ChildProcess;
  /** Tasks sent to this child and not answered yet, by id. */
  busy: Map<number, Pending>;
  /** Answers received from it. */
  answered: number;
}

/**
 * `n` child processes (process-worker.ts), each given at most `perChild` tasks
 * at a time (like piscina's concurrentTasksPerWorker): a task goes to the child
 * with the fewest in hand, the others wait here. A task that throws rejects
 * with its message; a child that dies fails the run it was running (the
 * tasks queued behind it are handed out again) and is replaced.
 */
class ProcessPool {
  private readonly children: Child[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 0;
  private closing = false;
  /** Children that died before answering anything: past n of them, the pool gives up (a worker that cannot start). */
  private deadOnArrival = 0;
  /** Set when the pool has given up: every run is refused with it. */
  private broken?: Error;

  constructor(private readonly n: number, private readonly perChild: number) {
    for (let i = 0; i < n; i++) this.children.push(this.spawn());
  }

  private spawn(): Child {
    // No inherited node options (a parent's heap cap or profiler flags are not the runs'); output goes to this process's.
    const proc = fork(processWorkerFile(), [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const child: Child = { proc, busy: new Map(), answered: 0 };
    // A send to a child that has just died fails here; its exit (below) settles its tasks.
    proc.on('error', () => {});
    proc.on('message', (m: { id: number; ok: boolean; result?: PackedResult; message?: string }) => {
      child.answered++;
      const p = child.busy.get(m.id);
      if (!p) return;
      child.busy.delete(m.id);
      if (m.ok) p.resolve(m.result!);
      else p.reject(new Error(m.message));
      this.dispatch();
    });
    // A child is gone when it has exited and its channel is closed: the channel closes after the
    // messages it sent before exiting have been read, so an answer is never taken for a loss.
    let exit: string | undefined;
    let disconnected = false;
    proc.on('exit', (code, signal) => {
      exit = signal ?? `code ${code}`;
      if (disconnected) gone(exit);
    });
    proc.on('disconnect', () => {
      disconnected = true;
      if (exit !== undefined) gone(exit);
    });
    const gone = (why: string) => {
      const i = this.children.indexOf(child);
      if (i >= 0) this.children.splice(i, 1);
      // The child runs its tasks in the order sent: the first unanswered one was running and fails;
      // those queued behind it never started and go back to the front of the queue.
      const held = [...child.busy.values()];
      child.busy.clear();
      held[0]?.reject(new Error(`the worker process running this run exited (${why})`));
      this.waiting.unshift(...held.slice(1));
      if (this.closing) return;
      if (child.answered === 0 && ++this.deadOnArrival > this.n) {
        this.broken = new Error(`worker processes exit before their first run (${why}): ${processWorkerFile()}`);
        for (const p of this.waiting.splice(0)) p.reject(this.broken);
        return;
      }
      // Keep n children: the runs still to come need them.
      this.children.push(this.spawn());
      this.dispatch();
    };
    return child;
  }

  run(task: RunTask): Promise<PackedResult> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Hands waiting tasks, in order, to the children with the fewest in hand while any has room. */
  private dispatch(): void {
    while (this.waiting.length) {
      let best: Child | undefined;
      for (const c of this.children) if (c.busy.size < this.perChild && (!best || c.busy.size < best.busy.size)) best = c;
      if (!best) return;
      const p = this.waiting.shift()!;
      best.busy.set(p.id, p);
      best.proc.send({ id: p.id, task: p.task });
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.children.map((c) => new Promise<void>((res) => {
      if (c.proc.exitCode !== null || c.proc.signalCode !== null) return res();
      c.proc.once('exit', () => res());
      if (c.proc.connected) c.proc.disconnect();
    })));
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
