/**
 * The counts behind the metrics of MODEL.md §5, gathered in one pass over
 * cadres, one over this year's moves, one over posts and one over teams. The
 * metric definitions (definitions.ts) are small pure functions of a Tally.
 *
 * The passes read a TallySource: the columns, the year's move log and the
 * counters that a running Sim has, and that `cadreflow observe` rebuilds year
 * by year from a spells file (src/spells/rebuild.ts). Both call this code, so
 * a simulation and its career records are measured by one implementation.
 * TALLY_NEEDS says what each count needs of the records.
 */
import type { YearCounters } from '../model/sim.js';
import type { CadreStore } from '../model/store.js';
import type { MoveLog } from '../model/move-log.js';
import type { World } from '../world/world.js';
import type { Policy } from '../scenario/schema.js';
import { BASE_PAY, F_HEAD, F_KEY, F_LEADER, F_TEAM, LEVEL_PREFECTURE, MT_RETURN, MT_SECONDMENT, N_RANKS, popcount8, SYS_LINE } from '../world/constants.js';
import { allowanceShare } from '../model/wages.js';

/** The world as the tally reads it: regions, posts (flags, units, systems, domains), units of posts by region, teams. */
export type TallyWorld = Pick<World, 'nRegions' | 'level' | 'hardship' | 'prefecture' | 'wageIndex' | 'nPosts' | 'postRegion' | 'postFlags'
  | 'postSystem' | 'postDomain' | 'postUnit' | 'nUnits' | 'unitPostStart' | 'teamStart' | 'teamPosts'>;
/** The cadre columns the tally reads (slot-indexed; a slot is empty when post < 0). */
export type TallyStore = Pick<CadreStore, 'capacity' | 'post' | 'yearsInPost' | 'rank' | 'region' | 'secondRegion' | 'home' | 'domainsServed'
  | 'levelsServed' | 'systemsServed' | 'regionsServed' | 'yearsInRegion' | 'ties'>;
/** The year's moves as the tally reads them. */
export type TallyLog = Pick<MoveLog, 'n' | 'type' | 'fromPost' | 'toPost' | 'fromRegion' | 'toRegion' | 'fromRank' | 'toRank' | 'tenure' | 'rankYears'>;

/** What the tally reads: a Sim is one; observe builds another from career records. */
export interface TallySource {
  /** The calendar year whose end the state describes. */
  year: number;
  world: TallyWorld;
  store: TallyStore;
  /** Occupant of each post, -1 = vacant. */
  occupant: Int32Array;
  log: TallyLog;
  counters: YearCounters;
  policy: Pick<Policy, 'hardshipAllowance' | 'tenureFromRank' | 'maxTenure'>;
  scenario: { outputs: { stagnationYears: number } };
}

export interface Tally {
  year: number;
  headcount: number;
  headcountStart: number;
  /** All cadres with yearsInPost ≥ stagnationYears. */
  stagnant: number;
  /** Stagnant cadres by rank (the denominators are byRank). */
  stagnantByRank: Float64Array;
  /** By region level 1..3 (index 0 unused): leading cadres (rank ≥ 1) and stagnant leading cadres. */
  byLevel: Float64Array;
  stagnantByLevel: Float64Array;
  yearsInPostSum: number;
  domainsSum: number;
  senior: number; // rank ≥ 2
  /** Cadres by rank. */
  byRank: Float64Array;
  composite: number;
  grassroots: number;
  crossSystem: number;
  tiesSum: number;
  /** Holders of key posts (and the two heads) in counties and prefectures, and those serving in their home area. */
  keyHolders: number;
  keyLocal: number;
  tenureSubject: number;
  overdue: number;
  allowanceCost: number;
  // moves
  moves: number;
  fastMoves: number;
  /** Transfers at rank 3 (no promotion, no secondment) of cadres who had served LONG_TENURE_YEARS or more in the post. */
  longTenureTransfers3: number;
  crossRegion: number;
  reverse: number;
  forward: number;
  levelMoves: number;
  downward: number;
  promotions: number;
  promotionsExchanged: number;
  /** By target rank: promotions, exchanged promotions, summed years in rank. */
  promByRank: Float64Array;
  promExByRank: Float64Array;
  promYearsByRank: Float64Array;
  /** New team members by region level, and those from another region. */
  teamNew: Float64Array;
  teamNewExchanged: Float64Array;
  /** Occupied team posts at year end, by region level. */
  teamMembers: Float64Array;
  // 五多五少 (the study §2.2): counts of moves.
  horizontal: number;
  vertical: number;
  samePost: number;
  rotation: number;
  withinSystem: number;
  crossSystemMoves: number;
  partyGov: number;
  professional: number;
  leaders: number;
  nonLeaders: number;
  // posts and teams
  posts: number;
  vacant: number;
  hardshipPosts: number;
  hardshipVacant: number;
  teams: number;
  teamsStagnant: number;
  // flows
  quits: number;
  recruits: number;
  retirements: number;
  dismissals: number;
  chainsDone: Float64Array;
  chainsLen: Float64Array;
}

