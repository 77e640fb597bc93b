/**
 * Chinese and English labels shared by the HTML report and the workshop page:
 * metrics (MODEL.md §5), levers (MODEL.md §6) and their groups, move types,
 * region tiers and the page's words. Browser-safe (no imports): the server
 * serves the compiled file to the page as an ES module.
 */
export type Lang = 'zh' | 'en';

type Pair = [zh: string, en: string];

/** Short labels of the metrics; a metric missing here is shown by its column name. */
export const METRIC_LABELS: Record<string, Pair> = {
  stagnation_share: ['领导干部板结比例(同岗≥10年)', 'Stagnation of leading cadres (≥ 10 years in post)'],
  stagnation_share_all: ['全体干部板结比例(含办事员)', 'Stagnation, all cadres (staff included)'],
  stagnation_share_rank0: ['办事员板结比例', 'Stagnation, staff (rank 0)'],
  stagnation_share_rank1: ['科级板结比例', 'Stagnation, section rank'],
  stagnation_share_rank2: ['县处级板结比例', 'Stagnation, division rank'],
  stagnation_share_rank3: ['厅局级板结比例', 'Stagnation, bureau rank'],
  stagnation_share_county: ['县级领导干部板结比例', 'Stagnation of leading cadres, county posts'],
  stagnation_share_prefecture: ['市级领导干部板结比例', 'Stagnation of leading cadres, prefecture posts'],
  stagnation_share_province: ['省级领导干部板结比例', 'Stagnation of leading cadres, province posts'],
  team_stagnation_share: ['板结班子比例', 'Stagnant leadership teams'],
  mean_years_in_post: ['平均任职年限', 'Mean years in post'],
  fast_turnover_share: ['频繁调动比例', 'Too-frequent moves (< 2 years)'],
  skill_diversity: ['经历多样性(领域数)', 'Skill diversity (domains served)'],
  composite_share: ['复合型干部比例', 'Composite cadres (复合型)'],
  grassroots_share: ['有基层经历的领导比例', 'Leaders with county experience'],
  cross_system_share: ['跨系统经历比例', 'Served in more than one system'],
  moves_per_100: ['每百人交流人次', 'Moves per 100 cadres'],
  reverse_share: ['逆向交流比例', 'Reverse exchange share'],
  downward_share: ['向下交流比例', 'Downward share of level moves'],
  reverse_balance: ['逆向/正向交流比', 'Reverse / forward moves'],
  exchange_coverage: ['提拔干部交流面', 'Exchange coverage of promotions'],
  exchange_coverage_rank2: ['提拔县处级交流面', 'Exchange coverage, to division rank'],
  exchange_coverage_rank3: ['提拔厅局级交流面', 'Exchange coverage, to bureau rank'],
  team_exchange_coverage: ['新进班子成员交流面', 'New team members from elsewhere'],
  team_exchange_coverage_county: ['县级班子交流面', 'New county team members from elsewhere'],
  team_exchange_coverage_prefecture: ['市级班子交流面', 'New prefecture team members from elsewhere'],
  team_exchange_share_county: ['县级班子成员异地交流面', 'County team members newly from elsewhere, per member'],
  team_exchange_share_prefecture: ['市级班子成员异地交流面', 'Prefecture team members newly from elsewhere, per member'],
  hardship_vacancy_rate: ['艰苦地区岗位空缺率', 'Vacancy rate, hardship regions'],
  vacancy_rate: ['岗位空缺率', 'Vacancy rate'],
  overdue_share: ['超期未交流比例', 'Past the tenure limit, still in post'],
  key_post_local_share: ['重点岗位本地任职比例', 'Key posts held by locals'],
  mean_ties: ['本地关系网(风险指标)', 'Local ties (risk proxy)'],
  quit_rate: ['辞职率', 'Quit rate'],
  allowance_cost: ['艰苦津贴支出', 'Hardship allowance cost'],
  headcount: ['在岗干部数', 'Cadres in post'],
  chain_length: ['空缺链长度', 'Vacancy chain length'],
  years_to_promotion: ['提拔前任职年限', 'Years in rank before promotion'],
  recruit_rate: ['招录率', 'Recruit rate'],
  retire_rate: ['退休率', 'Retirement rate'],
  dismiss_rate: ['处理率', 'Dismissal rate'],
  promotion_rate: ['提拔率', 'Promotion rate'],
  ratio_horizontal_vertical: ['横向/纵向交流比', 'Horizontal / vertical moves'],
  ratio_samepost_rotation: ['同岗位/轮岗比', 'Same-domain / rotation moves'],
  ratio_within_cross_system: ['系统内/跨系统比', 'Within / across systems'],
  ratio_partygov_professional: ['党政/专业技术比', 'Party-government / professional'],
  ratio_leader_nonleader: ['领导/非领导比', 'Leaders / non-leaders'],
};

