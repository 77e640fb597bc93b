/**
 * The scenario file (docs/DESIGN.md "Files"): every field has a default, a unit, a
 * range and a sentence, so `{"name": "x"}` is a valid scenario; unknown fields
 * are errors. The JSON Schema in scenarios/schema.json is generated from this.
 * Levers are those of MODEL.md §6; behavioural parameters those of §6's last
 * paragraph.
 */
import { z } from 'zod';

type Num = { def: number; min: number; max: number; unit: string; text: string; int?: boolean };

function numBase(s: Num) {
  let t = s.int ? z.number().int() : z.number();
  t = t.min(s.min).max(s.max);
  return t.describe(`${s.text} Unit: ${s.unit}. Range ${s.min}–${s.max}; default ${s.def}.`);
}
function boolBase(text: string, def: boolean) {
  return z.boolean().describe(`${text} Default ${def}.`);
}

/** Builds the full (defaulted) and the partial (for reforms) object schemas from one table. */
function table<T extends Record<string, z.ZodType>>(fields: T, defaults: { [K in keyof T]: unknown }) {
  const full: Record<string, z.ZodType> = {};
  const partial: Record<string, z.ZodType> = {};
  for (const k of Object.keys(fields)) {
    const base = fields[k]!;
    const d = defaults[k as keyof T];
    full[k] = typeof d === 'object' && d !== null && !Array.isArray(d) ? (base as any).prefault({}) : (base as any).default(d);
    partial[k] = ((base as any).__partial ?? base).optional();
  }
  // Typed as defaults (every field optional on input); nested objects use prefault at run time.
  return {
    full: z.object(full).strict() as unknown as z.ZodObject<{ [K in keyof T]: z.ZodDefault<T[K]> }, z.core.$strict>,
    partial: z.object(partial).strict() as unknown as z.ZodObject<{ [K in keyof T]: z.ZodOptional<T[K]> }, z.core.$strict>,
  };
}

function nested<T extends Record<string, z.ZodType>>(fields: T, defaults: { [K in keyof T]: unknown }, text: string) {
  const t = table(fields, defaults);
  const full = t.full.describe(text);
  (full as any).__partial = t.partial.describe(text);
  return full;
}

function dist(mean: number, sd: number, text: string) {
  return nested(
    {
      mean: numBase({ def: mean, min: 0, max: 20, unit: 'utility per unit', text: 'Mean of the weight.' }),
      sd: numBase({ def: sd, min: 0, max: 20, unit: 'utility per unit', text: 'Standard deviation between cadres (normal, censored at 0: a negative draw counts as 0).' }),
    },
    { mean, sd },
    text,
  );
}

