/**
 * The state at each year's end rebuilt from career records, and the year's
 * moves, so that observe measures records with the simulation's own tally
 * (metrics/tally.ts): the same passes over the same kind of columns.
 *
 * Year by year, each person whose records change that year goes through what
 * the model's phases would have done to them: a return from secondment, the
 * end of a spell (an exit, or a move when the next spell begins that year), an
 * entry (recruitment, or the first record of someone already in post), a new
 * secondment. Moves, secondments and returns are logged in a MoveLog as the
 * model logs them; careers (domains, levels, systems and regions served, the
 * years of the last change of rank and of region) are updated as update.ts
 * updates them. At the end of a reported year the years in post, rank and
 * region are read off the start years, and the tally runs.
 *
 * Posts are the world's when every spell names one (the model's records);
 * otherwise each spell is a post of its own with the attributes its row gives,
 * and vacancies, which need the posts that nobody holds, are not measured.
 */
import type { Scenario } from '../scenario/schema.js';
import type { World } from '../world/world.js';
import { regionColumn } from '../world/world.js';
import { MoveLog } from '../model/move-log.js';
import { newCounters } from '../model/sim.js';
import { rulesAt } from '../model/policy-at.js';
import { tally, type Need, type TallySource, type TallyStore, type TallyWorld } from '../metrics/tally.js';
import { computeMetrics, METRICS } from '../metrics/definitions.js';
import { F_TEAM, MT_RETURN, MT_SECONDMENT, N_DOMAINS, N_SYSTEMS } from '../world/constants.js';
import { isExitKind, K_DISMISSAL, K_NONE, K_QUIT, K_RECRUIT, K_RETIREMENT, K_ROTATION, moveTypeOfKind } from './format.js';
import type { Careers } from './check.js';
import { OPEN, type People, type SpellRows } from './read.js';

/** Needs that records meet in some years and not in others: the metrics that have them are left empty in those years. */
export const YEARLY_NEEDS = ['history', 'start_kind', 'end_kind'] as const;
export type YearlyNeed = (typeof YEARLY_NEEDS)[number];

export interface ObservedReplicate {
  replicate: number;
  years: number[];
  /** years.length × METRICS.length values, year-major; NaN where undefined or not measured. */
  metrics: Float64Array;
  /** The reported years in which each yearly need was not met (its metrics left empty). */
  emptyYears: Record<YearlyNeed, number[]>;
}

export interface RebuildInput {
  rows: SpellRows;
  people: People;
  careers: Careers;
  world: World;
  scenario: Scenario;
  /** What the records give (Need); metrics that need anything else are left empty. */
  has: ReadonlySet<Need>;
  /** For each metric (order of METRICS): its needs. */
  needs: Need[][];
}

const cap = (x: number): number => (x > 255 ? 255 : x);

/** The metrics of each replicate of the records in the scenario's reported years. */
export function rebuild(input: RebuildInput): ObservedReplicate[] {
  const { rows, people, careers } = input;
  const byRep = new Map<number, number[]>();
  for (let p = 0; p < people.rep.length; p++) {
    if (careers.first[p + 1] === careers.first[p]) continue;
    const r = people.rep[p]!;
    let list = byRep.get(r);
    if (!list) byRep.set(r, (list = []));
    list.push(p);
  }
  const out: ObservedReplicate[] = [];
  for (const r of [...byRep.keys()].sort((a, b) => a - b)) out.push(new Replicate(input, r, byRep.get(r)!, rows).run());
  return out;
}

class Replicate {
  private readonly n: number;
  private readonly tw: TallyWorld;
  /** Post (index into tw) of each row in a post. */
  private readonly postOf: Int32Array;
  private readonly store: TallyStore;
  private readonly src: TallySource;
  private readonly log: MoveLog;
  // Cursors into each person's career (slot = index in `persons`).
  private readonly cur: Int32Array;
  private readonly nextPost: Int32Array;
  private readonly sec: Int32Array;
  private readonly nextSec: Int32Array;
  private readonly rankSince: Int32Array;
  private readonly regionSince: Int32Array;
  private readonly lastRegion: Int32Array;
  private readonly lastRank: Int8Array;
  private readonly censored: Uint8Array;
  private alive = 0;
  private censoredAlive = 0;
  private censoredTouched = false;
  private unknownEntry = false;
  private unknownExit = false;
  private readonly hasStartKind: boolean;
  private readonly hasEndKind: boolean;
  // Vacancy chains (world posts only): the post each post's holder moved to this year, and the posts recruits took.
  private readonly chains: boolean;
  private readonly movedOutYear: Int32Array;
  private readonly movedTo: Int32Array;
  private readonly recruited: number[] = [];

