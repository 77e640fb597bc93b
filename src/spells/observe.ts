/**
 * `cadreflow observe`: the model's metrics measured on career records (a
 * spells file, docs/SPELLS.md) in the years of a scenario, by the tally the
 * simulation uses (rebuild.ts). Bad records are problems with their line
 * numbers: an InputError, or, with skipBad, rejected (and their whole
 * careers with them) and listed.
 */
import type { Scenario } from '../scenario/schema.js';
import type { World } from '../world/world.js';
import { InputError, type InputProblem } from '../scenario/errors.js';
import { METRICS, metricNeeds } from '../metrics/definitions.js';
import type { Need } from '../metrics/tally.js';
import { checkCareers, checkPosts, groupCareers } from './check.js';
import { readSpells, type Problem, type ReadResult } from './read.js';
import { rebuild, YEARLY_NEEDS, type ObservedReplicate } from './rebuild.js';

/** Problems listed in an error message; the rest are counted. */
export const SHOWN_PROBLEMS = 20;

export interface ObserveResult {
  replicates: ObservedReplicate[];
  /** What the records give. */
  has: Need[];
  /** Metrics the records cannot give, with what they lack. */
  notMeasured: { metric: string; lacks: Need[] }[];
  /** Metrics that are left empty in the years where a yearly need is not met. */
  yearly: Record<(typeof YEARLY_NEEDS)[number], string[]>;
  /** Rows set aside (with skipBad), by line. */
  rejected: Problem[];
  /** Rows read (lines after the header that are not empty), people, rows used. */
  rowCount: number;
  people: number;
  used: number;
  /** The header of the file, for rejected.csv. */
  header: string[];
  /** Whether every spell names a post of the world (vacancies measured). */
  worldPosts: boolean;
}

export function observe(file: string, scenario: Scenario, world: World, opts: { skipBad?: boolean } = {}): ObserveResult {
  const read = readSpells(file, world);
  const { rows, people } = read;
  const nPeople = people.rep.length;
  let careers = groupCareers(rows, nPeople);
  let problems = [...read.problems, ...checkCareers(rows, careers, nPeople, world)];
  let keep: Uint8Array | undefined;
  const badPeople = new Set<number>();
  const reject = () => {
    for (const pr of problems) if (pr.person >= 0) badPeople.add(pr.person);
    keep = new Uint8Array(rows.n);
    for (let i = 0; i < rows.n; i++) keep[i] = badPeople.has(rows.person[i]!) ? 0 : 1;
  };
  if (opts.skipBad && problems.length) reject();
  const postProblems = checkPosts(rows, people, world, keep);
  problems = [...problems, ...postProblems];
  if (problems.length && !opts.skipBad) throw badRecords(file, problems);
  if (postProblems.length) reject();
  if (keep) careers = groupCareers(rows, nPeople, keep);
  // Rejected: every problem row, and the other rows of the people concerned.
  const rejected = [...problems];
  if (keep) {
    const listed = new Set(problems.map((p) => p.line));
    const firstBad = new Map<number, Problem>();
    for (const p of [...problems].sort((a, b) => a.line - b.line)) if (p.person >= 0 && !firstBad.has(p.person)) firstBad.set(p.person, p);
    for (let i = 0; i < rows.n; i++) {
      if (keep[i] || listed.has(rows.line[i]!)) continue;
      const why = firstBad.get(rows.person[i]!)!;
      rejected.push({ line: rows.line[i]!, reason: 'person_rejected', detail: `cadre ${people.name[rows.person[i]!]}: line ${why.line} is bad (${why.reason})`, person: rows.person[i]! });
    }
  }
  rejected.sort((a, b) => a.line - b.line || a.reason.localeCompare(b.reason));
  // Each line once (a row can have several problems: the first is listed).
  const seen = new Set<number>();
  const rejectedOnce = rejected.filter((p) => (seen.has(p.line) ? false : (seen.add(p.line), true)));

  const has = availability(read, careers.order, scenario);
  const needs = METRICS.map((m) => metricNeeds(m));
  const notMeasured = METRICS.map((m, j) => ({ metric: m.name, lacks: needs[j]!.filter((x) => !has.has(x)) })).filter((x) => x.lacks.length);
  const yearly = Object.fromEntries(YEARLY_NEEDS.map((y) => [y, METRICS.filter((m, j) => needs[j]!.includes(y) && needs[j]!.every((x) => has.has(x))).map((m) => m.name)])) as ObserveResult['yearly'];
  const replicates = rebuild({ rows, people, careers, world, scenario, has, needs });
  return {
    replicates, has: [...has].sort(), notMeasured, yearly, rejected: rejectedOnce, rowCount: read.rowCount, people: nPeople,
    used: careers.order.length, header: read.header, worldPosts: has.has('posts'),
  };
}

/** What the records give: the columns present, the posts of the world if every spell names one, history if start kinds are given, vacancy chains with both. */
function availability(read: ReadResult, used: Int32Array, scenario: Scenario): Set<Need> {
  const { columns: cols, rows } = read;
  let posts = cols.has('post') && used.length > 0;
  if (posts) for (const i of used) if (rows.post[i]! < 0 && !rows.isSecondment(i)) { posts = false; break; }
  const has = new Set<Need>();
  const either = (col: string, need: Need) => { if (cols.has(col) || posts) has.add(need); };
  either('rank', 'rank');
  either('region', 'region');
  either('system', 'system');
  either('domain', 'domain');
  either('leader', 'leader');
  either('team', 'team');
  either('key_post', 'key');
  if (cols.has('home')) has.add('home');
  if (cols.has('start_kind')) { has.add('start_kind'); has.add('history'); }
  if (cols.has('end_kind')) has.add('end_kind');
  if (posts) has.add('posts');
  // Vacancy chains are traced through the world's posts from the recruits (start kinds); push docking forms none.
  if (posts && cols.has('start_kind') && scenario.docking.mode !== 'push') has.add('chains');
  return has;
}

function badRecords(file: string, problems: Problem[]): InputError {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const shown: InputProblem[] = sorted.slice(0, SHOWN_PROBLEMS).map((p) => ({ path: `line ${p.line}`, allowed: p.detail, message: `line ${p.line}: ${p.detail} (${p.reason})` }));
  const lines = new Set(sorted.map((p) => p.line)).size;
  shown.push({
    path: '', allowed: '',
    message: `${lines} bad record${lines === 1 ? '' : 's'}${sorted.length > SHOWN_PROBLEMS ? ` (the first ${SHOWN_PROBLEMS} problems listed)` : ''}; nothing was written. --skip-bad sets them aside, with the rest of each person's career, in rejected.csv, and goes on`,
  });
  return new InputError(shown, file);
}
