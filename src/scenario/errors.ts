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
  /**
   * What went wrong as a code with its numbers (e.g. "max" with { max: 40 }), for a caller that words
   * the problem itself in another language (the workshop page); `allowed` stays the English words.
   */
  code?: string;
  params?: Record<string, unknown>;
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

/** Values longer than this are shortened in messages. */
const SHOWN = 80;

/**
 * A value as a message shows it: JSON, and a long one (a description, a list)
 * cut after a word, a comma or a closing bracket, with an ellipsis — never in
 * the middle of a word or number.
 */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  const s = JSON.stringify(value);
  if (s === undefined) return String(value);
  if (s.length <= SHOWN) return s;
  const head = s.slice(0, SHOWN - 1);
  // The last boundary: after a space, a comma or a closing bracket, in the second half.
  let cut = -1;
  for (let i = head.length - 1; i >= SHOWN / 2; i--) {
    const c = head[i]!;
    if (c === ' ') { cut = i; break; }
    if (c === ',' || c === ')' || c === ']' || c === '}') { cut = i + 1; break; }
  }
  return `${head.slice(0, cut > 0 ? cut : head.length).replace(/[\s,]+$/, '')}…`;
}

export function formatProblems(problems: InputProblem[], file?: string): string {
  return problems
    .map((p) => `${p.file ?? file ?? '<input>'}: ${p.message ?? `${p.path || '(top level)'}: ${show(p.value)}: ${p.allowed}`}`)
    .join('\n');
}

export function inputError(path: string, value: unknown, allowed: string): InputError {
  return new InputError([{ path, value, allowed }]);
}
