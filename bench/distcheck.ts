/**
 * `node dist/bench/distcheck.js OLD_DIST NEW_DIST [--reps 64] [--only NAME[,NAME…]] [--jobs N] [--out FILE.csv]`
 * `node dist/bench/distcheck.js OLD_DIST --self [--reps 64] …`
 *
 * A distribution check of two builds of the model (two compiled dist/
 * directories of the project). A change that alters the random realisations
 * (which draws are used for what) must leave the model's distributions as
 * they are: on each golden scenario (bench/golden-cases.ts), each build runs
 * replicates with seeds 1..reps, and for each headline metric the replicates'
 * values (the mean over the reported years) are compared by Welch's t test,
 * its t reported as the normal score z of its p-value, with a Bonferroni bound
 * over all cases × metrics (the method and the rule: bench/distcheck-stats.ts). Prints a table and a summary line; exit
 * code 0 on PASS, 1 on FAIL (or a run that failed), 2 on bad arguments.
 *
 * --self: OLD_DIST against itself, seeds 1..reps against reps+1..2·reps (the
 * spread of z when nothing changed; NEW_DIST is not needed).
 * --jobs N: child processes (default: the available parallelism). The results
 * do not depend on it. --out FILE.csv: the table as CSV.
 *
 * Runs that throw are outcomes too (the push case exercises an error path:
 * every run throws): the builds must agree on how many runs of a case fail
 * with each error; a case whose runs all fail in both is not compared. Each
 * case's run time is written to stderr as it completes; on 2 cores the 14
 * cases at 64 replicates take 4–6 minutes, national about half of it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GOLDEN_CASES } from './golden-cases.js';
import {
  EXPECTED_WITHIN_1, EXPECTED_WITHIN_2, compareFailures, compareSamples, decide, isCounted, plainDecimal, yearMean, type Comparison,
} from './distcheck-stats.js';

const WORKER_FLAG = '--distcheck-worker';
/** Seeds per job: small enough to balance the load at the end, large enough that a job's overhead does not count. */
const CHUNK = 4;

/** One job: replicates of one case on one build. */
interface Job {
  id: number;
  side: 0 | 1;
  dist: string;
  caseName: string;
  metrics: string[];
  seeds: number[];
}
/**
 * values[k][j]: metric metrics[k], seed seeds[j] (null for NaN: JSON has no NaN); errors[j]: the
 * first line of the error of the run with seed seeds[j] (or of parseScenario), null if it ran.
 */
interface JobResult { id: number; values: (number | null)[][]; errors: (string | null)[]; ms: number }

const importFrom = (dist: string, file: string) => import(pathToFileURL(path.resolve(dist, file)).href);

// ---------------------------------------------------------------------------------------------
// Child process: runs jobs sent by the parent, one at a time.

interface Build {
  parseScenario: (raw: unknown) => unknown;
  simulate: (scenario: unknown, seed: number) => { metrics: Float64Array[]; years: number[] };
  METRIC_NAMES: string[];
}

function worker(): void {
  const builds = new Map<string, Promise<Build>>();
  const scenarios = new Map<string, unknown>();
  const cases = new Map(GOLDEN_CASES);
  const load = (dist: string): Promise<Build> => {
    let b = builds.get(dist);
    if (!b) {
      b = Promise.all([importFrom(dist, 'src/scenario/load.js'), importFrom(dist, 'src/model/simulate.js'), importFrom(dist, 'src/metrics/definitions.js')])
        .then(([l, s, d]) => ({ parseScenario: l.parseScenario, simulate: s.simulate, METRIC_NAMES: d.METRIC_NAMES }));
      builds.set(dist, b);
    }
    return b;
  };
  const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0]!;
  process.on('message', async (job: Job) => {
    const values: (number | null)[][] = job.metrics.map(() => []);
    const errors: (string | null)[] = [];
    const t0 = performance.now();
    let b: Build | undefined;
    let scenario: unknown;
    let setupError: string | undefined;
    try {
      b = await load(job.dist);
      const key = `${job.dist}\n${job.caseName}`;
      // Each build parses the raw case with its own parseScenario.
      if (!scenarios.has(key)) scenarios.set(key, b.parseScenario(cases.get(job.caseName)));
      scenario = scenarios.get(key);
    } catch (e) {
      setupError = `${b ? 'parseScenario' : 'loading the build'}: ${firstLine(e)}`;
    }
    const cols = b ? job.metrics.map((m) => b.METRIC_NAMES.indexOf(m)) : [];
    for (const seed of job.seeds) {
      // A run that throws is an outcome of the case (a golden case may exercise an error path).
      let r: { metrics: Float64Array[] } | undefined;
      let error = setupError ?? null;
      if (!setupError) {
        try { r = b!.simulate(scenario, seed); } catch (e) { error = firstLine(e); }
      }
      errors.push(error);
      job.metrics.forEach((_, i) => {
        const v = r ? yearMean(r.metrics, cols[i]!) : NaN;
        values[i]!.push(Number.isNaN(v) ? null : v);
      });
    }
    const reply: JobResult = { id: job.id, values, errors, ms: performance.now() - t0 };
    process.send!(reply);
  });
}