  constructor(private readonly input: RebuildInput, private readonly replicate: number, private readonly persons: number[], private readonly rows: SpellRows) {
    const w = input.world;
    const n = (this.n = persons.length);
    this.hasStartKind = input.has.has('start_kind');
    this.hasEndKind = input.has.has('end_kind');
    this.postOf = new Int32Array(rows.n).fill(-1);
    this.tw = input.has.has('posts') ? this.worldPosts() : this.recordPosts();
    this.chains = input.has.has('chains');
    this.movedOutYear = new Int32Array(this.chains ? this.tw.nPosts : 0).fill(-1);
    this.movedTo = new Int32Array(this.chains ? this.tw.nPosts : 0);
    const home = regionColumn(w.nRegions, n).fill(-1);
    const { first, order } = input.careers;
    persons.forEach((p, slot) => {
      for (let k = first[p]!; k < first[p + 1]!; k++) if (rows.home[order[k]!]! >= 0) { home[slot] = rows.home[order[k]!]!; break; }
    });
    this.store = {
      capacity: n,
      post: new Int32Array(n).fill(-1),
      yearsInPost: new Uint8Array(n),
      rank: new Uint8Array(n),
      region: regionColumn(w.nRegions, n),
      secondRegion: regionColumn(w.nRegions, n).fill(-1),
      home,
      domainsServed: new Uint8Array(n),
      levelsServed: new Uint8Array(n),
      systemsServed: new Uint8Array(n),
      regionsServed: new Uint8Array(n),
      yearsInRegion: new Uint8Array(n),
      ties: new Float32Array(n),
    };
    this.log = new MoveLog(1024, w.nRegions);
    this.src = {
      year: 0,
      world: this.tw,
      store: this.store,
      occupant: new Int32Array(this.tw.nPosts).fill(-1),
      log: this.log,
      counters: newCounters(),
      policy: input.scenario.policy,
      scenario: { outputs: { stagnationYears: input.scenario.outputs.stagnationYears } },
    };
    this.cur = new Int32Array(n).fill(-1);
    this.nextPost = new Int32Array(n);
    this.sec = new Int32Array(n).fill(-1);
    this.nextSec = new Int32Array(n);
    persons.forEach((p, slot) => {
      this.nextPost[slot] = first[p]!;
      this.nextSec[slot] = first[p]! + input.careers.nPost[p]!;
    });
    this.rankSince = new Int32Array(n);
    this.regionSince = new Int32Array(n);
    this.lastRegion = new Int32Array(n).fill(-1);
    this.lastRank = new Int8Array(n).fill(-1);
    this.censored = new Uint8Array(n);
  }

  /** The world's posts: every spell names one. */
  private worldPosts(): TallyWorld {
    const { careers } = this.input;
    for (const p of this.persons) {
      for (let k = careers.first[p]!; k < careers.first[p]! + careers.nPost[p]!; k++) {
        const i = careers.order[k]!;
        this.postOf[i] = this.rows.post[i]!;
      }
    }
    return this.input.world;
  }

  /**
   * Each spell in a post a post of its own, with its row's attributes (unknown ones as 0: the
   * metrics that need them are left empty); units by region, system and domain as in the world;
   * teams of the regions from the spells on leadership teams; no posts listed by unit (vacancies
   * are not measured).
   */
  private recordPosts(): TallyWorld {
    const { careers, world: w } = this.input;
    const rows = this.rows;
    let m = 0;
    for (const p of this.persons) for (let k = careers.first[p]!; k < careers.first[p]! + careers.nPost[p]!; k++) this.postOf[careers.order[k]!] = m++;
    const postRegion = regionColumn(w.nRegions, m);
    const postFlags = new Uint8Array(m), postSystem = new Uint8Array(m), postDomain = new Uint8Array(m);
    const postUnit = new Int32Array(m);
    const teamCount = new Int32Array(w.nRegions + 1);
    for (const p of this.persons) {
      for (let k = careers.first[p]!; k < careers.first[p]! + careers.nPost[p]!; k++) {
        const i = careers.order[k]!;
        const q = this.postOf[i]!;
        const g = Math.max(0, rows.region[i]!), s = Math.max(0, rows.system[i]!), d = Math.max(0, rows.domain[i]!);
        postRegion[q] = g; postFlags[q] = rows.flags[i]!; postSystem[q] = s; postDomain[q] = d;
        postUnit[q] = (g * N_SYSTEMS + s) * N_DOMAINS + d;
        if (rows.flags[i]! & F_TEAM) teamCount[g + 1]!++;
      }
    }
    for (let g = 0; g < w.nRegions; g++) teamCount[g + 1]! += teamCount[g]!;
    const teamPosts = new Int32Array(teamCount[w.nRegions]!);
    const next = teamCount.slice(0, w.nRegions);
    for (let q = 0; q < m; q++) if (postFlags[q]! & F_TEAM) teamPosts[next[postRegion[q]!]!++] = q;
    return {
      nRegions: w.nRegions, level: w.level, hardship: w.hardship, prefecture: w.prefecture, wageIndex: w.wageIndex,
      nPosts: m, postRegion, postFlags, postSystem, postDomain, postUnit,
      nUnits: w.nRegions, unitPostStart: new Int32Array(w.nRegions + 1),
      teamStart: teamCount, teamPosts,
    };
  }

