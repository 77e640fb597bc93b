/** `cadreflow validate`: checks scenario and sweep files (and the worlds they build) without running them. */
import { loadScenario, readJsonFile } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { InputError } from '../scenario/errors.js';
import { loadSweep } from '../experiment/sweep-plan.js';

function validateOne(f: string): string {
  const raw = readJsonFile(f);
  if (raw && typeof raw === 'object' && 'design' in raw) {
    const plan = loadSweep(f);
    return `sweep "${plan.sweep.name}", ${plan.points.length} points × ${plan.replicates} replicates`;
  }
  const s = loadScenario(f);
  let w;
  try {
    w = buildWorld(s.world);
  } catch (e) {
    throw e instanceof InputError ? e.withFile(f) : e;
  }
  return `scenario "${s.name}", ${w.nRegions} regions, ${w.nPosts} posts, ${s.years} years after ${s.burnIn} of burn-in`;
}

export function validateFiles(files: string[]): void {
  const errors: InputError[] = [];
  for (const f of files) {
    try {
      process.stdout.write(`ok ${f}: ${validateOne(f)}\n`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e.file ? e : e.withFile(f));
    }
  }
  if (errors.length) throw new InputError(errors.flatMap((e) => e.problems.map((p) => ({ ...p, file: p.file ?? e.file }))));
}
