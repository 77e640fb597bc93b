/**
 * The workshop server (`cadreflow serve`): one page and a small JSON API on
 * node:http. A Run posts the levers and settings; the server validates them
 * with the scenario schema (bad input → 400 with the same message as the CLI),
 * runs the policy and the baseline on the same replicate seeds in worker
 * threads, and streams every simulated year back as server-sent events.
 * Every participant (the id the page keeps in localStorage) has a run of their
 * own: runs wait in a first-in-first-out queue across participants and go on
 * as many at once as the threads allow (queue.ts); a participant's new run
 * replaces only their own. A run larger than the server's cap
 * (`maxCadreYears`) is refused before it starts.
 * With a posterior (`serve --posterior FILE`, by default the shipped
 * scenarios/gansu-posterior.csv) the page may run over it: replicate k of both
 * arms runs particle draw ⌊k/m⌋ as `cadreflow run --posterior` does, and the
 * page's intervals are those over the drawn particles (experiment/posterior.ts).
 *
 *   GET  /                    the page
 *   GET  /assets/…            ECharts' browser build and the page's modules
 *   GET  /room                the trainer's view: every participant's latest run side by side
 *   GET  /api/config          levers, groups, settings, presets, metrics, regions, the cap, the URLs to join
 *   POST /api/run             text/event-stream: queued…, start, progress, year…, done | error | cancelled
 *   POST /api/scenario        the levers and settings as a scenario file for `cadreflow run`
 *   POST /api/scenario/levers a scenario file as the page's levers, reform year and settings
 *   GET  /api/room            JSON: each participant's latest run (name, changed levers, headline changes)
 *   GET  /api/qr?text=…       SVG: a QR code of the text (a URL to join), generated here
 *
 * Bad input is a 400 whose JSON has `error` (the CLI's words) and `problems`,
 * each with a `code` and its `params`, so the page words it in its language.
 */
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { availableParallelism, networkInterfaces } from 'node:os';
import { createHash } from 'node:crypto';
import { Piscina } from 'piscina';
import qrcode from 'qrcode-generator';
import { InputError, type InputProblem } from '../scenario/errors.js';
import { meanCI, groupMeans } from '../report/ci.js';
import { RunQueue, DEFAULT_THROUGHPUT, type QueuedRun } from './queue.js';
import { readJsonFile } from '../scenario/load.js';
import { parseScenario } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { HEADLINE, METRIC_NAMES, SHARES, UNIT_RANGE } from '../metrics/definitions.js';
import { replicateSeeds } from '../experiment/replicates.js';
import { programVersion } from '../experiment/manifest.js';
import { LEVER_GROUPS } from '../report/i18n.js';
import { regionTiers, DIRECTIONS, FLOW_TYPES } from '../report/flows.js';
import { REGION_METRICS, regionNames } from '../report/regions.js';
import { baselineRaw, leverSpecs, leverValues, presets, runScenarios, scenarioFile, scenarioPreset, SETTINGS, type RunRequest, type RunPair } from './levers.js';
import { DEFAULT_SEEDS_PER_PARTICLE, checkPosterior, particleScenario, readPosterior, replicateParticle, type Posterior, type PosteriorRun } from '../experiment/posterior.js';
import { PROJECT_ROOT } from '../experiment/manifest.js';
import type { Scenario } from '../scenario/schema.js';
import { pageHtml, roomHtml } from './page.js';
import type { WebTask, WorkerMessage } from './worker.js';

export interface ServeOptions {
  port: number;
  host: string;
  /** Worker threads (default: all cores). */
  threads?: number;
  /**
   * The posterior the page may run over: a file of ABC-SMC particles; undefined: the shipped
   * scenarios/gansu-posterior.csv when there is one; false: none.
   */
  posterior?: string | false;
  /** Seeds each drawn particle runs on (default 2). */
  seedsPerParticle?: number;
  /** The largest run allowed, in cadre-years (posts × (burn-in + years) × replicates × 2 arms); default DEFAULT_MAX_CADRE_YEARS. */
  maxCadreYears?: number;
  /** Testing aid: make replicate `replicate` of arm `arm` (0 policy, 1 baseline) fail in `year`. */
  failAt?: { arm: number; replicate: number; year: number };
}

