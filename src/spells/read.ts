/**
 * Reading a spells file (docs/SPELLS.md) for `observe`: streamed in chunks and
 * parsed row by row into typed columns, so that a million spells take a few
 * tens of megabytes and no row is kept as text. A row that cannot be read, or
 * that contradicts the scenario's world, is a problem with its line number
 * (check.ts adds the problems of whole careers); nothing is dropped here.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { World } from '../world/world.js';
import { DOMAINS, F_HEAD, F_KEY, F_LEADER, F_TEAM, N_RANKS, SYSTEMS, topRank } from '../world/constants.js';
import { flagOf, isExitKind, K_INITIAL, K_NONE, K_RECRUIT, K_RETURN, K_SECONDMENT, kindOf, KINDS, sexOf } from './format.js';
import { inputError } from '../scenario/errors.js';

/** end_year of a spell still open. */
export const OPEN = 0x7fffffff;
/** Years a spell may name. */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 3000;

export type Reason =
  | 'bad_value' | 'end_before_start' | 'unknown_region' | 'rank_out_of_range' | 'unknown_post' | 'post_mismatch'
  | 'two_posts_at_once' | 'two_places_at_once' | 'conflicting_person' | 'post_taken' | 'person_rejected';

export const REASON_TEXT: Record<Reason, string> = {
  bad_value: 'a cell that cannot be read (a year, a kind, a name, a flag), or a required cell left empty',
  end_before_start: 'end_year before start_year',
  unknown_region: 'a region or home code that the scenario’s world does not have',
  rank_out_of_range: 'a rank outside 0–3, or above the top rank of the region’s level (counties stop at 2)',
  unknown_post: 'a post number outside the scenario’s world',
  post_mismatch: 'a post whose region, rank, system, domain or flags are not those the row gives',
  two_posts_at_once: 'two spells of one person in posts that overlap in time',
  two_places_at_once: 'a secondment outside the posts the person held, or two secondments at once',
  conflicting_person: 'rows of one person with different birth years, sexes or home regions',
  post_taken: 'two people in one post of the world at once',
  person_rejected: 'with --skip-bad: another row of the same person was bad, so the whole career is set aside',
};

export interface Problem {
  /** Line in the file (the header is line 1). */
  line: number;
  reason: Reason;
  detail: string;
  /** The person the row belongs to, -1 if it could not be told. */
  person: number;
}

/** The rows read, as columns (index = row). */
export class SpellRows {
  n = 0;
  line = new Int32Array(1024);
  person = new Int32Array(1024);
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  /** Post of the world, -1 if none given. */
  post = new Int32Array(1024);
  /** -1 unknown. */
  rank = new Int8Array(1024);
  region = new Int32Array(1024);
  system = new Int8Array(1024);
  domain = new Int8Array(1024);
  flags = new Uint8Array(1024);
  startKind = new Uint8Array(1024);
  endKind = new Uint8Array(1024);
  /** 0 unknown. */
  birth = new Int32Array(1024);
  /** 1 female, 0 male, -1 unknown. */
  sex = new Int8Array(1024);
  /** -1 unknown. */
  home = new Int32Array(1024);

  add(): number {
    if (this.n === this.line.length) this.grow();
    return this.n++;
  }

