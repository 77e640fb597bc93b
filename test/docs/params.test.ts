/**
 * docs/MODEL.md stays in step with the code: its parameter reference is the
 * one scripts/gen-params.mjs generates from the compiled schema (the pretest
 * script builds dist/), and its prose names every metric column and every
 * policy lever.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { METRIC_NAMES } from '../../src/metrics/definitions.js';
import { parseScenario } from '../../src/scenario/load.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(new URL('../../docs/MODEL.md', import.meta.url), 'utf8');

/** The hand-written text, without the generated parameter tables. */
function prose(text: string): string {
  const a = text.indexOf('<!-- params:start -->');
  const b = text.indexOf('<!-- params:end -->');
  return a >= 0 && b > a ? text.slice(0, a) + text.slice(b) : text;
}

describe('docs/MODEL.md', () => {
  it('has the parameter reference generated from the current schema (gen-params --check)', () => {
    const res = spawnSync(process.execPath, ['scripts/gen-params.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(res.status, res.stderr + res.stdout).toBe(0);
  });

  it('defines every metric column', () => {
    const missing = METRIC_NAMES.filter((m) => !doc.includes(`\`${m}\``));
    expect(missing).toEqual([]);
  });

  it('describes every policy lever in its own text, not only in the generated tables', () => {
    const text = prose(doc);
    const missing = Object.keys(parseScenario({}).policy).filter((k) => !text.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