export interface RunningServer {
  url: string;
  /** URLs others in the room can type: the machine's network addresses when listening on every address. */
  urls: string[];
  /** The posterior the page may run over (its file, as the page names it), if any. */
  posterior?: string;
  server: http.Server;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const distSrc = path.resolve(here, '..');

/** The compiled worker (from dist/, also when the sources run under a test runner). */
function webWorkerFile(): string {
  const local = path.join(here, 'worker.js');
  if (fileURLToPath(import.meta.url).endsWith('.js') && existsSync(local)) return local;
  const dist = path.resolve(here, '..', '..', 'dist', 'src', 'web', 'worker.js');
  if (!existsSync(dist)) throw new Error(`the compiled worker ${dist} is missing: run npm run build`);
  return dist;
}

/** Browser modules served to the page: compiled files of src/report and src/web that import nothing else. */
const MODULES = new Set(['report/charts.js', 'report/i18n.js', 'report/ci.js', 'report/flows.js', 'web/client.js', 'web/client/state.js', 'web/client/levers.js', 'web/client/run.js', 'web/client/charts.js', 'web/client/map.js', 'web/room.js', 'web/words.js', 'web/reform-year.js']);

function moduleFile(rel: string): string {
  const local = path.join(distSrc, rel);
  if (existsSync(local) && local.endsWith('.js') && !local.endsWith('.ts')) return local;
  return path.resolve(here, '..', '..', 'dist', 'src', rel);
}

function echartsFile(): string {
  return createRequire(import.meta.url).resolve('echarts/dist/echarts.min');
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  res.end(body);
}
const sendJson = (res: http.ServerResponse, status: number, body: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

function readBody(req: http.IncomingMessage, limit = 256 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new InputError([{ path: '', value: `${size} bytes`, allowed: `a request of at most ${limit} bytes` }]));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The default cap of a run: 1.5 × 10^8 cadre-years, about five minutes on one laptop core
 * (DEFAULT_THROUGHPUT); the page's defaults (scale 0.1, 30 + 30 years, 6 replicates) are about 10^7.
 */
export const DEFAULT_MAX_CADRE_YEARS = 150_000_000;

/** Posts of the page's baseline world at scale 1: a run's size is this × scale × (burn-in + years) × replicates × 2. */
function postsAtScale1(): number {
  const base = parseScenario({ ...baselineRaw(), world: { ...(baselineRaw().world as object), scale: 1 } });
  return buildWorld(base.world).nPosts;
}

/** A run's size in cadre-years, as the page computes it from /api/config. */
export function cadreYears(postsPerScale: number, s: { scale: number; years: number; burnIn: number; replicates: number }): number {
  return Math.round(postsPerScale * s.scale) * (s.burnIn + s.years) * s.replicates * 2;
}

/** URLs of a server listening on `host`: on every address (0.0.0.0, ::), one per network address of the machine. */
export function joinUrls(host: string, port: number): string[] {
  const fmt = (a: string) => `http://${a.includes(':') ? `[${a}]` : a}:${port}/`;
  if (host !== '0.0.0.0' && host !== '::') return [fmt(host === 'localhost' ? '127.0.0.1' : host)];
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') out.push(fmt(a.address));
      else if (host === '::' && !a.address.startsWith('fe80')) out.push(fmt(a.address));
    }
  }
  // IPv4 first: the addresses people type.
  out.sort((a, b) => Number(a.includes('[')) - Number(b.includes('[')));
  return out.length ? out : [fmt('127.0.0.1')];
}

/** The static part of /api/config, computed once. */
function config(post: Posterior | undefined, seedsPerParticle: number): Record<string, unknown> {
  const base = parseScenario(baselineRaw());
  const world = buildWorld(base.world);
  const names = regionNames(base.world, world);
  const { tiers, tierOf } = regionTiers(world);
  return {
    version: programVersion(),
    levers: leverSpecs(),
    groups: LEVER_GROUPS,
    // The first reported year's default is the baseline's (the page reads it from here).
    settings: { ...SETTINGS, startYear: { ...SETTINGS.startYear, default: base.startYear } },
    presets: presets(),
    metrics: METRIC_NAMES,
    unitRange: METRIC_NAMES.filter((m) => UNIT_RANGE.has(m)),
    shares: METRIC_NAMES.filter((m) => SHARES.has(m)),
    headline: HEADLINE,
    posterior: post ? { file: path.relative(PROJECT_ROOT, post.absolute).startsWith('..') ? post.absolute : path.relative(PROJECT_ROOT, post.absolute), particles: post.particles.length, parameters: post.paths, seedsPerParticle } : null,
    regionMetrics: REGION_METRICS,
    tiers,
    flowTypes: FLOW_TYPES,
    directions: DIRECTIONS,
    regions: Array.from({ length: world.nRegions }, (_, g) => ({
      code: world.code[g], name: names.zh[g], nameEn: names.en[g], level: world.level[g], x: Number(world.x[g]!.toFixed(2)), y: Number(world.y[g]!.toFixed(2)),
      wageIndex: world.wageIndex[g], hardship: world.hardship[g], tier: tierOf[g],
    })),
  };
}

