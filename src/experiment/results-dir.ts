/**
 * A results directory written all or nothing (DESIGN.md): files go to a
 * hidden partial directory beside the target, which is renamed into place
 * only when everything is written. An existing result is never replaced
 * without `force`; a failed run leaves nothing behind.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { inputError } from '../scenario/errors.js';

export class ResultsDir {
  readonly partial: string;
  private done = false;

  private constructor(readonly target: string, private readonly force: boolean) {
    this.partial = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}`);
  }

  /** Checks that `target` may be written and opens the partial directory. */
  static open(target: string, force: boolean): ResultsDir {
    const abs = path.resolve(target);
    if (existsSync(abs) && !force) {
      throw inputError('--out', target, 'a directory that does not exist yet; add --force to replace the earlier result');
    }
    const d = new ResultsDir(abs, force);
    rmSync(d.partial, { recursive: true, force: true });
    mkdirSync(d.partial, { recursive: true });
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
    if (existsSync(this.target)) {
      if (!this.force) throw inputError('--out', this.target, 'a directory that does not exist yet; add --force to replace the earlier result');
      const old = `${this.partial}.old`;
      renameSync(this.target, old);
      renameSync(this.partial, this.target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(this.partial, this.target);
    }
    this.done = true;
  }

  /** Removes the partial directory (after a failure). */
  abandon(): void {
    if (!this.done) rmSync(this.partial, { recursive: true, force: true });
  }
}