export function metricLabel(name: string, lang: Lang): string {
  const p = METRIC_LABELS[name];
  if (p) return lang === 'zh' ? p[0] : p[1];
  const m = /^(.*)_(rank\d|county|prefecture|province)$/.exec(name);
  if (m && METRIC_LABELS[m[1]!]) return `${metricLabel(m[1]!, lang)} (${m[2]})`;
  return name;
}

/** Lever groups as the study groups its mechanisms (§3.4 三个打破, §3.5 一–六). */
export const LEVER_GROUPS: { id: string; label: Pair; note: Pair }[] = [
  { id: 'limits', label: ['任期与约束(监督机制)', 'Limits (supervision)'], note: ['任期制、回避、不许讨价还价 — 研究 §3.5 四', 'Tenure limits, avoidance, no bargaining — the study §3.5 四'] },
  { id: 'incentives', label: ['激励机制', 'Incentives'], note: ['交流与提拔挂钩 — 研究 §3.5 三', 'Exchange counts in promotion — the study §3.5 三'] },
  { id: 'guarantees', label: ['保障与关怀机制', 'Guarantees and care'], note: ['津贴、住房、家属、减少偏见 — 研究 §3.5 五、六', 'Allowances, housing, family, less stigma — the study §3.5 五, 六'] },
  { id: 'matching', label: ['互动机制(双向选择)', 'Matching (two-way selection)'], note: ['意愿登记、空缺公示 — 研究 §3.5 二', 'Willingness registry, open vacancies — the study §3.5 二'] },
  { id: 'barriers', label: ['三个打破(壁垒)', 'Barriers (三个打破)'], note: ['条块、身份、地方部门所有 — 研究 §3.4', 'Line/block, identity, unit ownership — the study §3.4'] },
  { id: 'planning', label: ['调控机制(计划交流)', 'Planned exchange (regulation)'], note: ['流量、换届、培养、结构 — 研究 §3.3、§3.5 一', 'Flow, elections, cultivation, structure — the study §3.3, §3.5 一'] },
];