/**
 * The posterior of the server: the file given, else the shipped one if present; checked against
 * the page's baseline (every particle makes a valid scenario of it).
 */
function loadPosterior(file: string | false | undefined): Posterior | undefined {
  if (file === false) return undefined;
  const shipped = path.join(PROJECT_ROOT, 'scenarios', 'gansu-posterior.csv');
  if (file === undefined && !existsSync(shipped)) return undefined;
  const post = readPosterior(file ?? shipped);
  checkPosterior(post, [{ scenario: parseScenario(baselineRaw()), label: 'scenarios/baseline.json (the page’s baseline)' }], [], { keep: false });
  return post;
}

/** Participant ids the page makes (crypto.getRandomValues, hex): letters, digits, - and _. */
const PARTICIPANT = /^[A-Za-z0-9_-]{8,64}$/;
const NAME_MAX = 40;

/** A participant's run: its event stream, its place in the queue and what the trainer's view shows of it. */
class Job implements QueuedRun {
  readonly abort = new AbortController();
  finished = false;
  done = 0;
  state: 'waiting' | 'running' | 'done' | 'failed' | 'cancelled' = 'waiting';
  readonly submitted = new Date();
  /** The metrics of the last reported year, [arm][replicate]: the trainer's view shows their paired change. */
  readonly last: (number | null)[][][] = [[], []];
  /** The participant's previous run was cancelled for this one. */
  cancelledPrevious = false;
  constructor(
    readonly id: number,
    readonly participant: string,
    readonly name: string,
    readonly res: http.ServerResponse,
    readonly pair: RunPair,
    readonly cadreYears: number,
    readonly levers: Record<string, unknown>,
  ) {}

  get replicates(): number {
    return this.pair.settings.replicates;
  }

  event(name: string, data: unknown): void {
    if (this.finished) return;
    this.res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(name?: string, data?: unknown): void {
    if (this.finished) return;
    if (name) this.event(name, data);
    this.finished = true;
    if (this.state === 'waiting' || this.state === 'running') this.state = name === 'done' ? 'done' : name === 'error' ? 'failed' : 'cancelled';
    this.abort.abort();
    this.res.end();
  }
}

const badRequest = (problems: InputProblem[]) => new InputError(problems);

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const threads = Math.max(1, o.threads ?? availableParallelism());
  const post = loadPosterior(o.posterior);
  const seedsPerParticle = o.seedsPerParticle ?? DEFAULT_SEEDS_PER_PARTICLE;
  const maxCadreYears = o.maxCadreYears ?? DEFAULT_MAX_CADRE_YEARS;
  const postsPerScale = postsAtScale1();
  const fixed = config(post, seedsPerParticle);
  const cfg = { ...fixed, threads, maxCadreYears, postsPerScale };
  const posteriorFile = (fixed.posterior as { file: string } | null)?.file;
  const baseLevers = leverValues(parseScenario(baselineRaw()));
  let urls: string[] = [];
  let pool: Piscina | undefined;
  const getPool = () => (pool ??= new Piscina({ filename: webWorkerFile(), minThreads: 0, maxThreads: threads, idleTimeout: 60_000 }));
  let nextId = 1;
  let stopping = false;
  /** The latest run of each participant, for the trainer's view (the 200 latest participants). */
  const room = new Map<string, Job>();

  const queue: RunQueue<Job> = new RunQueue<Job>({
    threads,
    throughput: DEFAULT_THROUGHPUT,
    start: (job, tasks) => execute(job, tasks),
    waiting: (job, place) => job.event('queued', { ...place, cadreYears: job.cadreYears }),
  });

  /** Bad input of a request: the CLI's words and the coded problems. */
  function parseRequest(text: string): { body: RunRequest & { participant?: unknown; name?: unknown }; run: RunRequest } {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw badRequest([{ path: '', value: undefined, allowed: `a JSON body (${(e as Error).message})`, code: 'json' }]);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest([{ path: '', value: body, allowed: 'a JSON object with levers and settings', code: 'request' }]);
    const { participant: _p, name: _n, ...run } = body;
    return { body, run };
  }

