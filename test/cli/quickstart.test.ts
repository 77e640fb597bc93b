/**
 * The README's first steps work as written: `npm start`, then every line of the
 * Quick start (each run made small), and CadreFlow run from another directory
 * the two ways the README gives (a link as `npm link` makes it, and node with
 * the path of the built program).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
// Small runs: the lines' own options stay, these come last and win.
const SMALL = ['--set', 'world.scale=0.05', '--set', 'burnIn=2', '--years', '3', '--replicates', '1', '--threads', '1', '--quiet'];
let tmp: string;

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The shell lines of the first sh block after a heading. */
function block(heading: string): string[] {
  const at = readme.indexOf(`\n${heading}\n`);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  return m![1]!.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

const small = (line: string) => (/^npx cadreflow run /.test(line) ? `${line} ${SMALL.join(' ')}` : line);

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-quickstart-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('README quick start', () => {
  it('every line runs after npm start, and a line run again says how to go on', () => {
    const cwd = path.join(tmp, 'repo');
    mkdirSync(cwd);
    symlinkSync(path.join(root, 'scenarios'), path.join(cwd, 'scenarios'));
    const npx = (line: string) => line.replace(/^npx cadreflow /, `"${process.execPath}" "${bin}" `);
    const start = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start as string;
    expect(start).toMatch(/^node dist\/src\/cli\/main\.js run /);
    const s = sh(`${start.replace(/^node dist\/src\/cli\/main\.js /, `"${process.execPath}" "${bin}" `)} ${SMALL.join(' ')}`, cwd);
    expect(s.err).toBe('');
    expect(s.code).toBe(0);
    expect(existsSync(path.join(cwd, 'results', 'baseline', 'manifest.json'))).toBe(true);
    const lines = block('## Quick start');
    expect(lines.filter((l) => l.startsWith('npx cadreflow run ')).length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      const r = sh(npx(small(line)), cwd);
      expect(r.err, line).toBe('');
      expect(r.code, line).toBe(0);
    }
    // A line that writes a new directory, run a second time: refused, saying what to do.
    const again = lines.find((l) => / --out /.test(l) && !/ --force\b/.test(l))!;
    const out = / --out (\S+)/.exec(again)![1]!;
    const r = sh(npx(small(again)), cwd);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`command line: ${out} exists; use --force or --out`);
  });
});

describe('running from another directory (README)', () => {
  it('a linked cadreflow command and node with the path of main.js both run there', () => {
    expect(readme).toContain('npm link');
    expect(readme).toContain('node /path/to/cadreflow/dist/src/cli/main.js');
    // npm link: <prefix>/lib/node_modules/cadreflow → the repository, <prefix>/bin/cadreflow → its bin.
    const prefix = path.join(tmp, 'prefix');
    mkdirSync(path.join(prefix, 'lib', 'node_modules'), { recursive: true });
    mkdirSync(path.join(prefix, 'bin'));
    symlinkSync(root, path.join(prefix, 'lib', 'node_modules', 'cadreflow'));
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    symlinkSync(path.join('..', 'lib', 'node_modules', 'cadreflow', pkg.bin.cadreflow), path.join(prefix, 'bin', 'cadreflow'));
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const cwd = path.join(tmp, 'elsewhere');
    mkdirSync(cwd);
    const scenario = path.join(root, 'scenarios', 'baseline.json');
    const linked = sh(`"${process.execPath}" "${path.join(prefix, 'bin', 'cadreflow')}" run "${scenario}" ${SMALL.join(' ')}`, cwd);
    expect(linked.err).toBe('');
    expect(linked.code).toBe(0);
    expect(existsSync(path.join(cwd, 'results', 'baseline', 'report.html'))).toBe(true);
    const direct = sh(`"${process.execPath}" "${bin}" run "${scenario}" --out b2 ${SMALL.join(' ')}`, cwd);
    expect(direct.err).toBe('');
    expect(direct.code).toBe(0);
    const m = JSON.parse(readFileSync(path.join(cwd, 'b2', 'manifest.json'), 'utf8'));
    expect(m.version).toBe(pkg.version);
  });
});
