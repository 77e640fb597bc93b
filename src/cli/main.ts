#!/usr/bin/env node
/**
 * The `cadreflow` command (docs/DESIGN.md "Command-line interface"). Thin: parse,
 * call the library, print. Exit codes: 0 success, 2 bad input (file, field,
 * value and what is allowed; no stack trace), 1 an internal error.
 */
import { Command, CommanderError } from 'commander';
import { formatProblems, InputError } from '../scenario/errors.js';
import { programVersion } from '../experiment/manifest.js';
import { workerKind } from '../experiment/pool.js';
import { collect } from './options.js';
import { runCommand } from './run.js';
import { compareCommand } from './compare.js';
import { validateFiles } from './validate.js';
import { sweepCommand } from './sweep.js';
import { mergeCommand } from './merge.js';
import { slurmCommand } from './slurm.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { calibrateCommand } from './calibrate.js';
import { sensitivityCommand } from './sensitivity.js';

const program = new Command();
program
  .name('cadreflow')
  .description('Agent-based simulation of cadre exchange (干部交流) under policy levers.')
  .version(programVersion())
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('run')
  .description('run replicates of a scenario and write a results directory')
  .argument('<scenario>', 'scenario JSON file')
  .option('--replicates <n>', 'replicates (default: the scenario’s)')
  .option('--seed <s>', 'scenario seed (default: the scenario’s)')
  .option('--years <y>', 'reported years (default: the scenario’s)')
  .option('--threads <t>', 'worker threads (default: the number of cores)')
  .option('--set <path=value>', 'override a scenario field, e.g. policy.maxTenure=8 (repeatable)', collect, [])
  .option('--out <dir>', 'results directory (default: results/<scenario name>)')
  .option('--events', 'also write events.csv, one row per move')
  .option('--spells', 'also write spells.csv, the career records: one row per cadre per post held (docs/SPELLS.md)')
  .option('--check', 'check every invariant of the model each year')
  .option('--precision <metric=h>', 'add replicates (doubling) until the 95% CI half-width of the metric in the last year is at most h, e.g. stagnation_share=0.005')
  .option('--max-replicates <m>', 'with --precision: stop at m replicates (default 200)')
  .option('--force', 'replace an existing results directory')
  .option('--quiet', 'no progress or table')
  .option('--posterior <file>', 'run over a posterior (an ABC-SMC calibration’s posterior-particles.csv): each group of replicates runs a particle drawn by weight, its values applied to the scenario')
  .option('--seeds-per-particle <m>', 'with --posterior: seeds each drawn particle runs on (default 2); replicates must be a multiple, at least 2m')
  .action(runCommand);

program
  .command('validate')
  .description('check scenario, sweep, calibration and sensitivity files without running them')
  .argument('<files...>', 'JSON files')
  .action(validateFiles);

program
  .command('compare')
  .description('run scenarios on the same replicate seeds and report paired differences against the first (compare.csv)')
  .argument('<scenarios...>', 'scenario JSON files; the first is the reference')
  .option('--replicates <n>', 'replicates (default: the first scenario’s)')
  .option('--seed <s>', 'seed of the replicate seeds (default: the first scenario’s)')
  .option('--years <y>', 'reported years, for every scenario (default: the scenarios’)')
  .option('--threads <t>', 'worker threads (default: the number of cores)')
  .option('--set <path=value>', 'override a field of every scenario, e.g. world.scale=0.1 (repeatable)', collect, [])
  .option('--out <dir>', 'results directory (default: results/compare-<name1>-vs-<name2>…)')
  .option('--at <years>', 'reported years to compare, comma-separated (default: the last)')
  .option('--precision <metric=h>', 'add replicates (doubling) until the 95% CI half-width of each paired difference of the metric in the last year is at most h')
  .option('--max-replicates <m>', 'with --precision: stop at m replicates (default 200)')
  .option('--force', 'replace an existing results directory')
  .option('--quiet', 'no progress or table')
  .option('--posterior <file>', 'run over a posterior: replicate k of every scenario runs the same particle of FILE, drawn by weight (and the same seed)')
  .option('--seeds-per-particle <m>', 'with --posterior: seeds each drawn particle runs on (default 2); replicates must be a multiple, at least 2m')
  .action(compareCommand);

