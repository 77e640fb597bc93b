import { regionColumn, type RegionColumn } from '../world/world.js';

/**
 * The moves of the current year, in the order they happen: written by plan
 * (secondments) and fill, applied to careers by update, counted by record.
 */
export class MoveLog {
  n = 0;
  cadre: Int32Array;
  fromPost: Int32Array;
  toPost: Int32Array;
  /** 16-bit when the world has fewer than 32 768 regions (as the store's region columns). */
  fromRegion: RegionColumn;
  toRegion: RegionColumn;
  fromRank: Uint8Array;
  toRank: Uint8Array;
  type: Uint8Array;
  /** yearsInPost of the cadre before the move (for fast turnover). */
  tenure: Uint8Array;
  /** yearsInRank before the move (for years to promotion). */
  rankYears: Uint8Array;

  constructor(capacity: number, nRegions = 0x7fffffff) {
    this.cadre = new Int32Array(capacity);
    this.fromPost = new Int32Array(capacity);
    this.toPost = new Int32Array(capacity);
    this.fromRegion = regionColumn(nRegions, capacity);
    this.toRegion = regionColumn(nRegions, capacity);
    this.fromRank = new Uint8Array(capacity);
    this.toRank = new Uint8Array(capacity);
    this.type = new Uint8Array(capacity);
    this.tenure = new Uint8Array(capacity);
    this.rankYears = new Uint8Array(capacity);
  }

  clear(): void {
    this.n = 0;
  }

  private grow(): void {
    const cap = this.cadre.length + (this.cadre.length >> 1);
    const g = <T extends Int32Array | Int16Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.cadre = g(this.cadre); this.fromPost = g(this.fromPost); this.toPost = g(this.toPost);
    this.fromRegion = g(this.fromRegion); this.toRegion = g(this.toRegion); this.fromRank = g(this.fromRank);
    this.toRank = g(this.toRank); this.type = g(this.type); this.tenure = g(this.tenure); this.rankYears = g(this.rankYears);
  }

  push(cadre: number, fromPost: number, toPost: number, fromRegion: number, toRegion: number, fromRank: number, toRank: number, type: number, tenure: number, rankYears: number): void {
    if (this.n === this.cadre.length) this.grow();
    const i = this.n++;
    this.cadre[i] = cadre; this.fromPost[i] = fromPost; this.toPost[i] = toPost;
    this.fromRegion[i] = fromRegion; this.toRegion[i] = toRegion; this.fromRank[i] = fromRank; this.toRank[i] = toRank;
    this.type[i] = type; this.tenure[i] = tenure; this.rankYears[i] = rankYears;
  }
}

/**
 * The year's leavers, for career records (run --spells): the cadre's id (CadreStore.id, read
 * before its slot is freed) and how it left (constants EXIT_*). Written by the exit phases only
 * when a Sim has one (Sim.exitLog); cleared by its reader.
 */
export class ExitLog {
  n = 0;
  id = new Int32Array(256);
  kind = new Uint8Array(256);

  clear(): void {
    this.n = 0;
  }

  push(id: number, kind: number): void {
    if (this.n === this.id.length) {
      const id2 = new Int32Array(this.n * 2), k2 = new Uint8Array(this.n * 2);
      id2.set(this.id); k2.set(this.kind);
      this.id = id2; this.kind = k2;
    }
    this.id[this.n] = id;
    this.kind[this.n++] = kind;
  }
}
