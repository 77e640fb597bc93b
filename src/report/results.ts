/**
 * A results directory as the report sees it: which command wrote it (from
 * manifest.command, else from the files present) and its tables.
 *
 *   run          timeseries.csv, summary.csv, manifest.json, [events.csv]
 *   compare      compare.csv, timeseries.csv with a `scenario` column, manifest.json
 *   sweep        points.csv, runs.csv, summary.csv, manifest.json (command "sweep")
 *   sensitivity  sensitivity.csv (see README "Sensitivity analysis"), manifest.json
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { inputError } from '../scenario/errors.js';
import { parseCsv, type Table } from './csv-read.js';

export type ResultsKind = 'run' | 'compare' | 'sweep' | 'sensitivity';

export interface Results {
  dir: string;
  kind: ResultsKind;
  manifest: Record<string, any>;
  manifestText: string;
  files: string[];
  summary?: Table;
  timeseries?: Table;
  points?: Table;
  runs?: Table;
  compare?: Table;
  sensitivity?: Table;
  /** events.csv is read lazily (it can be large): its path when present. */
  eventsFile?: string;
}

const KNOWN = ['manifest.json', 'summary.csv', 'timeseries.csv', 'events.csv', 'points.csv', 'runs.csv', 'compare.csv', 'sensitivity.csv', 'failures.csv', 'design.csv', 'outputs.csv'];

function readTable(dir: string, name: string): Table | undefined {
  const f = path.join(dir, name);
  return existsSync(f) ? parseCsv(readFileSync(f, 'utf8')) : undefined;
}

export function loadResults(dir: string): Results {
  const abs = path.resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw inputError('<DIR>', dir, 'a results directory written by cadreflow run, compare, sweep or sensitivity');
  const mf = path.join(abs, 'manifest.json');
  let manifest: Record<string, any> = {};
  let manifestText = '';
  if (existsSync(mf)) {
    manifestText = readFileSync(mf, 'utf8');
    try {
      manifest = JSON.parse(manifestText);
    } catch (e) {
      throw inputError(`${dir}/manifest.json`, undefined, `valid JSON (${(e as Error).message})`);
    }
  }
  const files = KNOWN.filter((f) => existsSync(path.join(abs, f)));
  const has = (f: string) => files.includes(f);
  const cmd = String(manifest.command ?? '');
  let kind: ResultsKind;
  if (cmd === 'sensitivity' || (!cmd && has('sensitivity.csv'))) kind = 'sensitivity';
  else if (cmd === 'sweep' || cmd === 'merge' || (!cmd && has('runs.csv') && has('points.csv'))) kind = 'sweep';
  else if (cmd === 'compare' || (!cmd && has('compare.csv'))) kind = 'compare';
  else if (cmd === 'run' || (!cmd && has('summary.csv'))) kind = 'run';
  else if (has('sensitivity.csv')) kind = 'sensitivity';
  else if (has('runs.csv') && has('points.csv')) kind = 'sweep';
  else if (has('compare.csv')) kind = 'compare';
  else if (has('summary.csv') || has('timeseries.csv')) kind = 'run';
  else throw inputError('<DIR>', dir, 'a results directory with manifest.json and summary.csv, runs.csv, compare.csv or sensitivity.csv');
  const r: Results = { dir: abs, kind, manifest, manifestText, files };
  if (kind === 'sensitivity') {
    r.sensitivity = readTable(abs, 'sensitivity.csv');
    if (!r.sensitivity) throw inputError('<DIR>', dir, 'a sensitivity results directory with sensitivity.csv');
    return r;
  }
  r.summary = readTable(abs, 'summary.csv');
  if (kind === 'sweep') {
    r.points = readTable(abs, 'points.csv');
    r.runs = readTable(abs, 'runs.csv');
    if (!r.runs) throw inputError('<DIR>', dir, 'a sweep results directory with runs.csv');
  } else {
    r.timeseries = readTable(abs, 'timeseries.csv');
    if (kind === 'compare') r.compare = readTable(abs, 'compare.csv');
    if (!r.summary && !r.timeseries) throw inputError('<DIR>', dir, 'a results directory with summary.csv or timeseries.csv');
  }
  if (has('events.csv')) r.eventsFile = path.join(abs, 'events.csv');
  return r;
}
