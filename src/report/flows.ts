/**
 * Exchange flows for the Sankey diagrams of the report and the page: moves
 * between region tiers (level × richer/poorer than the median wageIndex of
 * the level) and moves by type and direction. Counted from events.csv (the
 * report) or from a run's yearly move log (the page). Browser-safe: the page
 * builds its diagrams with the same functions.
 *
 * Left out, as in the metrics (src/metrics/tally.ts): returns from
 * secondment and promotions in place (same unit), which are not exchange.
 */
import type { SankeySpec } from './charts.js';
import { directionLabel, moveTypeLabel, tierLabel, type Lang } from './i18n.js';

/** What flows need of the world (src/world/world.ts World has all of it). */
export interface FlowWorld {
  nRegions: number;
  code: ArrayLike<string>;
  level: ArrayLike<number>;
  wageIndex: ArrayLike<number>;
  postUnit: ArrayLike<number>;
}

export const DIRECTIONS = ['up', 'down', 'reverse', 'forward', 'across', 'within'] as const;
export const FLOW_TYPES = ['regulatory', 'cultivation', 'structural', 'care', 'disciplinary', 'election', 'voluntary', 'promotion', 'secondment'] as const;
const LEVEL_ID = ['', 'county', 'prefecture', 'province'];

/** Tier of every region and the list of tiers in display order (top of the hierarchy first, richer first). */
export function regionTiers(w: Pick<FlowWorld, 'nRegions' | 'level' | 'wageIndex'>): { tiers: string[]; tierOf: number[] } {
  const byLevel: number[][] = [[], [], [], []];
  for (let g = 0; g < w.nRegions; g++) byLevel[w.level[g]!]!.push(w.wageIndex[g]!);
  const median = byLevel.map((xs) => {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  });
  const tiers: string[] = [];
  for (const lv of [3, 2, 1]) {
    if (byLevel[lv]!.length === 0) continue;
    if (byLevel[lv]!.length === 1) tiers.push(LEVEL_ID[lv]!);
    else tiers.push(`${LEVEL_ID[lv]}-rich`, `${LEVEL_ID[lv]}-poor`);
  }
  const tierOf: number[] = [];
  for (let g = 0; g < w.nRegions; g++) {
    const lv = w.level[g]!;
    const id = byLevel[lv]!.length === 1 ? LEVEL_ID[lv]! : `${LEVEL_ID[lv]}-${w.wageIndex[g]! >= median[lv]! ? 'rich' : 'poor'}`;
    tierOf.push(tiers.indexOf(id));
  }
  return { tiers, tierOf };
}

export function direction(w: Pick<FlowWorld, 'level' | 'wageIndex'>, from: number, to: number): number {
  if (from === to) return 5;
  const lf = w.level[from]!, lt = w.level[to]!;
  if (lt > lf) return 0;
  if (lt < lf) return 1;
  const wf = w.wageIndex[from]!, wt = w.wageIndex[to]!;
  if (wt < wf - 1e-9) return 2;
  if (wt > wf + 1e-9) return 3;
  return 4;
}

/** Counts of moves: tier × tier (between regions only) and type × direction (all moves). */
export interface FlowTally {
  tiers: string[];
  /** tiers.length² counts, from-major. */
  tierMatrix: number[];
  /** FLOW_TYPES.length × DIRECTIONS.length counts, type-major. */
  typeDir: number[];
  /** Replicate-years counted, to turn counts into moves per year. */
  runYears: number;
  moves: number;
}

export function emptyFlows(tiers: string[]): FlowTally {
  return { tiers, tierMatrix: new Array(tiers.length * tiers.length).fill(0), typeDir: new Array(FLOW_TYPES.length * DIRECTIONS.length).fill(0), runYears: 0, moves: 0 };
}

export function addFlows(into: FlowTally, other: FlowTally): void {
  other.tierMatrix.forEach((v, i) => (into.tierMatrix[i]! += v));
  other.typeDir.forEach((v, i) => (into.typeDir[i]! += v));
  into.runYears += other.runYears;
  into.moves += other.moves;
}

/** The classifier of moves for a world: returns a function that counts one move into a tally. */
export function flowCounter(w: FlowWorld): { tiers: string[]; count: (t: FlowTally, type: string, fromPost: number, toPost: number, fromRegion: number, toRegion: number, fromRank: number, toRank: number) => void } {
  const { tiers, tierOf } = regionTiers(w);
  const nT = tiers.length;
  const typeIndex = new Map<string, number>(FLOW_TYPES.map((t, i) => [t, i]));
  return {
    tiers,
    count(t, type, fromPost, toPost, gf, gt, fromRank, toRank) {
      const k = typeIndex.get(type);
      if (k === undefined) return; // returns from secondment, unknown types
      if (toRank > fromRank && w.postUnit[fromPost] === w.postUnit[toPost]) return; // promotion in place
      t.moves++;
      t.typeDir[k * DIRECTIONS.length + direction(w, gf, gt)]!++;
      if (gf !== gt) t.tierMatrix[tierOf[gf]! * nT + tierOf[gt]!]!++;
    },
  };
}

