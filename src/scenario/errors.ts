/**
 * Bad input (docs/DESIGN.md: exit code 2, a message naming the file, the field
 * path, the value given and what is allowed; no stack trace).
 */
export interface InputProblem {
  /** Dotted field path, e.g. "policy.maxTenure"; "" for the whole file. */
  path: string;
  /** The value given (undefined when missing). */
  value?: unknown;
  /** What is allowed, in words. */
  allowed: string;
  /** The file, where problems of several files are reported together. */
  file?: string;
  /** A whole sentence that says it better than `path: value: allowed` (e.g. "results/x exists; use --force or --out"); printed after the file instead of them. */
  message?: string;
}

export class InputError extends Error {
  constructor(
    public readonly problems: InputProblem[],
    public file?: string,
  ) {
    super(formatProblems(problems, file));
    this.name = 'InputError';
  }
  withFile(file: string): InputError {
    return new InputError(this.problems, file);
  }
}

function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

export function formatProblems(problems: InputProblem[], file?: string): string {
  return problems
    .map((p) => `${p.file ?? file ?? '<input>'}: ${p.message ?? `${p.path || '(top level)'}: ${show(p.value)}: ${p.allowed}`}`)
    .join('\n');
}

export function inputError(path: string, value: unknown, allowed: string): InputError {
  return new InputError([{ path, value, allowed }]);
}
