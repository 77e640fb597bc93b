/**
 * The shipped Gansu posterior (scenarios/gansu-posterior.csv, from
 * scenarios/calibration/gansu-abc.json; docs/VALIDATION.md §7): at least 200
 * particles of one generation, the calibration's parameters in its order,
 * every value inside its prior range, and valid on the scenarios it is meant
 * for (gansu-2008 and the baseline with its reforms).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPosterior, readPosterior } from '../../src/experiment/posterior.js';
import { loadScenario } from '../../src/scenario/load.js';
import { loadCalibration } from '../../src/analysis/calibrate.js';

const root = path.resolve(__dirname, '..', '..');
const file = path.join(root, 'scenarios', 'gansu-posterior.csv');

describe('the shipped Gansu posterior', () => {
  const post = readPosterior(file);
  const cal = loadCalibration(path.join(root, 'scenarios', 'calibration', 'gansu-abc.json'));

  it('has at least 200 particles of one generation, with the calibration\'s parameters inside their priors', () => {
    expect(post.particles.length).toBeGreaterThanOrEqual(200);
    expect(new Set(post.particles.map((p) => p.generation)).size).toBe(1);
    expect(post.paths).toEqual(cal.paths);
    post.particles.forEach((p) => p.values.forEach((v, i) => {
      const r = cal.ranges[i]!;
      expect(v >= r.min && v <= r.max, `${post.paths[i]} = ${v}`).toBe(true);
      if (r.integer) expect(Number.isInteger(v)).toBe(true);
    }));
    // The calibration's own posterior mean scenario names the same file.
    expect(JSON.parse(readFileSync(path.join(root, 'scenarios', 'calibration', 'gansu-abc.json'), 'utf8')).calibrated.posterior).toBe('../gansu-posterior.csv');
  });

  it('gives valid scenarios of gansu-2008, the baseline and a reform', () => {
    const scenarios = ['gansu-2008.json', 'baseline.json', 'full-reform.json'].map((f) => ({ scenario: loadScenario(path.join(root, 'scenarios', f)), label: f }));
    const resolved = checkPosterior(post, scenarios);
    expect(resolved.length).toBe(3);
    for (const per of resolved) expect(per.length).toBe(post.particles.length);
  });
});
