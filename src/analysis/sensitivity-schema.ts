/**
 * The sensitivity-analysis file (`cadreflow sensitivity`): `name,
 * description, base, set, replicates, parameters, outputs, lastYears, method,
 * seed, morris, sobol`. `base` is a scenario file relative to this file or an
 * inline scenario; `set` overrides it by dotted path; `parameters` maps
 * dotted paths to a range {min, max, integer} or a choice {values}; `outputs`
 * names metrics (METRIC_NAMES), read at the last reported year or averaged
 * over the last `lastYears` years.
 */
import { z } from 'zod';

const value = z.union([z.number(), z.boolean(), z.string(), z.array(z.number())]).describe('A number, boolean, string or list of numbers.');
export const ParameterRangeSchema = z
  .object({
    min: z.number().describe('Lower end of the range.'),
    max: z.number().describe('Upper end of the range.'),
    integer: z.boolean().default(false).describe('Whole numbers only (min and max included).'),
  })
  .strict()
  .refine((r) => r.max > r.min, { message: 'max must be > min', path: ['max'] });
const choice = z.object({ values: z.array(value).min(2).describe('Choose among these values (the unit interval is cut into equal parts).') }).strict();
export const ParameterSchema = z.union([ParameterRangeSchema, choice]);
export type ParameterSpec = z.output<typeof ParameterSchema>;

/** The fields that every file of an experiment on a base scenario starts with (calibration, sensitivity). */
export const experimentFields = {
  $schema: z.string().optional(),
  name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore'),
  description: z.string().default(''),
  base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).describe('A scenario file (relative to this file) or an inline scenario.'),
  set: z.record(z.string(), z.unknown()).default({}).describe('Overrides of the base scenario by dotted path (e.g. a smaller world.scale).'),
};

export const SensitivitySchema = z
  .object({
    ...experimentFields,
    replicates: z.number().int().min(1).max(1000).default(2).describe('Replicates per design point; replicate k of every point shares its random numbers (common random numbers).'),
    parameters: z
      .record(z.string(), ParameterSchema)
      .refine((p) => Object.keys(p).length >= 1, { message: 'at least one parameter' })
      .describe('Dotted path → {min, max, integer} or {values}.'),
    outputs: z.array(z.string()).min(1).describe('Metric names (METRIC_NAMES) whose sensitivity is analysed.'),
    lastYears: z.number().int().min(1).max(200).default(1).describe('Average each output over the last this many reported years (1: the horizon year).'),
    method: z.enum(['morris', 'sobol']).default('morris').describe('Default method when --method is not given.'),
    seed: z.number().int().min(0).max(4294967295).optional().describe('Seed of the Morris trajectories and the bootstrap (default: the base scenario’s seed).'),
    morris: z
      .object({
        trajectories: z.number().int().min(2).max(10000).default(10).describe('Trajectories r; runs = r · (d + 1) · replicates.'),
        levels: z.number().int().min(2).max(100).default(4).refine((p) => p % 2 === 0, { message: 'an even number of levels (so that Δ = p / 2(p − 1) stays on the grid)' }).describe('Grid levels p (even).'),
        bootstrap: z.number().int().min(0).max(100000).default(500).describe('Bootstrap resamples for the interval of μ*.'),
      })
      .strict()
      .prefault({}),
    sobol: z
      .object({
        samples: z.number().int().min(2).max(1_000_000).default(64).describe('Base samples N (a power of 2 is best); runs = N · (d + 2) · replicates.'),
        bootstrap: z.number().int().min(0).max(100000).default(500).describe('Bootstrap resamples for the intervals of S1 and ST.'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Sensitivity = z.output<typeof SensitivitySchema>;
export type SensitivityMethod = Sensitivity['method'];