program
  .command('sweep')
  .description('run a design of points × replicates (grid, lhs, random or list) on all cores; crash-safe and resumable')
  .argument('<sweep>', 'sweep JSON file')
  .option('--threads <t>', 'worker threads (default: the number of cores)')
  .option('--out <dir>', 'results directory (default: results/<sweep name>)')
  .option('--resume', 'continue an interrupted sweep in --out, running only what is missing')
  .option('--force', 'replace an existing results directory')
  .option('--shard <i/n>', 'run only shard i of n (points p with p mod n = i − 1), for cluster array jobs')
  .option('--set <path=value>', 'override a field of the base scenario (repeatable)', collect, [])
  .option('--precision <metric=h>', 'give each point the replicates it needs: add replicates (doubling, from the sweep’s replicates) until the 95% CI half-width of the metric in the last year is at most h')
  .option('--max-replicates <m>', 'with --precision: at most m replicates per point (default 200)')
  .option('--quiet', 'no progress')
  .option('--posterior <file>', 'run over a posterior: replicate k of every point runs the same particle of FILE, drawn by weight, its values applied to the point')
  .option('--seeds-per-particle <m>', 'with --posterior: seeds each drawn particle runs on (default 2); replicates must be a multiple, at least 2m')
  .action(sweepCommand);

program
  .command('merge')
  .description('join the shard directories of a sweep into one results directory')
  .argument('<dirs...>', 'shard directories')
  .option('--out <dir>', 'merged results directory', 'results/merged')
  .option('--force', 'replace an existing results directory')
  .option('--quiet', 'no summary line')
  .option('--no-report', 'do not write report.html and charts/')
  .action(mergeCommand);

program
  .command('slurm')
  .description('write a Slurm array job for a sweep (one shard per task, each resuming its shard) and a dependent merge job; --submit submits them')
  .argument('<sweep>', 'sweep JSON file')
  .option('--out <dir>', 'results directory; the scripts, logs and shards go in it too (default: results/<sweep name>)')
  .option('--tasks <n>', 'array tasks, one shard each (default: one per point, at most 1000)')
  .option('--partition <p>', 'Slurm partition')
  .option('--time <t>', 'time limit per task, e.g. 2:00:00 or 1-12:00:00')
  .option('--mem <m>', 'memory per task, e.g. 4G')
  .option('--cpus-per-task <c>', 'CPUs per task; each task runs that many threads')
  .option('--set <path=value>', 'override a field of the base scenario in every shard (repeatable)', collect, [])
  .option('--precision <metric=h>', 'every point adds replicates until the 95% CI half-width of the metric in its last year is at most h (several as a=h1,b=h2), as sweep --precision')
  .option('--max-replicates <m>', 'with --precision: at most m replicates per point (default 200)')
  .option('--posterior <file>', 'every shard runs over this posterior, as sweep --posterior')
  .option('--seeds-per-particle <m>', 'with --posterior: seeds each drawn particle runs on (default 2)')
  .option('--submit', 'submit both jobs with sbatch and print their ids')
  .action(slurmCommand);

program
  .command('observe')
  .description('the model’s metrics on career records: read a spells file (run --spells, or a researcher’s; docs/SPELLS.md) and write timeseries.csv for the years of a scenario')
  .argument('<spells>', 'spells CSV file')
  .requiredOption('--scenario <file>', 'scenario JSON file: the world (regions, posts) and the reported years')
  .option('--set <path=value>', 'override a scenario field, as for run (repeatable)', collect, [])
  .option('--out <dir>', 'results directory (default: results/observe-<file name>)')
  .option('--skip-bad', 'set bad records aside (with the rest of each person’s career) in rejected.csv and go on, instead of stopping with exit code 2')
  .option('--force', 'replace an existing results directory')
  .option('--quiet', 'no table')
  .action(async (file, o) => (await import('./observe.js')).observeCommand(file, o));

