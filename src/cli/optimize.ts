/** `cadreflow optimize`: a multi-objective search of the levers (NSGA-II) on common random numbers; checkpointed and resumable. */
import path from 'node:path';
import { InputError } from '../scenario/errors.js';
import { defaultThreads } from '../experiment/pool.js';
import { loadOptimize, leverCell, type OptimizePlan } from '../analysis/optimize-plan.js';
import { runOptimize, type OptimizeOutcome } from '../analysis/optimize.js';
import { displayNumber } from '../report/ci.js';
import { intOption, resumeHint } from './options.js';
import { interruptible, progress, type Progress } from './progress.js';

export interface OptimizeCliOptions {
  threads?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  set?: string[];
  quiet?: boolean;
  budget?: string;
  replicates?: string;
}

/** The front as a table: evaluation, levers, each objective's mean [95% CI]. */
export function frontTable(plan: OptimizePlan, res: OptimizeOutcome, limit = 30): string {
  const header = ['#', ...plan.levers.map((l) => l.path), ...plan.objectives.map((m) => `${m.name} (${m.goal})`), ...plan.constraints.map((m) => m.name)];
  const rows = [...res.front].sort((a, b) => a.f[0]! - b.f[0]!).slice(0, limit);
  const body = rows.map((e) => [
    String(e.evaluation),
    ...plan.levers.map((l, i) => {
      const c = leverCell(l, e.x[i]!);
      return typeof c === 'number' ? displayNumber(c, 4) : String(c);
    }),
    ...e.objectives.map((c) => `${displayNumber(c.mean, 4)} [${displayNumber(c.low, 3)}, ${displayNumber(c.high, 3)}]`),
    ...e.constraints.map((v) => displayNumber(v, 4)),
  ]);
  for (const r of res.references) {
    body.push([
      path.basename(r.file, '.json'), ...plan.levers.map(() => ''),
      ...r.objectives.map((c) => `${displayNumber(c.mean, 4)} [${displayNumber(c.low, 3)}, ${displayNumber(c.high, 3)}]`),
      ...r.constraints.map((v) => displayNumber(v, 4)),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const sep = widths.map((w) => '─'.repeat(w)).join('  ');
  const lines = [line(header), sep, ...body.slice(0, rows.length).map(line)];
  if (res.references.length) lines.push(sep, ...body.slice(rows.length).map(line));
  return lines.join('\n');
}

export async function optimizeCommand(file: string, o: OptimizeCliOptions): Promise<void> {
  const threads = intOption('--threads', o.threads, 1, 1024) ?? defaultThreads();
  const budget = intOption('--budget', o.budget, 2, 1_000_000);
  const replicates = intOption('--replicates', o.replicates, 1, 1000);
  let plan: OptimizePlan;
  try {
    plan = loadOptimize(file, o.set ?? [], { budget, replicates });
  } catch (e) {
    throw e instanceof InputError && !e.file ? e.withFile(file) : e;
  }
  const out = o.out ?? path.join('results', `optimize-${plan.opt.name}`);
  const { stop, release } = interruptible();
  let bar: Progress | undefined;
  const t0 = performance.now();
  try {
    const res = await runOptimize(plan, {
      out, threads, resume: !!o.resume, force: !!o.force, stop,
      onGeneration: (t, candidates, runs) => {
        bar?.stop();
        bar = progress(runs, t === 0 ? `${plan.opt.name}: references (${candidates})` : `${plan.opt.name}: generation ${t} (${candidates} candidates)`, 'runs', o.quiet);
      },
      onRun: () => bar?.tick(),
    });
    bar?.stop();
    const secs = (performance.now() - t0) / 1000;
    if (res.interrupted) {
      process.stderr.write(`stopped after ${res.evaluations.length} of ${plan.opt.budget} candidates; continue with: ${resumeHint('optimize', file, [['--out', o.out], ['--budget', o.budget], ['--replicates', o.replicates]], o.set)}\n`);
      process.exitCode = 130;
      return;
    }
    const where = path.relative(process.cwd(), path.resolve(out)) || '.';
    const feasible = res.evaluations.filter((e) => e.violation === 0).length;
    if (!res.front.length) process.stderr.write(`cadreflow: warning: none of the ${res.evaluations.length} candidates meets the constraints, so the front (pareto.csv) is empty; loosen the constraints or widen the levers' ranges\n`);
    if (!o.quiet) {
      const resumed = res.resumedGenerations ? ` (${res.resumedGenerations} from earlier runs)` : '';
      const why = res.stop === 'exhausted' ? '; stopped: ten generations in a row proposed nothing new' : '';
      process.stdout.write(`${plan.opt.name}: NSGA-II, ${res.evaluations.length} candidates × ${plan.opt.replicates} replicates in ${res.generations} generations${resumed}${why}; ${feasible} feasible, ${res.front.length} on the front; ${secs.toFixed(1)} s on ${threads} thread(s); results in ${where}\n\n`);
      if (res.front.length || res.references.length) process.stdout.write(frontTable(plan, res) + '\n');
      if (res.front.length > 30) process.stdout.write(`… and ${res.front.length - 30} more front points (pareto.csv)\n`);
      for (const r of res.references) {
        process.stdout.write(`${r.file}: ${r.violation > 0 ? 'infeasible; ' : ''}${r.dominatedBy.length ? `dominated by ${r.dominatedBy.length} front point(s), e.g. evaluation ${r.dominatedBy[0]}` : 'not dominated by the front'}\n`);
      }
    }
  } finally {
    release();
  }
}
