/** Parsing of numeric command-line options into InputErrors (exit code 2) rather than crashes. */
import { inputError } from '../scenario/errors.js';

export function intOption(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw inputError(flag, value, `an integer from ${min} to ${max}`);
  return n;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
