/**
 * The server's messages in the page's language: a bad input comes back as
 * problems with a code and its numbers (scenario/errors.ts InputProblem), worded
 * here in Chinese or English with the levers' and settings' labels instead of
 * their paths. Browser-safe; shared by the page and the trainer's view.
 */
import { LEVERS, ui, type Lang } from '../report/i18n.js';

export interface Problem {
  path: string;
  value?: unknown;
  allowed: string;
  code?: string;
  params?: Record<string, any>;
}

/** Big counts in words: 1.2 亿 / 150 million. */
export function bigNumber(x: number, lang: Lang): string {
  if (lang === 'zh') {
    if (x >= 1e8) return `${Number((x / 1e8).toPrecision(3))} 亿`;
    if (x >= 1e4) return `${Number((x / 1e4).toPrecision(3))} 万`;
    return String(Math.round(x));
  }
  if (x >= 1e9) return `${Number((x / 1e9).toPrecision(3))} billion`;
  if (x >= 1e6) return `${Number((x / 1e6).toPrecision(3))} million`;
  if (x >= 1e4) return `${Number((x / 1e3).toPrecision(3))} thousand`;
  return String(Math.round(x));
}

/** A duration in words: "about 40 s", "about 3 min". */
export function duration(seconds: number, lang: Lang): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 90) return lang === 'zh' ? `约 ${Math.max(1, Math.round(seconds))} 秒` : `about ${Math.max(1, Math.round(seconds))} s`;
  const min = Math.round(seconds / 60);
  return lang === 'zh' ? `约 ${min} 分钟` : `about ${min} min`;
}

/** The label of a field: a lever's label, a setting's name, or the path when neither. */
export function fieldLabel(path: string, lang: Lang): string {
  const m = /^(.*?)\[(\d+)\]$/.exec(path);
  const base = m ? m[1]! : path;
  const lever = LEVERS.find((l) => l.path === base);
  let label = lever ? (lang === 'zh' ? lever.label[0] : lever.label[1]) : base.startsWith('settings.') ? ui(base.slice('settings.'.length), lang) : '';
  if (!label) {
    const words: Record<string, [string, string]> = { settings: ['运行设置', 'Run settings'], participant: ['参与者编号', 'Participant id'], name: ['姓名', 'Name'], '': ['请求', 'The request'] };
    label = words[base] ? (lang === 'zh' ? words[base]![0] : words[base]![1]) : base;
  }
  if (m) label += lang === 'zh' ? ` 第 ${Number(m[2]) + 1} 项` : `, item ${Number(m[2]) + 1}`;
  return label;
}

const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v));

/** What is allowed, in the page's language; the server's English words when the code is unknown. */
export function allowedText(p: Problem, lang: Lang): string {
  const zh = lang === 'zh';
  const q = p.params ?? {};
  const types: Record<string, [string, string]> = { number: ['数字', 'a number'], int: ['整数', 'a whole number'], boolean: ['是或否', 'yes or no'], string: ['文字', 'text'], array: ['一组数值', 'a list of numbers'], object: ['对象', 'an object'] };
  switch (p.code) {
    case 'min': return zh ? `应 ≥ ${q.min}` : `must be ≥ ${q.min}`;
    case 'max': return zh ? `应 ≤ ${q.max}` : `must be ≤ ${q.max}`;
    case 'above': return zh ? `应 > ${q.min}` : `must be > ${q.min}`;
    case 'below': return zh ? `应 < ${q.max}` : `must be < ${q.max}`;
    case 'minItems': return zh ? `至少 ${q.min} 个数值` : `at least ${q.min} numbers`;
    case 'maxItems': return zh ? `至多 ${q.max} 个数值` : `at most ${q.max} numbers`;
    case 'missing': return zh ? '必须填写' : 'is required';
    case 'type': { const t = types[q.expected] ?? [String(q.expected), String(q.expected)]; return zh ? `应为${t[0]}` : `must be ${t[1]}`; }
    case 'enum': return zh ? `应为以下之一:${(q.values ?? []).join('、')}` : `must be one of ${(q.values ?? []).join(', ')}`;
    case 'range': return zh ? `应为 ${q.min}–${q.max} 之间的${q.integer ? '整数' : '数'}` : `must be ${q.integer ? 'a whole number' : 'a number'} from ${q.min} to ${q.max}`;
    case 'unknownLever': return zh ? '不是本页面的政策杠杆(请检查政策包)' : 'is not a lever of this page (check the policy package)';
    case 'unknownSetting': return zh ? '不是运行设置' : 'is not a run setting';
    case 'unknownField': return zh ? '不是运行请求的字段' : 'is not a field of a run request';
    case 'posteriorReplicates': return zh ? `在后验上运行时,应为 ${q.m} 的倍数且至少 ${2 * q.m}(每个后验粒子运行 ${q.m} 个随机种子,区间至少需要两个粒子)` : `over the posterior, a multiple of ${q.m} and at least ${2 * q.m} (each particle runs on ${q.m} seeds; an interval needs two particles)`;
    case 'noPosterior': return zh ? '本服务器没有后验分布,无法在后验上运行' : 'this server has no posterior to run over';
    case 'tooLarge':
      return zh
        ? `运行规模 ${bigNumber(q.cadreYears, lang)} 干部·年,超过本服务器的上限 ${bigNumber(q.max, lang)}(${duration(q.seconds, lang)}):请降低世界规模、年数或重复次数`
        : `a run of ${bigNumber(q.cadreYears, lang)} cadre-years is over this server's limit of ${bigNumber(q.max, lang)} (it would take ${duration(q.seconds, lang)}): lower the scale, the years or the replicates`;
    case 'participant': return zh ? '无效的参与者编号(请重新载入页面)' : 'is not a valid participant id (reload the page)';
    case 'name': return zh ? `至多 ${q.max} 个字` : `at most ${q.max} characters`;
    case 'json': return zh ? '不是有效的 JSON' : 'is not valid JSON';
    case 'request': return zh ? '应为包含杠杆和设置的对象' : 'must be an object with levers and settings';
    case 'stopping': return zh ? '服务器正在停止' : 'the server is stopping';
    default: return p.allowed;
  }
}

/** One problem as a line: label: value: what is allowed. */
export function problemText(p: Problem, lang: Lang): string {
  const v = p.code === 'tooLarge' || p.code === 'stopping' || p.code === 'missing' ? '' : show(p.value);
  return [fieldLabel(p.path, lang), v, allowedText(p, lang)].filter(Boolean).join(': ');
}
