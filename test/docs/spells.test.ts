/**
 * docs/SPELLS.md and the README stay in step with the spell format: every column, kind and
 * reason for a bad record is described, and the table of what each metric needs is the one
 * the code derives (metricNeeds).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { METRICS, metricNeeds } from '../../src/metrics/definitions.js';
import { KINDS, KIND_TEXT, SPELL_COLUMNS } from '../../src/spells/format.js';
import { REASON_TEXT } from '../../src/spells/read.js';

const doc = readFileSync(new URL('../../docs/SPELLS.md', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('docs/SPELLS.md', () => {
  it('describes every column, kind and reason as the code does', () => {
    // The tables' text is the code's, but for names put in code quotes in the docs.
    const plain = (s: string) => s.replace(/`/g, '');
    const rows = new Map([...doc.matchAll(/^\| `([a-z_]+)` \| (.*) \|$/gm)].map((m) => [m[1]!, plain(m[2]!)]));
    for (const c of SPELL_COLUMNS) expect(rows.get(c.name)?.replace(/ 城关区/, ''), c.name).toBe(c.text);
    for (const k of KINDS.filter(Boolean)) expect(rows.get(k), k).toBe(plain(KIND_TEXT[k]));
    for (const [r, text] of Object.entries(REASON_TEXT)) expect(rows.get(r), r).toBe(text);
  });

  it('has the table of what each metric needs, as metricNeeds gives it', () => {
    const at = doc.indexOf('## What each metric needs');
    const table = doc.slice(at, doc.indexOf('\n\n', doc.indexOf('| needs | metrics |', at) + 30));
    const documented = new Map<string, string>();
    for (const m of table.matchAll(/^\| ([a-z_, —]+) \| (.*) \|$/gm)) {
      for (const name of m[2]!.matchAll(/`([a-z0-9_]+)`/g)) documented.set(name[1]!, m[1] === '—' ? '' : m[1]!);
    }
    for (const m of METRICS) expect(documented.get(m.name), m.name).toBe(metricNeeds(m).join(', '));
  });
});

describe('README', () => {
  it('lists every column of spells.csv and links docs/SPELLS.md', () => {
    expect(readme).toContain('(docs/SPELLS.md)');
    const missing = SPELL_COLUMNS.filter((c) => !readme.includes(`\`${c.name}\``)).map((c) => c.name);
    expect(missing).toEqual([]);
  });
});
