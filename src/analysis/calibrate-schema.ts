/**
 * The calibration file (`cadreflow calibrate`): `name, description, base,
 * set, replicates, validationReplicates, parameters, targets, method,
 * calibrated`. Parameters are dotted paths into the scenario with numeric
 * ranges; each target names a metric (METRIC_NAMES), the years it is read in
 * (one `year`, a `window` [from, to] or a list of `years`; the metric is
 * averaged over them within a run), an observed value — a figure, or a
 * timeseries.csv of observed metrics (`observedFile`: `cadreflow observe` on
 * career records, read as a run's is) — how it compares
 * (`equal`, `at-least`, `at-most`), a tolerance and a weight. `method` is
 * the search (nelder-mead, the default) or Bayesian calibration by ABC-SMC
 * (abc-smc, src/analysis/abc-smc.ts).
 */
import { z } from 'zod';
import { experimentFields, ParameterRangeSchema } from './sensitivity-schema.js';

const year = z.number().int().min(1900).max(2300);

export const TargetSchema = z
  .object({
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore').optional().describe('Short label (default: the metric).'),
    metric: z.string().describe('A metric name (METRIC_NAMES), e.g. exchange_coverage_rank3.'),
    year: year.optional().describe('The one year the metric is read in.'),
    window: z.tuple([year, year]).optional().describe('[from, to]: the metric is averaged over these years within a run.'),
    years: z.array(year).min(1).optional().describe('A list of years (e.g. the election years) the metric is averaged over.'),
    relation: z.enum(['equal', 'at-least', 'at-most']).default('equal').describe('equal: the mean should be near observed; at-least / at-most: only a shortfall / excess counts.'),
    observed: z.number().optional().describe('The observed figure (or observedFile).'),
    observedFile: z.string().min(1).optional().describe('Instead of observed: a timeseries.csv of observed metrics, relative to this file — cadreflow observe on career records (docs/SPELLS.md). The observed figure is the metric averaged over the target’s years within each replicate of the file, then over its replicates, as a run’s value is.'),
    tolerance: z.number().gt(0).optional().describe('How far the simulated mean may be from the observed value and still count as a fit; also the unit of the distance.'),
    weight: z.number().min(0).default(1).describe('Weight of the target in the distance.'),
    source: z.string().default('').describe('Where the observed figure comes from.'),
  })
  .strict()
  .refine((t) => [t.year, t.window, t.years].filter((x) => x !== undefined).length === 1, { message: 'exactly one of year, window or years' })
  .refine((t) => (t.observed === undefined) !== (t.observedFile === undefined), { message: 'exactly one of observed (a figure) or observedFile (a timeseries.csv of observed metrics)' })
  .refine((t) => !t.window || t.window[1] >= t.window[0], { message: 'window must be [from, to] with from ≤ to', path: ['window'] });

const seed = z.number().int().min(0).max(4294967295);

export const NelderMeadSchema = z
  .object({
    type: z.literal('nelder-mead').describe('The default: Latin-hypercube screening, then Nelder–Mead.'),
    budget: z.number().int().min(1).max(100000).default(60).describe('Evaluations in all (start, screening and Nelder–Mead).'),
    screening: z.number().int().min(0).max(100000).optional().describe('Latin-hypercube points evaluated before the local search (default 2d + 2).'),
    start: z.boolean().default(true).describe('Evaluate the base scenario’s own values first (clamped into the ranges).'),
    initialStep: z.number().gt(0).max(1).default(0.2).describe('Initial Nelder–Mead simplex size, as a share of each range.'),
    minStep: z.number().gt(0).max(1).default(0.02).describe('Restarts halve the step until it falls below this.'),
    seed: seed.optional().describe('Seed of the Latin hypercube (default: the base scenario’s seed).'),
  })
  .strict();

export const AbcSmcSchema = z
  .object({
    type: z.literal('abc-smc').describe('Bayesian calibration: adaptive ABC-SMC (Lenormand, Jabot & Deffuant 2013).'),
    particles: z.number().int().min(4).max(100000).default(100).describe('N: evaluations of the first generation (from the prior); each later generation keeps ⌈alpha·N⌉ particles — the posterior sample — and evaluates N − ⌈alpha·N⌉ new ones.'),
    generations: z.number().int().min(1).max(1000).default(10).describe('At most this many generations (the first included); may be raised on --resume.'),
    alpha: z.number().gt(0).lt(1).default(0.5).describe('Share of the particles kept each generation.'),
    minAcceptance: z.number().gt(0).lt(1).default(0.05).describe('Stop when at most this share of a generation’s new particles fall within the previous tolerance (p_acc_min); may be changed on --resume.'),
    seed: seed.optional().describe('Seed of the prior draws and moves (default: the base scenario’s seed).'),
  })
  .strict()
  .superRefine((m, ctx) => {
    const kept = Math.ceil(m.alpha * m.particles);
    if (kept < 2 || kept > m.particles - 1) {
      ctx.addIssue({ code: 'custom', path: ['alpha'], input: m.alpha, message: `a share that keeps at least 2 of the ${m.particles} particles and replaces at least 1 (⌈alpha × particles⌉ = ${kept})` });
    }
  });

/** The search: `type` "nelder-mead" (the default, and what a method without `type` is) or "abc-smc". */
export const MethodSchema = z
  .preprocess(
    (m) => (m !== null && typeof m === 'object' && !Array.isArray(m) && !('type' in m) ? { type: 'nelder-mead', ...m } : m),
    z.discriminatedUnion('type', [NelderMeadSchema, AbcSmcSchema]),
  )
  .prefault({});

export const CalibrationSchema = z
  .object({
    ...experimentFields,
    replicates: z.number().int().min(1).max(1000).default(4).describe('Replicates per evaluation; replicate k of every evaluation shares its random numbers (common random numbers).'),
    validationReplicates: z.number().int().min(2).max(10000).default(16).describe('Replicates, on fresh seeds, of the final check of the best point (fit.csv).'),
    parameters: z
      .record(z.string(), ParameterRangeSchema)
      .refine((p) => Object.keys(p).length >= 1, { message: 'at least one parameter' })
      .describe('Dotted path → {min, max, integer}: the free parameters and their ranges.'),
    targets: z.array(TargetSchema).min(1).describe('The observed figures to reproduce.'),
    method: MethodSchema,
    calibrated: z
      .object({
        name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore').optional().describe('Name of the calibrated scenario (default <base name>-calibrated).'),
        description: z.string().optional(),
        file: z.string().min(1).optional().describe('Also write the calibrated scenario here (relative to this file).'),
        posterior: z.string().min(1).optional().describe('abc-smc: also write the last generation\'s particles here, as a CSV (relative to this file).'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.calibrated.posterior !== undefined && c.method.type !== 'abc-smc') {
      ctx.addIssue({ code: 'custom', path: ['calibrated', 'posterior'], input: c.calibrated.posterior, message: 'only with method.type "abc-smc" (a posterior sample); a nelder-mead search has none' });
    }
  });

export type Calibration = z.output<typeof CalibrationSchema>;
export type NelderMead = z.output<typeof NelderMeadSchema>;
export type AbcSmcMethod = z.output<typeof AbcSmcSchema>;
export type Target = z.output<typeof TargetSchema>;
