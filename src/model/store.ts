import { popcount8 } from '../world/constants.js';
import { regionColumn, type RegionColumn } from '../world/world.js';

/**
 * The cadre store (MODEL.md §2.5, docs/DESIGN.md "Speed"): one typed array per
 * field, indexed by slot. A slot is free when `post[slot] === -1`; freed slots
 * are reused by recruits. Per-cadre random draws are keyed by `key`, which is
 * derived from the year and post of recruitment, not from the slot or the
 * order of recruitment, so one extra recruit does not shift anyone's draws.
 *
 * Free slots are handed out from the tail first — the slots above the last
 * live one when the store was last reordered (or created), in order — so that
 * the year's recruits write their columns next to each other instead of at
 * the scattered slots of leavers; then from a stack of freed slots (the last
 * freed first), kept as a linked list through the `key` column of the free
 * slots themselves — a free slot's key means nothing, and a separate stack
 * would cost 4 bytes per slot.
 */
/** End of the free list (in the key column of a free slot). */
const NO_SLOT = 0xffffffff;

export class CadreStore {
  readonly capacity: number;
  /** Post held (the home post while seconded); -1 = free slot. */
  readonly post: Int32Array;
  readonly key: Uint32Array;
  /**
   * The cadre's number in its run, 0, 1, 2, … in order of creation (Sim.nextId): unique,
   * unlike the 32-bit draw key, and kept as slots are reordered. Career records
   * (spells.csv) name cadres by it; the dynamics never read it.
   */
  readonly id: Int32Array;
  readonly age: Uint8Array;
  readonly female: Uint8Array;
  readonly rank: Uint8Array;
  /**
   * Region served now: the post's region, or the secondment region while seconded.
   * Region columns (region, home, secondRegion, target) are 16-bit when the
   * world has fewer than 32 768 regions (every preset but huge synthetic ones).
   */
  readonly region: RegionColumn;
  readonly home: RegionColumn;
  readonly identity: Uint8Array;
  readonly yearsInPost: Uint8Array;
  readonly yearsInRank: Uint8Array;
  readonly yearsInRegion: Uint8Array;
  readonly ability: Float32Array;
  readonly performance: Float32Array;
  /** Percentile of performance in the last appraisal, 0..1. */
  readonly perfPct: Float32Array;
  readonly reserve: Uint8Array;
  /** Experience sets as bitmasks: domains (8 bits), levels (bit level-1), systems (4 bits). */
  readonly domainsServed: Uint8Array;
  readonly levelsServed: Uint8Array;
  readonly systemsServed: Uint8Array;
  /**
   * Counts of regions served and of moves. One byte each: a cadre changes
   * region (or moves) at most once a year, so a career stays far below 255.
   */
  readonly regionsServed: Uint8Array;
  readonly moves: Uint8Array;
  readonly lastMoveYear: Int16Array;
  readonly lastMoveType: Uint8Array;
  readonly ties: Float32Array;
  /** Peak family burden of this cadre; familyBurden follows it over the life cycle. */
  readonly familyPeak: Float32Array;
  readonly familyBurden: Float32Array;
  readonly wWage: Float32Array;
  readonly wHome: Float32Array;
  readonly wUrban: Float32Array;
  readonly wCareer: Float32Array;
  /** Region of the secondment (挂职), -1 when not seconded. */
  readonly secondRegion: RegionColumn;
  readonly secondmentLeft: Uint8Array;
  /** Utility of the current post minus that of the best alternative seen (≤ 0: would rather move). */
  readonly satisfaction: Float32Array;
  // --- per-year working state, reset each year ---
  /** Planned move type this year (constants MT_*), 0 = none. */
  readonly mover: Uint8Array;
  /** The unit withholds this cadre from non-mandatory exchange this year. */
  readonly withheld: Uint8Array;
  /** Region an applicant registered for, -1 = not an applicant. */
  readonly target: RegionColumn;
  /** Moved (or seconded) this year: at most one move per year. */
  readonly moved: Uint8Array;
  /** First slot of the stack of freed slots, -1 when empty; the next is key[slot] (NO_SLOT ends the list). */
  private freeHead = -1;
  /** The next slot of the tail (never used since the last reordering); capacity when the tail is used up. */
  private tail = 0;
  count = 0;

  constructor(capacity: number, nRegions = 0x7fffffff) {
    this.capacity = capacity;
    this.post = new Int32Array(capacity).fill(-1);
    this.key = new Uint32Array(capacity);
    this.id = new Int32Array(capacity);
    this.age = new Uint8Array(capacity);
    this.female = new Uint8Array(capacity);
    this.rank = new Uint8Array(capacity);
    this.region = regionColumn(nRegions, capacity);
    this.home = regionColumn(nRegions, capacity);
    this.identity = new Uint8Array(capacity);
    this.yearsInPost = new Uint8Array(capacity);
    this.yearsInRank = new Uint8Array(capacity);
    this.yearsInRegion = new Uint8Array(capacity);
    this.ability = new Float32Array(capacity);
    this.performance = new Float32Array(capacity);
    this.perfPct = new Float32Array(capacity);
    this.reserve = new Uint8Array(capacity);
    this.domainsServed = new Uint8Array(capacity);
    this.levelsServed = new Uint8Array(capacity);
    this.systemsServed = new Uint8Array(capacity);
    this.regionsServed = new Uint8Array(capacity);
    this.moves = new Uint8Array(capacity);
    this.lastMoveYear = new Int16Array(capacity);
    this.lastMoveType = new Uint8Array(capacity);
    this.ties = new Float32Array(capacity);
    this.familyPeak = new Float32Array(capacity);
    this.familyBurden = new Float32Array(capacity);
    this.wWage = new Float32Array(capacity);
    this.wHome = new Float32Array(capacity);
    this.wUrban = new Float32Array(capacity);
    this.wCareer = new Float32Array(capacity);
    this.secondRegion = regionColumn(nRegions, capacity).fill(-1);
    this.secondmentLeft = new Uint8Array(capacity);
    this.satisfaction = new Float32Array(capacity);
    this.mover = new Uint8Array(capacity);
    this.withheld = new Uint8Array(capacity);
    this.target = regionColumn(nRegions, capacity).fill(-1);
    this.moved = new Uint8Array(capacity);
    // Free slots are handed out lowest first.
    this.freeFrom(0);
  }