// ---------- behaviour (MODEL.md §4.1, §6 last paragraph) ----------
const behaviorFields = {
  wWage: dist(1.5, 0.5, 'Weight of log pay in a cadre’s utility (MODEL.md §4.1).'),
  wHome: dist(1.0, 0.4, 'Weight of distance from home in a cadre’s utility, per distScale km.'),
  wUrban: dist(0.8, 0.4, 'Weight of urbanisation in a cadre’s utility.'),
  wCareer: dist(1.0, 0.3, 'Weight of career value (rank and the promotion edge of exchange).'),
  distScale: numBase({ def: 300, min: 1, max: 5000, unit: 'km', text: 'Distance at which the home term costs wHome.' }),
  relocationCost: numBase({ def: 1.0, min: 0, max: 10, unit: 'utility', text: 'Cost of moving a family to another region, times familyBurden.' }),
  stigma: numBase({ def: 0.6, min: 0, max: 5, unit: 'utility', text: 'Social stigma of a reverse move (社会偏见, study §2.1 三).' }),
  unitOwnership: numBase({ def: 0.6, min: 0, max: 1, unit: 'probability', text: 'Strength with which units withhold good cadres and offer weak ones (本位主义, study §2.1 一); reforms may act on it.' }),
  applyRate: numBase({ def: 0.3, min: 0, max: 1, unit: 'share per year', text: 'Share of eligible cadres who look at alternatives in a year.' }),
  alternatives: numBase({ def: 3, min: 1, max: 20, int: true, unit: 'posts', text: 'Alternatives a cadre samples when looking.' }),
  applyThreshold: numBase({ def: 0.4, min: 0, max: 10, unit: 'utility', text: 'Utility gain above which a cadre registers to move.' }),
  utilityNoise: numBase({ def: 0.3, min: 0, max: 5, unit: 'utility (sd)', text: 'Idiosyncratic noise ε in the utility of a post.' }),
  refusalScale: numBase({ def: 1.5, min: 0, max: 20, unit: 'per utility', text: 'Refusal probability per unit of utility lost (讨价还价), before discipline (directive matching only).' }),
  tieGrowth: numBase({ def: 0.08, min: 0, max: 1, unit: 'per year', text: 'Growth of local ties toward 1 each year in a region.' }),
  tieCarry: numBase({ def: 0.25, min: 0, max: 1, unit: 'share', text: 'Share of ties kept on a change of region.' }),
  quitBase: numBase({ def: 0.0015, min: 0, max: 0.2, unit: 'per year', text: 'Base quit hazard.' }),
  quitPayGap: numBase({ def: 3.0, min: 0, max: 50, unit: 'per log pay gap', text: 'Rise of the quit hazard with the gap between market pay and public pay in the region.' }),
  marketPay: numBase({ def: 1.1, min: 0.2, max: 5, unit: 'times wageIndex', text: 'Outside (market) pay open to a cadre in a region, relative to its wageIndex before compression and allowances.' }),
  quitDissatisfaction: numBase({ def: 0.5, min: 0, max: 10, unit: 'per utility', text: 'Rise of the quit hazard with dissatisfaction with the current post.' }),
  dismissRate: numBase({ def: 0.002, min: 0, max: 0.2, unit: 'per year', text: 'Dismissal hazard of a cadre with full local ties and a median appraisal (处理); twice that at the poorest appraisal, none at the best.' }),
  performanceNoise: numBase({ def: 0.6, min: 0, max: 5, unit: 'sd', text: 'Noise of the annual appraisal (MODEL.md §3.3).' }),
  skillBonus: numBase({ def: 0.5, min: 0, max: 5, unit: 'per unit of diversity', text: 'Appraisal bonus of experience diversity.' }),
  localBias: numBase({ def: 0.5, min: 0, max: 5, unit: 'score', text: 'Organisation’s preference for a candidate already in the post’s unit (MODEL.md §4.2).' }),
  regionBias: numBase({ def: 0.5, min: 0, max: 5, unit: 'score', text: 'Organisation’s preference for a candidate already serving in the post’s region (it knows its own people best); with localBias, how local promotion is.' }),
  domainFit: numBase({ def: 0.4, min: 0, max: 5, unit: 'score', text: 'Score bonus of a candidate who has served in the post’s domain.' }),
  recruitLocality: numBase({ def: 0.7, min: 0, max: 1, unit: 'share', text: 'Share of recruits whose home is the region they are recruited in (mostly local).' }),
  recruitFill: numBase({ def: 0.85, min: 0, max: 1, unit: 'probability', text: 'Probability an open entry post in the most attractive region is filled by a recruit in a year.' }),
  recruitHardship: numBase({ def: 1.2, min: 0, max: 10, unit: 'per utility', text: 'Fall of the recruit fill probability per unit of attractiveness below the best region.' }),
  femaleRecruitShare: numBase({ def: 0.45, min: 0, max: 1, unit: 'share', text: 'Share of women among recruits.' }),
  familyBurden: numBase({ def: 0.5, min: 0, max: 1, unit: '0..1', text: 'Mean peak family burden (spouse’s job, children, parents), reached around age 42.' }),
  careerStep: numBase({ def: 1.0, min: 0, max: 10, unit: 'utility per rank', text: 'Career value of one rank.' }),
  planPriority: numBase({ def: 1.0, min: 0, max: 10, unit: 'score', text: 'Score bonus the organisation gives the movers it planned when it fills a post (it places them before it promotes).' }),
  shortlist: numBase({ def: 4, min: 1, max: 30, int: true, unit: 'candidates per source', text: 'Candidates the organisation draws from each source for a post.' }),
};
const behaviorDefaults = {
  wWage: {}, wHome: {}, wUrban: {}, wCareer: {},
  distScale: 300, relocationCost: 1.0, stigma: 0.6, unitOwnership: 0.6, applyRate: 0.3, alternatives: 3,
  applyThreshold: 0.4, utilityNoise: 0.3, refusalScale: 1.5, tieGrowth: 0.08, tieCarry: 0.25,
  quitBase: 0.0015, quitPayGap: 3.0, marketPay: 1.1, quitDissatisfaction: 0.5, dismissRate: 0.002, performanceNoise: 0.6,
  skillBonus: 0.5, localBias: 0.5, regionBias: 0.5, domainFit: 0.4, recruitLocality: 0.7, recruitFill: 0.85, recruitHardship: 1.2,
  femaleRecruitShare: 0.45, familyBurden: 0.5, careerStep: 1.0, planPriority: 1.0, shortlist: 4,
};
export const behaviorTables = table(behaviorFields, behaviorDefaults);

