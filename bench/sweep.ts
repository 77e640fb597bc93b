/**
 * `node dist/bench/sweep.js`: batch experiments at scale.
 *  - memory: peak RSS of a sweep of 100 runs against one of 10 000 (flat memory: results stream to disk);
 *  - scaling: runs per second with 1 and 2 worker threads on a sweep of small runs;
 *  - overhead: a sweep on one thread against the same runs called directly in a loop;
 *  - the machine's ceiling for two threads: two processes running directly at once, against one alone,
 *    each with all the runs, and each with half of them (what a worker of a two-thread sweep does);
 *  - longer sweeps (BENCH_LONG runs, 2000 by default, BENCH_LONG_REPS times) and 10 000 runs of ~2 ms on 1 and 2 threads;
 *  - a thread-count series (1, 2, 4, … up to the cores present, and the core count itself): a sweep of
 *    BENCH_SERIES_RUNS small runs (128 by default; 0 skips) on N threads, beside the machine's ceiling for
 *    the same runs on N cores — N processes at once, each running 1/N of them directly, warm-up included —
 *    so that what the sweep loses to its fixed costs (worker start, compilation, the tail of unequal runs,
 *    the main thread) is the difference of the two; beside it when the first result was written (worker
 *    start and a cold first run), over how long the last N results came in (the tail), and, run directly,
 *    a cold first run against the later ones (what each worker's warm-up costs), and how long the main
 *    thread was busy during the sweep (its event-loop utilisation: scheduling, receiving, writing), and above
 *    4 threads the same sweep with V8's background pool as large as its threads (--v8-pool-size) and with one
 *    malloc arena (MALLOC_ARENA_MAX=1), and
 *    the same sweep on N worker processes instead of threads (CADREFLOW_WORKERS=processes);
 *    BENCH_ONLY_SERIES=1 runs the series alone; BENCH_SERIES_THREADS=2,16 sets the thread counts (1 is always run).
 * Each measurement runs in its own process. Prints a Markdown table for bench/RESULTS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance as nodePerf } from 'node:perf_hooks';
import path from 'node:path';
import { loadSweep, shardTasks } from '../src/experiment/sweep-plan.js';
import { runSweep } from '../src/experiment/sweep-run.js';
import { runOne } from '../src/experiment/run-one.js';

const TINY_BASE = {
  name: 'tiny', seed: 1, years: 3, burnIn: 3,
  world: {
    preset: 'explicit',
    regions: [
      { code: 'P', name: 'P', parent: -1, level: 3, wageIndex: 1, hardship: 0, urban: 0.8, x: 0, y: 0, population: 1e6 },
      { code: 'F', name: 'F', parent: 0, level: 2, wageIndex: 0.9, hardship: 0, urban: 0.6, x: 100, y: 0, population: 5e5 },
      { code: 'A', name: 'A', parent: 1, level: 1, wageIndex: 0.85, hardship: 1, urban: 0.4, x: 120, y: 30, population: 2e5 },
      { code: 'B', name: 'B', parent: 1, level: 1, wageIndex: 0.8, hardship: 2, urban: 0.2, x: 200, y: 50, population: 1e5 },
    ],
    scale: 0.1,
  },
};

function sweepFile(dir: string, runs: number, scale = 0.1): string {
  const f = path.join(dir, `sweep-${runs}.json`);
  writeFileSync(f, JSON.stringify({
    name: `bench-${runs}`, base: { ...TINY_BASE, world: { ...TINY_BASE.world, scale } }, replicates: 2,
    design: { type: 'lhs', samples: runs / 2, seed: 1, parameters: { 'policy.maxTenure': { min: 4, max: 14, integer: true }, 'policy.promotionExchangeBonus': { min: 0, max: 1 } } },
  }));
  return f;
}

/** One measurement; `direct` runs the tasks i with i mod parts = part in a loop (all of them by default). */
async function one(mode: string, runs: number, threads: number, scale: number, part = 0, parts = 1): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-bench-'));
  try {
    const plan = loadSweep(sweepFile(dir, runs, scale));
    const t0 = performance.now();
    // Where a sweep's time goes: when each result was written (in task order), and, run directly, how long
    // the first run (cold: compilation, warm-up) and the later ones take.
    const written: number[] = [];
    const each: number[] = [];
    let mainBusy = NaN;
    if (mode === 'direct') {
      for (const t of shardTasks(plan)) {
        if (t.index % parts !== part) continue;
        const r0 = performance.now();
        runOne(plan.scenario(t.point), t.seed);
        each.push((performance.now() - r0) / 1000);
      }
    } else {
      // How busy the main thread was (scheduling, receiving and writing results): idle time waiting for workers is not counted.
      const elu0 = nodePerf.eventLoopUtilization();
      await runSweep(plan, { out: path.join(dir, 'out'), threads, resume: false, force: false, onProgress: (done) => { while (written.length < done) written.push((performance.now() - t0) / 1000); } });
      mainBusy = nodePerf.eventLoopUtilization(elu0).active / 1000;
    }
    const secs = (performance.now() - t0) / 1000;
    (globalThis as { gc?: () => void }).gc?.();
    const later = each.slice(1).sort((x, y) => x - y);
    return {
      secs, runsPerSec: runs / secs, peakRssMiB: process.resourceUsage().maxRSS / 1024, heapAfterGcMiB: process.memoryUsage().heapUsed / 2 ** 20,
      // Sweep: the first result written, and the time over which the last `threads` results came in.
      ...(written.length ? { firstWritten: written[0]!, lastSpread: secs - (written[Math.max(0, written.length - 1 - threads)] ?? 0), mainBusy } : {}),
      // Direct: the first run, and the median of the others.
      ...(each.length ? { firstRun: each[0]!, medianRun: later.length ? later[later.length >> 1]! : each[0]! } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--one') {
  const r = await one(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]), Number(process.argv[7] ?? 0), Number(process.argv[8] ?? 1));
  process.stdout.write(JSON.stringify(r));
} else {
  const me = fileURLToPath(import.meta.url);
  const run = (mode: string, runs: number, threads: number, scale: number, nodeArgs: string[] = [], env: Record<string, string> = {}) => {
    // The main thread's old space is capped at 64 MiB: a sweep that kept its results in memory would fail.
    const r = spawnSync(process.execPath, [...nodeArgs, '--expose-gc', '--max-old-space-size=64', me, '--one', mode, String(runs), String(threads), String(scale)], { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(r.stderr);
    const m = JSON.parse(r.stdout) as Record<string, number>;
    const variant = [...nodeArgs, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)].join(' ');
    process.stderr.write(`${mode} ${runs} runs, ${threads} thread(s), scale ${scale}${variant ? ` (${variant})` : ''}: ${m.secs!.toFixed(2)} s, ${m.runsPerSec!.toFixed(1)} runs/s, peak ${m.peakRssMiB!.toFixed(0)} MiB\n`);
    return m;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const list = (xs: number[], f = 1) => xs.map((x) => x.toFixed(f)).join(', ');
  // BENCH_ONLY_SERIES=1: the thread-count series alone (a few minutes on a many-core machine).
  const ONLY_SERIES = process.env.BENCH_ONLY_SERIES === '1';
  let out = `### ${new Date().toISOString().slice(0, 10)} — sweeps (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, Node ${process.version})\n\n`;
  if (!ONLY_SERIES) out += await scalingTable();
  // n processes at once, each running the `runs` runs directly, or with `split` its 1/n of them; the slowest's seconds.
  async function parallelSecs(n: number, runs: number, split: boolean): Promise<number> {
    const procs = Array.from({ length: n }, (_, part) => spawn(process.execPath, [me, '--one', 'direct', String(runs), '1', '1', ...(split ? [String(part), String(n)] : [])], { stdio: ['ignore', 'pipe', 'inherit'] }));
    const all = await Promise.all(procs.map((c) => new Promise<number>((res, rej) => {
      let out = '';
      c.stdout!.on('data', (b) => (out += b));
      c.on('close', (code) => (code === 0 ? res((JSON.parse(out) as Record<string, number>).secs!) : rej(new Error(`exit ${code}`))));
    })));
    return Math.max(...all);
  }
  /** The measurements before the series (memory, 1 against 2 threads, ceilings, longer sweeps, overhead) as a Markdown table. */
  async function scalingTable(): Promise<string> {
    let out = '';
    const small = run('sweep', 100, 2, 0.1);
    const large = run('sweep', 10000, 2, 0.1);
    // Scaling, alternating the configurations REPS times (the machine's speed drifts from minute to minute):
    // a sweep on 1 and on 2 threads; the same runs called directly in a loop; and the machine's own ceiling,
    // two independent processes each running the 400 runs directly at once against one alone.
    const REPS = Number(process.env.BENCH_REPS ?? 3);
    // Two processes at once, each running the 400 runs directly (`whole`) or half of them (`split`, the
    // work of each worker in a two-thread sweep, warm-up included); returns the slower one's seconds.
    const pairSecs = (split: boolean) => parallelSecs(2, 400, split);
    const t1s: number[] = [], t2s: number[] = [], directs: number[] = [], ratios: number[] = [], overheads: number[] = [], ceilings: number[] = [], splits: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const t1 = run('sweep', 400, 1, 1).runsPerSec!;
      const t2 = run('sweep', 400, 2, 1).runsPerSec!;
      const d = run('direct', 400, 1, 1).runsPerSec!;
      const ceiling = 800 / (await pairSecs(false)) / d;
      const split = 400 / (await pairSecs(true)) / d;
      process.stderr.write(`two processes at once: 400 runs each ×${ceiling.toFixed(2)}, 200 each ×${split.toFixed(2)}\n`);
      t1s.push(t1); t2s.push(t2); directs.push(d); ratios.push(t2 / t1); overheads.push(100 * (d / t1 - 1)); ceilings.push(ceiling); splits.push(split);
    }
    // Longer sweeps, where each worker's warm-up weighs less (BENCH_LONG runs at scale 1; 0 skips),
    // and many runs of about 2 ms (scale 0.1), where the main thread's share of the work is largest.
    const LONG = Number(process.env.BENCH_LONG ?? 2000), LONG_REPS = Number(process.env.BENCH_LONG_REPS ?? 3);
    const long1: number[] = [], long2: number[] = [];
    for (let i = 0; LONG > 0 && i < LONG_REPS; i++) { long1.push(run('sweep', LONG, 1, 1).runsPerSec!); long2.push(run('sweep', LONG, 2, 1).runsPerSec!); }
    const longRatios = long1.map((x, i) => long2[i]! / x);
    const tiny1 = run('sweep', 10000, 1, 0.1).runsPerSec!;
    out += `Scaling: medians of ${REPS} alternating repetitions (each value in brackets).\n\n`;
    out += '| measure | value |\n|---|---|\n';
    out += `| peak RSS, sweep of 100 runs | ${small.peakRssMiB!.toFixed(0)} MiB |\n`;
    out += `| peak RSS, sweep of 10 000 runs | ${large.peakRssMiB!.toFixed(0)} MiB (ratio ${(large.peakRssMiB! / small.peakRssMiB!).toFixed(2)}; worker heaps grow lazily before they collect) |\n`;
    out += `| main-thread heap after GC at the end: 100 runs / 10 000 runs | ${small.heapAfterGcMiB!.toFixed(1)} MiB / ${large.heapAfterGcMiB!.toFixed(1)} MiB (old space capped at 64 MiB) |\n`;
    out += `| runs/s, 400 small runs, 1 thread | ${median(t1s).toFixed(1)} (${list(t1s)}) |\n`;
    out += `| runs/s, 400 small runs, 2 threads | ${median(t2s).toFixed(1)} (${list(t2s)}) |\n`;
    out += `| 2 threads ÷ 1 thread | ×${median(ratios).toFixed(2)} (${list(ratios, 2)}) |\n`;
    out += `| the machine's ceiling: two processes at once, each running the 400 runs directly, ÷ one alone | ×${median(ceilings).toFixed(2)} (${list(ceilings, 2)}) |\n`;
    out += `| the ceiling for this sweep: two processes at once, each running half of the 400 runs (its own warm-up included), ÷ one running all | ×${median(splits).toFixed(2)} (${list(splits, 2)}) |\n`;
    if (long1.length) out += `| ${LONG} small runs (${long1.length} alternating repetitions): 1 thread, 2 threads, ratio | ${median(long1).toFixed(1)} (${list(long1)}), ${median(long2).toFixed(1)} (${list(long2)}) runs/s, ×${median(longRatios).toFixed(2)} (${list(longRatios, 2)}) |\n`;
    out += `| 10 000 runs of ~2 ms (scale 0.1): 1 thread, 2 threads, ratio | ${tiny1.toFixed(0)}, ${large.runsPerSec!.toFixed(0)} runs/s, ×${(large.runsPerSec! / tiny1).toFixed(2)} |\n`;
    out += `| same 400 runs called directly in a loop; sweep overhead on 1 thread | ${median(directs).toFixed(1)} runs/s; ${median(overheads).toFixed(1)}% (${list(overheads)}) |\n`;
    return out;
  }
  // The thread-count series: 1, 2, 4, … and the core count, each sweep beside its ceiling, alternated SERIES_REPS times.
  const SERIES = Number(process.env.BENCH_SERIES_RUNS ?? 128), SERIES_REPS = Number(process.env.BENCH_SERIES_REPS ?? 3);
  const cores = os.availableParallelism();
  // BENCH_SERIES_THREADS=2,16: these thread counts (and 1) instead; more threads than cores oversubscribe the machine.
  const counts = process.env.BENCH_SERIES_THREADS
    ? [...new Set([1, ...process.env.BENCH_SERIES_THREADS.split(',').map((x) => { const n = Number(x); if (!(Number.isInteger(n) && n >= 1)) throw new Error(`BENCH_SERIES_THREADS: "${x}" is not a whole number ≥ 1`); return n; })])].sort((a, b) => a - b)
    : [...new Set([...Array.from({ length: Math.floor(Math.log2(cores)) + 1 }, (_, i) => 2 ** i), cores])].sort((a, b) => a - b);
  const series = new Map<number, { sweep: number[]; ceiling: number[]; first: number[]; spread: number[]; busy: number[]; bigPool: number[]; oneArena: number[]; procs: number[] }>(counts.map((n) => [n, { sweep: [], ceiling: [], first: [], spread: [], busy: [], bigPool: [], oneArena: [], procs: [] }]));
  // One process running the series' runs directly: its first (cold) run and its later runs.
  const cold = SERIES > 0 ? run('direct', SERIES, 1, 1) : undefined;
  for (let i = 0; SERIES > 0 && i < SERIES_REPS; i++) {
    for (const n of counts) {
      const e = series.get(n)!;
      const m = run('sweep', SERIES, n, 1);
      e.sweep.push(m.secs!);
      e.first.push(m.firstWritten!);
      e.spread.push(m.lastSpread!);
      e.busy.push(m.mainBusy!);
      // Node gives V8 a pool of 4 threads for background compilation and garbage collection, shared by all the
      // worker threads of a process (separate processes have 4 each): the same sweep with a pool as large as its threads.
      if (n > 4) e.bigPool.push(run('sweep', SERIES, n, 1, [`--v8-pool-size=${n}`]).secs!);
      // glibc gives each thread that allocates its own malloc arena, grown by mprotect and shrunk by madvise as the
      // runs' typed arrays come and go (most of a thread sweep's address-space changes): the same sweep with one arena.
      if (n > 4) e.oneArena.push(run('sweep', SERIES, n, 1, [], { MALLOC_ARENA_MAX: '1' }).secs!);
      // The same sweep on N worker processes instead of threads (CADREFLOW_WORKERS=processes, pool.ts).
      if (n > 1) e.procs.push(run('sweep', SERIES, n, 1, [], { CADREFLOW_WORKERS: 'processes' }).secs!);
      e.ceiling.push(await parallelSecs(n, SERIES, true));
      process.stderr.write(`${SERIES} runs on ${n} cores: ceiling (${n} processes, 1/${n} each) ${e.ceiling[e.ceiling.length - 1]!.toFixed(2)} s\n`);
    }
  }
  if (SERIES > 0) {
    const one = median(series.get(1)!.sweep);
    out += `\nThread-count series: a sweep of ${SERIES} small runs (scale 1 of the tiny world) on N threads, and the machine's ceiling for the same runs on N cores (N processes at once, each running 1/N of the runs directly, its own warm-up included); medians of ${SERIES_REPS} alternating repetitions, seconds.\n\n`;
    out += '| threads | sweep | speed-up over 1 thread | ceiling | ceiling\'s speed-up | sweep ÷ ceiling (share of the ceiling reached) | fixed cost (sweep − ceiling) | first result written after | last N results came in over | main thread busy | sweep with V8\'s pool of N threads | sweep with one malloc arena | sweep on N processes |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n';
    const c1 = median(series.get(1)!.ceiling);
    for (const n of counts) {
      const e = series.get(n)!;
      const sw = median(e.sweep), ce = median(e.ceiling);
      out += `| ${n} | ${sw.toFixed(2)} (${list(e.sweep, 2)}) | ×${(one / sw).toFixed(2)} | ${ce.toFixed(2)} (${list(e.ceiling, 2)}) | ×${(c1 / ce).toFixed(2)} | ${(100 * ce / sw).toFixed(0)}% | ${(sw - ce).toFixed(2)} | ${median(e.first).toFixed(2)} | ${median(e.spread).toFixed(2)} | ${median(e.busy).toFixed(2)} | ${e.bigPool.length ? `${median(e.bigPool).toFixed(2)} (${list(e.bigPool, 2)})` : '—'} | ${e.oneArena.length ? `${median(e.oneArena).toFixed(2)} (${list(e.oneArena, 2)})` : '—'} | ${e.procs.length ? `${median(e.procs).toFixed(2)} (${list(e.procs, 2)})` : '—'} |\n`;
    }
    out += `\nWhere the fixed cost goes: run directly in one process, the first of these runs takes ${cold!.firstRun!.toFixed(3)} s (module compilation and warm-up) and the later ones ${cold!.medianRun!.toFixed(3)} s (median), so each worker's first run costs about ${(cold!.firstRun! - cold!.medianRun!).toFixed(2)} s more; "first result written after" is the worker start and that first run; "last N results came in over" is the tail, where workers finish one by one (results are written in task order, so a late early task holds back the count); "main thread busy" is the time the main thread was not idle during the sweep (scheduling, receiving and writing results; its event-loop utilisation; on 1 thread the runs themselves): near the sweep's whole time, the main thread is what the workers wait for; "sweep with V8's pool of N threads" (N > 4) is the same sweep run with \`node --v8-pool-size=N\`: Node gives V8 4 background threads (compilation, garbage collection) per process, shared by all its worker threads, where N separate processes have 4 each; "sweep with one malloc arena" (N > 4) is the same sweep with MALLOC_ARENA_MAX=1: glibc gives every allocating thread its own arena, grown (mprotect) and shrunk (madvise) as runs allocate and free their typed arrays, changes of the one address space that the other threads' cores feel; "sweep on N processes" is the same sweep with CADREFLOW_WORKERS=processes (N worker processes instead of threads).\n`;
  }
  process.stdout.write(out + '\n');
}