program
  .command('schema')
  .description('print the JSON Schema of scenario files (as in scenarios/schema.json)')
  .action(() => {
    process.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
  });

program
  .command('calibrate')
  .description('fit free parameters to observed targets: a search (nelder-mead: Latin-hypercube screening, then Nelder–Mead on common random numbers) or a posterior (abc-smc); checkpointed and resumable')
  .argument('<calibration>', 'calibration JSON file')
  .option('--threads <t>', 'worker threads (default: the number of cores)')
  .option('--out <dir>', 'results directory (default: results/calibrate-<name>)')
  .option('--resume', 'continue an interrupted calibration in --out (nelder-mead: from its history.csv; abc-smc: from its generations)')
  .option('--force', 'replace an existing results directory')
  .option('--budget <n>', 'nelder-mead: evaluations in all (default: the file’s method.budget)')
  .option('--replicates <n>', 'replicates per evaluation (default: the file’s)')
  .option('--set <path=value>', 'override a field of the base scenario (repeatable)', collect, [])
  .option('--quiet', 'no progress or table')
  .option('--slurm', 'abc-smc: write each generation as a Slurm array job, a merge and a job that goes on to the next generation')
  .option('--tasks <n>', 'with --slurm: array tasks per generation (default: one per particle, at most 1000)')
  .option('--cpus-per-task <c>', 'with --slurm: CPUs per task')
  .option('--time <t>', 'with --slurm: time limit per job, e.g. 2:00:00')
  .option('--mem <m>', 'with --slurm: memory per job, e.g. 4G')
  .option('--partition <p>', 'with --slurm: Slurm partition')
  .option('--submit', 'with --slurm: submit the jobs with sbatch and print their ids')
  .action(calibrateCommand);

program
  .command('sensitivity')
  .description('global sensitivity analysis: Morris elementary effects or Sobol indices of chosen metrics; parallel and resumable like a sweep')
  .argument('<analysis>', 'sensitivity JSON file')
  .option('--method <m>', 'morris or sobol (default: the file’s method)')
  .option('--threads <t>', 'worker threads (default: the number of cores)')
  .option('--out <dir>', 'results directory (default: results/<name>-<method>)')
  .option('--resume', 'continue an interrupted analysis in --out, running only what is missing')
  .option('--force', 'replace an existing results directory')
  .option('--set <path=value>', 'override a field of the base scenario (repeatable)', collect, [])
  .option('--quiet', 'no progress or table')
  .action(sensitivityCommand);

program
  .command('optimize')
  .description('search the levers for the Pareto front of objectives under constraints (NSGA-II on common random numbers); checkpointed and resumable')
  .argument('<optimization>', 'optimization JSON file')
  .option('--threads <t>', 'worker threads (default: the number of cores)')
  .option('--out <dir>', 'results directory (default: results/optimize-<name>)')
  .option('--budget <n>', "candidates evaluated in all, instead of the file's budget (at least its population)")
  .option('--replicates <n>', "replicates per candidate, instead of the file's")
  .option('--resume', 'continue an interrupted optimization in --out from its generations (with the same --budget and --replicates)')
  .option('--force', 'replace an existing results directory')
  .option('--set <path=value>', 'override a field of the base scenario (repeatable)', collect, [])
  .option('--quiet', 'no progress or table')
  .action(async (file, o) => (await import('./optimize.js')).optimizeCommand(file, o));