// ---------- policy (MODEL.md §6) ----------
const barriers = nested(
  {
    crossSystem: numBase({ def: 1.0, min: 0, max: 10, unit: 'score', text: 'Barrier to moving between systems (block, line, enterprise, institution) (§3.4 三个打破).' }),
    lineBlock: numBase({ def: 0.8, min: 0, max: 10, unit: 'score', text: 'Extra barrier between vertically managed lines (条) and local blocks (块).' }),
    crossLevel: numBase({ def: 0.5, min: 0, max: 10, unit: 'score per level', text: 'Barrier to moving between region levels.' }),
    crossIdentity: numBase({ def: 2.0, min: 0, max: 10, unit: 'score', text: 'Barrier between identities (civil servant, enterprise manager, professional).' }),
  },
  { crossSystem: 1.0, lineBlock: 0.8, crossLevel: 0.5, crossIdentity: 2.0 },
  'Barriers between systems, levels and identities, subtracted from the organisation’s score (MODEL.md §4.2).',
);
const structuralTargets = nested(
  {
    female: boolBase('A team without a woman gets a targeted transfer in.', true),
    young: boolBase('A team without a member under 45 gets a targeted transfer in.', true),
    domain: boolBase('A team without a member experienced in the economy besides the government head gets a targeted transfer in.', true),
    rate: numBase({ def: 0.3, min: 0, max: 1, unit: 'probability per year', text: 'Chance that a team lacking a target acts on it in a year.' }),
  },
  { female: true, young: true, domain: true, rate: 0.3 },
  'Structural exchange (结构性交流, study §3.3 一): what a leadership team must contain.',
);
const retirement = nested(
  {
    men: numBase({ def: 60, min: 50, max: 70, int: true, unit: 'years of age', text: 'Retirement age of men.' }),
    women: numBase({ def: 55, min: 50, max: 70, int: true, unit: 'years of age', text: 'Retirement age of women below division rank.' }),
    womenLeaders: numBase({ def: 60, min: 50, max: 70, int: true, unit: 'years of age', text: 'Retirement age of women at division rank and above.' }),
    raise2025: boolBase('Apply the gradual raise from 2025: three years over fifteen, one more year in 2028, 2033 and 2038.', false),
  },
  { men: 60, women: 55, womenLeaders: 60, raise2025: false },
  'Retirement ages (national rules).',
);
const policyFields = {
  maxTenure: numBase({ def: 10, min: 1, max: 40, int: true, unit: 'years', text: 'Years in one post after which a move is mandatory (§3.5 四; 交流工作规定 art. 5).' }),
  keyMaxTenure: numBase({ def: 10, min: 1, max: 40, int: true, unit: 'years', text: 'Years after which a key-post holder must move (5 in a 2014 provincial rule).' }),
  tenureFromRank: numBase({ def: 1, min: 0, max: 3, int: true, unit: 'rank', text: 'Lowest rank to which the tenure limit in one post (maxTenure) applies (1 = section level and above); the key-post limit applies at every rank.' }),
  tenureEnforcement: numBase({ def: 1, min: 0, max: 1, unit: 'probability per year', text: 'Chance each year that a cadre past maxTenure or keyMaxTenure is planned for a move; below 1 the limit is left unmet for some (the study: 置干部交流的规定时限要求于不顾; hometown avoidance is always enforced).' }),
  minTenure: numBase({ def: 3, min: 0, max: 10, int: true, unit: 'years', text: 'Years in post before a non-mandatory move (任满一届); at most maxTenure and keyMaxTenure, also as in force after a reform.' }),
  hometownAvoidance: boolBase('Key-post holders and the two heads may not serve in their home region (任职回避).', true),
  exchangeQuota: numBase({ def: 0.34, min: 0, max: 1, unit: 'share of a team per year', text: 'Flow control: at most this share of a leadership team moved in a year (小幅度、低频率).' }),
  electionCycle: numBase({ def: 5, min: 1, max: 20, int: true, unit: 'years', text: 'Years between general elections (换届).' }),
  electionQuota: numBase({ def: 0.5, min: 0, max: 1, unit: 'share of a team', text: 'Flow-control share in an election year, and the chance that a team member who has served the term is moved at the election (换届).' }),
  prefectureElectionWeight: numBase({ def: 1, min: 0, max: 3, unit: 'factor', text: 'Factor on electionQuota for prefecture teams (capped at 1): a concentrated election that singles out prefecture teams, as Gansu\u2019s of 2006 (市州党政班子) did; 1 renews every team alike.' }),
  staggeredElections: boolBase('Spread elections over the cycle region by region instead of all in one year.', false),
  minYearsInRank: z.array(z.number().int().min(0).max(20)).length(3).describe('Years in rank before promotion to ranks 1, 2, 3 (选拔任用条例 art. 8–9). Unit: years. Default [3, 3, 3].'),
  promotionMaxAge: z.array(z.number().int().min(30).max(70)).length(3).describe('Oldest age at promotion to ranks 1, 2, 3. Unit: years of age. Default [45, 52, 56].'),
  promotionExchangeBonus: numBase({ def: 0.1, min: 0, max: 5, unit: 'score per exchange', text: 'Promotion score per unit of exchange experience (§3.5 三 激励机制).' }),
  requireExchangeForPromotion: boolBase('A promotion needs an exchange to another region at the current rank, or must itself move the cadre to another region or system (资格否决).', false),
  hardshipAllowance: z.array(z.number().min(0).max(2)).length(6).describe('Hardship allowance for categories 1–6 as a share of base pay (§3.5 五; 2011 scheme: 120–1 000 yuan a month). Unit: share of base pay. Default [0.024, 0.042, 0.07, 0.08, 0.136, 0.2].'),
  wageCompression: numBase({ def: 0, min: 0, max: 1, unit: 'share', text: 'Pulls every region’s pay toward the mean (阳光工资).' }),
  housingSupport: numBase({ def: 0, min: 0, max: 2, unit: 'pay units', text: 'Housing support for cadres serving outside their home region, added to pay.' }),
  familySupport: numBase({ def: 0, min: 0, max: 1, unit: 'share', text: 'Share of the family relocation cost the organisation removes (jobs for spouses, schools).' }),
  managementScope: z.enum(['province', 'one-level-down']).describe('Who chooses among whom (干部管理权限): "one-level-down" (下管一级) — the province fills bureau-rank posts and its own posts from the whole province (promotion candidates from any region of it), each prefecture fills the posts below bureau rank of its organs and counties from its own planned movers; "province" — every post from the planned movers of the whole province, promotion candidates from a neighbouring region. Default one-level-down.'),
  matching: z.enum(['directive', 'two-way']).describe('How posts and candidates are matched: directive assignment with refusals, or two-way selection (双向选择) as deferred acceptance. Default directive.'),
  registry: boolBase('Willingness registry and open vacancy notices (§3.5 二): applicants are seen province-wide and look at more alternatives.', false),
  barriers,
  cultivationRate: numBase({ def: 0.05, min: 0, max: 1, unit: 'probability per year', text: 'Chance that a young reserve cadre without county experience is sent down (培养性交流).' }),
  secondmentShare: numBase({ def: 0.5, min: 0, max: 1, unit: 'share', text: 'Share of cultivation moves made as a secondment (挂职) rather than a transfer.' }),
  secondmentYears: numBase({ def: 2, min: 1, max: 5, int: true, unit: 'years', text: 'Length of a secondment.' }),
  structuralTargets,
  careRate: numBase({ def: 0.2, min: 0, max: 1, unit: 'probability per year', text: 'Chance that a cadre with a heavy family burden far from home is moved closer (照顾性交流).' }),
  disciplineRate: numBase({ def: 0.3, min: 0, max: 1, unit: 'probability per year', text: 'Chance that a poorly appraised cadre with strong local ties is moved (处理性交流).' }),
  disciplineStrength: numBase({ def: 0.4, min: 0, max: 1, unit: '0..1', text: 'How strictly a directive move is enforced (不允许讨价还价); lowers refusals (directive matching only: under two-way selection nobody refuses).' }),
  stigmaRelief: numBase({ def: 0, min: 0, max: 1, unit: 'share', text: 'Share of the stigma of reverse moves removed by care and recognition (§3.5 六).' }),
};
const policyDefaults = {
  maxTenure: 10, keyMaxTenure: 10, tenureFromRank: 1, tenureEnforcement: 1, minTenure: 3, hometownAvoidance: true, exchangeQuota: 0.34,
  electionCycle: 5, electionQuota: 0.5, prefectureElectionWeight: 1, staggeredElections: false, minYearsInRank: [3, 3, 3], promotionMaxAge: [45, 52, 56],
  promotionExchangeBonus: 0.1, requireExchangeForPromotion: false, hardshipAllowance: [0.024, 0.042, 0.07, 0.08, 0.136, 0.2],
  wageCompression: 0, housingSupport: 0, familySupport: 0, managementScope: 'one-level-down', matching: 'directive', registry: false, barriers: {},
  cultivationRate: 0.05, secondmentShare: 0.5, secondmentYears: 2, structuralTargets: {}, careRate: 0.2,
  disciplineRate: 0.3, disciplineStrength: 0.4, stigmaRelief: 0,
};
export const policyTables = table(policyFields, policyDefaults);

