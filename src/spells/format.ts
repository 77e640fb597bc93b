/**
 * The spell format (docs/SPELLS.md): career records, one row per cadre per post
 * held, as `run --spells` writes them and `observe` reads them. The columns,
 * the kinds of move that start and end a spell, and the cells' spelling.
 */
import {
  EXIT_DISMISSAL, EXIT_QUIT, EXIT_RETIREMENT, MT_CARE, MT_CULTIVATION, MT_DISCIPLINARY, MT_ELECTION, MT_NONE, MT_PROMOTION, MT_REGULATORY,
  MT_RETURN, MT_SECONDMENT, MT_STRUCTURAL, MT_VOLUNTARY,
} from '../world/constants.js';

export interface SpellColumn {
  name: string;
  /** One line for docs/SPELLS.md (the docs test checks that every column is there). */
  text: string;
}

/** The columns, in the order `run --spells` writes them. Only `cadre` and `start_year` are required of a researcher's file. */
export const SPELL_COLUMNS: readonly SpellColumn[] = [
  { name: 'replicate', text: 'replicate of the run (an integer); a researcher’s file may leave the column out (all one population)' },
  { name: 'cadre', text: 'the person: any text, unique within a replicate (the model writes its cadre number, 0, 1, 2, … in order of creation)' },
  { name: 'start_year', text: 'calendar year the spell began (the year of the move, recruitment or secondment)' },
  { name: 'end_year', text: 'calendar year it ended; empty while in post (at the end of the run or of the records)' },
  { name: 'post', text: 'the model’s post number in the scenario’s world (0 … posts − 1); may be empty or left out in a researcher’s file, which then gives the post’s rank, region, system, domain and flags; a secondment row repeats the post that is kept' },
  { name: 'rank', text: '0 staff 科员, 1 section 科级, 2 division/county 县处级, 3 bureau/prefecture 厅局级 (counties’ posts stop at 2)' },
  { name: 'region', text: 'region code of the post (GB/T 2260 for the gansu preset, e.g. 620102; the scenario’s codes for other worlds); for a secondment, the county served' },
  { name: 'level', text: '1 county, 2 prefecture, 3 province: the region’s level (checked against the scenario’s world; may be left out)' },
  { name: 'system', text: 'block, line, enterprise or institution (条块, 三支队伍); empty in a secondment row' },
  { name: 'domain', text: 'party, organisation, discipline, economy, law, agriculture, social or urban; empty in a secondment row' },
  { name: 'leader', text: 'TRUE for the head of its unit at its rank (正职); a key post or a head counts as one' },
  { name: 'team', text: 'TRUE for a seat on the region’s leadership team (领导班子)' },
  { name: 'key_post', text: 'TRUE for a key post (重点岗位: organisation, discipline, law and economy leaders, and the two heads)' },
  { name: 'head', text: 'TRUE for the party secretary or the government head (党政正职)' },
  { name: 'start_kind', text: 'the kind of move that began the spell (see the kinds)' },
  { name: 'end_kind', text: 'the kind of move that ended it; empty while in post' },
  { name: 'birth_year', text: 'calendar year of birth' },
  { name: 'sex', text: 'M or F (also read: male, female, 男, 女)' },
  { name: 'home', text: 'region code of the home county (籍贯), for hometown avoidance' },
];
export const SPELL_HEADER = SPELL_COLUMNS.map((c) => c.name);

/** Kinds of move (start_kind, end_kind). 0 is an empty cell. */
export const KINDS = [
  '', 'initial', 'recruit', 'promotion', 'transfer', 'rotation', 'regulatory', 'cultivation', 'structural', 'care', 'disciplinary', 'election',
  'secondment', 'return', 'retirement', 'quit', 'dismissal',
] as const;
export const K_NONE = 0;
export const K_INITIAL = 1;
export const K_RECRUIT = 2;
export const K_PROMOTION = 3;
export const K_TRANSFER = 4;
export const K_ROTATION = 5;
export const K_REGULATORY = 6;
export const K_CULTIVATION = 7;
export const K_STRUCTURAL = 8;
export const K_CARE = 9;
export const K_DISCIPLINARY = 10;
export const K_ELECTION = 11;
export const K_SECONDMENT = 12;
export const K_RETURN = 13;
export const K_RETIREMENT = 14;
export const K_QUIT = 15;
export const K_DISMISSAL = 16;

