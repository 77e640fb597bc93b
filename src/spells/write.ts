/**
 * Career records of a run (`run --spells`, docs/SPELLS.md): one row per cadre
 * per post held, and one per secondment, written as each spell ends (and the
 * spells still open at the end of the run last). It reads, after each year,
 * what the year left behind — the exit log, the move log and the cadres
 * created — and never writes to the state, so a run's metrics and events are
 * the same with records as without.
 *
 * It keeps, by cadre id (CadreStore.id), the spell in progress: post, start
 * year, the kind of move that began it, and a secondment's region and start.
 */
import type { Sim } from '../model/sim.js';
import { ExitLog } from '../model/move-log.js';
import { DOMAINS, F_HEAD, F_KEY, F_LEADER, F_TEAM, MT_RETURN, MT_SECONDMENT, N_DOMAINS, N_SYSTEMS, SYSTEMS } from '../world/constants.js';
import { K_INITIAL, K_RECRUIT, K_RETURN, K_ROTATION, K_SECONDMENT, kindOfExit, kindOfMoveType, KINDS } from './format.js';
import { quote } from '../experiment/csv.js';

/** Rows are handed to the sink in chunks of up to this many bytes. */
const CHUNK = 1 << 20;

const bytes = (t: string): Uint8Array => new Uint8Array(Buffer.from(t, 'utf8'));
const COMMA = 44, NL = 10;
/** `leader,team,key_post,head,` for each combination of the four flags (index: post flags & 15). */
const FLAGS = Array.from({ length: 16 }, (_, f) => bytes([F_LEADER, F_TEAM, F_KEY, F_HEAD].map((b) => (f & b ? 'TRUE,' : 'FALSE,')).join('')));
/** `system,domain,` by system × 8 + domain. */
const SYSTEM_DOMAIN = Array.from({ length: N_SYSTEMS * N_DOMAINS }, (_, i) => bytes(`${SYSTEMS[Math.floor(i / N_DOMAINS)]},${DOMAINS[i % N_DOMAINS]},`));
/** `kind,`. */
const KIND = KINDS.map((k) => bytes(`${k},`));
const SEX = [bytes('M,'), bytes('F,')];
const SECONDMENT_MIDDLE = bytes(',,,,,,');

// Rows are written byte by byte into a buffer, handed to the sink when full: no string per row,
// so that a run writing records makes no garbage to collect (a string per row cost more than the
// rest of the writer, in the collector and in the conversion to UTF-8). Each helper writes at
// buf[n] and returns the next free index.

function put(buf: Uint8Array, n: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) buf[n++] = b[i]!;
  return n;
}

/** A whole number ≥ 0 in decimal, and a comma. */
function int(buf: Uint8Array, n: number, x: number): number {
  if (x < 10) {
    buf[n] = 48 + x;
    buf[n + 1] = COMMA;
    return n + 2;
  }
  let digits = 1;
  for (let y = x; y >= 10; y = (y / 10) | 0) digits++;
  let at = n + digits;
  buf[at] = COMMA;
  for (; x > 0; x = (x / 10) | 0) buf[--at] = 48 + (x % 10);
  return n + digits + 1;
}

/** Per cadre id, a record of STRIDE words: the spell in progress and the person (one cache line for two ids). */
const STRIDE = 8;
const R_POST = 0, R_START = 1, R_KIND = 2, R_SEC_REGION = 3, R_SEC_START = 4, R_BIRTH = 5, R_SEX = 6, R_HOME = 7;

export class SpellWriter {
  /** By id: post, start year, start kind, secondment region (-1 none) and start, birth year, female, home; post = -1 once left. */
  private rec = new Int32Array(0);
  /** Ids below this have been entered (recruits of a year are the ids from here to sim.nextId). */
  private entered = 0;
  private buf: Uint8Array;
  private n = 0;
  /** `replicate,`; each region's `code,level,` and `code` (quoted if it must be), as bytes. */
  private readonly prefix: Uint8Array;
  private readonly region: Uint8Array[];
  private readonly code: Uint8Array[];
  /** Each post's region, system × 8 + domain, rank and flags in one word: one read per row. */
  private readonly postInfo: Int32Array;
  /** The longest row. */
  private readonly rowMax: number;

