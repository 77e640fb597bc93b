#!/usr/bin/env node
// Writes the parameter reference of docs/MODEL.md from the scenario schema,
// so that the documented defaults, ranges and units can never drift from the
// ones the program enforces.
//
// It imports the COMPILED schema (dist/src/scenario/schema.js: run
// `npm run build` first; `npm test` builds before it runs the tests), takes
// its JSON Schema (scenarioJsonSchema()) and renders one Markdown table per
// section of a scenario — the top-level run fields, world, behavior, policy,
// outputs, reforms and docking — with nested objects (policy.barriers,
// policy.structuralTargets, policy.retirement, behavior.wWage, …) as dotted
// paths. The schema's descriptions end in "Unit: …. Range a–b; default d."
// (or "Default d."); those parts fill the unit, range and default columns,
// and are checked against the schema's own constraints. The 'study / source'
// column comes from the table SOURCES below: the section of the source study
// and the regulation each lever stands for (docs/MODEL.md §6 and §9).
//
// The result replaces the text between <!-- params:start --> and
// <!-- params:end --> in docs/MODEL.md.
//   node scripts/gen-params.mjs           rewrite docs/MODEL.md
//   node scripts/gen-params.mjs --check   exit 1 if docs/MODEL.md is not up to date
//
// Plain Node (>= 20), no dependencies.

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const START = '<!-- params:start -->';
const END = '<!-- params:end -->';
const docUrl = new URL('../docs/MODEL.md', import.meta.url);
const schemaUrl = new URL('../dist/src/scenario/schema.js', import.meta.url);

function fail(msg) {
  console.error(`gen-params: ${msg}`);
  process.exit(1);
}

/**
 * The study's sections (its parts: 三、5 四 = §3.5 四) and documents behind
 * each lever of docs/MODEL.md §6 and the parameter sources of §9. Keys are
 * dotted schema paths; every key must exist in the schema (checked below).
 */
