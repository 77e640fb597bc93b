/**
 * Scenario discovery (`cadreflow discover DIR`, README "Scenario discovery"):
 * the cases of a sweep or optimize directory (discover-cases.ts), PRIM on
 * them (prim.ts), and the files: boxes.csv, trajectory.csv, cases.csv,
 * manifest.json, report.html and charts/ — written all or nothing into
 * DIR/discover or --out, the same bytes for the same input.
 */
import path from 'node:path';
import { csvRow } from '../experiment/csv.js';
import { baseManifest } from '../experiment/manifest.js';
import { ResultsDir } from '../experiment/results-dir.js';
import { inputError } from '../scenario/errors.js';
import { inputCell, loadCases, type CaseOptions, type Cases, type Condition } from './discover-cases.js';
import { inLimits, prim, PRIM_DEFAULTS, StepOutOfRange, type Limits, type PrimOptions, type PrimResult, type Step } from './prim.js';

export interface DiscoverOptions extends CaseOptions, PrimOptions {
  out?: string;
  force?: boolean;
}

export interface Discovery {
  dir: string;
  out: string;
  cases: Cases;
  result: PrimResult;
  prim: Required<Omit<PrimOptions, 'boxSteps'>> & { boxSteps: number[] };
  where: Condition[];
  /** Per case, the first box that holds it (0: none). */
  boxOf: Int32Array;
}

/** One input's limits in a box, as cells: numeric `[min, max]` (empty on an unrestricted side), categorical the allowed labels joined by `|` (empty when all are allowed). */
export function limitCells(cases: Cases, init: Limits, l: Limits): (string | number)[] {
  const out: (string | number)[] = [];
  cases.inputs.forEach((inp, j) => {
    if (inp.kind === 'numeric') {
      out.push(l.lo[j]! > init.lo[j]! ? l.lo[j]! : '', l.hi[j]! < init.hi[j]! ? l.hi[j]! : '');
    } else {
      out.push(l.allowed[j]!.length < init.allowed[j]!.length ? l.allowed[j]!.map((c) => inp.labels[c]!).join('|') : '');
    }
  });
  return out;
}

export function limitHeader(cases: Cases): string[] {
  return cases.inputs.flatMap((inp) => (inp.kind === 'numeric' ? [`${inp.name}_min`, `${inp.name}_max`] : [inp.name]));
}

const statCells = (s: Step['stats']) => [s.coverage, s.density, s.mass, s.n, s.k, s.restricted];

export function discover(dir: string, o: DiscoverOptions): Discovery {
  const cases = loadCases(dir, o);
  const po = { ...PRIM_DEFAULTS, ...Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k in PRIM_DEFAULTS)), boxSteps: o.boxSteps ?? [] } as Discovery['prim'];
  if (!cases.ids.length) throw inputError('<DIR>', dir, `cases with a defined value of the condition's metrics (${cases.leftOut.map((l) => `${l.n} left out: ${l.why}`).join('; ') || 'there are none'})`);
  let result: PrimResult;
  try {
    result = prim({ inputs: cases.inputs, y: cases.y }, po);
  } catch (e) {
    if (e instanceof StepOutOfRange) throw inputError('--box-step', po.boxSteps.join(','), `for box ${e.box}, a step of its peeling trajectory: 0 to ${e.last} (see the trajectory without --box-step)`);
    throw e;
  }
  const boxOf = new Int32Array(cases.ids.length);
  for (let i = 0; i < boxOf.length; i++) {
    const b = result.boxes.find((fb) => fb.result && inLimits({ inputs: cases.inputs, y: cases.y }, i, fb.result.limits));
    boxOf[i] = b ? b.box : 0;
  }
  const out = o.out ?? path.join(dir, 'discover');
  return { dir, out, cases, result, prim: po, where: o.where, boxOf };
}

export function boxesCsv(d: Discovery): string {
  const { cases, result } = d;
  let s = csvRow(['box', 'coverage', 'density', 'mass', 'cases', 'cases_of_interest', 'restricted', 'step', 'paste_steps', ...limitHeader(cases), ...cases.inputs.map((i) => `${i.name}_qp`)]);
  for (const b of result.boxes) {
    if (!b.result) continue;
    s += csvRow([b.box, ...statCells(b.result.stats), b.chosen!, b.pasting.length, ...limitCells(cases, result.init, b.result.limits), ...b.qp!.map((q) => (Number.isFinite(q) ? q : ''))]);
  }
  return s;
}