  function checkRun(run: RunRequest): RunPair {
    const pair = runScenarios(run, post?.paths);
    if (pair.settings.posterior) {
      if (!post) throw badRequest([{ path: 'settings.posterior', value: 1, allowed: '0: this server has no posterior (start it with cadreflow serve --posterior FILE)', code: 'noPosterior' }]);
      const R = pair.settings.replicates, m = seedsPerParticle;
      if (R % m !== 0 || R < 2 * m) throw badRequest([{ path: 'settings.replicates', value: R, allowed: `over the posterior, a multiple of ${m} and at least ${2 * m}: each drawn particle runs on ${m} seeds, and an interval over the parameters needs two particles or more`, code: 'posteriorReplicates', params: { m } }]);
    }
    return pair;
  }

  async function run(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let job: Job;
    try {
      if (stopping) throw badRequest([{ path: '', value: undefined, allowed: 'nothing: the server is stopping', code: 'stopping' }]);
      const { body, run: request } = parseRequest(await readBody(req));
      const participant = body.participant === undefined ? `anonymous-${nextId}` : body.participant;
      if (typeof participant !== 'string' || !PARTICIPANT.test(participant)) throw badRequest([{ path: 'participant', value: participant, allowed: 'an id of 8 to 64 letters, digits, - or _ (the page makes one)', code: 'participant' }]);
      const name = body.name === undefined ? '' : body.name;
      if (typeof name !== 'string' || name.trim().length > NAME_MAX) throw badRequest([{ path: 'name', value: name, allowed: `a name of at most ${NAME_MAX} characters`, code: 'name', params: { max: NAME_MAX } }]);
      const pair = checkRun(request);
      const size = cadreYears(postsPerScale, pair.settings);
      if (size > maxCadreYears) {
        throw badRequest([{
          path: 'settings', value: size, code: 'tooLarge', params: { cadreYears: size, max: maxCadreYears, seconds: Math.round(queue.runSeconds(size, pair.settings.replicates)) },
          allowed: `a run of at most ${maxCadreYears} cadre-years (posts at the scale × (burn-in + years) × replicates × 2 arms; this one is ${size}, about ${Math.round(queue.runSeconds(size, pair.settings.replicates))} s): lower the scale, the years or the replicates, or start the server with a larger --max-cadre-years`,
        }]);
      }
      const previous = queue.current(participant);
      if (previous) {
        previous.end('cancelled', { reason: 'replaced' });
        queue.remove(previous);
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      job = new Job(nextId++, participant, name.trim(), res, pair, size, (request.levers ?? {}) as Record<string, unknown>);
      job.cancelledPrevious = !!previous;
    } catch (e) {
      if (e instanceof InputError) return sendJson(res, 400, { error: e.message, problems: e.problems });
      throw e;
    }
    room.delete(job.participant);
    room.set(job.participant, job);
    if (room.size > 200) room.delete(room.keys().next().value!);
    res.on('close', () => {
      if (job.finished) return;
      job.end();
      job.state = 'cancelled';
      queue.remove(job);
    });
    queue.submit(job);
  }

  /** Runs a job on `tasks` worker tasks (half per arm); resolves when it ends. */
  async function execute(job: Job, tasks: number): Promise<{ completed: boolean; seconds: number }> {
    if (job.finished) return { completed: false, seconds: 0 };
    job.state = 'running';
    const { policy, baseline, settings } = job.pair;
    const R = settings.replicates;
    const seeds = replicateSeeds(baseline, R);
    // Over the posterior: replicate k of each arm runs particle draw ⌊k/m⌋ (keyed on the run's seed, as `run --posterior`).
    const pr: PosteriorRun | undefined = settings.posterior && post ? { posterior: post, seedsPerParticle, seed: baseline.seed } : undefined;
    const drawn = pr ? Array.from({ length: R }, (_, k) => replicateParticle(pr, k)) : undefined;
    const armScenarios = (s: Scenario): Scenario[] | undefined => (pr && drawn ? drawn.map((j) => particleScenario(pr.posterior, j, s)) : undefined);
    const perReplicate = [armScenarios(policy), armScenarios(baseline)];
    const years = Array.from({ length: baseline.years }, (_, i) => baseline.startYear + i);
    const firstYear = baseline.startYear - baseline.burnIn;
    const lastYear = years[years.length - 1]!;
    job.event('start', {
      runId: job.id, cancelledPrevious: job.cancelledPrevious, replicates: R, seeds, years, startYear: baseline.startYear, burnIn: baseline.burnIn,
      firstYear, reformYear: settings.reformYear, settings, arms: ['policy', 'baseline'], threads, tasks, cadreYears: job.cadreYears,
      ...(pr && drawn ? { posterior: { file: posteriorFile, seedsPerParticle, particles: drawn.map((j) => post!.particles[j]!.particle) } } : {}),
    });
    const t0 = performance.now();
    // Split each arm's replicates into groups run in lockstep, one group per task.
    const groupsPerArm = Math.max(1, Math.min(R, Math.floor(tasks / 2)));
    const parts: { arm: number; replicates: number[] }[] = [];
    for (let arm = 0; arm < 2; arm++) {
      for (let g = 0; g < groupsPerArm; g++) {
        const reps = Array.from({ length: R }, (_, k) => k).filter((k) => k % groupsPerArm === g);
        if (reps.length) parts.push({ arm, replicates: reps });
      }
    }
    const lastProgress = [-Infinity, -Infinity];
    const reached = [0, 0];
    const span = baseline.burnIn + baseline.years;
    const advance = (arm: number, year: number) => {
      reached[arm] = Math.max(reached[arm]!, year - firstYear + 1);
      job.done = (reached[0]! + reached[1]!) / (2 * span);
    };
    try {
      await Promise.all(
        parts.map(async (t) => {
          const { port1, port2 } = new MessageChannel();
          const ended = new Promise<void>((resolve) => {
            port1.on('message', (m: WorkerMessage) => {
              if (m.type === 'year') {
                job.event('year', m);
                advance(m.arm, m.year);
                if (m.year === lastYear) job.last[m.arm]![m.replicate] = m.metrics;
              } else if (m.type === 'progress') {
                if (m.year > lastProgress[m.arm]!) {
                  lastProgress[m.arm] = m.year;
                  advance(m.arm, m.year);
                  job.event('progress', m);
                }
              } else if (m.type === 'end') resolve();
            });
          });
          const fail = o.failAt && o.failAt.arm === t.arm && t.replicates.includes(o.failAt.replicate) ? { replicate: o.failAt.replicate, year: o.failAt.year } : undefined;
          const each = perReplicate[t.arm];
          const task: WebTask = {
            arm: t.arm, scenario: t.arm === 0 ? policy : baseline, scenarios: each && t.replicates.map((k) => each[k]!),
            seeds: t.replicates.map((k) => seeds[k]!), replicates: t.replicates, port: port2 as never, failAt: fail,
          };
          try {
            await getPool().run(task, { transferList: [port2 as never], signal: job.abort.signal });
            await ended;
          } finally {
            port1.close();
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const completed = !job.finished;
      job.end('done', { seconds });
      // The speed measured: the next estimates use it (queue.ts).
      return { completed, seconds };
    } catch (e) {
      if (job.finished) return { completed: false, seconds: 0 }; // cancelled: the stream was told already (or the page went away)
      const err = e as Error;
      job.end('error', { message: err?.message ?? String(e) });
      return { completed: false, seconds: 0 };
    }
  }

  /** The trainer's view of a run: its policy (the levers changed) and the paired change of each headline metric at the last year. */
  function roomEntry(job: Job): Record<string, unknown> {
    const { settings } = job.pair;
    const changed = Object.entries(job.levers)
      .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(baseLevers[k]))
      .map(([k, v]) => ({ path: k, value: v, baseline: baseLevers[k] }));
    let headline: Record<string, unknown> | undefined;
    if (job.state === 'done') {
      const R = settings.replicates;
      const m = settings.posterior ? seedsPerParticle : 1;
      const over = (values: number[], unit: boolean) => {
        const c = meanCI(values, unit);
        if (m === 1) return c;
        const g = meanCI(groupMeans(values, values.map((_, k) => Math.floor(k / m))), unit);
        return { ...c, mean: g.mean, low: g.low, high: g.high };
      };
      headline = {};
      for (const metric of HEADLINE) {
        const j = METRIC_NAMES.indexOf(metric);
        const at = (arm: number, r: number) => job.last[arm]![r]?.[j] ?? NaN;
        const reps = Array.from({ length: R }, (_, r) => r);
        const unit = UNIT_RANGE.has(metric);
        const p = over(reps.map((r) => at(0, r)), unit), b = over(reps.map((r) => at(1, r)), unit);
        const d = over(reps.map((r) => at(0, r) - at(1, r)), false);
        const num = (x: number) => (Number.isFinite(x) ? x : null);
        headline[metric] = { policy: num(p.mean), baseline: num(b.mean), change: num(d.mean), low: num(d.low), high: num(d.high) };
      }
    }
    const waiting = job.state === 'waiting' ? queue.place(job) : undefined;
    return {
      participant: createHash('sha256').update(job.participant).digest('hex').slice(0, 8),
      name: job.name, state: job.state, submitted: job.submitted.toISOString(), done: Number(job.done.toFixed(3)),
      ...(waiting ? { ahead: waiting.ahead } : {}),
      settings, year: job.pair.baseline.startYear + job.pair.baseline.years - 1, changed, headline,
    };
  }

  async function scenarioOf(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const { run: request } = parseRequest(await readBody(req));
      checkRun(request);
      return sendJson(res, 200, scenarioFile(request, post?.paths, posteriorFile));
    } catch (e) {
      if (e instanceof InputError) return sendJson(res, 400, { error: e.message, problems: e.problems });
      throw e;
    }
  }

  async function leversOf(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const text = await readBody(req);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        throw badRequest([{ path: '', value: undefined, allowed: `a JSON scenario file (${(e as Error).message})`, code: 'json' }]);
      }
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest([{ path: '', value: raw, allowed: 'a scenario: a JSON object', code: 'request' }]);
      return sendJson(res, 200, scenarioPreset(raw as Record<string, unknown>, ''));
    } catch (e) {
      if (e instanceof InputError) return sendJson(res, 400, { error: e.message, problems: e.problems });
      throw e;
    }
  }

  function qr(url: URL, res: http.ServerResponse): void {
    const text = url.searchParams.get('text') ?? '';
    if (!text || text.length > 1000) return sendJson(res, 400, { error: `<input>: text: ${JSON.stringify(text.slice(0, 80))}: a text of 1 to 1000 characters`, problems: [{ path: 'text', value: text.slice(0, 80), allowed: 'a text of 1 to 1000 characters', code: 'qrText' }] });
    const code = qrcode(0, 'M');
    code.addData(text, 'Byte');
    code.make();
    send(res, 200, 'image/svg+xml; charset=utf-8', code.createSvgTag({ cellSize: 4, margin: 4, scalable: true }));
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname;
    const fail = (e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `internal error: ${(e as Error)?.message ?? String(e)}` });
      else res.end();
    };
    try {
      if (req.method === 'GET' && (p === '/' || p === '/index.html')) return send(res, 200, 'text/html; charset=utf-8', pageHtml());
      if (req.method === 'GET' && p === '/room') return send(res, 200, 'text/html; charset=utf-8', roomHtml());
      if (req.method === 'GET' && p === '/api/config') return sendJson(res, 200, { ...cfg, urls, throughput: Math.round(queue.throughput) });
      if (req.method === 'GET' && p === '/api/room') {
        return sendJson(res, 200, { threads, throughput: Math.round(queue.throughput), running: queue.all().filter((j) => j.state === 'running').length, waiting: queue.all().filter((j) => j.state === 'waiting').length, runs: [...room.values()].reverse().map(roomEntry) });
      }
      if (req.method === 'GET' && p === '/api/qr') return qr(url, res);
      if (req.method === 'GET' && p === '/assets/echarts.min.js') return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(echartsFile()), { 'Cache-Control': 'max-age=3600' });
      if (req.method === 'GET' && p.startsWith('/assets/') && MODULES.has(p.slice('/assets/'.length))) {
        return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(moduleFile(p.slice('/assets/'.length))).toString('utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '\n'));
      }
      if (req.method === 'POST' && p === '/api/run') return void run(req, res).catch(fail);
      if (req.method === 'POST' && p === '/api/scenario') return void scenarioOf(req, res).catch(fail);
      if (req.method === 'POST' && p === '/api/scenario/levers') return void leversOf(req, res).catch(fail);
      if (p === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
      return sendJson(res, 404, { error: `no such page: ${p}` });
    } catch (e) {
      fail(e);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address() as { port: number; address: string };
  const shownHost = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  urls = joinUrls(o.host, addr.port);
  return {
    url: `http://${shownHost}:${addr.port}/`,
    urls,
    posterior: posteriorFile,
    server,
    async close() {
      stopping = true;
      for (const job of queue.all()) {
        job.end('cancelled', { reason: 'stopping' });
        queue.remove(job);
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await closed;
      await pool?.destroy();
    },
  };
}