const policyWithRetirement = policyTables.full.extend({ retirement: retirement.prefault({} as never) as unknown as z.ZodDefault<typeof retirement> });
const policyPartial = policyTables.partial.extend({ retirement: ((retirement as any).__partial as typeof retirement).optional() });

// ---------- world (MODEL.md §2) ----------
const postsPerUnit = z
  .object({
    county: z.array(z.number().min(0).max(10000)).length(3).default([40, 14, 4]).describe('Posts per unit in a county at ranks 0, 1, 2. Default [40, 14, 4].'),
    prefecture: z.array(z.number().min(0).max(10000)).length(4).default([34, 15, 12, 3]).describe('Posts per unit in a prefecture at ranks 0–3. Default [34, 15, 12, 3].'),
    province: z.array(z.number().min(0).max(10000)).length(4).default([50, 22, 20, 4]).describe('Posts per unit in a province at ranks 0–3. Default [50, 22, 20, 4].'),
  })
  .strict();

const regionItem = z
  .object({
    code: z.string().min(1).describe('Identifier of the region.'),
    name: z.string().min(1).describe('Name.'),
    parent: z.number().int().min(-1).describe('Index of the parent in this list (-1 for a province).'),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]).describe('3 province, 2 prefecture, 1 county.'),
    wageIndex: z.number().gt(0).max(10).describe('Relative public pay (provincial capital ≈ 1).'),
    hardship: z.number().int().min(0).max(6).default(0).describe('Hardship category 0–6.'),
    urban: z.number().min(0).max(1).default(0.5).describe('Urbanisation 0..1.'),
    x: z.number().default(0).describe('East position, km.'),
    y: z.number().default(0).describe('North position, km.'),
    population: z.number().gt(0).default(100000).describe('Resident population; home counties of cadres are drawn in proportion to it. Must be positive.'),
  })
  .strict();

