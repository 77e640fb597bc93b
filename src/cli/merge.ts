/** `cadreflow merge DIR… --out DIR`: joins shard directories into the result of the unsharded sweep. */
import { mergeShards } from '../experiment/merge.js';

export async function mergeCommand(dirs: string[], o: { out?: string; force?: boolean; quiet?: boolean; report?: boolean }): Promise<void> {
  const out = o.out ?? 'results/merged';
  const r = mergeShards(dirs, out, !!o.force);
  if (o.report !== false) (await import('../report/report.js')).writeReportAfterRun(out);
  if (!o.quiet) process.stdout.write(`merged ${r.shards} shards (${r.points} points) into ${out}\n`);
}