// ---------------------------------------------------------------------------------------------
// Parent: arguments, the jobs, the table.

const USAGE = 'usage: node dist/bench/distcheck.js OLD_DIST NEW_DIST [--reps N] [--only NAME[,NAME…]] [--jobs N] [--out FILE.csv]\n'
  + '       node dist/bench/distcheck.js OLD_DIST --self [--reps N] [--only …] [--jobs N] [--out FILE.csv]';

class ArgError extends Error {}

interface Args { oldDist: string; newDist: string; self: boolean; reps: number; only: string[]; jobs: number; out?: string }

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  let reps = 64;
  let jobs = Math.max(1, os.availableParallelism());
  let only: string[] = GOLDEN_CASES.map(([n]) => n);
  let out: string | undefined;
  let self = false;
  const int = (flag: string, v: string, min: number): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new ArgError(`${flag}: ${JSON.stringify(v)} is not allowed; an integer ≥ ${min} is`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const flag = eq < 0 ? a : a.slice(0, eq);
    if (flag === '--self') {
      if (eq >= 0) throw new ArgError(`--self takes no value (got ${JSON.stringify(a.slice(eq + 1))})`);
      self = true;
      continue;
    }
    if (!['--reps', '--only', '--jobs', '--out'].includes(flag)) throw new ArgError(`unknown option ${JSON.stringify(flag)}; allowed: --reps, --only, --jobs, --out, --self`);
    let v: string | undefined;
    if (eq >= 0) v = a.slice(eq + 1);
    else {
      v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new ArgError(`${flag}: a value is required`);
      i++;
    }
    if (flag === '--reps') reps = int(flag, v, 2);
    else if (flag === '--jobs') jobs = int(flag, v, 1);
    else if (flag === '--out') {
      if (v === '') throw new ArgError('--out: a file name is required');
      out = v;
    } else {
      const names = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const known = GOLDEN_CASES.map(([n]) => n);
      const bad = names.filter((n) => !known.includes(n));
      if (names.length === 0) throw new ArgError(`--only: ${JSON.stringify(v)} names no case; allowed: ${known.join(', ')}`);
      if (bad.length) throw new ArgError(`--only: ${bad.map((n) => JSON.stringify(n)).join(', ')} ${bad.length > 1 ? 'are not golden cases' : 'is not a golden case'}; allowed: ${known.join(', ')}`);
      only = known.filter((n) => names.includes(n)); // in the order of GOLDEN_CASES, once each
    }
  }
  const need = self ? 1 : 2;
  if (positional.length < need) throw new ArgError(self ? 'OLD_DIST is required' : `OLD_DIST and NEW_DIST are required (got ${positional.length} of 2)`);
  if (positional.length > 2) throw new ArgError(`too many arguments: ${positional.slice(2).map((p) => JSON.stringify(p)).join(' ')}`);
  if (self && positional.length === 2) process.stderr.write(`distcheck: --self: NEW_DIST ${positional[1]} is not used\n`);
  const dists = positional.slice(0, need).map((p) => path.resolve(p));
  ['OLD_DIST', 'NEW_DIST'].slice(0, need).forEach((what, i) => {
    const d = dists[i]!;
    for (const f of ['src/scenario/load.js', 'src/model/simulate.js', 'src/metrics/definitions.js']) {
      if (!existsSync(path.join(d, f))) throw new ArgError(`${what}: ${JSON.stringify(positional[i])} is not a compiled dist/ directory of the project (no ${f}); a directory with src/scenario/load.js, src/model/simulate.js and src/metrics/definitions.js is`);
    }
  });
  return { oldDist: dists[0]!, newDist: self ? dists[0]! : dists[1]!, self, reps, only, jobs, out };
}

