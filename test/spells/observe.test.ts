/**
 * `cadreflow observe` on a researcher's records: metrics by hand on a tiny file without post
 * numbers (the metrics it cannot give left empty and listed), each kind of bad record reported
 * with its line number (exit code 2), and --skip-bad, which sets bad records aside in
 * rejected.csv with the rest of each person's career.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'dist', 'src', 'cli', 'main.js');
const scenario = path.join(root, 'scenarios', 'gansu-2008.json');
const sets = ['--set', 'world.scale=0.05', '--set', 'years=2'];
let tmp: string;

function cf(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, CADREFLOW_DEBUG: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function rows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path.join(tmp, file), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [cols[i]!, c])));
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error('build first: npm run build');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'cadreflow-observe-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('observe: a researcher’s records', () => {
  it('computes what the columns give, as the model would, and lists the rest', () => {
    // A: recruited 1990 in 城关区, promoted 2000 to 七里河区, transferred 2007 to 兰州市 (line system);
    // B: quits in 2006; C: recruited in 2006. No post numbers, flags or home: no vacancies, teams, key posts.
    writeFileSync(path.join(tmp, 'tiny.csv'), [
      'cadre,start_year,end_year,rank,region,system,domain,start_kind,end_kind,post_name',
      'A,1990,2000,0,620102,block,party,recruit,promotion,科员',
      'A,2000,2007,1,620103,block,economy,promotion,transfer,"副科长, 经济"',
      'A,2007,,1,620100,line,law,transfer,,科长',
      'B,1995,2006,0,620104,block,social,recruit,quit,',
      'C,2006,,0,620105,institution,urban,recruit,,',
      '',
    ].join('\n'));
    const r = cf(['observe', 'tiny.csv', '--scenario', scenario, ...sets, '--out', 'tiny', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const ts = rows(path.join('tiny', 'timeseries.csv'));
    expect(ts.map((x) => x.year)).toEqual(['2006', '2007']);
    const [y6, y7] = ts as [Record<string, string>, Record<string, string>];
    // 2006: A (6 years in post) and C (0); B quit, C recruited, of 2 at the start of the year.
    expect([y6.headcount, y6.mean_years_in_post, y6.quit_rate, y6.recruit_rate, y6.moves_per_100, y6.rank_share_0]).toEqual(['2', '3', '0.5', '0.5', '0', '0.5']);
    // 2007: A moves from a county to a prefecture, within rank, across systems, after 7 years.
    expect([y7.moves_per_100, y7.downward_share, y7.reverse_share, y7.fast_turnover_share, y7.ratio_within_cross_system, y7.ratio_horizontal_vertical]).toEqual(['50', '0', '0', '0', '0', '0']);
    expect([y7.mean_years_in_post, y7.skill_diversity, y7.cross_system_share, y7.promotion_rate, y7.years_to_promotion, y7.quit_rate]).toEqual(['0.5', '2', '0.5', '0', '', '0']);
    const m = JSON.parse(readFileSync(path.join(tmp, 'tiny', 'manifest.json'), 'utf8'));
    expect(m.worldPosts).toBe(false);
    const empty = m.notMeasured.map((x: { metric: string }) => x.metric);
    for (const x of ['vacancy_rate', 'hardship_vacancy_rate', 'team_stagnation_share', 'team_exchange_coverage', 'key_post_local_share', 'ratio_leader_nonleader', 'mean_ties', 'chain_length']) expect(empty).toContain(x);
    for (const x of ['stagnation_share', 'moves_per_100', 'exchange_coverage', 'skill_diversity', 'quit_rate']) expect(empty).not.toContain(x);
    expect(y7.vacancy_rate).toBe('');
    expect(r.err).toMatch(/vacancy_rate.*needs a post of the scenario’s world/);
    expect(r.err).toMatch(/team_stagnation_share.*needs the team column/);
  });
});

describe('observe: bad records', () => {
  const header = 'cadre,start_year,end_year,post,rank,region,start_kind,end_kind,birth_year';
  const lines = [
    header,
    'P1,2000,1999,,0,620102,recruit,,', // 2 end before start
    'P2,2000,,,0,999999,recruit,,', // 3 unknown region
    'P3,2000,,,7,620102,recruit,,', // 4 rank out of range
    'P4,2000,2005,,0,620102,recruit,transfer,', // 5 (P4's other row)
    'P4,2003,,,0,620103,transfer,,', // 6 two posts at once
    'P5,2000,,,0,620102,recruit,,', // 7 (P5's other row)
    'P5,1998,1999,,0,620103,secondment,return,', // 8 a secondment outside the posts held: in two places
    'P6,2000,,,0,620102,recruit,,1970', // 9 (P6's other row)
    'P6,2001,2002,,0,620103,secondment,return,1971', // 10 another birth year
    'P7,2000,,,0,620104,recruit,,', // 11 good
    'P8,2000,abc,,0,620104,recruit,,', // 12 bad value
    'P9,2000,,0,,,recruit,,', // 13 good: post 0 of the world
    'P10,2001,,0,,,recruit,,', // 14 post 0 is P9's
    'P11,2000,,,3,620102,recruit,,', // 15 rank 3 in a county
  ];
  const expected: [number, string][] = [
    [2, 'end_before_start'], [3, 'unknown_region'], [4, 'rank_out_of_range'], [5, 'person_rejected'], [6, 'two_posts_at_once'],
    [7, 'person_rejected'], [8, 'two_places_at_once'], [9, 'person_rejected'], [10, 'conflicting_person'], [12, 'bad_value'],
    [14, 'post_taken'], [15, 'rank_out_of_range'],
  ];

  it('are reported with their line numbers (exit code 2), and nothing is written', () => {
    writeFileSync(path.join(tmp, 'bad.csv'), lines.join('\n') + '\n');
    const r = cf(['observe', 'bad.csv', '--scenario', scenario, ...sets, '--out', 'bad']);
    expect(r.code).toBe(2);
    for (const [line, reason] of expected) if (reason !== 'person_rejected') expect(r.err).toMatch(new RegExp(`bad\\.csv: line ${line}: .*\\(${reason}\\)`));
    expect(r.err).toMatch(/bad\.csv: 9 bad records; nothing was written\. --skip-bad/);
    expect(r.err).not.toMatch(/line 11:|line 13:/);
    expect(existsSync(path.join(tmp, 'bad'))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('--skip-bad sets them aside in rejected.csv, with the rest of each career, and goes on', () => {
    const r = cf(['observe', 'bad.csv', '--scenario', scenario, ...sets, '--out', 'skipped', '--skip-bad', '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/12 rows set aside in rejected\.csv/);
    const text = readFileSync(path.join(tmp, 'skipped', 'rejected.csv'), 'utf8').trim().split('\n');
    expect(text[0]).toBe(`line,reason,detail,${header}`);
    const rej = text.slice(1).map((l) => l.split(','));
    expect(rej.map((c) => [Number(c[0]), c[1]])).toEqual(expected);
    // Each rejected row ends with the row as it was.
    text.slice(1).forEach((l) => expect(l.endsWith(lines[Number(l.split(',')[0]) - 1]!)).toBe(true));
    const m = JSON.parse(readFileSync(path.join(tmp, 'skipped', 'manifest.json'), 'utf8'));
    expect([m.rows, m.rowsUsed, m.rowsRejected]).toEqual([14, 2, 12]);
    const ts = rows(path.join('skipped', 'timeseries.csv'));
    expect(ts[0]!.headcount).toBe('2'); // P7 and P9
  });

  it('a header without cadre or start_year, and a missing file, are bad input', () => {
    writeFileSync(path.join(tmp, 'nohead.csv'), 'person,from\nA,2000\n');
    const r = cf(['observe', 'nohead.csv', '--scenario', scenario, ...sets, '--out', 'nohead']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing: cadre, start_year/);
    const r2 = cf(['observe', 'nope.csv', '--scenario', scenario, '--out', 'nope']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/an existing spells file/);
  });
});