/**
 * What a count needs of career records (cadreflow observe, docs/SPELLS.md): a column of the
 * spells file (rank, region, system, domain, leader, team, key — key_post and head —, home,
 * start_kind, end_kind); `history`, careers known from entry (start_kind given, and in that
 * year no one in post whose career began before the records); `posts`, every spell in a post
 * of the scenario's world (so that posts nobody holds are known: vacancies); `chains`, vacancy
 * chains traced through the posts of the world (posts and start kinds, in a model that fills
 * vacancies by chains: not push docking); or `ties`, local ties, a latent trait that career
 * records do not carry.
 */
export type Need = 'rank' | 'region' | 'system' | 'domain' | 'leader' | 'team' | 'key' | 'home' | 'start_kind' | 'end_kind' | 'history' | 'posts' | 'ties' | 'chains';

/** A move is counted unless it is a promotion within the unit (region × system × domain): it needs all four. */
const MOVE: readonly Need[] = ['rank', 'region', 'system', 'domain'];

/** The needs of each count of the Tally; a metric needs those of the counts it reads (definitions.ts metricNeeds). */
export const TALLY_NEEDS: { readonly [K in keyof Tally]: readonly Need[] } = {
  year: [], headcount: [], headcountStart: [], stagnant: [], yearsInPostSum: [],
  stagnantByRank: ['rank'], byRank: ['rank'], senior: ['rank'], tenureSubject: ['rank'], overdue: ['rank'],
  byLevel: ['rank', 'region'], stagnantByLevel: ['rank', 'region'], allowanceCost: ['rank', 'region'],
  domainsSum: ['domain', 'history'], composite: ['rank', 'domain', 'region', 'history'], grassroots: ['rank', 'region', 'history'],
  crossSystem: ['system', 'history'], tiesSum: ['ties'],
  keyHolders: ['rank', 'key', 'region'], keyLocal: ['rank', 'key', 'region', 'home'],
  moves: MOVE, fastMoves: MOVE, crossRegion: MOVE, reverse: MOVE, forward: MOVE, levelMoves: MOVE, downward: MOVE,
  horizontal: MOVE, vertical: MOVE, samePost: MOVE, rotation: MOVE, withinSystem: MOVE, crossSystemMoves: MOVE,
  partyGov: MOVE, professional: MOVE, leaders: [...MOVE, 'leader'], nonLeaders: [...MOVE, 'leader'],
  longTenureTransfers3: ['rank'], promotions: ['rank'], promByRank: ['rank'],
  promotionsExchanged: ['rank', 'region', 'system'], promExByRank: ['rank', 'region', 'system'], promYearsByRank: ['rank', 'history'],
  teamNew: ['team', 'region'], teamNewExchanged: ['team', 'region'], teamMembers: ['team', 'region'],
  teams: ['team', 'region'], teamsStagnant: ['team', 'region', 'history'],
  posts: ['posts'], vacant: ['posts'], hardshipPosts: ['posts'], hardshipVacant: ['posts'],
  quits: ['end_kind'], retirements: ['end_kind'], dismissals: ['end_kind'], recruits: ['start_kind'],
  chainsDone: ['chains', 'start_kind'], chainsLen: ['chains', 'start_kind'],
};

/** A team member counts as exchanged in if they came from another region within this many years (板结 of teams). */
export const TEAM_RECENT_YEARS = 5;
/** A full term (一届): the study's "任职时间较长" read as five years or more in the post. */
export const LONG_TENURE_YEARS = 5;

export function tally(sim: TallySource): Tally {
  const w = sim.world;
  const t: Tally = {
    year: sim.year, headcount: 0, headcountStart: sim.counters.headcountStart, stagnant: 0,
    stagnantByRank: new Float64Array(N_RANKS), byLevel: new Float64Array(4), stagnantByLevel: new Float64Array(4), yearsInPostSum: 0, domainsSum: 0,
    senior: 0, byRank: new Float64Array(N_RANKS), keyHolders: 0, keyLocal: 0, composite: 0, grassroots: 0, crossSystem: 0, tiesSum: 0, tenureSubject: 0, overdue: 0, allowanceCost: 0,
    moves: 0, fastMoves: 0, longTenureTransfers3: 0, crossRegion: 0, reverse: 0, forward: 0, levelMoves: 0, downward: 0, promotions: 0,
    promotionsExchanged: 0, promByRank: new Float64Array(N_RANKS), promExByRank: new Float64Array(N_RANKS),
    promYearsByRank: new Float64Array(N_RANKS), teamNew: new Float64Array(4), teamNewExchanged: new Float64Array(4), teamMembers: new Float64Array(4),
    horizontal: 0, vertical: 0, samePost: 0, rotation: 0, withinSystem: 0, crossSystemMoves: 0, partyGov: 0,
    professional: 0, leaders: 0, nonLeaders: 0, posts: w.nPosts, vacant: 0, hardshipPosts: 0, hardshipVacant: 0,
    teams: 0, teamsStagnant: 0, quits: sim.counters.quits, recruits: sim.counters.recruits,
    retirements: sim.counters.retirements, dismissals: sim.counters.dismissals,
    chainsDone: sim.counters.chainsDone, chainsLen: sim.counters.chainsLen,
  };
  tallyCadres(sim, t);
  tallyMoves(sim, t);
  tallyPosts(sim, t);
  tallyTeams(sim, t);
  return t;
}

