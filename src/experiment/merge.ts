/**
 * Merging shard directories into the results an unsharded sweep would have
 * written, byte for byte. Shards split the design by point (p mod n), and each
 * shard's files are in point order, so a streaming merge by point reproduces
 * the unsharded order with flat memory. With --precision the shards' points.csv
 * hold their own points (with the replicates each needed) and are merged the
 * same way. Shards of different sweeps, precision settings or program
 * versions, missing or incomplete shards, are refused.
 */
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { ResultsDir } from './results-dir.js';
import path from 'node:path';
import { inputError, InputError } from '../scenario/errors.js';
import { readProgress, SWEEP_FILES } from './sweep-run.js';
import { baseManifest } from './manifest.js';
import { LineReader } from './line-reader.js';
import { summarizePrecision, type SweepPrecisionSummary } from './sweep-precision.js';

interface ShardInfo {
  dir: string;
  manifest: Record<string, any>;
}

export function mergeShards(dirs: string[], out: string, force: boolean): { shards: number; points: number } {
  if (dirs.length === 0) throw inputError('DIR', [], 'one or more shard directories');
  const shards: ShardInfo[] = dirs.map((d) => {
    const mf = path.join(d, 'manifest.json');
    if (!existsSync(mf)) throw inputError('DIR', d, 'a shard directory written by cadreflow sweep --shard (it has no manifest.json)');
    const manifest = JSON.parse(readFileSync(mf, 'utf8'));
    if (manifest.command !== 'sweep' || !manifest.shard) throw inputError('DIR', d, 'a shard directory written by cadreflow sweep --shard i/n');
    const prog = readProgress(d);
    if (!prog?.complete) throw inputError('DIR', d, 'a complete shard; this one has not finished (run it again with --resume)');
    return { dir: d, manifest };
  });
  const first = shards[0]!.manifest;
  for (const s of shards) {
    if (s.manifest.sweepHash !== first.sweepHash) throw new InputError([{ path: 'sweepHash', value: s.manifest.sweepHash, allowed: `shards of one sweep; ${s.dir} is of another sweep than ${shards[0]!.dir} (${first.sweepHash})` }], s.dir);
    if (s.manifest.version !== first.version) throw new InputError([{ path: 'version', value: s.manifest.version, allowed: `shards written by one program version (${shards[0]!.dir} has ${first.version})` }], s.dir);
    if (s.manifest.shard.count !== first.shard.count) throw new InputError([{ path: 'shard', value: s.manifest.shard, allowed: `shards of one split into ${first.shard.count}` }], s.dir);
  }
  const n = first.shard.count as number;
  const byIndex = new Map<number, ShardInfo>();
  for (const s of shards) {
    if (byIndex.has(s.manifest.shard.index)) throw inputError('DIR', s.dir, `one directory per shard; shard ${s.manifest.shard.index}/${n} is given twice`);
    byIndex.set(s.manifest.shard.index, s);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length) throw inputError('DIR', dirs, `all ${n} shards; missing ${missing.map((i) => `${i}/${n}`).join(', ')}`);
  const ordered = Array.from({ length: n }, (_, i) => byIndex.get(i + 1)!);
  const target = path.resolve(out);
  if (dirs.some((d) => target === path.resolve(d) || path.resolve(d).startsWith(target + path.sep))) {
    throw inputError('--out', out, 'a directory other than the shards being merged and the directories that hold them');
  }
  const dir = ResultsDir.open(out, force);
  const partial = dir.partial;
  const points = first.points as number;
  try {
    // Without --precision every shard's points.csv lists all points; with it, each lists its own (with the replicates they needed).
    const precision = first.precision as SweepPrecisionSummary | undefined;
    if (!precision) writeFileSync(path.join(partial, 'points.csv'), readFileSync(path.join(ordered[0]!.dir, 'points.csv')));
    for (const f of SWEEP_FILES) {
      if (f === 'points.csv' && !precision) continue;
      const readers = ordered.map((s) => new LineReader(path.join(s.dir, f)));
      const header = readers.map((r) => r.next());
      if (new Set(header).size !== 1) throw inputError('DIR', dirs, `shards with the same ${f} columns`);
      let outText = header[0]! + '\n';
      const outFile = path.join(partial, f);
      writeFileSync(outFile, '');
      for (let p = 0; p < points; p++) {
        const r = readers[p % n]!;
        const prefix = `${p},`;
        while (r.peek() !== undefined && r.peek()!.startsWith(prefix)) outText += r.next()! + '\n';
        if (outText.length > 1 << 20) { appendFileSync(outFile, outText); outText = ''; }
      }
      appendFileSync(outFile, outText);
      readers.forEach((r, i) => {
        const left = r.peek();
        r.close();
        if (left !== undefined && left !== '') throw inputError('DIR', ordered[i]!.dir, `${f} in point order; a row is out of place: ${left.slice(0, 60)}`);
      });
    }
    const { shard: _s, started: _st, ...rest } = first;
    void _s; void _st;
    writeFileSync(path.join(partial, 'manifest.json'), JSON.stringify({
      ...rest,
      ...baseManifest('merge'),
      complete: true,
      mergedFrom: ordered.map((s) => path.resolve(s.dir)),
      shards: n,
      tasks: ordered.reduce((a, s) => a + (s.manifest.tasks ?? 0), 0),
      ...(precision ? { precision: summarizePrecision(path.join(partial, 'points.csv'), { targets: precision.targets, max: precision.maxReplicates }, precision.initialReplicates) } : {}),
      failedRuns: ordered.reduce((a, s) => a + (s.manifest.failedRuns ?? 0), 0),
      merged: new Date().toISOString(),
    }, null, 2) + '\n');
    writeFileSync(path.join(partial, 'progress.json'), JSON.stringify({ hash: first.sweepHash, shard: null, complete: true, mergedFrom: n }, null, 2) + '\n');
    dir.commit();
  } catch (e) {
    dir.abandon();
    throw e;
  }
  return { shards: n, points };
}
