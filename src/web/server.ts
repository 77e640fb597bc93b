/**
 * The workshop server (`cadreflow serve`): one page and a small JSON API on
 * node:http. A Run posts the levers and settings; the server validates them
 * with the scenario schema (bad input → 400 with the same message as the CLI),
 * runs the policy and the baseline on the same replicate seeds in worker
 * threads, and streams every simulated year back as server-sent events.
 * One run at a time: a new run cancels the one going, which is told so.
 * With a posterior (`serve --posterior FILE`, by default the shipped
 * scenarios/gansu-posterior.csv) the page may run over it: replicate k of both
 * arms runs particle draw ⌊k/m⌋ as `cadreflow run --posterior` does, and the
 * page's intervals are those over the drawn particles (experiment/posterior.ts).
 *
 *   GET  /                    the page
 *   GET  /assets/…            ECharts' browser build and the page's modules
 *   GET  /api/config          levers, groups, settings, presets, metrics, regions
 *   POST /api/run             text/event-stream: start, progress, year…, done | error | cancelled
 */
import http from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { InputError } from '../scenario/errors.js';
import { parseScenario } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { HEADLINE, METRIC_NAMES, SHARES, UNIT_RANGE } from '../metrics/definitions.js';
import { replicateSeeds } from '../experiment/replicates.js';
import { programVersion } from '../experiment/manifest.js';
import { LEVER_GROUPS } from '../report/i18n.js';
import { regionTiers, DIRECTIONS, FLOW_TYPES } from '../report/flows.js';
import { REGION_METRICS, regionNames } from '../report/regions.js';
import { baselineRaw, leverSpecs, presets, runScenarios, SETTINGS, type RunRequest } from './levers.js';
import { DEFAULT_SEEDS_PER_PARTICLE, checkPosterior, particleScenario, readPosterior, replicateParticle, type Posterior, type PosteriorRun } from '../experiment/posterior.js';
import { PROJECT_ROOT } from '../experiment/manifest.js';
import type { Scenario } from '../scenario/schema.js';
import { pageHtml } from './page.js';
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
  /** Testing aid: make replicate `replicate` of arm `arm` (0 policy, 1 baseline) fail in `year`. */
  failAt?: { arm: number; replicate: number; year: number };
}

export interface RunningServer {
  url: string;
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
const MODULES = new Set(['report/charts.js', 'report/i18n.js', 'report/ci.js', 'report/flows.js', 'web/client.js']);

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
    settings: SETTINGS,
    startYear: base.startYear,
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

class Job {
  readonly abort = new AbortController();
  finished = false;
  constructor(readonly id: number, readonly res: http.ServerResponse) {}

