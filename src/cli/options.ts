/** Parsing of numeric command-line options into InputErrors (exit code 2) rather than crashes. */
import { inputError } from '../scenario/errors.js';
import { shq } from '../experiment/slurm.js';

export function intOption(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  // Plain decimal digits only: Number() would also take "0x10", "1e1" and " 8 ".
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw inputError(flag, value, `an integer from ${min} to ${max}`);
  return n;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The options that `run` and `compare` share, as --set overrides of the scenario(s), and the thread count. */
export interface ScenarioOptions {
  set?: string[];
  replicates?: string;
  seed?: string;
  years?: string;
  threads?: string;
}

export function scenarioSets(o: ScenarioOptions, defaultThreads: () => number): { sets: string[]; threads: number } {
  const sets = [...(o.set ?? [])];
  const reps = intOption('--replicates', o.replicates, 1, 100000);
  const seed = intOption('--seed', o.seed, 0, 4294967295);
  const years = intOption('--years', o.years, 1, 200);
  const threads = intOption('--threads', o.threads, 1, 1024) ?? defaultThreads();
  if (reps !== undefined) sets.push(`replicates=${reps}`);
  if (seed !== undefined) sets.push(`seed=${seed}`);
  if (years !== undefined) sets.push(`years=${years}`);
  return { sets, threads };
}

/**
 * The command that continues an interrupted job: the command, its file, --resume
 * and every option that the job's identity depends on (the --set options among
 * them), each word quoted for the shell.
 */
export function resumeHint(command: string, file: string, options: [string, string | undefined][], sets: string[] = []): string {
  const words = ['cadreflow', command, file, '--resume'];
  for (const [flag, value] of options) if (value !== undefined) words.push(flag, value);
  for (const s of sets) words.push('--set', s);
  return words.map((w, i) => (i < 2 ? w : shq(w))).join(' ');
}