/** Every lever of MODEL.md §6 shown on the page: scenario path, group and labels. */
export const LEVERS: { path: string; group: string; label: Pair }[] = [
  { path: 'policy.maxTenure', group: 'limits', label: ['同一岗位任职上限', 'Tenure limit in one post'] },
  { path: 'policy.keyMaxTenure', group: 'limits', label: ['重点岗位任职上限', 'Tenure limit on key posts'] },
  { path: 'policy.tenureFromRank', group: 'limits', label: ['任期限制适用最低职级', 'Lowest rank under the limits'] },
  { path: 'policy.tenureEnforcement', group: 'limits', label: ['任期限制执行力度', 'Enforcement of the limits'] },
  { path: 'policy.minTenure', group: 'limits', label: ['最短任职年限(任满一届)', 'Minimum years before a move'] },
  { path: 'policy.hometownAvoidance', group: 'limits', label: ['任职回避', 'Hometown avoidance'] },
  { path: 'policy.disciplineStrength', group: 'limits', label: ['交流纪律(不许讨价还价)', 'Discipline of directive moves'] },
  { path: 'policy.promotionExchangeBonus', group: 'incentives', label: ['交流经历的提拔加分', 'Promotion bonus per exchange'] },
  { path: 'policy.requireExchangeForPromotion', group: 'incentives', label: ['未经交流不予提拔(资格否决)', 'Promotion requires an exchange'] },
  { path: 'policy.minYearsInRank', group: 'incentives', label: ['提拔前最短任职年限(科/处/厅)', 'Years in rank before promotion (ranks 1–3)'] },
  { path: 'policy.promotionMaxAge', group: 'incentives', label: ['提拔年龄上限(科/处/厅)', 'Oldest age at promotion (ranks 1–3)'] },
  { path: 'policy.hardshipAllowance', group: 'guarantees', label: ['艰苦边远地区津贴(一至六类)', 'Hardship allowance (categories 1–6)'] },
  { path: 'policy.wageCompression', group: 'guarantees', label: ['工资差距压缩(阳光工资)', 'Wage compression'] },
  { path: 'policy.housingSupport', group: 'guarantees', label: ['异地住房补助', 'Housing support away from home'] },
  { path: 'policy.familySupport', group: 'guarantees', label: ['家属随迁安置', 'Family relocation support'] },
  { path: 'policy.stigmaRelief', group: 'guarantees', label: ['减轻逆向交流偏见', 'Stigma relief for reverse moves'] },
  { path: 'policy.careRate', group: 'guarantees', label: ['照顾性交流概率', 'Care moves (closer to home)'] },
  { path: 'policy.matching', group: 'matching', label: ['匹配方式', 'Matching'] },
  { path: 'policy.managementScope', group: 'matching', label: ['干部管理权限', 'Who appoints from where'] },
  { path: 'policy.registry', group: 'matching', label: ['意愿登记与空缺公示', 'Willingness registry and open notices'] },
  { path: 'policy.barriers.crossSystem', group: 'barriers', label: ['跨系统壁垒', 'Barrier between systems'] },
  { path: 'policy.barriers.lineBlock', group: 'barriers', label: ['条块壁垒', 'Barrier between lines and blocks'] },
  { path: 'policy.barriers.crossLevel', group: 'barriers', label: ['跨层级壁垒', 'Barrier between levels'] },
  { path: 'policy.barriers.crossIdentity', group: 'barriers', label: ['身份壁垒', 'Barrier between identities'] },
  { path: 'behavior.unitOwnership', group: 'barriers', label: ['地方部门所有(本位主义)', 'Unit ownership (本位主义)'] },
  { path: 'policy.exchangeQuota', group: 'planning', label: ['班子年度交流比例上限', 'Yearly exchange quota of a team'] },
  { path: 'policy.electionCycle', group: 'planning', label: ['换届周期', 'Election cycle'] },
  { path: 'policy.electionQuota', group: 'planning', label: ['换届年交流比例', 'Exchange share in election years'] },
  { path: 'policy.prefectureElectionWeight', group: 'planning', label: ['市级班子换届交流倍数', 'Prefecture teams at elections (× quota)'] },
  { path: 'policy.staggeredElections', group: 'planning', label: ['错开换届', 'Staggered elections'] },
  { path: 'policy.cultivationRate', group: 'planning', label: ['培养性交流概率', 'Cultivation moves (sent down)'] },
  { path: 'policy.secondmentShare', group: 'planning', label: ['挂职比例', 'Share as secondments'] },
  { path: 'policy.secondmentYears', group: 'planning', label: ['挂职年限', 'Secondment length'] },
  { path: 'policy.structuralTargets.female', group: 'planning', label: ['班子须有女干部', 'Teams need a woman'] },
  { path: 'policy.structuralTargets.young', group: 'planning', label: ['班子须有年轻干部', 'Teams need a member under 45'] },
  { path: 'policy.structuralTargets.domain', group: 'planning', label: ['班子须有经济专长', 'Teams need economy experience'] },
  { path: 'policy.structuralTargets.rate', group: 'planning', label: ['结构性交流概率', 'Structural moves per year'] },
  { path: 'policy.disciplineRate', group: 'planning', label: ['处理性交流概率', 'Disciplinary moves'] },
];