  run(): ObservedReplicate {
    const { scenario } = this.input;
    const rows = this.rows;
    const { first, order } = this.input.careers;
    const firstReported = scenario.startYear, last = scenario.startYear + scenario.years - 1;
    // Years in which each person's records change: a CSR from year to slots.
    let y0 = firstReported;
    this.persons.forEach((p) => { for (let k = first[p]!; k < first[p + 1]!; k++) y0 = Math.min(y0, rows.start[order[k]!]!); });
    const span = last - y0 + 1;
    const at = new Int32Array(span + 1);
    const eachEvent = (f: (year: number, slot: number) => void) => this.persons.forEach((p, slot) => {
      for (let k = first[p]!; k < first[p + 1]!; k++) {
        const i = order[k]!;
        if (rows.start[i]! <= last) f(rows.start[i]!, slot);
        if (rows.end[i]! !== OPEN && rows.end[i]! <= last) f(rows.end[i]!, slot);
      }
    });
    eachEvent((y) => at[y - y0 + 1]!++);
    for (let k = 0; k < span; k++) at[k + 1]! += at[k]!;
    const events = new Int32Array(at[span]!);
    const fill = at.slice(0, span);
    eachEvent((y, slot) => { events[fill[y - y0]!++] = slot; });
    const stamp = new Int32Array(this.n).fill(-1);

    const years: number[] = [];
    const metrics = new Float64Array(scenario.years * METRICS.length);
    const emptyYears: Record<YearlyNeed, number[]> = { history: [], start_kind: [], end_kind: [] };
    const k = this.src.counters;
    for (let y = y0; y <= last; y++) {
      k.retirements = k.quits = k.dismissals = k.recruits = 0;
      k.chainsDone.fill(0);
      k.chainsLen.fill(0);
      k.headcountStart = this.alive;
      this.log.clear();
      this.recruited.length = 0;
      this.censoredTouched = this.unknownEntry = this.unknownExit = false;
      for (let e = at[y - y0]!; e < at[y - y0 + 1]!; e++) {
        const slot = events[e]!;
        if (stamp[slot] === y) continue;
        stamp[slot] = y;
        this.person(slot, y);
      }
      if (y < firstReported) continue;
      if (this.chains) this.traceChains(y);
      const m = this.measure(y);
      const empty: Record<YearlyNeed, boolean> = {
        history: this.censoredAlive > 0 || this.censoredTouched,
        start_kind: this.unknownEntry,
        end_kind: this.unknownExit,
      };
      for (const need of YEARLY_NEEDS) if (empty[need]) emptyYears[need].push(y);
      this.input.needs.forEach((needs, j) => {
        if (needs.some((x) => !this.input.has.has(x) || ((YEARLY_NEEDS as readonly string[]).includes(x) && empty[x as YearlyNeed]))) m[j] = NaN;
      });
      metrics.set(m, years.length * METRICS.length);
      years.push(y);
    }
    return { replicate: this.replicate, years, metrics, emptyYears };
  }

  /**
   * The vacancy chains completed in year y (fill.ts, docking.ts pull): each recruit closes one. Its
   * post was left by a move this year, whose mover left a post this year, and so on back to a post
   * that nobody left by a move this year — one vacant when the year's filling began, which started
   * the chain. Its length counts the moves and the recruit; its rank is that of the first post.
   * (A post is left by at most one move a year, and a swap of posts opens none, so is not followed.)
   */
  private traceChains(y: number): void {
    const k = this.src.counters;
    const postRank = this.input.world.postRank;
    for (const q0 of this.recruited) {
      let q = q0, len = 1;
      while (this.movedOutYear[q] === y && len <= this.tw.nPosts) { q = this.movedTo[q]!; len++; }
      const r = postRank[q]!;
      k.chainsDone[r]!++;
      k.chainsLen[r]! += len;
    }
  }

