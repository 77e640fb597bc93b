/**
 * Careers from spell rows (observe): each person's rows grouped and ordered,
 * and the checks that need a whole career or a whole post — two posts held at
 * once, a person in two places, rows of one person that disagree on who they
 * are, a post of the world held by two people at once.
 */
import type { World } from '../world/world.js';
import { OPEN, type People, type Problem, type SpellRows } from './read.js';

/** Each person's rows: order[first[p] … first[p + 1]), the spells in posts (nPost[p] of them) by start, end and line, then the secondments likewise. */
export interface Careers {
  first: Int32Array;
  order: Int32Array;
  nPost: Int32Array;
}

/** Groups the rows by person (a counting sort), leaving out rows with keep[i] = 0. */
export function groupCareers(rows: SpellRows, nPeople: number, keep?: Uint8Array): Careers {
  const first = new Int32Array(nPeople + 1);
  const nPost = new Int32Array(nPeople);
  for (let i = 0; i < rows.n; i++) {
    if (keep && !keep[i]) continue;
    const p = rows.person[i]!;
    first[p + 1]!++;
    if (!rows.isSecondment(i)) nPost[p]!++;
  }
  for (let p = 0; p < nPeople; p++) first[p + 1]! += first[p]!;
  const order = new Int32Array(first[nPeople]!);
  // Posts fill from the front of each person's range, secondments from the end of its posts.
  const nextPost = first.slice(0, nPeople);
  const nextSec = new Int32Array(nPeople);
  for (let p = 0; p < nPeople; p++) nextSec[p] = first[p]! + nPost[p]!;
  for (let i = 0; i < rows.n; i++) {
    if (keep && !keep[i]) continue;
    const p = rows.person[i]!;
    order[rows.isSecondment(i) ? nextSec[p]!++ : nextPost[p]!++] = i;
  }
  for (let p = 0; p < nPeople; p++) {
    sortSpells(rows, order, first[p]!, first[p]! + nPost[p]!);
    sortSpells(rows, order, first[p]! + nPost[p]!, first[p + 1]!);
  }
  return { first, order, nPost };
}

/** Insertion sort of order[a … b) by start, end, line (careers are short). */
function sortSpells(rows: SpellRows, order: Int32Array, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) {
    const x = order[i]!;
    let j = i - 1;
    while (j >= a && before(rows, x, order[j]!)) { order[j + 1] = order[j]!; j--; }
    order[j + 1] = x;
  }
}

function before(rows: SpellRows, x: number, y: number): boolean {
  const d = rows.start[x]! - rows.start[y]!;
  if (d !== 0) return d < 0;
  const e = rows.end[x]! - rows.end[y]!;
  if (e !== 0) return e < 0;
  return rows.line[x]! < rows.line[y]!;
}

const years = (rows: SpellRows, i: number): string => `${rows.start[i]}–${rows.end[i] === OPEN ? '' : rows.end[i]}`;