/** The levers' explanations in Chinese (the English ones are the scenario schema's descriptions). */
export const LEVER_TIPS_ZH: Record<string, string> = {
  'policy.maxTenure': '在同一岗位任职满此年限的必须交流(研究 §3.5 四;交流工作规定第五条)。',
  'policy.keyMaxTenure': '重点岗位任职满此年限的必须轮岗(某省 2014 年规定为 5 年)。',
  'policy.tenureEnforcement': '超过任职年限的干部每年被安排交流的概率;低于 1 时部分干部超期不交流(研究:置干部交流的规定时限要求于不顾);任职回避始终执行。',
  'policy.tenureFromRank': '同一岗位任职上限适用的最低职级(1 = 科级及以上);重点岗位上限适用于各职级。',
  'policy.minTenure': '非强制交流前须在岗的年限(原则上任满一届)。',
  'policy.hometownAvoidance': '重点岗位和党政正职不得在本人家乡地区任职(任职回避)。',
  'policy.disciplineStrength': '指令式交流执行的严格程度(不允许讨价还价),越高拒绝越少;只作用于指令式调配,双向选择下无人拒绝。',
  'policy.promotionExchangeBonus': '每单位交流经历在提拔评分中的加分(研究 §3.5 三 激励机制)。',
  'policy.requireExchangeForPromotion': '提拔须以在现职级上到其他地区交流为前提,或提拔本身即为跨地区、跨系统交流(资格否决)。',
  'policy.minYearsInRank': '晋升到科、处、厅级前在现职级须任职的年限(选拔任用条例第八至九条)。',
  'policy.promotionMaxAge': '晋升到科、处、厅级的最高年龄。',
  'policy.hardshipAllowance': '一至六类艰苦边远地区津贴,占基本工资的比例(研究 §3.5 五;2011 年标准为每月 120–1000 元)。',
  'policy.wageCompression': '把各地区工资向平均水平拉近(阳光工资)。',
  'policy.housingSupport': '在家乡以外地区任职干部的住房补助,计入收入。',
  'policy.familySupport': '组织解决的家属随迁成本比例(配偶就业、子女入学)。',
  'policy.stigmaRelief': '通过关心和肯定消除的逆向交流社会偏见的比例(研究 §3.5 六)。',
  'policy.careRate': '家庭负担重、离家远的干部被调往离家较近岗位的概率(照顾性交流)。',
  'policy.managementScope': '下管一级:省委在全省范围内选配厅局级岗位和省直岗位,市委在本市(州)机关和所辖县内选配其余岗位;或全省统一调配。',
  'policy.matching': '岗位与人选的匹配方式:指令式调配(可能被拒绝),或双向选择(延迟接受算法)。',
  'policy.registry': '交流意愿登记与空缺岗位公示(研究 §3.5 二):报名者在全省范围内可见,并比较更多去处。',
  'policy.barriers.crossSystem': '在党政机关、垂直管理部门、企业、事业单位等系统之间流动的壁垒(研究 §3.4 三个打破)。',
  'policy.barriers.lineBlock': '垂直管理的“条”与地方“块”之间额外的壁垒。',
  'policy.barriers.crossLevel': '在不同层级地区之间流动的壁垒。',
  'policy.barriers.crossIdentity': '公务员、企业经营管理人员、专业技术人员等身份之间的壁垒。',
  'behavior.unitOwnership': '单位留住优秀干部、推出较弱干部的程度(本位主义,研究 §2.1 一);改革可以作用于它。',
  'policy.exchangeQuota': '流量控制:一个领导班子一年内交流的比例上限(小幅度、低频率)。',
  'policy.electionCycle': '两次换届之间的年数。',
  'policy.electionQuota': '换届年的流量控制比例,也是任期届满的班子成员在换届时被交流的概率。',
  'policy.prefectureElectionWeight': '市(州)党政班子换届时交流比例相对于 electionQuota 的倍数(上限为 1):集中换届重点交流市州班子(如甘肃 2006 年);1 表示各级班子相同。',
  'policy.staggeredElections': '各地区在周期内错开换届,而不是同一年集中换届。',
  'policy.cultivationRate': '没有县级工作经历的年轻后备干部被下派的概率(培养性交流)。',
  'policy.secondmentShare': '培养性交流中以挂职而非调任方式进行的比例。',
  'policy.secondmentYears': '挂职的年限。',
  'policy.structuralTargets.female': '没有女干部的班子会有针对性地调入一名。',
  'policy.structuralTargets.young': '没有 45 岁以下成员的班子会有针对性地调入一名。',
  'policy.structuralTargets.domain': '除政府正职外没有经济工作经历成员的班子会有针对性地调入一名。',
  'policy.structuralTargets.rate': '缺少上述结构的班子在一年内采取行动的概率。',
  'policy.disciplineRate': '考核较差且本地关系较深的干部被调离的概率(处理性交流)。',
};