// report and serve load the chart library only when used.
program
  .command('report')
  .description('write DIR/report.html (self-contained, printable) and DIR/charts/*.svg from a results directory of run, compare, sweep or sensitivity')
  .argument('<dir>', 'results directory')
  .option('--lang <l>', 'en or zh (default en)')
  .option('--metric <m>', 'sweeps: the metric of the heatmap and line charts (default stagnation_share)')
  .option('--x <param>', 'sweeps: the parameter on the heatmap’s x axis (default the first)')
  .option('--y <param>', 'sweeps: the parameter on the heatmap’s y axis (default the second)')
  .option('--zoom', 'the y axes of shares fit the data instead of starting at 0')
  .option('--quiet', 'no summary line')
  .action(async (dir, o) => (await import('./report.js')).reportCommand(dir, o));

program
  .command('serve')
  .description('the workshop page: levers, runs against the baseline streamed year by year, flows and a map (a local web server)')
  .option('--port <p>', 'port (default 8765; 0 for any free port)')
  .option('--host <h>', 'address to listen on (default 127.0.0.1, this computer only)')
  .option('--threads <t>', 'worker threads (default: the number of cores)')
  .option('--posterior <file>', 'the posterior the page may run over (default: scenarios/gansu-posterior.csv, if present)')
  .option('--no-posterior', 'offer no run over a posterior')
  .option('--seeds-per-particle <m>', 'seeds each drawn particle runs on, over the posterior (default 2)')
  .option('--max-cadre-years <n>', 'the largest run the page may start, in cadre-years: posts × (burn-in + years) × replicates × 2 arms (default 150000000, about five minutes on one core)')
  .action(async (o) => (await import('./serve.js')).serveCommand(o));

program
  .command('discover')
  .description('scenario discovery (PRIM): the boxes of lever and parameter ranges where a condition on a metric holds, from a finished sweep or optimize directory')
  .argument('<dir>', 'results directory of sweep, merge or optimize')
  .option('--where <condition>', 'the condition, METRIC OP NUMBER, e.g. "stagnation_share < 0.15" (repeatable: all must hold)', collect, [])
  .option('--year <y>', 'sweeps: the metric in this reported year (default the last)')
  .option('--window <from:to>', 'sweeps: the metric’s mean over these reported years')
  .option('--versus <point>', 'sweeps: the difference against this design point, replicate by replicate (3 or point=3)')
  .option('--cases <c>', 'sweeps: replicates (a case per run, default) or points (a case per point, the mean over its replicates)')
  .option('--posterior <file>', 'sweeps over a posterior: where the posterior file is now (its SHA-256 must be the manifest’s)')
  .option('--threshold <d>', 'the chosen step: the largest coverage with at least this density (default 0.8)')
  .option('--box-step <s>', 'choose step s of the peeling trajectory instead (for boxes 1, 2, …: s1,s2,…)')
  .option('--boxes <n>', 'boxes sought by covering (default 3)')
  .option('--alpha <a>', 'share peeled at each step (default 0.05)')
  .option('--paste-alpha <a>', 'share pasted at each step (default 0.05)')
  .option('--min-mass <m>', 'smallest share of the cases in a box (default 0.05)')
  .option('--no-paste', 'no pasting after peeling')
  .option('--out <dir>', 'output directory (default DIR/discover)')
  .option('--force', 'replace an existing output directory')
  .option('--quiet', 'no table')
  .action(async (dir, o) => (await import('./discover.js')).discoverCommand(dir, o));

async function main(): Promise<void> {
  try {
    // The kind of worker (CADREFLOW_WORKERS) is checked before any command writes anything.
    workerKind();
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof InputError) {
      // A problem that names no file is in the command's own arguments.
      process.stderr.write(`cadreflow: bad input\n${formatProblems(e.problems, e.file ?? 'command line')}\n`);
      process.exitCode = 2;
      return;
    }
    const err = e as Error;
    process.stderr.write(`cadreflow: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.CADREFLOW_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    process.exitCode = 1;
  }
}

await main();
