/** Runs a scenario and a variant on the same replicate seeds and returns each one's mean of a metric over the last years. */
import { resolveScenario } from '../src/scenario/load.js';
import { simulate } from '../src/model/simulate.js';
import { METRIC_NAMES } from '../src/metrics/definitions.js';
import { runSeed } from '../src/random/hash.js';
import { buildWorld } from '../src/world/world.js';

export const FACE_BASE = {
  name: 'face', seed: 11, startYear: 2026, burnIn: 15, years: 6,
  world: { preset: 'gansu', scale: 0.05 },
};

export function meanMetrics(raw: object, sets: string[], metrics: string[], replicates = 4, lastYears = 4): number[] {
  const s = resolveScenario(raw, sets);
  const world = buildWorld(s.world);
  const acc = metrics.map(() => 0);
  const cnt = metrics.map(() => 0);
  for (let k = 0; k < replicates; k++) {
    const r = simulate(s, runSeed(s.seed, 0, k), { world });
    for (const row of r.metrics.slice(-lastYears)) {
      metrics.forEach((m, i) => {
        const v = row[METRIC_NAMES.indexOf(m)]!;
        if (Number.isFinite(v)) { acc[i]! += v; cnt[i]!++; }
      });
    }
  }
  return acc.map((a, i) => a / cnt[i]!);
}
