/**
 * The metrics of MODEL.md §5 (column names are part of the interface), each a
 * small pure function of the year's Tally. NaN where a metric is undefined
 * (e.g. no moves this year); it is written as an empty CSV cell.
 */
import { TALLY_NEEDS, type Need, type Tally } from './tally.js';

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);

export interface MetricDef {
  name: string;
  /** One line for the docs and the report. */
  text: string;
  /** Listed in the terminal table and the report's headline charts. */
  headline?: boolean;
  /**
   * A proportion in [0, 1]: a share, or a rate per cadre (quits per cadre). Its 95% CI over
   * replicates stays in [0, 1] (report/ci.ts), the report shows its differences in percentage
   * points and starts its axes at 0.
   */
  share?: boolean;
  /** In [0, 1] without being a proportion (mean_ties, a mean of ties in 0..1): its CI stays in [0, 1] as a share's. */
  unitRange?: boolean;
  value: (t: Tally) => number;
}

export const METRICS: MetricDef[] = [
  // 板结 is about leading cadres (rank ≥ 1, section level and above), whom the tenure rules bind; the
  // headline counts them alone, on a fixed population, so that reforms of tenureFromRank compare like with like.
  { name: 'stagnation_share', share: true, headline: true, text: 'share of leading cadres (rank ≥ 1) with yearsInPost ≥ stagnationYears', value: (t) => ratio(t.stagnantByRank[1]! + t.stagnantByRank[2]! + t.stagnantByRank[3]!, t.byRank[1]! + t.byRank[2]! + t.byRank[3]!) },
  { name: 'stagnation_share_all', share: true, text: 'share of all cadres, staff (rank 0) included, with yearsInPost ≥ stagnationYears', value: (t) => ratio(t.stagnant, t.headcount) },
  ...[0, 1, 2, 3].map((r) => ({ name: `stagnation_share_rank${r}`, share: true, text: `share of rank-${r} cadres with yearsInPost ≥ stagnationYears`, value: (t: Tally) => ratio(t.stagnantByRank[r]!, t.byRank[r]!) })),
  { name: 'stagnation_share_county', share: true, text: 'stagnation_share among leading cadres in county posts', value: (t) => ratio(t.stagnantByLevel[1]!, t.byLevel[1]!) },
  { name: 'stagnation_share_prefecture', share: true, text: 'stagnation_share among leading cadres in prefecture posts', value: (t) => ratio(t.stagnantByLevel[2]!, t.byLevel[2]!) },
  { name: 'stagnation_share_province', share: true, text: 'stagnation_share among leading cadres in province posts', value: (t) => ratio(t.stagnantByLevel[3]!, t.byLevel[3]!) },
  { name: 'team_stagnation_share', share: true, headline: true, text: 'share of leadership teams with no member who arrived from another region in the last 5 years', value: (t) => ratio(t.teamsStagnant, t.teams) },
  { name: 'mean_years_in_post', text: 'mean of yearsInPost', value: (t) => ratio(t.yearsInPostSum, t.headcount) },
  { name: 'fast_turnover_share', share: true, text: 'share of this year’s moves by cadres with yearsInPost < 2', value: (t) => ratio(t.fastMoves, t.moves) },
  { name: 'skill_diversity', headline: true, text: 'mean number of distinct domains served', value: (t) => ratio(t.domainsSum, t.headcount) },
  { name: 'composite_share', share: true, text: 'share of rank ≥ 2 cadres with ≥ 3 domains, ≥ 2 levels and ≥ 2 regions (复合型)', value: (t) => ratio(t.composite, t.senior) },
  { name: 'grassroots_share', share: true, text: 'share of rank ≥ 2 cadres who have served at county level', value: (t) => ratio(t.grassroots, t.senior) },
  { name: 'cross_system_share', share: true, text: 'share of cadres who have served in more than one system', value: (t) => ratio(t.crossSystem, t.headcount) },
  { name: 'moves_per_100', headline: true, text: 'moves this year per 100 cadres (promotions in place excluded)', value: (t) => ratio(100 * t.moves, t.headcount) },
  { name: 'reverse_share', share: true, headline: true, text: 'share of this year’s cross-region moves that go to a lower wageIndex', value: (t) => ratio(t.reverse, t.crossRegion) },
  { name: 'downward_share', share: true, text: 'share of moves between region levels that go down', value: (t) => ratio(t.downward, t.levelMoves) },
  { name: 'reverse_balance', text: 'reverse moves / forward moves (1 = balanced)', value: (t) => ratio(t.reverse, t.forward) },
  { name: 'exchange_coverage', share: true, headline: true, text: 'share of this year’s promotions in which the cadre changed region or system (交流面)', value: (t) => ratio(t.promotionsExchanged, t.promotions) },
  { name: 'exchange_coverage_rank2', share: true, text: 'exchange_coverage of promotions to rank 2 (division)', value: (t) => ratio(t.promExByRank[2]!, t.promByRank[2]!) },
  { name: 'exchange_coverage_rank3', share: true, text: 'exchange_coverage of promotions to rank 3 (bureau)', value: (t) => ratio(t.promExByRank[3]!, t.promByRank[3]!) },
  { name: 'team_exchange_coverage', share: true, text: 'share of this year’s new leadership-team members who came from another region', value: (t) => ratio(t.teamNewExchanged[1]! + t.teamNewExchanged[2]! + t.teamNewExchanged[3]!, t.teamNew[1]! + t.teamNew[2]! + t.teamNew[3]!) },
  { name: 'team_exchange_coverage_county', share: true, text: 'team_exchange_coverage of county teams', value: (t) => ratio(t.teamNewExchanged[1]!, t.teamNew[1]!) },
  { name: 'team_exchange_coverage_prefecture', share: true, text: 'team_exchange_coverage of prefecture teams', value: (t) => ratio(t.teamNewExchanged[2]!, t.teamNew[2]!) },
  { name: 'team_exchange_share_county', share: true, text: 'members of county teams who came from another region this year, per member at year end (the source’s 交流面 of teams)', value: (t) => ratio(t.teamNewExchanged[1]!, t.teamMembers[1]!) },
  { name: 'team_exchange_share_prefecture', share: true, text: 'members of prefecture teams who came from another region this year, per member at year end', value: (t) => ratio(t.teamNewExchanged[2]!, t.teamMembers[2]!) },
  { name: 'hardship_vacancy_rate', share: true, headline: true, text: 'vacancy rate of posts in hardship regions (category ≥ 1)', value: (t) => ratio(t.hardshipVacant, t.hardshipPosts) },
  { name: 'vacancy_rate', share: true, text: 'vacancy rate of all posts', value: (t) => ratio(t.vacant, t.posts) },
  { name: 'long_tenure_transfer_rate_rank3', share: true, text: 'transfers at bureau rank (no promotion, no secondment) of cadres with ≥ 5 years in the post, per rank-3 cadre at year end (the study: 88 平职交流 of long-serving bureau cadres in 2008)', value: (t) => ratio(t.longTenureTransfers3, t.byRank[3]!) },
  { name: 'overdue_share', share: true, text: 'share of cadres subject to the tenure limit who are past maxTenure and still in post', value: (t) => ratio(t.overdue, t.tenureSubject) },
  { name: 'key_post_local_share', share: true, text: 'share of key-post holders and heads in counties and prefectures who serve in their home area (what hometown avoidance forbids; seed: essentially none)', value: (t) => ratio(t.keyLocal, t.keyHolders) },
  { name: 'mean_ties', unitRange: true, headline: true, text: 'mean local ties (a corruption-risk proxy)', value: (t) => ratio(t.tiesSum, t.headcount) },
  { name: 'quit_rate', share: true, text: 'quits this year / cadres', value: (t) => ratio(t.quits, t.headcountStart) },
  { name: 'allowance_cost', text: 'hardship allowances paid this year, in staff base-pay units', value: (t) => t.allowanceCost },
  { name: 'headcount', text: 'cadres in post at year end', value: (t) => t.headcount },
  ...[0, 1, 2, 3].map((r) => ({ name: `rank_share_${r}`, share: true, text: `share of cadres at rank ${r} (the pyramid)`, value: (t: Tally) => ratio(t.byRank[r]!, t.headcount) })),
  { name: 'chain_length', text: 'mean length of the vacancy chains completed this year', value: (t) => ratio(t.chainsLen[0]! + t.chainsLen[1]! + t.chainsLen[2]! + t.chainsLen[3]!, t.chainsDone[0]! + t.chainsDone[1]! + t.chainsDone[2]! + t.chainsDone[3]!) },
  ...[0, 1, 2, 3].map((r) => ({ name: `chain_length_rank${r}`, text: `chain_length of chains that started at rank ${r}`, value: (t: Tally) => ratio(t.chainsLen[r]!, t.chainsDone[r]!) })),
  { name: 'years_to_promotion', text: 'mean years in rank of this year’s promotees', value: (t) => ratio(t.promYearsByRank[1]! + t.promYearsByRank[2]! + t.promYearsByRank[3]!, t.promotions) },
  ...[1, 2, 3].map((r) => ({ name: `years_to_promotion_rank${r}`, text: `years_to_promotion of promotions to rank ${r}`, value: (t: Tally) => ratio(t.promYearsByRank[r]!, t.promByRank[r]!) })),
  { name: 'recruit_rate', share: true, text: 'recruits this year / cadres', value: (t) => ratio(t.recruits, t.headcountStart) },
  { name: 'retire_rate', share: true, text: 'retirements this year / cadres', value: (t) => ratio(t.retirements, t.headcountStart) },
  { name: 'dismiss_rate', share: true, text: 'dismissals this year / cadres', value: (t) => ratio(t.dismissals, t.headcountStart) },
  { name: 'promotion_rate', share: true, text: 'promotions this year / cadres', value: (t) => ratio(t.promotions, t.headcountStart) },
  // 五多五少 (the study §2.2) as ratios of move counts.
  { name: 'ratio_horizontal_vertical', text: 'moves within a region level / moves between levels (横向多、纵向少)', value: (t) => ratio(t.horizontal, t.vertical) },
  { name: 'ratio_samepost_rotation', text: 'moves to the same domain / to another domain (同岗位多、轮岗少)', value: (t) => ratio(t.samePost, t.rotation) },
  { name: 'ratio_within_cross_system', text: 'moves within a system / across systems (系统内多、跨系统少)', value: (t) => ratio(t.withinSystem, t.crossSystemMoves) },
  { name: 'ratio_partygov_professional', text: 'moves of party-government cadres / of enterprise and professional cadres (党政多、专业技术少)', value: (t) => ratio(t.partyGov, t.professional) },
  { name: 'ratio_leader_nonleader', text: 'moves of leaders / of non-leaders (领导多、非领导少)', value: (t) => ratio(t.leaders, t.nonLeaders) },
];