/** Problems of whole careers: two posts held at once, a person in two places, rows that disagree on the person. */
export function checkCareers(rows: SpellRows, c: Careers, nPeople: number, world: World): Problem[] {
  const out: Problem[] = [];
  for (let p = 0; p < nPeople; p++) {
    const a = c.first[p]!, b = c.first[p + 1]!, s = a + c.nPost[p]!;
    if (a === b) continue;
    const bad = (i: number, reason: Problem['reason'], detail: string) => out.push({ line: rows.line[i]!, reason, detail, person: p });
    // Who: birth year, sex and home agree wherever given.
    let birth = 0, sex = -1, home = -1, bi = -1, si = -1, hi = -1;
    for (let k = a; k < b; k++) {
      const i = c.order[k]!;
      const by = rows.birth[i]!, sx = rows.sex[i]!, hm = rows.home[i]!;
      if (by) {
        if (!birth) { birth = by; bi = i; } else if (by !== birth) bad(i, 'conflicting_person', `birth_year ${by}, but line ${rows.line[bi]} of the same person says ${birth}`);
      }
      if (sx >= 0) {
        if (sex < 0) { sex = sx; si = i; } else if (sx !== sex) bad(i, 'conflicting_person', `sex ${sx ? 'F' : 'M'}, but line ${rows.line[si]} of the same person says ${sex ? 'F' : 'M'}`);
      }
      if (hm >= 0) {
        if (home < 0) { home = hm; hi = i; } else if (hm !== home) bad(i, 'conflicting_person', `home ${world.code[hm]}, but line ${rows.line[hi]} of the same person says ${world.code[home]}`);
      }
    }
    // Posts: one at a time (a spell may begin in the year the last one ended: a move that year).
    // `last`: the earlier spell that ends last.
    for (let k = a + 1, last = c.order[a]!; k < s; k++) {
      const i = c.order[k]!;
      if (rows.start[i]! < rows.end[last]!) bad(i, 'two_posts_at_once', `the spell ${years(rows, i)} overlaps the spell ${years(rows, last)} of line ${rows.line[last]}`);
      if (rows.end[i]! > rows.end[last]!) last = i;
    }
    // Secondments: one at a time, each within one spell in a post (the post it keeps).
    for (let k = s, last = -1; k < b; k++) {
      const i = c.order[k]!;
      if (last >= 0 && rows.start[i]! < rows.end[last]!) { bad(i, 'two_places_at_once', `the secondment ${years(rows, i)} overlaps the secondment ${years(rows, last)} of line ${rows.line[last]}`); continue; }
      if (last < 0 || rows.end[i]! > rows.end[last]!) last = i;
      let within = -1;
      for (let m = a; m < s; m++) {
        const j = c.order[m]!;
        if (rows.start[j]! <= rows.start[i]! && rows.end[i]! <= rows.end[j]!) { within = j; break; }
      }
      if (within < 0) bad(i, 'two_places_at_once', `the secondment ${years(rows, i)} is not within one spell in a post (a secondment keeps the post)`);
      else if (rows.post[i]! >= 0 && rows.post[within]! >= 0 && rows.post[i] !== rows.post[within]) {
        bad(i, 'post_mismatch', `a secondment keeps its post: it names post ${rows.post[i]}, but the post held then is ${rows.post[within]} (line ${rows.line[within]})`);
      }
    }
  }
  return out;
}

/** Posts of the world held by two people of one replicate at once. */
export function checkPosts(rows: SpellRows, people: People, world: World, keep?: Uint8Array): Problem[] {
  const start = new Int32Array(world.nPosts + 1);
  const use = (i: number) => (!keep || keep[i]) && rows.post[i]! >= 0 && !rows.isSecondment(i);
  for (let i = 0; i < rows.n; i++) if (use(i)) start[rows.post[i]! + 1]!++;
  for (let q = 0; q < world.nPosts; q++) start[q + 1]! += start[q]!;
  const order = new Int32Array(start[world.nPosts]!);
  const next = start.slice(0, world.nPosts);
  for (let i = 0; i < rows.n; i++) if (use(i)) order[next[rows.post[i]!]!++] = i;
  const out: Problem[] = [];
  const rep = (i: number) => people.rep[rows.person[i]!]!;
  for (let q = 0; q < world.nPosts; q++) {
    const a = start[q]!, b = start[q + 1]!;
    if (b - a < 2) continue;
    const list = Array.from(order.subarray(a, b)).sort((x, y) => rep(x) - rep(y) || rows.start[x]! - rows.start[y]! || rows.end[x]! - rows.end[y]! || rows.line[x]! - rows.line[y]!);
    for (let k = 1, last = list[0]!; k < list.length; k++) {
      const i = list[k]!;
      if (rep(last) !== rep(i)) { last = i; continue; }
      if (rows.start[i]! < rows.end[last]!) {
        out.push({ line: rows.line[i]!, reason: 'post_taken', detail: `post ${q} in ${years(rows, i)} is held by cadre ${people.name[rows.person[last]!]} (line ${rows.line[last]}) in ${years(rows, last)}`, person: rows.person[i]! });
      }
      if (rows.end[i]! > rows.end[last]!) last = i;
    }
  }
  return out;
}