  private grow(): void {
    const cap = this.line.length * 2;
    const g = <T extends Int32Array | Int8Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (len: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.line = g(this.line); this.person = g(this.person); this.start = g(this.start); this.end = g(this.end); this.post = g(this.post);
    this.rank = g(this.rank); this.region = g(this.region); this.system = g(this.system); this.domain = g(this.domain); this.flags = g(this.flags);
    this.startKind = g(this.startKind); this.endKind = g(this.endKind); this.birth = g(this.birth); this.sex = g(this.sex); this.home = g(this.home);
  }

  isSecondment(i: number): boolean {
    return this.startKind[i] === K_SECONDMENT;
  }
}

/** The people of the file: replicate and name of each (person = index). */
export interface People {
  rep: number[];
  name: string[];
}

export interface ReadResult {
  header: string[];
  /** Columns of the spell format present in the header. */
  columns: Set<string>;
  rows: SpellRows;
  people: People;
  problems: Problem[];
  /** Lines read (the header included) and rows (non-empty lines after the header). */
  lines: number;
  rowCount: number;
}

/** Calls `f` on each line (without its end of line) and its number, 1 for the first; reads the file in 1 MB chunks. */
export function forEachLine(file: string, f: (line: string, no: number) => void): number {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  const dec = new StringDecoder('utf8');
  let rest = '';
  let no = 0;
  try {
    for (;;) {
      const m = readSync(fd, buf, 0, buf.length, null);
      const text = m > 0 ? rest + dec.write(buf.subarray(0, m)) : rest + dec.end();
      let from = 0;
      for (let j; (j = text.indexOf('\n', from)) >= 0; from = j + 1) {
        const end = j > from && text.charCodeAt(j - 1) === 13 ? j - 1 : j;
        f(no === 0 ? stripBom(text.slice(from, end)) : text.slice(from, end), ++no);
      }
      rest = text.slice(from);
      if (m <= 0) break;
    }
    if (rest.length) f(no === 0 ? stripBom(rest.replace(/\r$/, '')) : rest.replace(/\r$/, ''), ++no);
  } finally {
    closeSync(fd);
  }
  return no;
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** The cells of a CSV line (RFC 4180 quoting within the line); null if its quotes do not close. */
export function splitLine(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let s = '';
      i++;
      for (;;) {
        const j = line.indexOf('"', i);
        if (j < 0) return null;
        s += line.slice(i, j);
        if (line.charCodeAt(j + 1) === 34) { s += '"'; i = j + 2; continue; }
        i = j + 1;
        break;
      }
      out.push(s);
      if (i >= n) return out;
      if (line.charCodeAt(i) !== 44) return null;
      i++;
    } else {
      const j = line.indexOf(',', i);
      if (j < 0) { out.push(line.slice(i)); return out; }
      out.push(line.slice(i, j));
      i = j + 1;
    }
  }
}

/** A whole number written as digits (an optional sign, surrounding spaces allowed); NaN otherwise. */
export function intCell(s: string): number {
  const n = s.length;
  if (n === 0 || n > 12) return n > 12 ? intCell(s.trim()) : NaN;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45) { neg = true; i = 1; } else if (c0 === 43) i = 1;
  if (i === n) return NaN;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return s.trim() !== s ? intCell(s.trim()) : NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** A name that is a whole number below 2^24 written without leading zeros, as that number; -1 otherwise. */