const SOURCES = {
  // policy: rules
  'policy.maxTenure': '§3.5 四 (同一职位上满10年的必须交流); 交流工作规定 (2006) art. 5; 选拔任用条例 (2014) art. 54',
  'policy.keyMaxTenure': '§2 (重点岗位 轮岗交流); a provincial implementing rule (2014): 5 years for heads of discipline, organisation, court, procuratorate, police',
  'policy.tenureFromRank': 'model choice: the tenure rules bind leading cadres (领导干部), section level and above',
  'policy.minTenure': '§3.5 四 (原则上应当任满一届); 职务任期暂行规定 (2006): heads one full term (5 years), other leaders 3',
  'policy.hometownAvoidance': '§2 (纪委书记、组织部长和公检法主要负责同志 异地交流任职); 任职回避暂行规定 (2006) art. 5',
  'policy.exchangeQuota': '§3.2 二 (把握好“流量”, 小幅度、低频率); a prefecture’s implementing rule: at most 1/3 of a team in one batch',
  'policy.electionCycle': '§2.3 一 (交流往往集中在领导班子换届调整时进行); five-year terms',
  'policy.electionQuota': '§2.3 一; §2.3 一 四个始终 (“大换血”)',
  'policy.staggeredElections': '§2.3 一 (a lever to spread exchange out of the 换届 year); §3.5 一 (合理掌握交流节奏)',
  'policy.minYearsInRank': '选拔任用条例 (2014) art. 8–9: deputy → head ≥ 2 years, lower head → higher deputy ≥ 3 years',
  'policy.promotionMaxAge': 'model choice (age ceilings on promotion in practice)',
  'policy.promotionExchangeBonus': '§3.5 三 激励机制 (进行过交流或轮换的, 优先考虑提拔使用)',
  'policy.requireExchangeForPromotion': '§3.5 三 (没有经过交流锻炼的干部 … 一律实行资格否决); 条例 art. 9 (≥ 2 posts at the level below)',
  'policy.hardshipAllowance': '§3.5 五 保障机制; 人社部发〔2011〕75号 (classes 1–3: 120, 210, 350 yuan/month); 2006 scheme (classes 4–6 ≈ 400, 680, 1 000)',
  'policy.wageCompression': '§3.5 五 (全面推行“阳光工资”, 缩小收入差距)',
  'policy.housingSupport': '§3.5 五 (交流干部的住房可统筹解决); §2.4 二',
  'policy.familySupport': '§3.5 五 (家属子女随迁); §2.4 二',
  'policy.matching': '§3.5 二 互动机制 (双向选择); §3.2 五 自主自愿',
  'policy.registry': '§3.5 二 (有交流意向的干部登记制度; 空缺岗位向社会公示制度)',
  'policy.barriers': '§3.4 三个打破; §2.2 五难',
  'policy.barriers.crossSystem': '§2.2 四; §3.4 一 打破条块分割, 三 打破地方(部门)所有',
  'policy.barriers.lineBlock': '§2.2 四 (“条”“块”部门之间的干部交流难); §3.4 一',
  'policy.barriers.crossLevel': '§2.2 五 (不同层级之间的干部交流难)',
  'policy.barriers.crossIdentity': '§2.2 一 (不同身份性质的干部交流难); §3.4 二 打破身份界限',
  'policy.cultivationRate': '§3.3 二 培养性交流; §3.2 三 (年轻干部 … 到基层 … 挂职锻炼)',
  'policy.secondmentShare': '§3.3 二; §3.2 三 (挂职锻炼)',
  'policy.secondmentYears': '§3.2 三 (挂职锻炼); 1–2 years in practice',
  'policy.structuralTargets': '§3.3 一 结构性交流 (性别、年龄、知识、民族 构成)',
  'policy.careRate': '§3.3 三 照顾性交流',
  'policy.disciplineRate': '§3.3 五 处理性交流',
  'policy.disciplineStrength': '§3.5 四 (不允许讨价还价 … 防止派不进、调不出)',
  'policy.stigmaRelief': '§2.1 三 社会偏见; §3.5 六 关怀机制',
  'policy.retirement': 'national rules: men 60, women cadres 55 (division level and above 60)',
  'policy.retirement.raise2025': 'gradual raise from 2025: to 63 (men) and 58 (women cadres) over 15 years',
  // behaviour
  'behavior.wWage': '§2.1 二, §2.2 二 (收入水平不尽相同; 往“利益好”的部门钻)',
  'behavior.wHome': '§2.1 二 (由近到远); §3.2 四 (地域靠近)',
  'behavior.wUrban': '§2.1 二 (由城到乡)',
  'behavior.wCareer': '§2.1 二 (今后的发展世事难料); §3.5 五 (“事业引导”)',
  'behavior.relocationCost': '§2.4 二, §3.5 五 (家属子女随迁)',
  'behavior.stigma': '§2.1 三 社会偏见 (被组织“发配”)',
  'behavior.unitOwnership': '§2.1 一 (本位主义; 不愿意交流优秀 … 干部; “甩包袱”); §3.4 三',
  'behavior.applyThreshold': '§3.5 二 (有交流意向的干部登记)',
  'behavior.refusalScale': '§2.2 二 (非哪里不去); §3.5 四 (讨价还价)',
  'behavior.tieGrowth': '§1.3 (人情、关系的干扰); §3.3 四 (人际交往中的近亲因素)',
  'behavior.tieCarry': '§3.5 四 (防止形成新的 … 不正常圈子)',
  'behavior.quitBase': 'resignations under 12 000 a year, ≈ 0.2% (docs/MODEL.md §9)',
  'behavior.quitPayGap': '§2.4 二 (不同地区工资待遇差别)',
  'behavior.marketPay': 'private vs non-private urban pay 2021 (data/province-wages.csv)',
  'behavior.dismissRate': '§3.3 五 处理; §1.3 (预防腐败)',
  'behavior.localBias': '§2.1 一 (怕交流进来的干部占了位置); §2.3 一 (“小圈子”内的“内循环”)',
  'behavior.regionBias': '§2.3 一 (偏重“小圈子”内的“内循环”); §2.3 三 (干部 … 成为部门或地方所有)',
  'behavior.domainFit': '§3.2 四 (人岗相适、部门相近、专业接近)',
  'behavior.recruitLocality': 'recruitment by examination (公务员考试), mostly local',
  'behavior.recruitFill': 'about 194 000 hired in 2015, ≈ 2.7% a year (docs/MODEL.md §9)',
  'behavior.planPriority': '§3.5 一 调控机制 (组织调配)',
  // world and verification
  'docking.mode': 'Bartholomew’s Markov manpower model (push); White (1970) vacancy chains (pull)',
  'world.preset': 'data/README.md: Gansu’s divisions, 2021 pay, 2020 census, 2006 class-1 hardship list; 31 provinces’ 2021 pay',
  'world.posts': '≈ 10% of civil servants at division-deputy level and above (7.167 million, end 2015)',
  'world.scale': 'a workshop wants a run in seconds; sizes at scale 1 in docs/MODEL.md §2.4',
};

// ---------------------------------------------------------------- schema

let mod;
try {
  mod = await import(schemaUrl.href);
} catch (e) {
  fail(`cannot load the compiled schema ${fileURLToPath(schemaUrl)} (${e.message}); run \`npm run build\` first`);
}
const schema = mod.scenarioJsonSchema();

/** Sub-schemas that are documented elsewhere and not expanded field by field. */
const NOT_EXPANDED = new Set(['reforms[].policy']);