export const METRIC_NAMES = METRICS.map((m) => m.name);
export const HEADLINE = METRICS.filter((m) => m.headline).map((m) => m.name);
/** Metrics that are proportions (`share`). */
export const SHARES: ReadonlySet<string> = new Set(METRICS.filter((m) => m.share).map((m) => m.name));
/** Metrics whose values lie in [0, 1] (shares and `unitRange`): their CIs over replicates stay in [0, 1]. */
export const UNIT_RANGE: ReadonlySet<string> = new Set(METRICS.filter((m) => m.share || m.unitRange).map((m) => m.name));

export function computeMetrics(t: Tally): Float64Array {
  const out = new Float64Array(METRICS.length);
  for (let i = 0; i < METRICS.length; i++) out[i] = METRICS[i]!.value(t);
  return out;
}

/**
 * What a metric needs of career records (cadreflow observe): the union of TALLY_NEEDS over the
 * counts its value reads, found by reading them through a proxy (the definitions are
 * straight-line expressions of the Tally, so one call reads every count they use).
 */
export function metricNeeds(m: MetricDef): Need[] {
  const read = new Set<string>();
  const dummy = new Float64Array(8);
  const probe = new Proxy({}, { get: (_t, k) => { read.add(String(k)); return dummy; } });
  m.value(probe as Tally);
  const needs = new Set<Need>();
  for (const k of read) {
    const n = TALLY_NEEDS[k as keyof Tally];
    if (!n) throw new Error(`metric ${m.name} reads ${k}, which is not a count of the Tally`);
    for (const x of n) needs.add(x);
  }
  return [...needs].sort();
}
