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
import { DOMAINS, F_HEAD, F_KEY, F_LEADER, F_TEAM, MT_RETURN, MT_SECONDMENT, SYSTEMS } from '../world/constants.js';
import { K_INITIAL, K_RECRUIT, K_RETURN, K_ROTATION, kindOfExit, kindOfMoveType, KINDS } from './format.js';

/** Rows are handed to the sink in chunks of about this many characters. */
const CHUNK = 1 << 20;

const bool = (x: number): string => (x ? 'TRUE' : 'FALSE');

export class SpellWriter {
  private post = new Int32Array(0);
  private start = new Int16Array(0);
  private kind = new Uint8Array(0);
  private secRegion = new Int32Array(0);
  private secStart = new Int16Array(0);
  private birth = new Int16Array(0);
  private female = new Uint8Array(0);
  private home = new Int32Array(0);
  private alive = new Uint8Array(0);
  /** Ids below this have been entered (recruits of a year are the ids from here to sim.nextId). */
  private entered = 0;
  private buf = '';
  private readonly prefix: string;

  /** `sink` receives the rows (no header), in chunks. */
  constructor(private readonly sim: Sim, replicate: number, private readonly sink: (chunk: string) => void) {
    this.prefix = `${replicate},`;
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
    const s = sim.store;
    const y = sim.year;
    const ex = sim.exitLog!;
    for (let i = 0; i < ex.n; i++) {
      const id = ex.id[i]!;
      const k = kindOfExit(ex.kind[i]!);
      if (this.secRegion[id]! >= 0) this.secondmentRow(id, y, k);
      this.postRow(id, y, k);
      this.alive[id] = 0;
    }
    ex.clear();
    const log = sim.log;
    const n = log.n;
    for (let i = 0; i < n; i++) {
      const id = s.id[log.cadre[i]!]!;
      const type = log.type[i]!;
      if (type === MT_SECONDMENT) {
        this.secRegion[id] = log.toRegion[i]!;
        this.secStart[id] = y;
      } else if (type === MT_RETURN) {
        this.secondmentRow(id, y, K_RETURN);
        this.secRegion[id] = -1;
      } else {
        // A swap (fill.ts rotate) logs its two moves one after the other, each from the other's post;
        // two moves logged in a row cannot otherwise be each from the other's post (a move goes to a
        // vacant post), so this finds exactly the swaps.
        const swap = (i + 1 < n && log.fromPost[i] === log.toPost[i + 1] && log.toPost[i] === log.fromPost[i + 1])
          || (i > 0 && log.fromPost[i] === log.toPost[i - 1] && log.toPost[i] === log.fromPost[i - 1]);
        const k = swap ? K_ROTATION : kindOfMoveType(type);
        this.postRow(id, y, k);
        this.post[id] = log.toPost[i]!;
        this.start[id] = y;
        this.kind[id] = k;
      }
    }
    if (sim.nextId > this.entered) {
      this.reserve(sim.nextId);
      const from = this.entered;
      for (let c = 0; c < s.capacity; c++) if (s.post[c]! >= 0 && s.id[c]! >= from) this.enter(c, y, K_RECRUIT, y);
      this.entered = sim.nextId;
    }
    if (this.buf.length >= CHUNK) this.flush();
  }

  /** The spells still open at the end of the run (end_year and end_kind empty), by cadre id; then the last chunk. */
  end(): void {
    for (let id = 0; id < this.entered; id++) {
      if (!this.alive[id]) continue;
      if (this.secRegion[id]! >= 0) this.secondmentRow(id, -1, 0);
      this.postRow(id, -1, 0);
      if (this.buf.length >= CHUNK) this.flush();
    }
    this.flush();
    this.sim.exitLog = null;
  }

  private flush(): void {
    if (this.buf) this.sink(this.buf);
    this.buf = '';
  }

  /** A cadre in slot c enters the records: in post since `since`, by `kind`; birth year from its age at the end of year `y`. */
  private enter(c: number, since: number, kind: number, y: number): void {
    const s = this.sim.store;
    const id = s.id[c]!;
    this.post[id] = s.post[c]!;
    this.start[id] = since;
    this.kind[id] = kind;
    this.secRegion[id] = -1;
    this.birth[id] = y - s.age[c]!;
    this.female[id] = s.female[c]!;
    this.home[id] = s.home[c]!;
    this.alive[id] = 1;
  }

  /** The row of cadre id's spell in its post, ending in year `end` (-1: open) by kind `endKind`. */
  private postRow(id: number, end: number, endKind: number): void {
    const w = this.sim.world;
    const p = this.post[id]!;
    const g = w.postRegion[p]!;
    const f = w.postFlags[p]!;
    this.buf += `${this.prefix}${id},${this.start[id]},${end < 0 ? '' : end},${p},${w.postRank[p]},${w.code[g]},${w.level[g]},${SYSTEMS[w.postSystem[p]!]},${DOMAINS[w.postDomain[p]!]},`
      + `${bool(f & F_LEADER)},${bool(f & F_TEAM)},${bool(f & F_KEY)},${bool(f & F_HEAD)},${KINDS[this.kind[id]!]},${KINDS[endKind]},${this.tail(id)}`;
  }

  /** The row of cadre id's secondment: the post kept, the county served; the post's system, domain and flags left empty. */
  private secondmentRow(id: number, end: number, endKind: number): void {
    const w = this.sim.world;
    const p = this.post[id]!;
    const g = this.secRegion[id]!;
    this.buf += `${this.prefix}${id},${this.secStart[id]},${end < 0 ? '' : end},${p},${w.postRank[p]},${w.code[g]},${w.level[g]},,,,,,,secondment,${KINDS[endKind]},${this.tail(id)}`;
  }

  private tail(id: number): string {
    return `${this.birth[id]},${this.female[id] ? 'F' : 'M'},${this.sim.world.code[this.home[id]!]}\n`;
  }

  /** Makes room for ids below n. */
  private reserve(n: number): void {
    if (n <= this.post.length) return;
    const cap = Math.max(n, this.post.length * 2, 1024);
    const grow = <T extends Int32Array | Int16Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (len: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.post = grow(this.post); this.start = grow(this.start); this.kind = grow(this.kind);
    this.secRegion = grow(this.secRegion); this.secStart = grow(this.secStart); this.birth = grow(this.birth);
    this.female = grow(this.female); this.home = grow(this.home); this.alive = grow(this.alive);
  }
}
