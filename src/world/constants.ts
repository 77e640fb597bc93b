/**
 * Fixed vocabularies of the model (MODEL.md §2.2–2.4). Numbers, not strings,
 * because they index typed arrays in the yearly loop.
 */

/** Systems (条块, 三支队伍), MODEL.md §2.2. */
export const SYSTEMS = ['block', 'line', 'enterprise', 'institution'] as const;
export const SYS_BLOCK = 0;
export const SYS_LINE = 1;
export const SYS_ENTERPRISE = 2;
export const SYS_INSTITUTION = 3;
export const N_SYSTEMS = 4;

/** Identities: civil servant (block or line), enterprise manager, professional. */
export const IDENTITIES = ['civilServant', 'enterpriseManager', 'professional'] as const;
export function identityOfSystem(system: number): number {
  return system <= SYS_LINE ? 0 : system === SYS_ENTERPRISE ? 1 : 2;
}

/** Domains (functional areas), MODEL.md §2.3. */
export const DOMAINS = ['party', 'organisation', 'discipline', 'economy', 'law', 'agriculture', 'social', 'urban'] as const;
export const DOM_PARTY = 0;
export const DOM_ORGANISATION = 1;
export const DOM_DISCIPLINE = 2;
export const DOM_ECONOMY = 3;
export const DOM_LAW = 4;
export const N_DOMAINS = 8;

/** Ranks, MODEL.md §2.4: 0 staff 科员, 1 section 科级, 2 division/county 县处级, 3 bureau/prefecture 厅局级. */
export const RANKS = ['staff', 'section', 'division', 'bureau'] as const;
export const N_RANKS = 4;

/** Region levels: 1 county, 2 prefecture, 3 province. */
export const LEVEL_COUNTY = 1;
export const LEVEL_PREFECTURE = 2;
export const LEVEL_PROVINCE = 3;
export const LEVEL_NAMES = ['', 'county', 'prefecture', 'province'] as const;

/** Highest rank of a region's posts: counties stop at division rank (their leaders), others at bureau rank. */
export function topRank(level: number): number {
  return level === LEVEL_COUNTY ? 2 : 3;
}
/** Rank of a region's leadership team (领导班子): county leaders are division rank, prefecture and province department leaders bureau rank. */
export function teamRank(level: number): number {
  return level === LEVEL_COUNTY ? 2 : 3;
}

/** Post flags. */
export const F_LEADER = 1; // head of its unit at this rank (正职)
export const F_TEAM = 2; // member of the region's leadership team
export const F_HEAD = 4; // party secretary or government head (党政正职)
export const F_KEY = 8; // key post (重点岗位): discipline, organisation, law, economy leaders and the heads
export const F_SECRETARY = 16; // the party secretary (the other head is the government head)

/** Exchange types, MODEL.md §3.4, plus the voluntary and promotion moves of the fill phase. */
export const MOVE_TYPES = ['none', 'regulatory', 'cultivation', 'structural', 'care', 'disciplinary', 'election', 'voluntary', 'promotion', 'secondment', 'return'] as const;
export const MT_NONE = 0;
export const MT_REGULATORY = 1;
export const MT_CULTIVATION = 2;
export const MT_STRUCTURAL = 3;
export const MT_CARE = 4;
export const MT_DISCIPLINARY = 5;
export const MT_ELECTION = 6;
export const MT_VOLUNTARY = 7;
export const MT_PROMOTION = 8;
export const MT_SECONDMENT = 9;
export const MT_RETURN = 10;

/** How a cadre leaves the service (ExitLog, career records). */
export const EXIT_RETIREMENT = 1;
export const EXIT_QUIT = 2;
export const EXIT_DISMISSAL = 3;

/** Base pay by rank, in units of a staff member's base pay (MODEL.md §4.3). */
export const BASE_PAY = [1, 1.3, 1.8, 2.6] as const;

export function popcount8(x: number): number {
  x = x - ((x >>> 1) & 0x55);
  x = (x & 0x33) + ((x >>> 2) & 0x33);
  return (x + (x >>> 4)) & 0x0f;
}
