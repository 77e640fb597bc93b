/**
 * The run queue of the workshop server: every participant (a browser, by the id
 * the page keeps in localStorage) has at most one run; a participant's new run
 * replaces only their own. Runs wait in arrival order (first in, first out; with
 * one run per participant that is fair) and start while the server has worker
 * threads free: a run alone takes every free thread (its replicates split into
 * groups), a run with others waiting behind it takes two (one per arm), so that
 * a room's runs go on side by side. The queue knows each run's size in
 * cadre-years and measures the server's speed from the runs it finished, so it
 * can tell a waiting participant how many runs are ahead and about how long.
 */

/** What the queue needs to know of a run. */
export interface QueuedRun {
  readonly participant: string;
  /** posts at the run's scale × (burn-in + years) × replicates × 2 arms. */
  readonly cadreYears: number;
  /** Replicates: a run never splits into more than 2 × replicates worker tasks. */
  readonly replicates: number;
  /** Share of the run done, 0–1 (set by the runner as years arrive). */
  done: number;
}

export interface QueueOptions<R extends QueuedRun> {
  threads: number;
  /** Cadre-years a second on one worker thread before any run has finished. */
  throughput: number;
  /** Starts a run on `tasks` worker tasks; resolves when it ends (`completed`: it ran to its end, so its speed counts). */
  start(run: R, tasks: number): Promise<{ completed: boolean; seconds: number }>;
  /** Told whenever the queue moves, for each waiting run. */
  waiting?(run: R, place: Place): void;
}

/** Where a waiting run stands. */
export interface Place {
  /** Runs waiting ahead of it. */
  ahead: number;
  /** Runs going now. */
  running: number;
  /** Estimated seconds until it starts, and the seconds it will run. */
  waitSeconds: number;
  runSeconds: number;
}

/** Default speed of a worker thread, in cadre-years a second (a laptop core, with the page's per-year tallies). */
export const DEFAULT_THROUGHPUT = 500_000;
/** Runs shorter than this (seconds) leave the speed as it is. */
export const MEASURED_FROM = 10;

export class RunQueue<R extends QueuedRun> {
  private readonly waitingRuns: R[] = [];
  private readonly running = new Map<R, number>();
  private readonly byParticipant = new Map<string, R>();
  private busy = 0;
  /** Cadre-years a second per worker thread, from the runs finished (an average weighing the latest half). */
  throughput: number;
  finished = 0;

  constructor(private readonly o: QueueOptions<R>) {
    this.throughput = o.throughput;
  }

  get threads(): number {
    return this.o.threads;
  }

  /** The participant's current run (waiting or running), if any. */
  current(participant: string): R | undefined {
    return this.byParticipant.get(participant);
  }

  /** Seconds a run of this size takes on `tasks` worker tasks (at most the threads). */
  runSeconds(cadreYears: number, replicates: number): number {
    const tasks = Math.min(this.o.threads, 2 * replicates);
    return cadreYears / (this.throughput * Math.max(1, tasks));
  }

  /** Adds a run at the end of the queue. The participant's previous run must have been removed. */
  submit(run: R): void {
    if (this.byParticipant.has(run.participant)) throw new Error(`participant ${run.participant} has a run already`);
    this.byParticipant.set(run.participant, run);
    this.waitingRuns.push(run);
    this.pump();
    this.tell();
  }

  /** Takes a run out (cancelled, or its page went away): a waiting one leaves the queue; a running one's threads are freed when its tasks end. */
  remove(run: R): void {
    if (this.byParticipant.get(run.participant) === run) this.byParticipant.delete(run.participant);
    const i = this.waitingRuns.indexOf(run);
    if (i >= 0) {
      this.waitingRuns.splice(i, 1);
      this.tell();
    }
  }

  /** Every run, waiting or going. */
  all(): R[] {
    return [...this.running.keys(), ...this.waitingRuns];
  }

  place(run: R): Place | undefined {
    const i = this.waitingRuns.indexOf(run);
    if (i < 0) return undefined;
    // The work before it: what the running runs have left and the runs ahead, on every thread.
    let work = 0;
    for (const r of this.running.keys()) work += r.cadreYears * (1 - Math.min(1, Math.max(0, r.done)));
    for (let k = 0; k < i; k++) work += this.waitingRuns[k]!.cadreYears;
    return { ahead: i, running: this.running.size, waitSeconds: work / (this.throughput * this.o.threads), runSeconds: this.runSeconds(run.cadreYears, run.replicates) };
  }

  private tell(): void {
    if (!this.o.waiting) return;
    for (const r of this.waitingRuns) this.o.waiting(r, this.place(r)!);
  }

  private pump(): void {
    const least = Math.min(2, this.o.threads);
    while (this.waitingRuns.length && this.o.threads - this.busy >= least) {
      const run = this.waitingRuns.shift()!;
      const free = this.o.threads - this.busy;
      // Alone, a run takes every free thread; with others waiting, two (one per arm).
      const want = this.waitingRuns.length ? 2 : free - (free % 2);
      const tasks = Math.max(2, Math.min(2 * run.replicates, want));
      const slots = Math.min(tasks, free);
      this.busy += slots;
      this.running.set(run, slots);
      void this.o
        .start(run, tasks)
        .then(
          (r) => {
            // Short runs are mostly the fixed start of the workers (compiling the model, building the world): not a measure of speed.
            if (r.completed && r.seconds >= MEASURED_FROM) {
              const measured = run.cadreYears / (r.seconds * slots);
              this.throughput = this.finished === 0 ? measured : 0.5 * this.throughput + 0.5 * measured;
              this.finished++;
            }
          },
          () => undefined,
        )
        .finally(() => {
          this.busy -= slots;
          this.running.delete(run);
          if (this.byParticipant.get(run.participant) === run) this.byParticipant.delete(run.participant);
          this.pump();
          this.tell();
        });
    }
  }
}