/** The shipped scenarios (the workshop page's presets) by file: name and description in Chinese. */
export const PRESETS_ZH: Record<string, [string, string]> = {
  'baseline.json': ['现行规则(基线)', '研究所描述的现行规则(甘肃,约 2016 年):同一岗位 10 年上限执行较松,对交流干部的提拔激励较弱,单位本位主义较强,指令式调配且可讨价还价,系统、层级、身份之间壁垒较高,执行 2011 年艰苦边远地区津贴方案。甘肃预设,规模为全省的四分之一。'],
  'break-barriers.json': ['打破壁垒', '打破壁垒(研究 §3.4 三个打破),自 2028 年起:条块、系统、层级、身份之间的壁垒降低,部门留住优秀干部的倾向减半。其余同基线。'],
  'full-reform.json': ['全面改革', '研究 §3 的五项改革自 2028 年起同时实施:刚性约束、保障(津贴、住房、家属安置、减轻偏见)、以交流为前提的提拔激励、意愿登记与双向选择、低壁垒与较弱的本位主义。其余同基线。'],
  'gansu-2008.json': ['甘肃 2006–2010', '研究数据所在时期(约 2006–2010 年)的甘肃(MODEL.md §7):2006 年交流工作规定的规则(同一岗位 10 年、县级正职和重点岗位任职回避、2006 与 2011 年换届)、2006 年津贴方案、指令式调配。全省规模的一半,自 2006 年报告 5 年,用于与研究的数据比较。'],
  'gansu-calibrated.json': ['甘肃(校准后)', '甘肃 2006–2010 方案,行为参数按研究中的甘肃数据校准(scenarios/calibration/gansu.json,拟合见 docs/VALIDATION.md)。校准时规模 0.12、预热 40 年,其他规模下应重新检验拟合。'],
  'gansu-posterior-mean.json': ['甘肃(后验均值)', '甘肃 2006–2010 方案,参数取 ABC-SMC 贝叶斯校准(scenarios/calibration/gansu-abc.json)后验分布的均值;后验本身(200 个加权粒子)见 scenarios/gansu-posterior.csv,可用 --posterior 在整个后验上做预测(docs/VALIDATION.md §7)。'],
  'hardship-allowance.json': ['保障与关怀', '保障机制与关怀机制(研究 §3.5 五、六)自 2028 年起:艰苦边远地区津贴提高为三倍,异地任职住房补助,帮助解决配偶就业和子女入学,肯定逆向交流以消除大部分偏见。其余同基线。'],
  'mandatory-limits.json': ['刚性约束', '刚性约束(研究 §3.5 四)自 2028 年起:10 年规定严格执行、不许讨价还价,重点岗位(纪检、组织、法院、公安、财政)限 5 年,非强制交流前须任满一届。其余同基线。'],
  'no-exchange.json': ['无计划交流(反事实)', '没有计划交流的反事实:组织部门不安排任何交流(无任期限制、无任职回避,无培养性、结构性、照顾性、处理性交流,换届不调整班子)。提拔和自愿流动保留。其余同基线,因此共享其随机数。'],
  'promotion-incentive.json': ['提拔激励', '激励机制(研究 §3.5 三)自 2028 年起:交流经历在提拔中权重很高,提拔到处级及以上须至少交流一次(资格否决)。其余同基线。'],
  'two-way-selection.json': ['双向选择', '互动机制(研究 §3.5 二)自 2028 年起:交流意愿登记与空缺岗位公示,岗位与人选以延迟接受算法双向选择,取代指令式调配。其余同基线。'],
};

export const UNIT_ZH: Record<string, string> = {
  years: '年',
  rank: '职级',
  'years of age': '岁',
  '0..1': '0–1',
  probability: '概率',
  'probability per year': '每年概率',
  share: '比例',
  'share of a team': '班子比例',
  'share of a team per year': '每年班子比例',
  'share of base pay': '占基本工资比例',
  'pay units': '工资单位',
  score: '评分',
  'score per level': '每层级评分',
  'score per exchange': '每次交流评分',
  factor: '倍数',
};

export function unitLabel(unit: string, lang: Lang): string {
  return lang === 'zh' ? (UNIT_ZH[unit] ?? unit) : unit;
}

/**
 * Units of the metrics that are not shares, for the axes of differences (shares are
 * drawn in percentage points); variants by rank or level take their family's unit.
 */
export const METRIC_UNITS: Record<string, Pair> = {
  mean_years_in_post: ['年', 'years'],
  skill_diversity: ['领域数', 'domains'],
  moves_per_100: ['每百人人次', 'moves per 100 cadres'],
  reverse_balance: ['比值', 'ratio'],
  mean_ties: ['本地关系(0–1)', 'local ties (0–1)'],
  allowance_cost: ['工资单位', 'pay units'],
  headcount: ['人', 'cadres'],
  chain_length: ['岗位数', 'posts'],
  years_to_promotion: ['年', 'years'],
};