// The passes are separate functions: each loop is then optimised with its own
// type feedback, where one long function was deoptimised year after year.

function tallyCadres(sim: TallySource, t: Tally): void {
  const s = sim.store;
  const w = sim.world;
  const p = sim.policy;
  const stagYears = sim.scenario.outputs.stagnationYears;
  // One pass over the slots. The counts live in locals and the per-cadre
  // lookups that depend only on the post's region and the rank (level,
  // hardship allowance) come from small tables: at a million cadres this loop
  // is a measurable part of the year. Sums run in slot order as before.
  const nR = w.nRegions;
  const allowance = new Float64Array(nR * N_RANKS);
  for (let g = 0; g < nR; g++) {
    const h = w.hardship[g]!;
    if (h > 0) for (let r = 0; r < N_RANKS; r++) allowance[g * N_RANKS + r] = BASE_PAY[r]! * allowanceShare(p.hardshipAllowance, h);
  }
  const byLevel = t.byLevel, stagnantByLevel = t.stagnantByLevel, byRank = t.byRank, stagnantByRank = t.stagnantByRank;
  const level = w.level, postRegion = w.postRegion, postFlags = w.postFlags, hardship = w.hardship, prefecture = w.prefecture;
  const postCol = s.post, yipCol = s.yearsInPost, rankCol = s.rank, regionCol = s.region, secondCol = s.secondRegion;
  const tenureFromRank = p.tenureFromRank, maxTenure = p.maxTenure;
  let headcount = 0, stagnant = 0, yearsInPostSum = 0, domainsSum = 0, senior = 0, composite = 0, grassroots = 0;
  let crossSystem = 0, tiesSum = 0, keyHolders = 0, keyLocal = 0, tenureSubject = 0, overdue = 0, allowanceCost = 0;
  for (let c = 0; c < s.capacity; c++) {
    const post = postCol[c]!;
    if (post < 0) continue;
    headcount++;
    const yip = yipCol[c]!;
    // The post's region: the region served, unless seconded (a sequential read instead of a random one into postRegion).
    const g = secondCol[c]! < 0 ? regionCol[c]! : postRegion[post]!;
    const lv = level[g]!;
    const r = rankCol[c]!;
    byRank[r]!++;
    if (r > 0) byLevel[lv]!++;
    if (yip >= stagYears) {
      stagnant++;
      stagnantByRank[r]!++;
      if (r > 0) stagnantByLevel[lv]!++;
    }
    yearsInPostSum += yip;
    const nd = popcount8(s.domainsServed[c]!);
    domainsSum += nd;
    if (r >= 2) {
      senior++;
      const lvs = s.levelsServed[c]!;
      if (nd >= 3 && popcount8(lvs) >= 2 && s.regionsServed[c]! >= 2) composite++;
      if (lvs & 1) grassroots++;
    }
    if (popcount8(s.systemsServed[c]!) > 1) crossSystem++;
    tiesSum += s.ties[c]!;
    // Only posts above staff rank carry flags (world.ts), so most cadres skip this random read.
    const f = r > 0 ? postFlags[post]! : 0;
    if ((f & F_LEADER) && (f & (F_KEY | F_HEAD)) && lv < 3) {
      keyHolders++;
      // violatesAvoidance (plan.ts), inlined.
      const home = s.home[c]!;
      if (g === home || (lv === LEVEL_PREFECTURE && prefecture[home] === g)) keyLocal++;
    }
    if (r >= tenureFromRank) {
      tenureSubject++;
      if (yip >= maxTenure) overdue++;
    }
    if (hardship[g]! > 0) allowanceCost += allowance[g * N_RANKS + r]!;
  }
  t.headcount = headcount; t.stagnant = stagnant; t.yearsInPostSum = yearsInPostSum; t.domainsSum = domainsSum;
  t.senior = senior; t.composite = composite; t.grassroots = grassroots; t.crossSystem = crossSystem; t.tiesSum = tiesSum;
  t.keyHolders = keyHolders; t.keyLocal = keyLocal; t.tenureSubject = tenureSubject; t.overdue = overdue; t.allowanceCost = allowanceCost;
}