/** The headline metrics compared: those of the old build, then those only the new build has; each must be a metric of both builds. */
async function headlineMetrics(oldDist: string, newDist: string): Promise<string[]> {
  const [o, n] = await Promise.all([importFrom(oldDist, 'src/metrics/definitions.js'), importFrom(newDist, 'src/metrics/definitions.js')]);
  const list = [...(o.HEADLINE as string[])];
  for (const h of n.HEADLINE as string[]) if (!list.includes(h)) list.push(h);
  const out: string[] = [];
  for (const h of list) {
    const inOld = (o.METRIC_NAMES as string[]).includes(h);
    const inNew = (n.METRIC_NAMES as string[]).includes(h);
    if (inOld && inNew) out.push(h);
    else process.stderr.write(`distcheck: headline metric ${h} is not a metric of the ${inOld ? 'new' : 'old'} build: not compared\n`);
  }
  return out;
}

/** Runs the jobs over `n` child processes; onDone is called for each result. */
function runJobs(jobs: Job[], n: number, onDone: (job: Job, r: JobResult) => void): Promise<void> {
  const queue = jobs.slice();
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    let live = 0;
    let failed = false;
    const start = (): void => {
      const child: ChildProcess = fork(script, [WORKER_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      live++;
      let current: Job | undefined;
      const next = (): void => {
        current = failed ? undefined : queue.shift();
        if (current) child.send(current);
        else child.disconnect();
      };
      child.on('message', (r: JobResult) => {
        onDone(byId.get(r.id)!, r);
        next();
      });
      child.on('exit', (code, signal) => {
        live--;
        if (current && !failed) {
          failed = true;
          reject(new Error(`a child process ended (${signal ?? `exit code ${code}`}) during ${current.caseName}, seeds ${current.seeds[0]}..${current.seeds.at(-1)}`));
        }
        if (live === 0 && !failed) resolve();
      });
      next();
    };
    for (let i = 0; i < Math.max(1, Math.min(n, queue.length)); i++) start();
  });
}