export const WorldSchema = z
  .object({
    preset: z.enum(['gansu', 'synthetic', 'national', 'explicit']).default('gansu').describe('Which world: the gansu preset (1 + 14 + 86 regions from real data), synthetic counts, the 31 provinces, or the explicit `regions` list. Default gansu.'),
    scale: z.number().gt(0).max(50).default(1).describe('Multiplies the posts of every unit (a workshop wants a run in seconds). Unit: factor. Range >0–50; default 1 (about 144 000 posts for gansu, 36 000 for the default synthetic world, 4.9 million for national).'),
    synthetic: z
      .object({
        provinces: z.number().int().min(1).max(100).default(1).describe('Number of provinces (each a root region). Default 1.'),
        prefecturesPerProvince: z.number().int().min(0).max(100).default(4).describe('Prefectures under each province. Default 4.'),
        countiesPerPrefecture: z.number().int().min(0).max(100).default(5).describe('Counties under each prefecture. Default 5.'),
        wageGradient: z.number().min(0).max(0.9).default(0.3).describe('How much poorer the poorest region is than the richest (0..0.9).'),
        hardshipShare: z.number().min(0).max(1).default(0.4).describe('Share of counties in a hardship category.'),
      })
      .strict()
      .prefault({})
      .describe('Counts of the synthetic preset.'),
    national: z
      .object({
        prefecturesPerProvince: z.number().int().min(1).max(40).default(11).describe('Prefectures under each of the 31 provinces. Default 11.'),
        countiesPerPrefecture: z.number().int().min(0).max(40).default(9).describe('Counties under each prefecture. Default 9.'),
      })
      .strict()
      .prefault({})
      .describe('Counts of the national preset (31 provinces).'),
    regions: z.array(regionItem).default([]).describe('The explicit regions (preset "explicit"), parents before children.'),
    posts: postsPerUnit
      .prefault({})
      .describe('Posts per unit (region × system × domain) by region level and rank, before `scale`. Default county [40,14,4], prefecture [34,15,12,3], province [50,22,20,4]: about 90% below division rank, 1% at bureau rank (MODEL.md §2.4).'),
    systemShare: z.array(z.number().min(0).max(10)).length(4).default([1, 0.5, 0.6, 0.9]).describe('Relative size of the block, line, enterprise and institution systems. Default [1, 0.5, 0.6, 0.9].'),
    initialFill: z.number().min(0.1).max(1).default(0.96).describe('Share of posts occupied in the initial population. Default 0.96.'),
  })
  .strict();