  /** The state at the end of year y, and its metrics. */
  private measure(y: number): Float64Array {
    const s = this.store;
    const rows = this.rows;
    const occ = this.src.occupant;
    occ.fill(-1);
    for (let c = 0; c < this.n; c++) {
      const q = s.post[c]!;
      if (q < 0) continue;
      s.yearsInPost[c] = cap(y - rows.start[this.cur[c]!]!);
      s.yearsInRegion[c] = cap(y - this.regionSince[c]!);
      occ[q] = c;
    }
    this.src.year = y;
    this.src.policy = rulesAt(this.input.scenario, y).policy;
    return computeMetrics(tally(this.src));
  }

  /** What happens to the person in `slot` in year y, in the order of the model's phases. */
  private person(slot: number, y: number): void {
    const rows = this.rows;
    const { order, first } = this.input.careers;
    const p = this.persons[slot]!;
    const endPosts = first[p]! + this.input.careers.nPost[p]!;
    if (this.censored[slot]) this.censoredTouched = true;
    // A secondment that began earlier ends: a return (update), unless the person leaves the service (exit).
    const sc = this.sec[slot]!;
    if (sc >= 0 && rows.end[sc] === y && rows.start[sc]! < y && !this.leaving(slot, y, endPosts)) this.back(slot, y);
    // Spells in posts: an exit, a move (or several), an entry.
    for (;;) {
      const cr = this.cur[slot]!;
      const kn = this.nextPost[slot]!;
      const nx = kn < endPosts ? order[kn]! : -1;
      const nextNow = nx >= 0 && rows.start[nx] === y;
      if (cr >= 0 && rows.end[cr] === y) {
        if (nextNow && !isExitKind(rows.endKind[cr]!)) {
          this.move(slot, cr, nx, y);
          this.nextPost[slot]!++;
        } else this.exit(slot, cr);
        continue;
      }
      if (cr < 0 && nextNow) {
        this.enter(slot, nx, y, kn === first[p]);
        this.nextPost[slot]!++;
        continue;
      }
      break;
    }
    // A secondment begins (plan), within the spell in post (check.ts).
    const ks = this.nextSec[slot]!;
    if (ks < first[p + 1]! && rows.start[order[ks]!] === y) {
      this.nextSec[slot]!++;
      if (this.cur[slot]! >= 0) {
        this.second(slot, order[ks]!, y);
        if (rows.end[order[ks]!] === y && !this.leaving(slot, y, endPosts)) this.back(slot, y);
      }
    }
  }

  /** Whether the person's spell in post ends in year y without another beginning then (or by an exit). */
  private leaving(slot: number, y: number, endPosts: number): boolean {
    const rows = this.rows;
    const cr = this.cur[slot]!;
    if (cr < 0 || rows.end[cr] !== y) return false;
    const kn = this.nextPost[slot]!;
    return isExitKind(rows.endKind[cr]!) || !(kn < endPosts && rows.start[this.input.careers.order[kn]!] === y);
  }

  private regionOf(i: number): number {
    return Math.max(0, this.rows.region[i]!);
  }

  private rankOf(i: number): number {
    return Math.max(0, this.rows.rank[i]!);
  }

  /** Experience of the post of row i (update.ts careers: domain and system of the post, level of region g). */
  private serve(slot: number, i: number, g: number): void {
    const s = this.store;
    s.domainsServed[slot]! |= 1 << Math.max(0, this.rows.domain[i]!);
    s.levelsServed[slot]! |= 1 << (this.input.world.level[g]! - 1);
    s.systemsServed[slot]! |= 1 << Math.max(0, this.rows.system[i]!);
  }