/** The unit of a metric that is not a share (ratio_* are ratios); '' when none is known. */
export function metricUnit(name: string, lang: Lang): string {
  const base = name.replace(/_rank\d$/, '');
  const p = METRIC_UNITS[base] ?? (base.startsWith('ratio_') ? METRIC_UNITS.reverse_balance : undefined);
  return p ? (lang === 'zh' ? p[0] : p[1]) : '';
}

/** Move types (constants MOVE_TYPES) in both languages. */
export const MOVE_TYPE_LABELS: Record<string, Pair> = {
  regulatory: ['制度性交流(任期届满)', 'Regulatory (tenure)'],
  cultivation: ['培养性交流', 'Cultivation'],
  structural: ['结构性交流', 'Structural'],
  care: ['照顾性交流', 'Care'],
  disciplinary: ['处理性交流', 'Disciplinary'],
  election: ['换届交流', 'Election'],
  voluntary: ['自愿交流', 'Voluntary'],
  promotion: ['提拔', 'Promotion'],
  secondment: ['挂职', 'Secondment'],
  return: ['挂职期满返回', 'Return from secondment'],
};

export function moveTypeLabel(t: string, lang: Lang): string {
  const p = MOVE_TYPE_LABELS[t];
  return p ? (lang === 'zh' ? p[0] : p[1]) : t;
}

/** Region tiers of the flow diagrams: level × rich/poor (wageIndex against the median of its level). */
export const TIER_LABELS: Record<string, Pair> = {
  province: ['省级', 'Province'],
  'province-rich': ['省级·较富', 'Province, richer'],
  'province-poor': ['省级·较穷', 'Province, poorer'],
  'prefecture-rich': ['市州·较富', 'Prefecture, richer'],
  'prefecture-poor': ['市州·较穷', 'Prefecture, poorer'],
  'county-rich': ['县区·较富', 'County, richer'],
  'county-poor': ['县区·较穷', 'County, poorer'],
};

export const DIRECTION_LABELS: Record<string, Pair> = {
  up: ['向上(到更高层级)', 'Up a level'],
  down: ['向下(到基层)', 'Down a level'],
  reverse: ['同级·到较穷地区(逆向)', 'Same level, to a poorer region (reverse)'],
  forward: ['同级·到较富地区', 'Same level, to a richer region'],
  across: ['同级·工资相同地区', 'Same level, equal pay'],
  within: ['本地区内', 'Within the region'],
};

export function tierLabel(t: string, lang: Lang): string {
  const p = TIER_LABELS[t];
  return p ? (lang === 'zh' ? p[0] : p[1]) : t;
}
export function directionLabel(t: string, lang: Lang): string {
  const p = DIRECTION_LABELS[t];
  return p ? (lang === 'zh' ? p[0] : p[1]) : t;
}

/** Per-region metrics of the map (src/report/regions.ts). */
export const REGION_METRIC_LABELS: Record<string, Pair> = {
  stagnation: ['板结比例', 'Stagnation'],
  vacancy: ['岗位空缺率', 'Vacancy rate'],
  netReverse: ['逆向交流净流入(每百岗位)', 'Net reverse inflow per 100 posts'],
  inflow: ['跨地区交流流入(每百岗位)', 'Exchange inflow per 100 posts'],
  ties: ['本地关系网', 'Local ties'],
};
export function regionMetricLabel(m: string, lang: Lang): string {
  const p = REGION_METRIC_LABELS[m];
  return p ? (lang === 'zh' ? p[0] : p[1]) : m;
}

