/**
 * The workshop server's run queue (src/web/queue.ts) and the wording of its
 * messages (src/web/words.ts): one run per participant, first in first out,
 * never more worker threads busy than the server has, the place and time a
 * waiting participant is told, the speed learnt from finished runs; and bad
 * input worded in Chinese or English with the levers' labels.
 */
import { describe, expect, it } from 'vitest';
import { RunQueue, MEASURED_FROM, type QueuedRun, type Place } from '../../src/web/queue.js';
import { problemText } from '../../src/web/words.js';
import { presets, runScenarios } from '../../src/web/levers.js';
import { InputError } from '../../src/scenario/errors.js';

interface Run extends QueuedRun {
  name: string;
}

/** A queue whose runs end when the test says so. */
function harness(threads: number) {
  const started: { run: Run; tasks: number }[] = [];
  const finish = new Map<Run, (r: { completed: boolean; seconds: number }) => void>();
  const told = new Map<string, Place[]>();
  let busy = 0;
  let most = 0;
  const q = new RunQueue<Run>({
    threads,
    throughput: 1000,
    start: (run, tasks) => {
      started.push({ run, tasks });
      busy += Math.min(tasks, threads);
      most = Math.max(most, busy);
      return new Promise((resolve) => finish.set(run, (r) => { busy -= Math.min(tasks, threads); resolve(r); }));
    },
    waiting: (run, place) => told.set(run.name, [...(told.get(run.name) ?? []), place]),
  });
  const run = (name: string, participant = name, cadreYears = 10_000, replicates = 4): Run => ({ name, participant, cadreYears, replicates, done: 0 });
  const end = async (r: Run, seconds = 1) => {
    finish.get(r)!({ completed: true, seconds });
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { q, started, told, run, end, most: () => most };
}

describe('the run queue', () => {
  it('runs first in, first out, on no more threads than the server has, and tells the waiting their place', async () => {
    const h = harness(2);
    const runs = ['a', 'b', 'c', 'd', 'e'].map((n) => h.run(n));
    for (const r of runs) h.q.submit(r);
    // Two threads: one run at a time (two tasks, one per arm), the others wait in order.
    expect(h.started.map((s) => s.run.name)).toEqual(['a']);
    expect(h.q.place(runs[4]!)).toMatchObject({ ahead: 3, running: 1 });
    expect(h.told.get('e')!.at(-1)!.ahead).toBe(3);
    // The wait: what the running run has left and the runs ahead, at 1000 cadre-years/s on 2 threads.
    runs[0]!.done = 0.5;
    expect(h.q.place(runs[2]!)!.waitSeconds).toBeCloseTo((5000 + 10_000) / 2000, 9);
    expect(h.q.place(runs[2]!)!.runSeconds).toBeCloseTo(10_000 / 2000, 9);
    for (const r of runs.slice(0, 4)) await h.end(r);
    expect(h.started.map((s) => s.run.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(h.told.get('e')!.map((p) => p.ahead)).toEqual([3, 2, 1, 0]);
    expect(h.most()).toBeLessThanOrEqual(2);
  });

  it('runs several at once on more threads: alone a run takes them all, with others waiting two each', async () => {
    const h = harness(4);
    const a = h.run('a');
    h.q.submit(a);
    expect(h.started[0]).toMatchObject({ tasks: 4 });
    await h.end(a);
    const b = h.run('b'), c = h.run('c'), d = h.run('d');
    h.q.submit(b);
    h.q.submit(c);
    h.q.submit(d);
    // b took every thread before c and d came; they wait for it.
    expect(h.started.map((s) => s.run.name)).toEqual(['a', 'b']);
    await h.end(b);
    // c starts with d waiting behind it: two tasks, and d gets the other two.
    expect(h.started.slice(2).map((s) => [s.run.name, s.tasks])).toEqual([['c', 2], ['d', 2]]);
    expect(h.most()).toBeLessThanOrEqual(4);
  });

  it('keeps one run per participant: the participant\'s own is replaced, nobody else\'s', async () => {
    const h = harness(2);
    const a1 = h.run('a1', 'pa'), b = h.run('b', 'pb'), a2 = h.run('a2', 'pa');
    h.q.submit(a1);
    h.q.submit(b);
    expect(() => h.q.submit(a2)).toThrow(/has a run already/);
    // The server cancels the participant's previous run, then queues the new one at the end.
    h.q.remove(a1);
    h.q.submit(a2);
    expect(h.q.current('pa')).toBe(a2);
    expect(h.q.current('pb')).toBe(b);
    await h.end(a1); // its threads come free when its tasks end
    expect(h.started.map((s) => s.run.name)).toEqual(['a1', 'b']);
    await h.end(b);
    expect(h.started.map((s) => s.run.name)).toEqual(['a1', 'b', 'a2']);
    // A waiting run taken out leaves the queue.
    const c = h.run('c');
    h.q.submit(c);
    h.q.remove(c);
    await h.end(a2);
    expect(h.started.map((s) => s.run.name)).toEqual(['a1', 'b', 'a2']);
  });

  it('learns the speed from runs that finished, not from short ones', async () => {
    const h = harness(2);
    const short = h.run('s', 's', 1_000_000);
    h.q.submit(short);
    await h.end(short, MEASURED_FROM / 2);
    expect(h.q.throughput).toBe(1000);
    const long = h.run('l', 'l', 1_000_000);
    h.q.submit(long);
    await h.end(long, 20);
    // 10^6 cadre-years in 20 s on 2 threads.
    expect(h.q.throughput).toBe(25_000);
  });
});

describe('messages in the page\'s language', () => {
  const problems = (req: Parameters<typeof runScenarios>[0]) => {
    try {
      runScenarios(req);
    } catch (e) {
      if (e instanceof InputError) return e.problems;
      throw e;
    }
    throw new Error('no problem');
  };

  it('words a lever out of range with its label, in Chinese and English', () => {
    const [p] = problems({ levers: { 'policy.maxTenure': 0 } });
    expect(p).toMatchObject({ path: 'policy.maxTenure', code: 'min', params: { min: 1 } });
    expect(problemText(p!, 'zh')).toBe('同一岗位任职上限: 0: 应 ≥ 1');
    expect(problemText(p!, 'en')).toBe('Tenure limit in one post: 0: must be ≥ 1');
    const [q] = problems({ levers: { 'policy.maxTenure': 99 } });
    expect(problemText(q!, 'zh')).toBe('同一岗位任职上限: 99: 应 ≤ 40');
  });

  it('words settings, kinds of value and unknown levers', () => {
    const [s] = problems({ settings: { replicates: 0 } });
    expect(problemText(s!, 'zh')).toBe('重复次数: 0: 应为 1–32 之间的整数');
    const [k] = problems({ levers: { 'policy.matching': 'lottery' } });
    expect(problemText(k!, 'zh')).toMatch(/^匹配方式: "lottery": 应为以下之一/);
    const [b] = problems({ levers: { 'policy.registry': 'yes' } });
    expect(problemText(b!, 'zh')).toBe('意愿登记与空缺公示: "yes": 应为是或否');
    const [u] = problems({ levers: { 'policy.nothing': 1 } });
    expect(problemText(u!, 'zh')).toMatch(/^policy\.nothing: 1: 不是本页面的政策杠杆/);
    const [r] = problems({ settings: { years: 3, reformYear: 2040 } });
    expect(problemText(r!, 'en')).toBe('Reform from year: 2040: must be a whole number from 2026 to 2028');
  });

  it('words the server\'s own codes: the cap, the posterior, a setting that is not one', () => {
    expect(problemText({ path: 'settings', value: 2e9, allowed: '', code: 'tooLarge', params: { cadreYears: 1.84e9, max: 1.5e8, seconds: 1800 } }, 'zh')).toBe('运行设置: 运行规模 18.4 亿 干部·年,超过本服务器的上限 1.5 亿(约 30 分钟):请降低世界规模、年数或重复次数');
    expect(problemText({ path: 'settings.posterior', value: 1, allowed: '', code: 'noPosterior' }, 'zh')).toBe('在后验分布上运行: 1: 本服务器没有后验分布,无法在后验上运行');
    // An unknown code keeps the server's words.
    expect(problemText({ path: 'policy.maxTenure', value: 3, allowed: 'something else', code: 'novel' }, 'en')).toBe('Tenure limit in one post: 3: something else');
  });

  it('sets the reform year a few years after the first reported year by default', () => {
    expect(runScenarios({ settings: { years: 30 } }).settings.reformYear).toBe(2030);
    expect(runScenarios({ settings: { years: 3 } }).settings.reformYear).toBe(2028);
  });

  it('runs from the first reported year of the settings, by default the baseline\'s; presets name theirs', () => {
    const d = runScenarios({ settings: { years: 3 } });
    expect(d.settings.startYear).toBe(2026);
    expect(d.baseline.startYear).toBe(2026);
    const old = runScenarios({ settings: { years: 6, startYear: 2006 } });
    expect(old.settings).toMatchObject({ startYear: 2006, reformYear: 2010 });
    expect(old.baseline.startYear).toBe(2006);
    expect(old.policy.startYear).toBe(2006);
    expect(old.policy.reforms.map((r) => r.year)).toEqual([2010]);
    const [r] = problems({ settings: { years: 6, startYear: 2006, reformYear: 2030 } });
    expect(problemText(r!, 'en')).toBe('Reform from year: 2030: must be a whole number from 2006 to 2011');
    const [y] = problems({ settings: { startYear: 1900 } });
    expect(problemText(y!, 'en')).toBe('First reported year: 1900: must be a whole number from 1950 to 2200');
    const byFile = Object.fromEntries(presets().map((p) => [p.file, p.settings.startYear]));
    expect(byFile['gansu-2008.json']).toBe(2006);
    expect(byFile['baseline.json']).toBe(2026);
  });
});