function smallId(s: string): number {
  const n = s.length;
  if (n === 0 || n > 8 || (n > 1 && s.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v < 1 << 24 ? v : -1;
}

const SYSTEM_OF = new Map<string, number>(SYSTEMS.map((x, i) => [x, i]));
const DOMAIN_OF = new Map<string, number>(DOMAINS.map((x, i) => [x, i]));
const nameIndex = (m: Map<string, number>, cell: string): number => m.get(cell) ?? m.get(cell.trim().toLowerCase()) ?? -1;

/** A list of names to find cells in: by length (< 32), first and last character, the one name (-1 none; the lists have no two alike). */
class Vocabulary {
  readonly byShape = new Int8Array(1 << 15).fill(-1);
  readonly empty: number;
  constructor(readonly names: readonly string[]) {
    this.empty = names.indexOf('');
    names.forEach((nm, k) => {
      if (!nm.length || nm.length >= 32) return;
      const at = shape(nm.length, nm.charCodeAt(0), nm.charCodeAt(nm.length - 1));
      if (this.byShape[at] !== -1) throw new Error(`two names of length ${nm.length} begin with ${nm[0]} and end with ${nm[nm.length - 1]}`);
      this.byShape[at] = k;
    });
  }
}
function shape(n: number, first: number, last: number): number {
  return (n << 10) | ((first & 31) << 5) | (last & 31);
}
const V_KINDS = new Vocabulary(KINDS);
const V_SYSTEMS = new Vocabulary(SYSTEMS);
const V_DOMAINS = new Vocabulary(DOMAINS);

/**
 * The cells of one line, read in place: their bounds are found once, and a number, a name of a
 * vocabulary or a flag is read from the characters without making a string of the cell (a
 * million rows of 19 cells would otherwise make 19 million strings). A line with quotes is
 * split into strings (splitLine) and read from those.
 */
class Cells {
  private line = '';
  /** Start of cell i at from[i]; it ends one before from[i + 1]. */
  private from = new Int32Array(64);
  private quoted: string[] | null = null;
  count = 0;
  /** Region codes that are whole numbers, by number; all codes by text. */
  private readonly regionByNumber = new Map<number, number>();
  private readonly regionByCode: Map<string, number>;

  constructor(world: World) {
    this.regionByCode = new Map(world.code.map((c, i) => [c, i]));
    world.code.forEach((c, i) => { if (/^[1-9]\d{0,14}$/.test(c)) this.regionByNumber.set(Number(c), i); });
  }

  /** Reads a line; false if its quotes do not close. */
  set(line: string): boolean {
    this.line = line;
    if (line.indexOf('"') >= 0) {
      this.quoted = splitLine(line);
      this.count = this.quoted ? this.quoted.length : 0;
      return this.quoted !== null;
    }
    this.quoted = null;
    let k = 0;
    let from = this.from;
    from[k++] = 0;
    for (let i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
      if (k + 1 >= from.length) { const f = new Int32Array(from.length * 2); f.set(from); this.from = from = f; }
      from[k++] = i + 1;
    }
    from[k] = line.length + 1;
    this.count = k;
    return true;
  }

  str(i: number): string {
    return this.quoted ? this.quoted[i]! : this.line.slice(this.from[i]!, this.from[i + 1]! - 1);
  }

  empty(i: number): boolean {
    return this.quoted ? this.quoted[i]!.length === 0 : this.from[i + 1]! - 1 === this.from[i]!;
  }

  /** The cell as a quoted value for a message. */
  shown(i: number): string {
    return show(this.str(i));
  }

  /** A whole number (intCell); NaN if it is none. */
  int(i: number): number {
    if (this.quoted) return intCell(this.quoted[i]!);
    const line = this.line;
    const a = this.from[i]!, b = this.from[i + 1]! - 1;
    if (b === a || b - a > 12) return intCell(this.str(i));
    let j = a, neg = false;
    const c0 = line.charCodeAt(a);
    if (c0 === 45) { neg = true; j++; } else if (c0 === 43) j++;
    if (j === b) return NaN;
    let v = 0;
    for (; j < b; j++) {
      const d = line.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return intCell(this.str(i));
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  /** The cell as a small whole number written without leading zeros (a cadre number), else -1 (smallId). */
  smallId(i: number): number {
    if (this.quoted) return smallId(this.quoted[i]!);
    const line = this.line;
    const a = this.from[i]!, b = this.from[i + 1]! - 1;
    const n = b - a;
    if (n === 0 || n > 8 || (n > 1 && line.charCodeAt(a) === 48)) return -1;
    let v = 0;
    for (let j = a; j < b; j++) {
      const d = line.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v < 1 << 24 ? v : -1;
  }

  /** The index of the cell's text in `v.names` if it is one of them exactly, else what `other` makes of the text (-1: none). */
  name(i: number, v: Vocabulary, other: (text: string) => number): number {
    if (!this.quoted) {
      const line = this.line;
      const a = this.from[i]!, n = this.from[i + 1]! - 1 - a;
      const k = n === 0 ? v.empty : n < 32 ? v.byShape[shape(n, line.charCodeAt(a), line.charCodeAt(a + n - 1))]! : -1;
      if (k >= 0) {
        const nm = v.names[k]!;
        let j = 1;
        while (j < n && line.charCodeAt(a + j) === nm.charCodeAt(j)) j++;
        if (j >= n) return k;
      }
    }
    return other(this.str(i));
  }

  /** A flag: 1, 0 (empty too), or -1 if unreadable (flagOf). */
  flag(i: number): number {
    if (!this.quoted) {
      const a = this.from[i]!, n = this.from[i + 1]! - 1 - a;
      const c = this.line.charCodeAt(a);
      if (n === 0) return 0;
      if (n === 4 && c === 84 && this.line.startsWith('TRUE', a)) return 1;
      if (n === 5 && c === 70 && this.line.startsWith('FALSE', a)) return 0;
    }
    const v = flagOf(this.str(i));
    return v === undefined ? -1 : v ? 1 : 0;
  }

  /** Sex: 1 female, 0 male, -1 empty, -2 unreadable (sexOf). */
  sex(i: number): number {
    if (!this.quoted && this.from[i + 1]! - 1 - this.from[i]! === 1) {
      const c = this.line.charCodeAt(this.from[i]!);
      if (c === 77) return 0;
      if (c === 70) return 1;
    }
    return sexOf(this.str(i)) ?? -2;
  }

  /** The region whose code the cell is, -1 if none. */
  region(i: number): number {
    if (!this.quoted) {
      const a = this.from[i]!, n = this.from[i + 1]! - 1 - a;
      if (n > 0 && n <= 15 && this.line.charCodeAt(a) !== 48) {
        const v = this.int(i);
        if (v > 0) {
          const g = this.regionByNumber.get(v);
          if (g !== undefined && this.line.charCodeAt(a) !== 43) return g;
        }
      }
    }
    const t = this.str(i);
    return this.regionByCode.get(t) ?? this.regionByCode.get(t.trim()) ?? -1;
  }
}

/** Column indexes of the format's columns in the file (-1: absent). */
interface Cols {
  replicate: number; cadre: number; start_year: number; end_year: number; post: number; rank: number; region: number; level: number;
  system: number; domain: number; leader: number; team: number; key_post: number; head: number; start_kind: number; end_kind: number;
  birth_year: number; sex: number; home: number;
}

/**
 * Reads the spells file against the world: every row that can be read goes into the columns,
 * every row that cannot — or that names a region, rank or post the world does not have — is a
 * problem. Throws an InputError (exit code 2) if the header lacks a required column.
 */
export function readSpells(file: string, world: World): ReadResult {
  const rows = new SpellRows();
  const people: People = { rep: [], name: [] };
  const problems: Problem[] = [];
  const byRep = new Map<number, Map<string, number>>();
  // People named by small whole numbers (the model's cadre numbers) are found in a table by number.
  const tables = new Map<number, Int32Array>();
  let lastRep = -1;
  let table: Int32Array = new Int32Array(0);
  let header: string[] = [];
  let cols: Cols | undefined;
  let width = 0;
  let rowCount = 0;
  /** The person named in cell `col` of the row in x (k: the name as a small whole number, or -1). */
  const personOf = (rep: number, k: number, col: number): number => {
    if (k >= 0) {
      if (rep !== lastRep) {
        table = tables.get(rep) ?? new Int32Array(0);
        lastRep = rep;
      }
      if (k >= table.length) {
        const t = new Int32Array(Math.max(1024, k + 1, 2 * table.length)).fill(-1);
        t.set(table);
        tables.set(rep, (table = t));
      }
      let p = table[k]!;
      if (p < 0) {
        p = table[k] = people.rep.length;
        people.rep.push(rep);
        people.name.push(x.str(col));
      }
      return p;
    }
    const name = x.str(col);
    let m = byRep.get(rep);
    if (!m) byRep.set(rep, (m = new Map()));
    let p = m.get(name);
    if (p === undefined) {
      p = people.rep.length;
      m.set(name, p);
      people.rep.push(rep);
      people.name.push(name);
    }
    return p;
  };
  const x = new Cells(world);
  const bad = (line: number, person: number, reason: Reason, detail: string): void => { problems.push({ line, reason, detail, person }); };
  let flagCols: (readonly [number, number, string])[] = [];
  const lines = forEachLine(file, (text, no) => {
    if (!cols) {
      header = (splitLine(text) ?? []).map((h) => h.trim());
      cols = columnsOf(file, header);
      width = header.length;
      flagCols = ([[cols.leader, F_LEADER, 'leader'], [cols.team, F_TEAM, 'team'], [cols.key_post, F_KEY, 'key_post'], [cols.head, F_HEAD, 'head']] as const).filter((f) => f[0] >= 0);
      return;
    }
    if (text.length === 0) return;
    rowCount++;
    if (!x.set(text)) return bad(no, -1, 'bad_value', 'a quoted cell does not close on its line');
    if (x.count !== width) return bad(no, -1, 'bad_value', `${x.count} cells; the header has ${width}`);
    const c = cols;
    // Who: replicate and cadre.
    let rep = 0;
    if (c.replicate >= 0) {
      rep = x.int(c.replicate);
      if (!(rep >= 0)) return bad(no, -1, 'bad_value', `replicate ${x.shown(c.replicate)} is not a whole number ≥ 0`);
    }
    if (x.empty(c.cadre)) return bad(no, -1, 'bad_value', 'cadre is empty');
    const person = personOf(rep, x.smallId(c.cadre), c.cadre);
    // When.
    const start = x.int(c.start_year);
    if (!(start >= MIN_YEAR && start <= MAX_YEAR)) return bad(no, person, 'bad_value', `start_year ${x.shown(c.start_year)} is not a year (${MIN_YEAR}–${MAX_YEAR})`);
    let end = OPEN;
    if (c.end_year >= 0 && !x.empty(c.end_year)) {
      end = x.int(c.end_year);
      if (!(end >= MIN_YEAR && end <= MAX_YEAR)) return bad(no, person, 'bad_value', `end_year ${x.shown(c.end_year)} is not a year (${MIN_YEAR}–${MAX_YEAR}) or empty`);
      if (end < start) return bad(no, person, 'end_before_start', `end_year ${end} is before start_year ${start}`);
    }
    // How it began and ended.
    let sk = K_NONE, ek = K_NONE;
    if (c.start_kind >= 0) {
      sk = x.name(c.start_kind, V_KINDS, kindOf);
      if (sk < 0) return bad(no, person, 'bad_value', `start_kind ${x.shown(c.start_kind)} is not one of ${KINDS.filter(Boolean).join(', ')}`);
      if (isExitKind(sk) || sk === K_RETURN) return bad(no, person, 'bad_value', `start_kind ${KINDS[sk]}: a spell cannot begin by ${KINDS[sk]}`);
    }
    if (c.end_kind >= 0) {
      ek = x.name(c.end_kind, V_KINDS, kindOf);
      if (ek < 0) return bad(no, person, 'bad_value', `end_kind ${x.shown(c.end_kind)} is not one of ${KINDS.filter(Boolean).join(', ')}`);
      if (ek === K_INITIAL || ek === K_RECRUIT || ek === K_SECONDMENT) return bad(no, person, 'bad_value', `end_kind ${KINDS[ek]}: a spell cannot end by ${KINDS[ek]}`);
      if (ek !== K_NONE && end === OPEN) return bad(no, person, 'bad_value', `end_kind ${KINDS[ek]} without an end_year`);
    }
    const second = sk === K_SECONDMENT;
    if (ek === K_RETURN && !second) return bad(no, person, 'bad_value', 'end_kind return ends a secondment, and this row is not one (start_kind secondment)');
    // Where: region, level, rank.
    let region = -1;
    if (c.region >= 0 && !x.empty(c.region)) {
      region = x.region(c.region);
      if (region < 0) return bad(no, person, 'unknown_region', `region ${x.shown(c.region)} is not a region of the scenario’s world`);
    }
    if (c.level >= 0 && !x.empty(c.level) && region >= 0) {
      if (x.int(c.level) !== world.level[region]) return bad(no, person, 'bad_value', `level ${x.shown(c.level)}, but region ${world.code[region]} is of level ${world.level[region]}`);
    }
    let rank = -1;
    if (c.rank >= 0 && !x.empty(c.rank)) {
      rank = x.int(c.rank);
      if (!(rank >= 0 && rank < N_RANKS)) return bad(no, person, 'rank_out_of_range', `rank ${x.shown(c.rank)} is not 0, 1, 2 or 3`);
    }
    let system = -1, domain = -1;
    if (c.system >= 0 && !x.empty(c.system)) {
      system = x.name(c.system, V_SYSTEMS, (t) => nameIndex(SYSTEM_OF, t));
      if (system < 0) return bad(no, person, 'bad_value', `system ${x.shown(c.system)} is not one of ${SYSTEMS.join(', ')}`);
    }
    if (c.domain >= 0 && !x.empty(c.domain)) {
      domain = x.name(c.domain, V_DOMAINS, (t) => nameIndex(DOMAIN_OF, t));
      if (domain < 0) return bad(no, person, 'bad_value', `domain ${x.shown(c.domain)} is not one of ${DOMAINS.join(', ')}`);
    }
    // Flags: given (mask) and set (flags).
    let flags = 0, given = 0;
    for (let f = 0; f < flagCols.length; f++) {
      const [col, bit, label] = flagCols[f]!;
      const v = x.flag(col);
      if (v < 0) return bad(no, person, 'bad_value', `${label} ${x.shown(col)} is not TRUE or FALSE`);
      if (!x.empty(col)) given |= bit;
      if (v) flags |= bit;
    }
    // The post of the world, if named: its attributes fill what the row leaves empty, and must agree with what it gives.
    let post = -1;
    if (c.post >= 0 && !x.empty(c.post)) {
      post = x.int(c.post);
      if (!(post >= 0 && post < world.nPosts)) return bad(no, person, 'unknown_post', `post ${x.shown(c.post)} is not a post of the scenario’s world (0–${world.nPosts - 1})`);
      const pr = world.postRank[post]!;
      if (rank >= 0 && rank !== pr) return bad(no, person, 'post_mismatch', `post ${post} is of rank ${pr}, the row says ${rank}`);
      rank = pr;
      if (!second) {
        const g = world.postRegion[post]!;
        if (region >= 0 && region !== g) return bad(no, person, 'post_mismatch', `post ${post} is in region ${world.code[g]}, the row says ${world.code[region]}`);
        region = g;
        const ps = world.postSystem[post]!, pd = world.postDomain[post]!, pf = world.postFlags[post]! & (F_LEADER | F_TEAM | F_KEY | F_HEAD);
        if (system >= 0 && system !== ps) return bad(no, person, 'post_mismatch', `post ${post} is in system ${SYSTEMS[ps]}, the row says ${SYSTEMS[system]}`);
        if (domain >= 0 && domain !== pd) return bad(no, person, 'post_mismatch', `post ${post} is in domain ${DOMAINS[pd]}, the row says ${DOMAINS[domain]}`);
        if ((flags & given) !== (pf & given)) return bad(no, person, 'post_mismatch', `post ${post} has other leader, team, key_post or head flags than the row gives`);
        system = ps; domain = pd; flags = pf;
      }
    }
    if (second && region < 0) return bad(no, person, 'bad_value', 'a secondment needs its region (the county served)');
    if (!second && rank >= 0 && region >= 0 && rank > topRank(world.level[region]!)) {
      return bad(no, person, 'rank_out_of_range', `rank ${rank} in ${world.code[region]}, a region of level ${world.level[region]}, whose posts stop at rank ${topRank(world.level[region]!)}`);
    }
    // A key post or a head is a leader.
    if (flags & (F_KEY | F_HEAD)) flags |= F_LEADER;
    // The person.
    let birth = 0;
    if (c.birth_year >= 0 && !x.empty(c.birth_year)) {
      birth = x.int(c.birth_year);
      if (!(birth >= MIN_YEAR && birth <= MAX_YEAR)) return bad(no, person, 'bad_value', `birth_year ${x.shown(c.birth_year)} is not a year`);
    }
    let sex = -1;
    if (c.sex >= 0) {
      sex = x.sex(c.sex);
      if (sex === -2) return bad(no, person, 'bad_value', `sex ${x.shown(c.sex)} is not M or F`);
    }
    let home = -1;
    if (c.home >= 0 && !x.empty(c.home)) {
      home = x.region(c.home);
      if (home < 0) return bad(no, person, 'unknown_region', `home ${x.shown(c.home)} is not a region of the scenario’s world`);
    }
    const i = rows.add();
    rows.line[i] = no; rows.person[i] = person; rows.start[i] = start; rows.end[i] = end; rows.post[i] = post;
    rows.rank[i] = rank; rows.region[i] = region; rows.system[i] = system; rows.domain[i] = domain; rows.flags[i] = flags;
    rows.startKind[i] = sk; rows.endKind[i] = ek; rows.birth[i] = birth; rows.sex[i] = sex; rows.home[i] = home;
  });
  if (!cols) throw inputError('(header)', '', 'a header row naming the columns (docs/SPELLS.md); the file is empty');
  const columns = new Set(header.filter((h) => (COLUMN_NAMES as string[]).includes(h)));
  return { header, columns, rows, people, problems, lines, rowCount };
}

const COLUMN_NAMES: (keyof Cols)[] = [
  'replicate', 'cadre', 'start_year', 'end_year', 'post', 'rank', 'region', 'level', 'system', 'domain', 'leader', 'team', 'key_post', 'head',
  'start_kind', 'end_kind', 'birth_year', 'sex', 'home',
];

function columnsOf(file: string, header: string[]): Cols {
  const cols = Object.fromEntries(COLUMN_NAMES.map((n) => [n, -1])) as unknown as Cols;
  header.forEach((h, i) => {
    if (!(COLUMN_NAMES as string[]).includes(h)) return;
    const k = h as keyof Cols;
    if (cols[k] >= 0) throw inputError(`(header) ${h}`, h, 'each column once').withFile(file);
    cols[k] = i;
  });
  const missing = (['cadre', 'start_year'] as const).filter((k) => cols[k] < 0);
  if (missing.length) throw inputError('(header)', header.join(','), `a header with the columns cadre and start_year at least (docs/SPELLS.md); missing: ${missing.join(', ')}`).withFile(file);
  return cols;
}

function show(cell: string): string {
  return cell.length > 40 ? `"${cell.slice(0, 37)}…"` : `"${cell}"`;
}