export const KIND_TEXT: Record<(typeof KINDS)[number], string> = {
  '': 'unknown (or, for end_kind, still in post)',
  initial: 'in post when the records begin: the career before is not known (the model’s initial population)',
  recruit: 'entry into the service (公务员考试): the career is known from here',
  promotion: 'a promotion that was not a planned exchange',
  transfer: 'a move the cadre applied for (the model’s voluntary move; voluntary is read as transfer)',
  rotation: 'a swap of posts between two planned movers (轮岗, 对调)',
  regulatory: 'planned exchange: tenure limit or hometown avoidance (制度性交流)',
  cultivation: 'planned exchange: training of a reserve cadre (培养性交流)',
  structural: 'planned exchange: the make-up of a leadership team (结构性交流)',
  care: 'planned exchange: closer to home (照顾性交流)',
  disciplinary: 'planned exchange: poor appraisal with strong local ties (惩戒性交流)',
  election: 'planned exchange at a general election (换届)',
  secondment: 'start of a secondment (挂职): a row of its own, within the spell of the post that is kept',
  return: 'end of a secondment',
  retirement: 'left the service at the age limit',
  quit: 'left the service by resigning',
  dismissal: 'left the service by dismissal',
};

const KIND_OF_NAME = new Map<string, number>(KINDS.map((k, i) => [k, i]));
KIND_OF_NAME.set('voluntary', K_TRANSFER);

/** The kind named by a cell (case-insensitive), -1 if unknown. */
export function kindOf(cell: string): number {
  const k = KIND_OF_NAME.get(cell) ?? KIND_OF_NAME.get(cell.trim().toLowerCase());
  return k ?? -1;
}

export function isExitKind(k: number): boolean {
  return k === K_RETIREMENT || k === K_QUIT || k === K_DISMISSAL;
}

/** A kind that moves a cadre from one post to another (neither entry, exit nor secondment). */
export function isMoveKind(k: number): boolean {
  return k >= K_PROMOTION && k <= K_ELECTION;
}

/** The kind of a logged move of the model (MT_*). */
export function kindOfMoveType(type: number): number {
  switch (type) {
    case MT_REGULATORY: return K_REGULATORY;
    case MT_CULTIVATION: return K_CULTIVATION;
    case MT_STRUCTURAL: return K_STRUCTURAL;
    case MT_CARE: return K_CARE;
    case MT_DISCIPLINARY: return K_DISCIPLINARY;
    case MT_ELECTION: return K_ELECTION;
    case MT_VOLUNTARY: return K_TRANSFER;
    case MT_PROMOTION: return K_PROMOTION;
    case MT_SECONDMENT: return K_SECONDMENT;
    case MT_RETURN: return K_RETURN;
    default: return K_NONE;
  }
}

/** The model's move type (MT_*) of a kind, for the move log that observe rebuilds (rotation and unknown kinds: MT_NONE). */
export function moveTypeOfKind(k: number): number {
  switch (k) {
    case K_REGULATORY: return MT_REGULATORY;
    case K_CULTIVATION: return MT_CULTIVATION;
    case K_STRUCTURAL: return MT_STRUCTURAL;
    case K_CARE: return MT_CARE;
    case K_DISCIPLINARY: return MT_DISCIPLINARY;
    case K_ELECTION: return MT_ELECTION;
    case K_TRANSFER: return MT_VOLUNTARY;
    case K_PROMOTION: return MT_PROMOTION;
    case K_SECONDMENT: return MT_SECONDMENT;
    case K_RETURN: return MT_RETURN;
    default: return MT_NONE;
  }
}

/** The kind of an exit of the model (EXIT_*). */
export function kindOfExit(exit: number): number {
  return exit === EXIT_RETIREMENT ? K_RETIREMENT : exit === EXIT_QUIT ? K_QUIT : exit === EXIT_DISMISSAL ? K_DISMISSAL : K_NONE;
}

/** A boolean cell: TRUE/FALSE (any case), 1/0; empty is FALSE. undefined if unreadable. */
export function flagOf(cell: string): boolean | undefined {
  switch (cell) {
    case 'TRUE': case 'true': case '1': return true;
    case 'FALSE': case 'false': case '0': case '': return false;
  }
  const t = cell.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0' || t === '') return false;
  return undefined;
}

/** Sex cell: 1 female, 0 male, -1 empty, undefined if unreadable. */
export function sexOf(cell: string): number | undefined {
  if (cell === 'M') return 0;
  if (cell === 'F') return 1;
  switch (cell.trim().toLowerCase()) {
    case 'f': case 'female': case '女': return 1;
    case 'm': case 'male': case '男': return 0;
    case '': return -1;
  }
  return undefined;
}
