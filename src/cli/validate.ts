/** `cadreflow validate`: checks scenario files (and the world they build) without running them. */
import { loadScenario } from '../scenario/load.js';
import { buildWorld } from '../world/world.js';
import { InputError } from '../scenario/errors.js';

export function validateFiles(files: string[]): void {
  const errors: InputError[] = [];
  for (const f of files) {
    try {
      const s = loadScenario(f);
      let w;
      try {
        w = buildWorld(s.world);
      } catch (e) {
        throw e instanceof InputError ? e.withFile(f) : e;
      }
      process.stdout.write(`ok ${f}: scenario "${s.name}", ${w.nRegions} regions, ${w.nPosts} posts, ${s.years} years after ${s.burnIn} of burn-in\n`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length) throw new InputError(errors.flatMap((e) => e.problems.map((p) => ({ ...p, file: p.file ?? e.file }))));
}