/**
 * Checks a vacancy transition matrix Q (White 1970): Q[i][j] is the chance that
 * a vacancy at rank i is filled by a cadre of rank j (the vacancy moves to j),
 * 1 − Σ_j Q[i][j] the chance of an outside hire (the chain ends). Every row must
 * sum to at most 1, and every chain must end: from each rank, a path of entries
 * Q > 0 must reach a rank with a positive chance of an outside hire. For a
 * substochastic matrix that is the same as spectral radius < 1, i.e. I − Q
 * invertible with a non-negative inverse N = (I − Q)⁻¹ whose row sums are the
 * expected chain lengths (Kemeny & Snell 1960, the fundamental matrix).
 */
const ROW_SUM_SLACK = 1e-9;
function checkVacancyMatrix(q: number[][], ctx: z.core.$RefinementCtx<number[][]>): void {
  const sums = q.map((row) => row.reduce((a, x) => a + x, 0));
  sums.forEach((sum, i) => {
    if (sum > 1 + ROW_SUM_SLACK) {
      ctx.addIssue({ code: 'custom', path: [i], message: `row ${i} (a vacancy at rank ${i}) sums to ${+sum.toFixed(6)}; the chances of its moving to ranks 0–3 must sum to at most 1 (the rest, 1 − sum, is the chance of an outside hire)` });
    }
  });
  if (sums.some((sum) => sum > 1 + ROW_SUM_SLACK)) return;
  // Ranks from which an outside hire can be reached, by a backward search from the ranks that hire.
  const ends = sums.map((sum) => 1 - sum > ROW_SUM_SLACK);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < q.length; i++) if (!ends[i] && q[i]!.some((x, j) => x > 0 && ends[j])) ends[i] = changed = true;
  }
  const stuck = ends.flatMap((e, i) => (e ? [] : [i]));
  if (stuck.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `a vacancy at rank ${stuck.join(', ')} never ends in an outside hire (the chain would never end): every rank must reach, through entries > 0, a rank whose row sums to less than 1 (I − Q must be invertible, spectral radius < 1)`,
    });
  }
}