export function trajectoryCsv(d: Discovery): string {
  const { cases, result } = d;
  let s = csvRow(['box', 'step', 'phase', 'coverage', 'density', 'mass', 'cases', 'cases_of_interest', 'restricted', 'chosen', 'final', ...limitHeader(cases)]);
  for (const b of result.boxes) {
    const last = b.peeling.length - 1 + b.pasting.length;
    const final = b.result ? (b.pasting.length ? last : b.chosen!) : -1;
    [...b.peeling, ...b.pasting].forEach((st, t) => {
      s += csvRow([b.box, t, st.phase, ...statCells(st.stats), t === b.chosen, t === final, ...limitCells(cases, result.init, st.limits)]);
    });
  }
  return s;
}

export function casesCsv(d: Discovery): string {
  const { cases } = d;
  let s = csvRow([...cases.idHeader, ...cases.inputs.map((i) => i.name), ...cases.valueHeader, 'of_interest', 'box']);
  cases.ids.forEach((id, i) => {
    s += csvRow([...id, ...cases.inputs.map((inp) => inputCell(inp, i)), ...cases.values.map((v) => v[i]!), cases.y[i] === 1, d.boxOf[i] ? d.boxOf[i]! : '']);
  });
  return s;
}

/** What the condition is, in words: "stagnation_share < 0.15 in 2050", "Δstagnation_share < -0.02 (mean over 2045–2050) against point 3 (same replicate)". */
export function conditionText(d: Discovery): string {
  const c = d.cases;
  const where = d.where.map((w) => (c.versus !== undefined ? `Δ${w.text}` : w.text)).join(' and ');
  const years = c.years ? (c.years.from === c.years.to ? ` in ${c.years.from}` : ` (mean over ${c.years.from}–${c.years.to})`) : '';
  const vs = c.versus !== undefined ? ` against point ${c.versus} (same replicate)` : '';
  const per = c.caseMode === 'points' ? ', mean over the replicates of each point' : '';
  return `${where}${years}${vs}${per}`;
}

export function caseText(d: Discovery): string {
  const c = d.cases;
  const what = c.caseMode === 'points' ? 'design points (mean over replicates)' : c.caseMode === 'candidates' ? 'candidates of evaluations.csv' : c.posterior ? 'runs (point × replicate, each with its particle)' : 'runs (point × replicate)';
  return `${c.ids.length} ${what}`;
}

export function manifestOf(d: Discovery, o: DiscoverOptions): Record<string, unknown> {
  const c = d.cases;
  const m = c.manifest;
  return {
    ...baseManifest('discover'),
    source: {
      dir: path.resolve(d.dir),
      command: m.command ?? (c.kind === 'optimize' ? 'optimize' : undefined),
      ...(m.sweepHash ? { sweepHash: m.sweepHash } : {}),
      ...(m.sweepFile ? { sweepFile: m.sweepFile } : {}),
    },
    condition: {
      where: o.where.map((w) => w.text),
      ...(c.years ? { years: c.years } : {}),
      ...(c.versus !== undefined ? { versus: c.versus } : {}),
      cases: c.caseMode,
    },
    ...(c.posterior ? { posterior: c.posterior } : {}),
    prim: { alpha: d.prim.alpha, pasteAlpha: d.prim.pasteAlpha, minMass: d.prim.minMass, threshold: d.prim.threshold, maxBoxes: d.prim.maxBoxes, boxSteps: d.prim.boxSteps, paste: d.prim.paste, objective: 'lenient1' },
    inputs: c.inputs.map((i) => (i.kind === 'numeric' ? { name: i.name, kind: i.kind, min: d.result.init.lo[c.inputs.indexOf(i)], max: d.result.init.hi[c.inputs.indexOf(i)] } : { name: i.name, kind: i.kind, categories: i.labels })),
    cases: d.result.N,
    casesOfInterest: d.result.K,
    leftOut: c.leftOut,
    stop: d.result.stop,
    boxes: d.result.boxes.filter((b) => b.result).map((b) => ({ box: b.box, step: b.chosen, chosenBy: b.given ? '--box-step' : 'threshold', pasteSteps: b.pasting.length, coverage: b.result!.stats.coverage, density: b.result!.stats.density, mass: b.result!.stats.mass })),
  };
}

/** Writes the files (all or nothing); returns the output directory. */
export async function writeDiscovery(d: Discovery, o: DiscoverOptions): Promise<string> {
  const rd = ResultsDir.open(d.out, !!o.force);
  try {
    rd.write('boxes.csv', boxesCsv(d));
    rd.write('trajectory.csv', trajectoryCsv(d));
    rd.write('cases.csv', casesCsv(d));
    rd.write('manifest.json', JSON.stringify(manifestOf(d, o), null, 2) + '\n');
    const { discoveryReport } = await import('../report/discover.js');
    const rep = discoveryReport(d, conditionText(d), caseText(d));
    rd.write('report.html', rep.html);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(rd.file('charts'));
    for (const [name, svg] of rep.charts) writeFileSync(path.join(rd.file('charts'), name), svg);
    rd.commit();
  } catch (e) {
    rd.abandon();
    throw e;
  }
  return rd.target;
}