  /** `sink` receives the rows (no header), in chunks: a view of a buffer that is reused once the call returns. */
  constructor(private readonly sim: Sim, replicate: number, private readonly sink: (chunk: Uint8Array) => void) {
    const w = sim.world;
    this.prefix = bytes(`${replicate},`);
    this.code = w.code.map((c) => bytes(quote(c)));
    this.region = w.code.map((c, g) => bytes(`${quote(c)},${w.level[g]},`));
    this.postInfo = new Int32Array(w.nPosts);
    for (let p = 0; p < w.nPosts; p++) {
      this.postInfo[p] = (((w.postRegion[p]! * N_SYSTEMS * N_DOMAINS + w.postSystem[p]! * N_DOMAINS + w.postDomain[p]!) * 4 + w.postRank[p]!) << 4) | (w.postFlags[p]! & 15);
    }
    // Numbers of at most 11 characters, names of at most 20.
    this.rowMax = 512 + 3 * this.code.reduce((m, c) => Math.max(m, c.length), 0);
    this.buf = new Uint8Array(Math.max(CHUNK, 2 * this.rowMax));
    sim.exitLog = new ExitLog();
  }

  /** The initial population, before the first year: in post since (first − 1) − yearsInPost. */
  begin(): void {
    const sim = this.sim;
    const s = sim.store;
    const y0 = sim.year - 1;
    this.reserve(sim.nextId);
    for (let c = 0; c < s.capacity; c++) if (s.post[c]! >= 0) this.enter(c, y0 - s.yearsInPost[c]!, K_INITIAL, y0);
    this.entered = sim.nextId;
  }

  /** After a year: its leavers, moves, secondments, returns and recruits. */
  afterYear(): void {
    const sim = this.sim;
    const y = sim.year;
    const ex = sim.exitLog!;
    const rec = this.rec;
    for (let i = 0; i < ex.n; i++) {
      const o = ex.id[i]! * STRIDE;
      const k = kindOfExit(ex.kind[i]!);
      if (rec[o + R_SEC_REGION]! >= 0) this.secondmentRow(o, y, k);
      this.postRow(o, y, k);
      rec[o + R_POST] = -1;
    }
    ex.clear();
    this.moves(y);
    if (sim.nextId > this.entered) this.recruits(y);
  }

  /** The year's moves, secondments and returns, from the move log. */
  private moves(y: number): void {
    const s = this.sim.store;
    const log = this.sim.log;
    const rec = this.rec;
    const n = log.n;
    for (let i = 0; i < n; i++) {
      const o = s.id[log.cadre[i]!]! * STRIDE;
      const type = log.type[i]!;
      if (type === MT_SECONDMENT) {
        rec[o + R_SEC_REGION] = log.toRegion[i]!;
        rec[o + R_SEC_START] = y;
      } else if (type === MT_RETURN) {
        this.secondmentRow(o, y, K_RETURN);
        rec[o + R_SEC_REGION] = -1;
      } else {
        // A swap (fill.ts rotate) logs its two moves one after the other, each from the other's post;
        // two moves logged in a row cannot otherwise be each from the other's post (a move goes to a
        // vacant post), so this finds exactly the swaps.
        const swap = (i + 1 < n && log.fromPost[i] === log.toPost[i + 1] && log.toPost[i] === log.fromPost[i + 1])
          || (i > 0 && log.fromPost[i] === log.toPost[i - 1] && log.toPost[i] === log.fromPost[i - 1]);
        const k = swap ? K_ROTATION : kindOfMoveType(type);
        this.postRow(o, y, k);
        rec[o + R_POST] = log.toPost[i]!;
        rec[o + R_START] = y;
        rec[o + R_KIND] = k;
      }
    }
  }

  /** The year's new cadres (ids from `entered` on). */
  private recruits(y: number): void {
    const sim = this.sim;
    const s = sim.store;
    this.reserve(sim.nextId);
    const from = this.entered;
    const post = s.post, id = s.id;
    for (let c = 0; c < s.capacity; c++) if (post[c]! >= 0 && id[c]! >= from) this.enter(c, y, K_RECRUIT, y);
    this.entered = sim.nextId;
  }