  private move(slot: number, a: number, b: number, y: number): void {
    const rows = this.rows;
    const s = this.store;
    const from = s.region[slot]!, to = this.regionOf(b);
    const r0 = s.rank[slot]!, r1 = this.rankOf(b);
    const kind = rows.startKind[b] !== K_NONE ? rows.startKind[b]! : rows.endKind[a]!;
    this.log.push(slot, this.postOf[a]!, this.postOf[b]!, from, to, r0, r1, moveTypeOfKind(kind), cap(y - rows.start[a]!), cap(y - this.rankSince[slot]!));
    if (this.chains && kind !== K_ROTATION) {
      this.movedOutYear[this.postOf[a]!] = y;
      this.movedTo[this.postOf[a]!] = this.postOf[b]!;
    }
    this.serve(slot, b, to);
    if (to !== from) {
      if (s.regionsServed[slot]! < 255) s.regionsServed[slot]!++;
      this.regionSince[slot] = y;
    }
    if (r1 !== r0) this.rankSince[slot] = y;
    s.post[slot] = this.postOf[b]!;
    s.rank[slot] = r1;
    s.region[slot] = to;
    this.cur[slot] = b;
  }

  private exit(slot: number, a: number): void {
    const k = this.src.counters;
    const s = this.store;
    const ek = this.rows.endKind[a]!;
    if (ek === K_RETIREMENT) k.retirements++;
    else if (ek === K_QUIT) k.quits++;
    else if (ek === K_DISMISSAL) k.dismissals++;
    else if (ek === K_NONE && this.hasEndKind) this.unknownExit = true;
    this.lastRegion[slot] = this.regionOf(a);
    this.lastRank[slot] = this.rankOf(a);
    s.post[slot] = -1;
    s.secondRegion[slot] = -1;
    this.sec[slot] = -1;
    this.cur[slot] = -1;
    this.alive--;
    if (this.censored[slot]) this.censoredAlive--;
  }

  /** Entry in post by row b: the first record of the person (recruitment, or already in post), or a return to the service. */
  private enter(slot: number, b: number, y: number, firstRecord: boolean): void {
    const s = this.store;
    const g = this.regionOf(b), r = this.rankOf(b);
    const sk = this.rows.startKind[b]!;
    if (firstRecord) {
      s.domainsServed[slot] = 0;
      s.levelsServed[slot] = 0;
      s.systemsServed[slot] = 0;
      this.serve(slot, b, g);
      s.regionsServed[slot] = 1;
      this.rankSince[slot] = y;
      this.regionSince[slot] = y;
      // A career is known from entry into the service; one first seen in post began before the records.
      if (sk !== K_RECRUIT) this.censored[slot] = 1;
    } else {
      this.serve(slot, b, g);
      if (g !== this.lastRegion[slot]) {
        if (s.regionsServed[slot]! < 255) s.regionsServed[slot]!++;
        this.regionSince[slot] = y;
      }
      if (r !== this.lastRank[slot]) this.rankSince[slot] = y;
    }
    if (sk === K_RECRUIT) {
      this.src.counters.recruits++;
      if (this.chains) this.recruited.push(this.postOf[b]!);
    }
    else if (sk === K_NONE && this.hasStartKind) this.unknownEntry = true;
    if (this.censored[slot]) { this.censoredAlive++; this.censoredTouched = true; }
    s.post[slot] = this.postOf[b]!;
    s.rank[slot] = r;
    s.region[slot] = g;
    s.secondRegion[slot] = -1;
    this.cur[slot] = b;
    this.alive++;
  }

  /** A secondment (row i) to its region: the post is kept (plan.ts second, update.ts careers). */
  private second(slot: number, i: number, y: number): void {
    const s = this.store;
    const cr = this.cur[slot]!;
    const to = this.regionOf(i), from = s.region[slot]!, q = s.post[slot]!, r = s.rank[slot]!;
    this.log.push(slot, q, q, from, to, r, r, MT_SECONDMENT, cap(y - this.rows.start[cr]!), cap(y - this.rankSince[slot]!));
    this.serve(slot, cr, to);
    if (to !== from) {
      if (s.regionsServed[slot]! < 255) s.regionsServed[slot]!++;
      this.regionSince[slot] = y;
    }
    s.region[slot] = to;
    s.secondRegion[slot] = to;
    this.sec[slot] = i;
  }

  /** The return from a secondment to the post's region (update.ts returns). */
  private back(slot: number, y: number): void {
    const s = this.store;
    const cr = this.cur[slot]!;
    const q = s.post[slot]!, r = s.rank[slot]!, home = this.regionOf(cr);
    this.log.push(slot, q, q, s.region[slot]!, home, r, r, MT_RETURN, cap(y - this.rows.start[cr]!), cap(y - this.rankSince[slot]!));
    s.region[slot] = home;
    s.secondRegion[slot] = -1;
    this.regionSince[slot] = y;
    this.sec[slot] = -1;
  }
}