/** A number for the terminal and the report: 3 significant digits, plain. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

/** A box's limit on one input, in words: "≤ 9", "0.2 to 0.6", "two-way", "any". */
export function limitText(d: Discovery, l: Limits, j: number): string {
  const inp = d.cases.inputs[j]!;
  const init = d.result.init;
  if (inp.kind === 'categorical') {
    const a = l.allowed[j]!;
    return a.length < init.allowed[j]!.length ? a.map((c) => inp.labels[c]).join(' | ') : 'any';
  }
  const lo = l.lo[j]! > init.lo[j]!, hi = l.hi[j]! < init.hi[j]!;
  if (lo && hi) return `${fmt(l.lo[j]!)} to ${fmt(l.hi[j]!)}`;
  if (lo) return `≥ ${fmt(l.lo[j]!)}`;
  if (hi) return `≤ ${fmt(l.hi[j]!)}`;
  return 'any';
}

/** The observed range of an input: "6 to 12" or "directive | two-way". */
export function rangeText(d: Discovery, j: number): string {
  const inp = d.cases.inputs[j]!;
  if (inp.kind === 'categorical') return d.result.init.allowed[j]!.map((c) => inp.labels[c]).join(' | ');
  return `${fmt(d.result.init.lo[j]!)} to ${fmt(d.result.init.hi[j]!)}`;
}

/** The restricted inputs of a box, most significant first (smallest quasi-p), then in input order. */
export function restrictedInputs(d: Discovery, box: { result?: Step; qp?: number[] }): number[] {
  const js = d.cases.inputs.map((_, j) => j).filter((j) => Number.isFinite(box.qp![j]!));
  return js.sort((a, b) => box.qp![a]! - box.qp![b]! || a - b);
}

/** The terminal's account: the cases, then each box with its limits. */
export function discoveryText(d: Discovery): string {
  const { result: r, cases: c } = d;
  const lines: string[] = [];
  lines.push(`condition: ${conditionText(d)}`);
  lines.push(`cases: ${caseText(d)}, ${r.K} of interest (${fmt((100 * r.K) / r.N)}%)${c.leftOut.length ? `; left out: ${c.leftOut.map((l) => `${l.n} (${l.why})`).join(', ')}` : ''}`);
  for (const b of r.boxes) {
    if (!b.result) {
      const best = b.peeling.reduce((a, s) => (s.stats.density > a.stats.density ? s : a), b.peeling[0]!);
      lines.push('', `box ${b.box}: none — no step of the peeling reaches density ${fmt(d.prim.threshold)} among the ${b.remaining} cases left (the densest, step ${b.peeling.indexOf(best)}, has ${fmt(best.stats.density)} at coverage ${fmt(best.stats.coverage)}); lower --threshold or choose a step with --box-step`);
      continue;
    }
    const s = b.result.stats;
    lines.push('', `box ${b.box}: coverage ${fmt(s.coverage)}, density ${fmt(s.density)}, mass ${fmt(s.mass)} (${s.n} cases, ${s.k} of interest) — step ${b.chosen} of ${b.peeling.length - 1} ${b.given ? '(--box-step)' : `(largest coverage with density ≥ ${fmt(d.prim.threshold)})`}${b.pasting.length ? `, then ${b.pasting.length} pasting step(s)` : ''}`);
    const js = restrictedInputs(d, b);
    if (!js.length) lines.push('  no restriction: the condition holds this often everywhere');
    const w = Math.max(5, ...js.map((j) => c.inputs[j]!.name.length));
    const lim = js.map((j) => limitText(d, b.result!.limits, j));
    const lw = Math.max(5, ...lim.map((x) => x.length));
    const rw = Math.max(14, ...js.map((j) => rangeText(d, j).length));
    if (js.length) lines.push(`  ${'input'.padEnd(w)}  ${'box'.padEnd(lw)}  ${'observed range'.padEnd(rw)}  quasi-p`);
    js.forEach((j, t) => lines.push(`  ${c.inputs[j]!.name.padEnd(w)}  ${lim[t]!.padEnd(lw)}  ${rangeText(d, j).padEnd(rw)}  ${fmt(b.qp![j]!)}`));
  }
  const none = d.boxOf.filter((b) => b === 0).length;
  const noneInterest = d.boxOf.filter((b, i) => b === 0 && c.y[i] === 1).length;
  lines.push('', `not in any box: ${none} cases, ${noneInterest} of interest`);
  return lines.join('\n');
}