function isObject(v) {
  return v && v.type === 'object' && v.properties;
}

/** Splits a schema description into meaning, unit, range and default text. */
function parseDescription(desc) {
  const text = (desc ?? '').replace(/\s+/g, ' ').trim();
  let m = text.match(/^(.*?)\s*Unit: (.+?)\. Range (.+?); default (.+?)\.$/);
  if (m) return { meaning: m[1], unit: m[2], range: m[3], def: m[4] };
  m = text.match(/^(.*?)\s*Unit: (.+?)\. Default (.+?)\.$/);
  if (m) return { meaning: m[1], unit: m[2], def: m[3] };
  m = text.match(/^(.*?)\s*Default (.+?)\.$/);
  if (m) return { meaning: m[1], def: m[2] };
  return { meaning: text };
}

/** The range the schema enforces, in words. */
function schemaRange(v) {
  if (!v) return '';
  if (v.enum) return v.enum.map((x) => `\`${x}\``).join(', ');
  if (v.anyOf && v.anyOf.every((a) => 'const' in a)) return v.anyOf.map((a) => a.const).join(', ');
  if (v.type === 'boolean') return 'true, false';
  if (v.type === 'array') {
    const n = v.minItems !== undefined && v.minItems === v.maxItems ? `${v.minItems} values` : 'a list';
    const each = isObject(v.items) ? 'objects (below)' : schemaRange(v.items);
    return each ? `${n}, each ${each}` : n;
  }
  if (v.type === 'number' || v.type === 'integer') {
    const kind = v.type === 'integer' ? 'integer ' : '';
    const lo = v.exclusiveMinimum !== undefined ? `>${v.exclusiveMinimum}` : v.minimum !== undefined ? `${v.minimum}` : undefined;
    const hiNum = v.exclusiveMaximum ?? v.maximum;
    const hi = hiNum !== undefined && hiNum < Number.MAX_SAFE_INTEGER ? `${v.exclusiveMaximum !== undefined ? '<' : ''}${hiNum}` : undefined;
    if (lo !== undefined && hi !== undefined) return `${kind}${lo}–${hi}`;
    if (lo !== undefined) return `${kind}${lo.startsWith('>') ? '> ' + lo.slice(1) : '≥ ' + lo}`;
    if (hi !== undefined) return `${kind}${hi.startsWith('<') ? '< ' + hi.slice(1) : '≤ ' + hi}`;
    return v.type === 'integer' ? 'any integer' : 'any number';
  }
  if (v.type === 'string') return v.pattern ? `text matching \`${v.pattern}\`` : 'text';
  return '';
}

function formatDefault(d) {
  if (d === undefined) return '';
  if (Array.isArray(d)) return `[${d.map(formatDefault).join(', ')}]`;
  if (typeof d === 'string') return d === '' ? '(empty)' : d;
  if (d !== null && typeof d === 'object') return Object.keys(d).length === 0 ? '' : JSON.stringify(d);
  return String(d);
}

/** The number in a description's default text, where it is a plain JSON value. */
function parsedValue(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const problems = [];

/** Checks the description's range and default against the schema's constraints. */
function crossCheck(path, v, d) {
  if (d.range && (v.type === 'number' || v.type === 'integer')) {
    const m = d.range.match(/^(>?)(-?[\d.]+)–(-?[\d.]+)$/);
    const lo = v.exclusiveMinimum ?? v.minimum;
    const okLo = m && Number(m[2]) === lo && (m[1] === '>') === (v.exclusiveMinimum !== undefined);
    const okHi = m && Number(m[3]) === (v.exclusiveMaximum ?? v.maximum);
    if (!okLo || !okHi) problems.push(`${path}: the description says "Range ${d.range}" but the schema allows ${schemaRange(v)}`);
  }
  if (d.def !== undefined && v.default !== undefined) {
    // A plain JSON value must equal the schema's default; a value with a remark
    // ("1 (about …)") must start with it.
    const p = parsedValue(d.def);
    const plain = formatDefault(v.default);
    const same = p.ok ? isDeepStrictEqual(p.value, v.default) : d.def === plain || d.def.startsWith(`${plain} `);
    if (!same) problems.push(`${path}: the description says "default ${d.def}" but the schema's default is ${JSON.stringify(v.default)}`);
  }
}

/** Fields of a reform that, left out, keep the value in force. */
function inReform(path) {
  return path.startsWith('reforms[].policy') || path.startsWith('reforms[].behavior.');
}

function row(path, v, container, required = false) {
  if (container || NOT_EXPANDED.has(path)) {
    const meaning = (v.description ?? '').replace(/\s+/g, ' ').trim();
    return {
      path,
      def: '',
      range: 'object',
      unit: '',
      meaning: NOT_EXPANDED.has(path) ? `${meaning} Any of the \`policy\` fields above; those left out keep their value.` : meaning,
      source: SOURCES[path] ?? '',
    };
  }
  const d = parseDescription(v.description);
  crossCheck(path, v, d);
  let range = d.range ?? schemaRange(v);
  if (d.range && v.type === 'integer') range = `integer ${d.range}`;
  return {
    path,
    def: inReform(path) ? 'unchanged' : d.def ?? (v.default === undefined && required ? 'required' : formatDefault(v.default)),
    range,
    unit: d.unit ?? '',
    meaning: d.meaning,
    source: SOURCES[path] ?? '',
  };
}

function collect(node, prefix, out) {
  const required = new Set(node.required ?? []);
  for (const [k, v] of Object.entries(node.properties)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isObject(v) && !NOT_EXPANDED.has(path)) {
      out.push(row(path, v, true));
      collect(v, path, out);
    } else if (v.type === 'array' && isObject(v.items)) {
      out.push(row(path, v, false, required.has(k)));
      collect(v.items, `${path}[]`, out);
    } else {
      out.push(row(path, v, false, required.has(k)));
    }
  }
  return out;
}