  event(name: string, data: unknown): void {
    if (this.finished) return;
    this.res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(name?: string, data?: unknown): void {
    if (this.finished) return;
    if (name) this.event(name, data);
    this.finished = true;
    this.abort.abort();
    this.res.end();
  }
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const threads = Math.max(1, o.threads ?? availableParallelism());
  const post = loadPosterior(o.posterior);
  const seedsPerParticle = o.seedsPerParticle ?? DEFAULT_SEEDS_PER_PARTICLE;
  const cfg = config(post, seedsPerParticle);
  const cfgJson = JSON.stringify(cfg);
  let pool: Piscina | undefined;
  const getPool = () => (pool ??= new Piscina({ filename: webWorkerFile(), minThreads: 0, maxThreads: threads, idleTimeout: 60_000 }));
  let current: Job | undefined;
  let nextId = 1;

  async function run(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: RunRequest;
    let pair;
    try {
      const text = await readBody(req);
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new InputError([{ path: '', value: undefined, allowed: `a JSON body (${(e as Error).message})` }]);
      }
      pair = runScenarios(body, post?.paths);
      if (pair.settings.posterior) {
        if (!post) throw new InputError([{ path: 'settings.posterior', value: 1, allowed: '0: this server has no posterior (start it with cadreflow serve --posterior FILE)' }]);
        const R = pair.settings.replicates, m = seedsPerParticle;
        if (R % m !== 0 || R < 2 * m) throw new InputError([{ path: 'settings.replicates', value: R, allowed: `over the posterior, a multiple of ${m} and at least ${2 * m}: each drawn particle runs on ${m} seeds, and an interval over the parameters needs two particles or more` }]);
      }
    } catch (e) {
      if (e instanceof InputError) return sendJson(res, 400, { error: e.message, problems: e.problems });
      throw e;
    }
    const previous = current && !current.finished ? current : undefined;
    previous?.end('cancelled', { reason: 'a newer run started' });
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    const job = new Job(nextId++, res);
    current = job;
    res.on('close', () => job.end());
    const { policy, baseline, settings } = pair;
    const R = settings.replicates;
    const seeds = replicateSeeds(baseline, R);
    // Over the posterior: replicate k of each arm runs particle draw ⌊k/m⌋ (keyed on the run's seed, as `run --posterior`).
    const pr: PosteriorRun | undefined = settings.posterior && post ? { posterior: post, seedsPerParticle, seed: baseline.seed } : undefined;
    const drawn = pr ? Array.from({ length: R }, (_, k) => replicateParticle(pr, k)) : undefined;
    const armScenarios = (s: Scenario): Scenario[] | undefined => (pr && drawn ? drawn.map((j) => particleScenario(pr.posterior, j, s)) : undefined);
    const perReplicate = [armScenarios(policy), armScenarios(baseline)];
    const years = Array.from({ length: baseline.years }, (_, i) => baseline.startYear + i);
    job.event('start', {
      runId: job.id, cancelledPrevious: !!previous, replicates: R, seeds, years, startYear: baseline.startYear, burnIn: baseline.burnIn,
      firstYear: baseline.startYear - baseline.burnIn, reformYear: settings.reformYear, settings, arms: ['policy', 'baseline'], threads,
      ...(pr && drawn ? { posterior: { file: cfg.posterior && (cfg.posterior as { file: string }).file, seedsPerParticle, particles: drawn.map((j) => post!.particles[j]!.particle) } } : {}),
    });
    const t0 = performance.now();
    // Split each arm's replicates into groups run in lockstep, enough groups to use the threads.
    const groupsPerArm = Math.max(1, Math.min(R, Math.floor(threads / 2)));
    const tasks: { arm: number; replicates: number[] }[] = [];
    for (let arm = 0; arm < 2; arm++) {
      for (let g = 0; g < groupsPerArm; g++) {
        const reps = Array.from({ length: R }, (_, k) => k).filter((k) => k % groupsPerArm === g);
        if (reps.length) tasks.push({ arm, replicates: reps });
      }
    }
    const lastProgress = [-Infinity, -Infinity];
    try {
      await Promise.all(
        tasks.map(async (t) => {
          const { port1, port2 } = new MessageChannel();
          const ended = new Promise<void>((resolve) => {
            port1.on('message', (m: WorkerMessage) => {
              if (m.type === 'year') job.event('year', m);
              else if (m.type === 'progress') {
                if (m.year > lastProgress[m.arm]!) {
                  lastProgress[m.arm] = m.year;
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
      job.end('done', { seconds: (performance.now() - t0) / 1000 });
    } catch (e) {
      if (job.finished) return; // cancelled: the stream was told already (or the page went away)
      const err = e as Error;
      job.end('error', { message: err?.message ?? String(e) });
    }
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
      if (req.method === 'GET' && p === '/api/config') return send(res, 200, 'application/json; charset=utf-8', cfgJson);
      if (req.method === 'GET' && p === '/assets/echarts.min.js') return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(echartsFile()), { 'Cache-Control': 'max-age=3600' });
      if (req.method === 'GET' && p.startsWith('/assets/') && MODULES.has(p.slice('/assets/'.length))) {
        return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(moduleFile(p.slice('/assets/'.length))).toString('utf8').replace(/\n\/\/# sourceMappingURL=.*$/, '\n'));
      }
      if (req.method === 'POST' && p === '/api/run') return void run(req, res).catch(fail);
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
  return {
    url: `http://${shownHost}:${addr.port}/`,
    posterior: (cfg.posterior as { file: string } | null)?.file,
    server,
    async close() {
      current?.end('cancelled', { reason: 'the server is stopping' });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await closed;
      await pool?.destroy();
    },
  };
}