  /** The spells still open at the end of the run (end_year and end_kind empty), by cadre id; then the last chunk. */
  end(): void {
    const rec = this.rec;
    for (let id = 0; id < this.entered; id++) {
      const o = id * STRIDE;
      if (rec[o + R_POST]! < 0) continue;
      if (rec[o + R_SEC_REGION]! >= 0) this.secondmentRow(o, -1, 0);
      this.postRow(o, -1, 0);
    }
    this.flush();
    this.sim.exitLog = null;
  }

  /** A cadre in slot c enters the records: in post since `since`, by `kind`; birth year from its age at the end of year `y`. */
  private enter(c: number, since: number, kind: number, y: number): void {
    const s = this.sim.store;
    const rec = this.rec;
    const o = s.id[c]! * STRIDE;
    rec[o + R_POST] = s.post[c]!;
    rec[o + R_START] = since;
    rec[o + R_KIND] = kind;
    rec[o + R_SEC_REGION] = -1;
    rec[o + R_BIRTH] = y - s.age[c]!;
    rec[o + R_SEX] = s.female[c]!;
    rec[o + R_HOME] = s.home[c]!;
  }

  private flush(): void {
    if (this.n) this.sink(this.buf.subarray(0, this.n));
    this.n = 0;
  }

  /** `replicate,cadre,start_year,end_year,post,rank,` (end -1: open), after making room for a row. */
  private head(o: number, start: number, end: number, info: number): number {
    if (this.n + this.rowMax > this.buf.length) this.flush();
    const buf = this.buf;
    let n = put(buf, this.n, this.prefix);
    n = int(buf, n, o / STRIDE);
    n = int(buf, n, start);
    if (end >= 0) n = int(buf, n, end);
    else buf[n++] = COMMA;
    n = int(buf, n, this.rec[o + R_POST]!);
    buf[n] = 48 + ((info >> 4) & 3);
    buf[n + 1] = COMMA;
    return n + 2;
  }

  /** The row of a spell in post (record at o), ending in year `end` (-1: open) by kind `endKind`. */
  private postRow(o: number, end: number, endKind: number): void {
    const rec = this.rec;
    const info = this.postInfo[rec[o + R_POST]!]!;
    const buf = this.buf;
    const sd = (info >>> 6) % (N_SYSTEMS * N_DOMAINS);
    let n = this.head(o, rec[o + R_START]!, end, info);
    n = put(buf, n, this.region[((info >>> 6) - sd) / (N_SYSTEMS * N_DOMAINS)]!);
    n = put(buf, n, SYSTEM_DOMAIN[sd]!);
    n = put(buf, n, FLAGS[info & 15]!);
    n = put(buf, n, KIND[rec[o + R_KIND]!]!);
    n = put(buf, n, KIND[endKind]!);
    this.n = this.tail(n, o);
  }

  /** The row of a secondment (record at o): the post kept, the county served; the post's system, domain and flags left empty. */
  private secondmentRow(o: number, end: number, endKind: number): void {
    const rec = this.rec;
    const buf = this.buf;
    let n = this.head(o, rec[o + R_SEC_START]!, end, this.postInfo[rec[o + R_POST]!]!);
    n = put(buf, n, this.region[rec[o + R_SEC_REGION]!]!);
    n = put(buf, n, SECONDMENT_MIDDLE);
    n = put(buf, n, KIND[K_SECONDMENT]!);
    n = put(buf, n, KIND[endKind]!);
    this.n = this.tail(n, o);
  }

  /** `birth_year,sex,home` and the end of the row. */
  private tail(n: number, o: number): number {
    const buf = this.buf;
    const rec = this.rec;
    n = int(buf, n, rec[o + R_BIRTH]!);
    n = put(buf, n, SEX[rec[o + R_SEX]!]!);
    n = put(buf, n, this.code[rec[o + R_HOME]!]!);
    buf[n] = NL;
    return n + 1;
  }

  /** Makes room for ids below n (a new id's post is -1 until it enters). */
  private reserve(n: number): void {
    if (n * STRIDE <= this.rec.length) return;
    const cap = Math.max(n, (this.rec.length / STRIDE) * 2, 1024);
    const rec = new Int32Array(cap * STRIDE);
    rec.set(this.rec);
    for (let i = this.rec.length; i < rec.length; i += STRIDE) rec[i + R_POST] = -1;
    this.rec = rec;
  }
}