/** Words of the workshop page and the report. */
export const UI: Record<string, Pair> = {
  title: ['干部交流政策推演', 'Cadre exchange policy workshop'],
  subtitle: ['调整政策杠杆,与现行规则(基线)在相同随机数下对比几十年的演变', 'Move the policy levers and watch the decades unfold next to today’s rules (the baseline), on the same random numbers'],
  language: ['English', '中文'],
  presets: ['预设方案', 'Presets'],
  loadPreset: ['载入', 'Load'],
  settings: ['运行设置', 'Run settings'],
  run: ['运行', 'Run'],
  running: ['运行中…', 'Running…'],
  cancelled: ['上一次运行已取消,新的运行已开始', 'The previous run was cancelled; a new run has started'],
  done: ['完成', 'Done'],
  failed: ['运行失败', 'The run failed'],
  badInput: ['输入有误', 'Bad input'],
  policy: ['政策方案', 'Policy'],
  baseline: ['基线(现行规则)', 'Baseline (today’s rules)'],
  difference: ['差异(政策−基线)', 'Difference (policy − baseline)'],
  change: ['相对基线变化', 'Change against baseline'],
  headline: ['主要指标', 'Headline numbers'],
  atYear: ['年份', 'Year'],
  charts: ['指标随时间变化(均值与95%置信区间)', 'Metrics over the years (mean and 95% CI)'],
  flows: ['交流流向', 'Exchange flows'],
  flowsTiers: ['地区层级之间的交流(每年人次)', 'Moves between region tiers (per year)'],
  flowsTypes: ['交流类型与方向(每年人次)', 'Exchange types and directions (per year)'],
  map: ['全省地图', 'Map of the province'],
  mapMetric: ['地图指标', 'Map metric'],
  mapArm: ['显示', 'Show'],
  play: ['播放', 'Play'],
  pause: ['暂停', 'Pause'],
  savePolicy: ['保存政策包', 'Save policy package'],
  loadPolicy: ['载入政策包', 'Load policy package'],
  downloadCsv: ['下载结果(CSV)', 'Download results (CSV)'],
  downloadSummary: ['下载汇总(CSV)', 'Download summary (CSV)'],
  downloadPng: ['PNG', 'PNG'],
  downloadSvg: ['SVG', 'SVG'],
  reformYear: ['改革起始年份', 'Reform from year'],
  startYear: ['首个报告年份', 'First reported year'],
  scale: ['世界规模', 'World scale'],
  years: ['模拟年数', 'Years'],
  burnIn: ['预热年数', 'Burn-in years'],
  replicates: ['重复次数', 'Replicates'],
  seed: ['随机种子', 'Random seed'],
  quick: ['快速', 'Quick'],
  full: ['标准', 'Standard'],
  reset: ['恢复基线值', 'Reset to baseline'],
  burnInProgress: ['预热中', 'Burn-in'],
  range: ['范围', 'range'],
  defaultValue: ['默认', 'default'],
  invalid: ['数值无效', 'Invalid value'],
  mustBe: ['应在', 'must be'],
  noData: ['尚无数据 — 请点击“运行”', 'No data yet — press Run'],
  reform: ['改革', 'reform'],
  replicatesNote: ['次重复', 'replicates'],
  posterior: ['在后验分布上运行', 'Run over the posterior'],
  overPosterior: ['在后验分布上运行(参数不确定性)', 'Run over the posterior (parameter uncertainty)'],
  intervalsOverPosterior: ['区间为后验粒子均值的95%置信区间,包含参数的不确定性', 'Intervals: 95% CI over the drawn particles’ means, with the parameters’ uncertainty'],
  loadedPreset: ['已载入预设', 'Loaded preset'],
  loadedPackage: ['已载入政策包', 'Loaded policy package'],
  runGoesOn: ['正在进行的运行未受影响,继续进行。', 'The run in progress is not affected and goes on.'],
  category: ['类', 'cat.'],
  skipToRun: ['跳到“运行”', 'Skip to Run'],
  join: ['加入 / 二维码', 'Join / QR code'],
  joinTitle: ['加入本次推演', 'Join this workshop'],
  joinText: ['同一网络中的电脑和手机可以打开:', 'Computers and phones on the same network can open:'],
  joinLocalOnly: ['此服务器只接受本机访问:请用 cadreflow serve --host 0.0.0.0 启动,同一网络中的其他人才能加入。', 'This server only answers this computer: start it with cadreflow serve --host 0.0.0.0 for others on the network to join.'],
  shareText: ['本页当前政策的链接(打开即得到相同的杠杆和设置):', 'A link to the policy on this page (it opens with the same levers and settings):'],
  close: ['关闭', 'Close'],
  roomView: ['全场对比', 'Room view'],
  present: ['演示模式', 'Presentation mode'],
  yourName: ['您的姓名(显示在全场对比表中,可不填)', 'Your name (shown in the room view; optional)'],
  downloadScenario: ['下载情景文件', 'Download scenario'],
  copyLink: ['复制链接', 'Copy link'],
  linkCopied: ['链接已复制', 'Link copied'],
  yearShown: ['显示年份', 'Year shown'],
  changed: ['已改', 'changed'],
  changedCount: ['项已改', 'changed'],
  queued: ['排队中', 'Waiting'],
  runsAhead: ['前面还有 {n} 次运行', '{n} runs ahead of you'],
  runAhead: ['前面还有 1 次运行', '1 run ahead of you'],
  nextInLine: ['下一个运行', 'next in line'],
  waitAbout: ['预计等待{w},运行{r}', 'wait {w}, then {r} to run'],
  runSize: ['运行规模 {n} 干部·年,{t}', 'Run size: {n} cadre-years, {t}'],
  runTooLarge: ['运行规模 {n} 干部·年,超过本服务器的上限 {max}({t}):请降低世界规模、年数或重复次数', 'Run size: {n} cadre-years, over this server’s limit of {max} ({t}): lower the scale, the years or the replicates'],
  runSlow: ['(较慢)', ' (slow)'],
  replacedByOwn: ['此次运行已被您的新运行(本浏览器的另一个标签页)取代', 'This run was replaced by your newer run (in another tab of this browser)'],
  serverStopped: ['服务器已停止,运行中断。请在服务器重新启动后再次运行。', 'The server stopped, and the run with it. Run again once the server is back.'],
  connectionLost: ['与服务器的连接中断,运行结果不完整。请检查网络后再次运行。', 'The connection to the server was lost; the run is incomplete. Check the network and run again.'],
  noServer: ['无法连接服务器', 'The server cannot be reached'],
  percentNote: ['比例以百分比显示,变化以百分点(pp)显示;比例的区间限制在 0–100% 之内。', 'Shares in percent, changes in percentage points (pp); intervals of shares are kept within 0–100%.'],
  tableOfValues: ['数值表', 'Table of values'],
  year: ['年份', 'Year'],
  region: ['地区', 'Region'],
  value: ['数值', 'Value'],
  from: ['从', 'From'],
  to: ['到', 'To'],
  flowCount: ['人次', 'Moves'],
  mapOutline: ['省界轮廓为各地区驻地周围 45 公里范围的并集(示意,非法定边界)。', 'The outline is the union of 45 km discs around the regions’ seats (a sketch, not the legal boundary).'],
  roomTitle: ['全场对比', 'Room view'],
  roomSubtitle: ['每位参与者最近一次运行的政策与主要指标变化(最后一年,95% 置信区间)', 'Each participant’s latest run: the policy and the change of the headline numbers in the last year (95% CI)'],
  participant: ['参与者', 'Participant'],
  state: ['状态', 'State'],
  leversChanged: ['改动的杠杆', 'Levers changed'],
  noChange: ['(未改动,即基线)', '(none: the baseline)'],
  settingsShort: ['设置', 'Settings'],
  noRuns: ['尚无运行', 'No runs yet'],
  stateWaiting: ['排队中', 'waiting'],
  stateRunning: ['运行中', 'running'],
  stateDone: ['完成', 'done'],
  stateFailed: ['失败', 'failed'],
  stateCancelled: ['已取消', 'cancelled'],
  refreshed: ['更新于', 'Updated'],
  loadedScenario: ['已载入情景文件', 'Loaded scenario file'],
  presetSettings: ['并应用其设置', 'with its settings'],
};

/** English titles of the shipped scenarios (the presets), by file; a user's own scenario shows its name. */
export const PRESETS_EN: Record<string, string> = {
  'baseline.json': 'Today’s rules (baseline)',
  'break-barriers.json': 'Break the barriers',
  'full-reform.json': 'Full reform',
  'gansu-2008.json': 'Gansu 2006–2010',
  'gansu-calibrated.json': 'Gansu (calibrated)',
  'gansu-posterior-mean.json': 'Gansu (posterior mean)',
  'hardship-allowance.json': 'Guarantees and care',
  'mandatory-limits.json': 'Mandatory limits',
  'no-exchange.json': 'No planned exchange (counterfactual)',
  'promotion-incentive.json': 'Promotion incentive',
  'two-way-selection.json': 'Two-way selection',
};

/** A scenario's name as a title ("my-reform" → "My reform"), for names without a title of their own. */
export function titleOf(name: string): string {
  const t = name.replace(/\.json$/, '').replace(/[-_]+/g, ' ').trim();
  return t ? t[0]!.toUpperCase() + t.slice(1) : name;
}

export function ui(key: string, lang: Lang): string {
  const p = UI[key];
  return p ? (lang === 'zh' ? p[0] : p[1]) : key;
}