function tallyMoves(sim: TallySource, t: Tally): void {
  const w = sim.world;
  // Moves (returns from secondment are not moves; promotions within the unit are not exchange moves).
  const log = sim.log;
  for (let i = 0; i < log.n; i++) {
    const type = log.type[i]!;
    if (type === MT_RETURN) continue;
    const from = log.fromPost[i]!, to = log.toPost[i]!;
    const gf = log.fromRegion[i]!, gt = log.toRegion[i]!;
    const promotion = log.toRank[i]! > log.fromRank[i]!;
    const crossRegion = gf !== gt;
    const crossSys = w.postSystem[from] !== w.postSystem[to];
    if (promotion) {
      const r = log.toRank[i]!;
      t.promotions++;
      t.promByRank[r]!++;
      t.promYearsByRank[r]! += log.rankYears[i]!;
      if (crossRegion || crossSys) { t.promotionsExchanged++; t.promExByRank[r]!++; }
    }
    // A new team member: one who moved into a team post. A team member's secondment is logged
    // with its own (kept) post as the target and the county of the secondment as the region: it
    // brings no one new into a team.
    if ((w.postFlags[to]! & F_TEAM) && type !== MT_SECONDMENT) {
      const lv = w.level[gt]!;
      t.teamNew[lv]!++;
      if (crossRegion) t.teamNewExchanged[lv]!++;
    }
    if (!promotion && type !== MT_SECONDMENT && log.fromRank[i] === 3 && log.tenure[i]! >= LONG_TENURE_YEARS) t.longTenureTransfers3++;
    if (promotion && w.postUnit[from] === w.postUnit[to]) continue; // promotion in place
    t.moves++;
    if (log.tenure[i]! < 2) t.fastMoves++;
    if (crossRegion) {
      t.crossRegion++;
      const wf = w.wageIndex[gf]!, wt = w.wageIndex[gt]!;
      if (wt < wf - 1e-9) t.reverse++;
      else if (wt > wf + 1e-9) t.forward++;
    }
    const lf = w.level[gf]!, lt = w.level[gt]!;
    if (lf !== lt) {
      t.levelMoves++;
      t.vertical++;
      if (lt < lf) t.downward++;
    } else t.horizontal++;
    if (w.postDomain[from] === w.postDomain[to]) t.samePost++; else t.rotation++;
    if (crossSys) t.crossSystemMoves++; else t.withinSystem++;
    if (w.postSystem[from]! <= SYS_LINE) t.partyGov++; else t.professional++;
    if (w.postFlags[from]! & F_LEADER) t.leaders++; else t.nonLeaders++;
  }
}

/**
 * Vacant posts, all and in hardship regions. (The posts and the teams are two
 * functions: as one, V8 optimised it inside the first loop and deoptimised it
 * at the code after, year after year.)
 */
function tallyPosts(sim: TallySource, t: Tally): void {
  const w = sim.world;
  const nR = w.nRegions;
  const hardship = w.hardship;
  // Posts, region by region (a region's posts are contiguous: its units' ranges in unitPostStart).
  const occupant = sim.occupant;
  const unitsPerRegion = w.nUnits / nR;
  let vacant = 0, hardshipPosts = 0, hardshipVacant = 0;
  for (let g = 0; g < nR; g++) {
    const a = w.unitPostStart[g * unitsPerRegion]!, e = w.unitPostStart[(g + 1) * unitsPerRegion]!;
    let vac = 0;
    for (let q = a; q < e; q++) if (occupant[q]! < 0) vac++;
    vacant += vac;
    if (hardship[g]! > 0) { hardshipPosts += e - a; hardshipVacant += vac; }
  }
  t.vacant = vacant; t.hardshipPosts = hardshipPosts; t.hardshipVacant = hardshipVacant;
}

/** Teams: stagnant if no member arrived from another region in the last TEAM_RECENT_YEARS years; members by region level. */
function tallyTeams(sim: TallySource, t: Tally): void {
  const s = sim.store;
  const w = sim.world;
  for (let g = 0; g < w.nRegions; g++) {
    const a = w.teamStart[g]!, e = w.teamStart[g + 1]!;
    if (e === a) continue;
    t.teams++;
    let fresh = 0, members = 0;
    for (let i = a; i < e; i++) {
      const c = sim.occupant[w.teamPosts[i]!]!;
      if (c < 0) continue;
      members++;
      if (s.regionsServed[c]! > 1 && s.yearsInRegion[c]! < TEAM_RECENT_YEARS) fresh = 1;
    }
    if (!fresh) t.teamsStagnant++;
    t.teamMembers[w.level[g]!]! += members;
  }
}