const fmt = (x: number, digits: number): string => (Number.isNaN(x) ? '–' : Number.isFinite(x) ? x.toPrecision(digits) : x > 0 ? '+inf' : '-inf');
const fmtZ = (x: number): string => (Number.isNaN(x) ? '–' : Number.isFinite(x) ? x.toFixed(2) : x > 0 ? '+inf' : '-inf');

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof ArgError)) throw e;
    process.stderr.write(`distcheck: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  const { oldDist, newDist, self, reps, only, out } = args;
  let metrics: string[];
  try {
    metrics = await headlineMetrics(oldDist, newDist);
  } catch (e) {
    process.stderr.write(`distcheck: cannot load the metric definitions: ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const t0 = performance.now();
  const seedsOf = (side: 0 | 1): number[] => Array.from({ length: reps }, (_, i) => i + 1 + (self && side === 1 ? reps : 0));
  const jobs: Job[] = [];
  for (const caseName of only) {
    for (let c = 0; c < reps; c += CHUNK) {
      for (const side of [0, 1] as const) {
        jobs.push({ id: jobs.length, side, dist: side === 0 ? oldDist : newDist, caseName, metrics, seeds: seedsOf(side).slice(c, c + CHUNK) });
      }
    }
  }
  const nJobs = Math.max(1, Math.min(args.jobs, jobs.length));
  process.stdout.write(self
    ? `distcheck --self: ${oldDist}, seeds 1..${reps} (old) against ${reps + 1}..${2 * reps} (new)`
    : `distcheck: old ${oldDist}, new ${newDist}, seeds 1..${reps}`);
  process.stdout.write(`; ${only.length} case${only.length > 1 ? 's' : ''} × ${metrics.length} headline metrics; ${nJobs} job${nJobs > 1 ? 's' : ''}\n`);

  // values[case][side][metric][replicate]; NaN until filled.
  const values = new Map(only.map((n) => [n, [0, 1].map(() => metrics.map(() => new Float64Array(reps).fill(NaN)))]));
  // errors[case][side][replicate]: the error of the run, null if it ran.
  const errors = new Map(only.map((n) => [n, [0, 1].map(() => new Array<string | null>(reps).fill(null))]));
  const ms = new Map(only.map((n) => [n, [0, 0]]));
  const left = new Map(only.map((n) => [n, jobs.filter((j) => j.caseName === n).length]));
  try {
    await runJobs(jobs, nJobs, (job, r) => {
      const base = job.seeds[0]! - seedsOf(job.side)[0]!;
      const v = values.get(job.caseName)![job.side]!;
      r.values.forEach((col, k) => col.forEach((x, j) => (v[k]![base + j] = x === null ? NaN : x)));
      const e = errors.get(job.caseName)![job.side]!;
      r.errors.forEach((x, j) => (e[base + j] = x));
      ms.get(job.caseName)![job.side]! += r.ms;
      const l = left.get(job.caseName)! - 1;
      left.set(job.caseName, l);
      if (l === 0) {
        const [a, b] = ms.get(job.caseName)!;
        process.stderr.write(`distcheck: ${job.caseName} done: runs took ${(a! / 1000).toFixed(1)} s (old) + ${(b! / 1000).toFixed(1)} s (new), ${(performance.now() - t0) / 1000 < 1 ? '<1' : ((performance.now() - t0) / 1000).toFixed(0)} s elapsed\n`);
      }
    });
  } catch (e) {
    process.stderr.write(`distcheck: ${(e as Error).message}\n`);
    return 1;
  }

  const rows: { caseName: string; metric: string; c: Comparison }[] = [];
  const notes: string[] = [];
  let failureProblems = 0;
  for (const caseName of only) {
    const [ea, eb] = errors.get(caseName)!;
    const f = compareFailures(ea!, eb!);
    if (f.kind === 'differ') failureProblems++;
    if (f.kind !== 'none') notes.push(`${caseName}: ${f.kind === 'all' ? 'not compared: ' : ''}${f.text}${f.kind === 'differ' ? ' *' : ''}`);
    if (f.kind === 'all') continue;
    const [a, b] = values.get(caseName)!;
    metrics.forEach((metric, k) => rows.push({ caseName, metric, c: compareSamples(a![k]!, b![k]!) }));
  }
  const d = decide(rows.map((r) => r.c));
  const failedSet = new Set(d.failed);

  const header = ['case', 'metric', 'n', 'mean_old', 'mean_new', 'diff', 'se_diff', 't', 'df', 'z', 'paired_z', ''];
  const cells = rows.map(({ caseName, metric, c }, i) => [
    caseName, metric, c.n_old === c.n_new ? String(c.n_old) : `${c.n_old}/${c.n_new}`,
    fmt(c.mean_old, 6), fmt(c.mean_new, 6), fmt(c.diff, 3), fmt(c.se_diff, 3), fmtZ(c.t), Number.isNaN(c.df) ? '' : c.df.toFixed(0), fmtZ(c.z), fmtZ(c.paired.z),
    failedSet.has(i) ? '*' : isCounted(c) ? '' : 'not counted (n < 2)',
  ]);
  const width = header.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((s, j) => (j < 2 || j === r.length - 1 ? s.padEnd(width[j]!) : s.padStart(width[j]!))).join('  ').trimEnd() + '\n';
  process.stdout.write(line(header));
  for (const r of cells) process.stdout.write(line(r));
  for (const n of notes) process.stdout.write(`${n}\n`);

  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const where = d.maxAt >= 0 ? ` (${rows[d.maxAt]!.caseName} ${rows[d.maxAt]!.metric})` : '';
  const pass = d.pass && failureProblems === 0;
  const reasons = [...d.reasons, ...(failureProblems ? [`${failureProblems} case${failureProblems > 1 ? 's' : ''} with different failed runs in the two builds`] : [])];
  process.stdout.write(`m ${d.m}, z* ${d.zStar.toFixed(3)} (Bonferroni, family-wise 0.05), max |z| ${fmtZ(d.maxAbsZ)}${where}, `
    + `|z| < 1: ${d.within1}/${d.m} = ${pct(d.share1)} (expected ${pct(EXPECTED_WITHIN_1)}), `
    + `|z| < 2: ${d.within2}/${d.m} = ${pct(d.share2)} (expected ${pct(EXPECTED_WITHIN_2)}, at least 85%): `
    + `${pass ? 'PASS' : `FAIL: ${reasons.join('; ')}`}\n`);
  process.stderr.write(`distcheck: ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

  if (out) {
    const csvHeader = 'case,metric,n_old,n_new,mean_old,mean_new,sd_old,sd_new,diff,se_diff,t,df,z,paired_z,counted,fail\n';
    const body = rows.map(({ caseName, metric, c }, i) => [
      caseName, metric, ...[c.n_old, c.n_new, c.mean_old, c.mean_new, c.sd_old, c.sd_new, c.diff, c.se_diff, c.t, c.df, c.z, c.paired.z].map(plainDecimal),
      isCounted(c) ? 'TRUE' : 'FALSE', failedSet.has(i) ? 'TRUE' : 'FALSE',
    ].join(',') + '\n');
    writeFileSync(out, csvHeader + body.join(''));
  }
  return pass ? 0 : 1;
}

if (process.argv[2] === WORKER_FLAG) worker();
else process.exitCode = await main();
