/**
 * Results directories (docs/DESIGN.md).
 *
 * ResultsDir, for a job that runs at once (run, compare): written all or
 * nothing — files go to a hidden partial directory beside the target, which
 * is renamed into place only when everything is written; a failed run leaves
 * nothing behind. resumableDir, for a job that checkpoints (sweep,
 * calibration, sensitivity analysis): written in place, so that --resume can
 * continue it; with --force over an earlier result it is written beside it
 * and replaces it only when complete.
 *
 * An existing result is never replaced without --force, and --force replaces
 * only an empty directory or one that CadreFlow wrote (checkReplaceable).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { InputError, inputError } from '../scenario/errors.js';

/** The refusal to write over an existing result, as the user reads it: "results/x exists; use --force or --out". */
export function existsError(shown: string, resumable?: string): InputError {
  const how = resumable ? `--resume continues this ${resumable}; --force starts it again` : '--force replaces it; --out DIR writes elsewhere';
  return new InputError([{ path: '--out', value: shown, allowed: `a directory that does not exist yet (${how})`, message: `${shown} exists; use --force or --out (${how})` }]);
}

/** What --force may replace: an empty directory or a results directory of CadreFlow, never the working directory or one of its parents. */
export function checkReplaceable(target: string, shown: string, option = '--out'): void {
  const abs = path.resolve(target);
  const up = path.relative(abs, process.cwd());
  if (up === '' || (!up.startsWith('..') && !path.isAbsolute(up))) {
    throw inputError(option, shown, 'a results directory other than the working directory and its parents (--force would delete it)');
  }
  if (!statSync(abs).isDirectory()) throw inputError(option, shown, 'a directory (this is a file, which --force does not replace)');
  const entries = readdirSync(abs);
  if (entries.length === 0 || entries.includes('manifest.json') || entries.includes('progress.json') || existsSync(path.join(abs, 'runs', 'progress.json'))) return;
  throw inputError(option, shown, 'a results directory written by CadreFlow (with manifest.json) or a new one; this directory holds other files, which --force does not delete');
}

/** Creates directory `dir` (and its parents); a path that cannot be one is the user's error, naming the option. */
export function makeDir(dir: string, shown: string, option = '--out'): void {
  if (existsSync(dir)) return;
  try {
    // Where the parent exists, a plain mkdir: Node's recursive one spins forever under /proc.
    mkdirSync(dir, { recursive: !existsSync(path.dirname(dir)) });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw inputError(option, shown, `a directory that can be created here (${err.message})`);
  }
}

/** Checks, creating nothing, that `abs` could be a directory: its nearest existing ancestor is one. */
function checkParent(abs: string, shown: string, option = '--out'): void {
  let p = path.dirname(abs);
  while (!existsSync(p) && path.dirname(p) !== p) p = path.dirname(p);
  if (!statSync(p).isDirectory()) throw inputError(option, shown, `a path whose parents are directories (${p} is a file)`);
}

/** Replaces `target` by the finished directory `from` (target may not exist). */
function replaceDir(target: string, from: string): void {
  if (existsSync(target)) {
    const old = `${from}.old`;
    rmSync(old, { recursive: true, force: true });
    renameSync(target, old);
    renameSync(from, target);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(from, target);
  }
}

export interface Resumable {
  /** Where the job writes. */
  dir: string;
  /** Whether `dir` holds an earlier, interrupted run of a job to continue (--resume). */
  resuming: boolean;
  /** Puts the complete result in place (after a forced replacement: replaces the earlier result). */
  commit(): void;
}

/**
 * The directory of a checkpointed job for `--out out`: new, the directory
 * itself; with --resume, the directory (or, after an interrupted forced
 * replacement, the staging directory beside it); with --force over an earlier
 * result, a staging directory `.NAME.replacing` beside it, which replaces it
 * on commit — the earlier result stays whole until the new one is complete.
 */
export function resumableDir(out: string, o: { resume: boolean; force: boolean }, what: string): Resumable {
  if (o.resume && o.force) throw inputError('--force', 'with --resume', 'either --resume (continue) or --force (start again), not both');
  const target = path.resolve(out);
  checkParent(target, out);
  const staging = path.join(path.dirname(target), `.${path.basename(target)}.replacing`);
  const replace = () => replaceDir(target, staging);
  if (o.resume && existsSync(staging)) return { dir: staging, resuming: true, commit: replace };
  if (!existsSync(target)) {
    rmSync(staging, { recursive: true, force: true });
    return { dir: target, resuming: false, commit: () => {} };
  }
  if (o.resume) return { dir: target, resuming: true, commit: () => {} };
  if (!o.force) throw existsError(out, what);
  checkReplaceable(target, out);
  rmSync(staging, { recursive: true, force: true });
  return { dir: staging, resuming: false, commit: replace };
}

export class ResultsDir {
  readonly partial: string;
  private done = false;
  /** Ctrl-C or a TERM signal while the directory is open: remove the partial directory, then exit (130 / 143). */
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.abandon();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  private constructor(readonly target: string, private readonly force: boolean, private readonly shown: string) {
    this.partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
  }

  /** Checks that `target` may be written and opens the partial directory. */
  static open(target: string, force: boolean): ResultsDir {
    const abs = path.resolve(target);
    if (existsSync(abs)) {
      if (!force) throw existsError(target);
      checkReplaceable(abs, target);
    }
    const d = new ResultsDir(abs, force, target);
    checkParent(abs, target);
    rmSync(d.partial, { recursive: true, force: true });
    makeDir(d.partial, target);
    process.once('SIGINT', d.onSignal);
    process.once('SIGTERM', d.onSignal);
    return d;
  }

  file(name: string): string {
    return path.join(this.partial, name);
  }

  write(name: string, content: string): void {
    writeFileSync(this.file(name), content);
  }

  stream(name: string): WriteStream {
    return createWriteStream(this.file(name));
  }

  /** Moves the finished directory into place (replacing an earlier one only with force). */
  commit(): void {
    // Another command may have written the directory meanwhile.
    if (existsSync(this.target) && !this.force) throw existsError(this.shown);
    replaceDir(this.target, this.partial);
    this.done = true;
    this.release();
  }

  /** Removes the partial directory (after a failure). */
  abandon(): void {
    if (!this.done) rmSync(this.partial, { recursive: true, force: true });
    this.release();
  }

  private release(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