/** Flows of an events.csv text (columns of EVENTS_HEADER), over all its replicates and years. */
/**
 * Walks the moves of events.csv text, with region codes resolved to indices
 * (moves naming an unknown region are skipped), and returns the number of
 * distinct (replicate, year) pairs seen.
 */
export function eachEvent(
  text: string,
  code: ArrayLike<string>,
  visit: (type: string, fromPost: number, toPost: number, fromRegion: number, toRegion: number, fromRank: number, toRank: number) => void,
): number {
  const regionIndex = new Map<string, number>();
  for (let g = 0; g < code.length; g++) regionIndex.set(code[g]!, g);
  const lines = text.split('\n');
  const head = lines[0]!.split(',');
  const [iRep, iYear, iType, iFp, iTp, iFr, iTr, iFk, iTk] = ['replicate', 'year', 'type', 'from_post', 'to_post', 'from_region', 'to_region', 'from_rank', 'to_rank'].map((c) => head.indexOf(c));
  const runYears = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const f = line.split(',');
    runYears.add(`${f[iRep!]}:${f[iYear!]}`);
    const gf = regionIndex.get(f[iFr!]!), gt = regionIndex.get(f[iTr!]!);
    if (gf === undefined || gt === undefined) continue;
    visit(f[iType!]!, Number(f[iFp!]), Number(f[iTp!]), gf, gt, Number(f[iFk!]), Number(f[iTk!]));
  }
  return runYears.size;
}

export function flowsFromEvents(text: string, w: FlowWorld): FlowTally {
  const { tiers, count } = flowCounter(w);
  const t = emptyFlows(tiers);
  t.runYears = eachEvent(text, w.code, (type, fp, tp, gf, gt, fk, tk) => count(t, type, fp, tp, gf, gt, fk, tk));
  return t;
}

const TIER_COLORS: Record<string, string> = {
  province: '#2c3e50', 'province-rich': '#2c3e50', 'province-poor': '#5d6d7e',
  'prefecture-rich': '#2471a3', 'prefecture-poor': '#85c1e9', 'county-rich': '#b9770e', 'county-poor': '#f5cba7',
};
const DIR_COLORS = ['#1e8449', '#c0392b', '#e74c3c', '#2874a6', '#7f8c8d', '#bdc3c7'];

/** Sankey of moves per year between tiers: origins on the left, destinations on the right. */
export function tierSankey(t: FlowTally, lang: Lang, title?: string, subtitle?: string): SankeySpec {
  const nT = t.tiers.length;
  const per = Math.max(1, t.runYears);
  const arrow = lang === 'zh' ? '→ ' : '→ ';
  const nodes = [
    ...t.tiers.map((id) => ({ id: `from:${id}`, label: tierLabel(id, lang), color: TIER_COLORS[id], depth: 0 })),
    ...t.tiers.map((id) => ({ id: `to:${id}`, label: arrow + tierLabel(id, lang), color: TIER_COLORS[id], depth: 1 })),
  ];
  const links: SankeySpec['links'] = [];
  for (let a = 0; a < nT; a++) for (let b = 0; b < nT; b++) links.push({ source: `from:${t.tiers[a]}`, target: `to:${t.tiers[b]}`, value: t.tierMatrix[a * nT + b]! / per });
  return { title, subtitle, nodes, links, unit: lang === 'zh' ? '人次/年' : 'moves/year' };
}

/** Sankey of moves per year by type (left) and direction (right). */
export function typeSankey(t: FlowTally, lang: Lang, title?: string, subtitle?: string): SankeySpec {
  const per = Math.max(1, t.runYears);
  const nodes = [
    ...FLOW_TYPES.map((id, i) => ({ id: `type:${id}`, label: moveTypeLabel(id, lang), color: ['#7d3c98', '#27ae60', '#16a085', '#f39c12', '#922b21', '#2e86c1', '#95a5a6', '#d4ac0d', '#1abc9c'][i], depth: 0 })),
    ...DIRECTIONS.map((id, i) => ({ id: `dir:${id}`, label: directionLabel(id, lang), color: DIR_COLORS[i], depth: 1 })),
  ];
  const links: SankeySpec['links'] = [];
  FLOW_TYPES.forEach((ty, k) => DIRECTIONS.forEach((d, j) => links.push({ source: `type:${ty}`, target: `dir:${d}`, value: t.typeDir[k * DIRECTIONS.length + j]! / per })));
  return { title, subtitle, nodes, links, unit: lang === 'zh' ? '人次/年' : 'moves/year' };
}