const SECTIONS = [
  { key: null, title: 'Run (top level of the scenario)' },
  { key: 'world', title: '`world` — regions and posts (§2)' },
  { key: 'behavior', title: '`behavior` — behavioural parameters (§4, §6)' },
  { key: 'policy', title: '`policy` — the levers (§6)' },
  { key: 'outputs', title: '`outputs`' },
  { key: 'reforms', title: '`reforms` — changes of policy in given years (§6)' },
  { key: 'docking', title: '`docking` — verification modes (§7; not for policy runs)' },
];
const TOP_SKIP = new Set(['$schema', ...SECTIONS.map((s) => s.key).filter(Boolean)]);

function cell(x) {
  return String(x ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim() || '—';
}

function table(rows) {
  const head = '| field | default | range | unit | meaning | study / source |\n|---|---|---|---|---|---|\n';
  return head + rows.map((r) => `| \`${r.path}\` | ${cell(r.def)} | ${cell(r.range)} | ${cell(r.unit)} | ${cell(r.meaning)} | ${cell(r.source)} |`).join('\n') + '\n';
}

const props = schema.properties;
const blocks = [];
const documented = new Set();
for (const s of SECTIONS) {
  let rows;
  if (s.key === null) {
    rows = Object.entries(props).filter(([k]) => !TOP_SKIP.has(k)).map(([k, v]) => row(k, v, false));
  } else {
    const v = props[s.key];
    if (!v) fail(`the schema has no section "${s.key}"`);
    if (isObject(v)) rows = collect(v, s.key, []);
    else if (v.type === 'array' && isObject(v.items)) rows = [row(s.key, v, false), ...collect(v.items, `${s.key}[]`, [])];
    else rows = [row(s.key, v, false)];
  }
  for (const r of rows) documented.add(r.path);
  blocks.push(`#### ${s.title}\n\n${table(rows)}`);
}
for (const k of Object.keys(props)) if (k !== '$schema' && !documented.has(k) && !SECTIONS.some((s) => s.key === k)) problems.push(`top-level field "${k}" is in no table`);
// A renamed lever must not lose its source silently.
for (const k of Object.keys(SOURCES)) if (!documented.has(k)) problems.push(`SOURCES names "${k}", which is not a field of the schema`);
if (problems.length) fail(`the schema and this script disagree:\n  ${problems.join('\n  ')}`);

const generated =
  '<!-- generated by scripts/gen-params.mjs from the scenario schema (src/scenario/schema.ts); edit the schema or the script, not this block -->\n\n' +
  blocks.join('\n');

// ---------------------------------------------------------------- docs/MODEL.md

let doc;
try {
  doc = readFileSync(docUrl, 'utf8');
} catch (e) {
  fail(`cannot read ${fileURLToPath(docUrl)} (${e.message})`);
}
const a = doc.indexOf(START);
const b = doc.indexOf(END);
if (a < 0 || b < 0 || b < a) fail(`docs/MODEL.md must contain ${START} followed by ${END}`);
const next = `${doc.slice(0, a)}${START}\n${generated}${END}${doc.slice(b + END.length)}`;

if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('gen-params: the parameter reference in docs/MODEL.md is out of date; run `npm run build && node scripts/gen-params.mjs`');
    process.exit(1);
  }
} else if (next !== doc) {
  writeFileSync(docUrl, next);
  console.log('gen-params: docs/MODEL.md updated');
} else {
  console.log('gen-params: docs/MODEL.md already up to date');
}