  /** Makes slots from..capacity-1 the tail, handed out lowest first, and the stack of freed slots empty. */
  private freeFrom(from: number): void {
    this.tail = from;
    this.freeHead = -1;
  }

  /** Takes a free slot (the tail's next, else the last freed); the caller sets the post and the other fields. */
  allocate(): number {
    let c = this.tail;
    if (c < this.capacity) this.tail++;
    else {
      c = this.freeHead;
      if (c < 0) throw new Error('cadre store full: more cadres than posts');
      const next = this.key[c]!;
      this.freeHead = next === NO_SLOT ? -1 : next;
    }
    this.count++;
    return c;
  }

  /**
   * Reorders the slots: the cadre in slot order[i] moves to slot i, for the
   * `count` live cadres; the remaining slots become free. Used to keep the
   * cadres of one region and rank next to each other in memory, so the fill
   * phase's random draws from a (region, rank) pool stay in cache.
   * `tmp` is working memory of at least `count` words.
   */
  permute(order: Int32Array, tmp: Int32Array): void {
    const n = this.count;
    // One scratch buffer of n words (tmp), seen at each element width; a gather loop per width keeps each loop monomorphic.
    const s32 = new Int32Array(tmp.buffer, tmp.byteOffset, n), s16 = new Int16Array(tmp.buffer, tmp.byteOffset, n), s8 = new Uint8Array(tmp.buffer, tmp.byteOffset, n);
    for (const name of COLUMNS) {
      const col = this[name];
      if (col.BYTES_PER_ELEMENT === 4) {
        const c32 = new Int32Array(col.buffer, col.byteOffset, this.capacity);
        gather32(c32, s32, order, n);
        c32.set(s32);
      } else if (col.BYTES_PER_ELEMENT === 2) {
        const c16 = new Int16Array(col.buffer, col.byteOffset, this.capacity);
        gather16(c16, s16, order, n);
        c16.set(s16);
      } else {
        const c8 = new Uint8Array(col.buffer, col.byteOffset, this.capacity);
        gather8(c8, s8, order, n);
        c8.set(s8);
      }
    }
    for (let i = n; i < this.capacity; i++) {
      this.post[i] = -1;
      this.secondRegion[i] = -1;
      this.target[i] = -1;
    }
    this.freeFrom(n);
  }

  /** Frees a slot (the cadre left the service). */
  release(c: number): void {
    this.post[c] = -1;
    this.secondRegion[c] = -1;
    this.secondmentLeft[c] = 0;
    this.key[c] = this.freeHead < 0 ? NO_SLOT : this.freeHead;
    this.freeHead = c;
    this.count--;
  }
}

function gather32(col: Int32Array, out: Int32Array, order: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = col[order[i]!]!;
}
function gather16(col: Int16Array, out: Int16Array, order: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = col[order[i]!]!;
}
function gather8(col: Uint8Array, out: Uint8Array, order: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = col[order[i]!]!;
}

const COLUMNS = [
  'post', 'key', 'id', 'age', 'female', 'rank', 'region', 'home', 'identity', 'yearsInPost', 'yearsInRank', 'yearsInRegion',
  'ability', 'performance', 'perfPct', 'reserve', 'domainsServed', 'levelsServed', 'systemsServed', 'regionsServed',
  'moves', 'lastMoveYear', 'lastMoveType', 'ties', 'familyPeak', 'familyBurden', 'wWage', 'wHome', 'wUrban', 'wCareer',
  'secondRegion', 'secondmentLeft', 'satisfaction', 'mover', 'withheld', 'target', 'moved',
] as const satisfies readonly (keyof CadreStore)[];

/** Exchange experience (MODEL.md §4.2): distinct regions, systems and levels served beyond the first. */
export function exchangeExperience(s: CadreStore, c: number): number {
  return s.regionsServed[c]! - 1 + popcount8(s.systemsServed[c]!) - 1 + popcount8(s.levelsServed[c]!) - 1;
}

/**
 * Exchanged since the last promotion: has changed region while at the current
 * rank (≥ 2 posts at the level below, 选拔任用条例 art. 9). The promotion
 * veto (requireExchangeForPromotion) asks for this or an exchange at promotion.
 */
export function exchangedInRank(s: CadreStore, c: number): boolean {
  return s.regionsServed[c]! > 1 && s.yearsInRegion[c]! <= s.yearsInRank[c]!;
}