const DockingSchema = z
  .object({
    mode: z.enum(['off', 'push', 'pull']).default('off').describe('Verification against analytic manpower models (MODEL.md §7): "push" replaces exits and moves by fixed exit and promotion hazards (Bartholomew’s Markov model, constant size); "pull" fills each vacancy from outside or by a cadre of another post, who leaves a vacancy in turn, with fixed probabilities: from the rank below (externalHire) or from any rank (vacancyMatrix) (White’s vacancy chains). "off" runs the full model. Default off.'),
    exitHazard: z.array(z.number().min(0).max(1)).length(4).default([0.04, 0.04, 0.04, 0.04]).describe('Annual exit probability by rank in docking modes. Default [0.04, 0.04, 0.04, 0.04].'),
    promotionHazard: z.array(z.number().min(0).max(1)).length(3).default([0.1, 0.08, 0.05]).describe('Annual promotion probability from ranks 0, 1, 2 in push mode. Default [0.1, 0.08, 0.05].'),
    externalHire: z.array(z.number().min(0).max(1)).length(4).default([1, 0.3, 0.3, 0.3]).describe('Probability that a vacancy at ranks 0–3 is filled from outside in pull mode (rank 0 always is); otherwise it is filled from the rank below. Ignored when vacancyMatrix is given. Default [1, 0.3, 0.3, 0.3].'),
    vacancyMatrix: z
      .array(z.array(z.number().min(0).max(1)).length(4))
      .length(4)
      .superRefine(checkVacancyMatrix)
      .optional()
      .describe('Vacancy transition matrix Q of pull mode (White 1970; MODEL.md §7), replacing externalHire: a vacancy at rank i (row) is filled by a cadre of rank j (column) with probability Q[i][j], lateral (j = i) and from above (j > i) included, and from outside with probability 1 − Σ_j Q[i][j]. Mean chain length by starting rank is then (I − Q)⁻¹·1. Unit: probability. Range 4 rows of 4 values, each 0–1, each row summing to at most 1, an outside hire reachable from every rank; default none (externalHire’s one-rank-down chains, Q[i][i−1] = 1 − externalHire[i]).'),
  })
  .strict();

const OutputsSchema = z
  .object({
    stagnationYears: z.number().int().min(1).max(40).default(10).describe('Years in post counted as stagnation (板结). Default 10.'),
    events: z.boolean().default(false).describe('Write one row per move to events.csv. Default false.'),
  })
  .strict();

const ReformSchema = z
  .object({
    year: z.number().int().min(1900).max(2300).describe('Calendar year from which the change applies.'),
    description: z.string().default('').describe('What the reform is, in words (shown in reports).'),
    policy: policyPartial.prefault({}).describe('Levers that change in that year.'),
    behavior: z
      .object({ unitOwnership: (behaviorFields.unitOwnership as z.ZodType).optional(), stigma: (behaviorFields.stigma as z.ZodType).optional() })
      .strict()
      .prefault({})
      .describe('Behaviour that a reform acts on (unit ownership, stigma).'),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore').default('scenario').describe('Short name; names the results directory.'),
    description: z.string().default('').describe('What the scenario represents.'),
    seed: z.number().int().min(0).max(4294967295).default(1).describe('Scenario seed; replicate seeds are derived from it.'),
    startYear: z.number().int().min(1950).max(2200).default(2026).describe('First reported calendar year.'),
    years: z.number().int().min(1).max(200).default(30).describe('Reported years.'),
    burnIn: z.number().int().min(0).max(200).default(30).describe('Years simulated before startYear and not reported, so the initial population reaches a steady state.'),
    replicates: z.number().int().min(1).max(100000).default(8).describe('Replicates (independent runs).'),
    world: WorldSchema.prefault({}),
    behavior: behaviorTables.full.prefault({}),
    policy: policyWithRetirement.prefault({}),
    reforms: z.array(ReformSchema).default([]).describe('Changes of policy at given years (in year order).'),
    outputs: OutputsSchema.prefault({}),
    docking: DockingSchema.prefault({}).describe('Verification modes that replace behaviour by fixed hazards (not for policy runs).'),
  })
  .strict();

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Policy = Scenario['policy'];
export type Behavior = Scenario['behavior'];
export type WorldConfig = Scenario['world'];
export type Reform = Scenario['reforms'][number];

export function scenarioJsonSchema(): object {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' });
}
