/**
 * The optimization file (`cadreflow optimize`): `name, description, base,
 * set, replicates, seed, budget, population, reformYear, levers, objectives,
 * constraints, references`. `levers` maps dotted scenario paths to a range
 * {min, max, integer}, a choice {values} or a list scaled by one factor
 * {list, min, max}; each objective and constraint reads a metric
 * (METRIC_NAMES) in one `year`, averaged over a `window` [from, to] or over a
 * list of `years` within a run, then over the replicates. The search is
 * NSGA-II (nsga2.ts).
 */
import { z } from 'zod';
import { experimentFields, ParameterRangeSchema } from './sensitivity-schema.js';

const year = z.number().int().min(1900).max(2300);
const label = z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore');
const value = z.union([z.number(), z.boolean(), z.string(), z.array(z.number())]).describe('A number, boolean, string or list of numbers.');

const choice = z.object({ values: z.array(value).min(2).describe('Choose among these values (unordered).') }).strict();
const scaledList = z
  .object({
    list: z.array(z.number()).min(1).describe('A list of numbers (e.g. the six hardship allowances) that the lever multiplies by one factor.'),
    min: z.number().min(0).describe('Smallest factor.'),
    max: z.number().describe('Largest factor.'),
  })
  .strict()
  .refine((r) => r.max > r.min, { message: 'max must be > min', path: ['max'] });
export const LeverSchema = z.union([ParameterRangeSchema, choice, scaledList], {
  error: 'a range {min, max} (with integer: true for whole numbers), a choice {values: [...]} or a scaled list {list: [...], min, max}',
});
export type LeverSpec = z.output<typeof LeverSchema>;

/** The years a metric is read in: exactly one of year, window or years. */
const yearsFields = {
  year: year.optional().describe('The one year the metric is read in.'),
  window: z.tuple([year, year]).optional().describe('[from, to]: the metric is averaged over these years within a run.'),
  years: z.array(year).min(1).optional().describe('A list of years the metric is averaged over within a run.'),
};
const oneYearSpec = (t: { year?: number; window?: [number, number]; years?: number[] }) => [t.year, t.window, t.years].filter((x) => x !== undefined).length === 1;
const orderedWindow = (t: { window?: [number, number] }) => !t.window || t.window[1] >= t.window[0];

export const ObjectiveSchema = z
  .object({
    name: label.optional().describe('Column name in the CSV files (default: the metric).'),
    metric: z.string().describe('A metric name (METRIC_NAMES), e.g. stagnation_share.'),
    goal: z.enum(['min', 'max']).describe('Minimise or maximise the mean over replicates.'),
    ...yearsFields,
  })
  .strict()
  .refine(oneYearSpec, { message: 'exactly one of year, window or years' })
  .refine(orderedWindow, { message: 'window must be [from, to] with from ≤ to', path: ['window'] });

export const ConstraintSchema = z
  .object({
    name: label.optional().describe('Column name in the CSV files (default: the metric).'),
    metric: z.string().describe('A metric name (METRIC_NAMES), e.g. vacancy_rate.'),
    atMost: z.number().optional().describe('The mean over replicates must be at most this.'),
    atLeast: z.number().optional().describe('The mean over replicates must be at least this.'),
    ...yearsFields,
  })
  .strict()
  .refine(oneYearSpec, { message: 'exactly one of year, window or years' })
  .refine(orderedWindow, { message: 'window must be [from, to] with from ≤ to', path: ['window'] })
  .refine((c) => c.atMost !== undefined || c.atLeast !== undefined, { message: 'atMost, atLeast or both' })
  .refine((c) => c.atMost === undefined || c.atLeast === undefined || c.atLeast <= c.atMost, { message: 'atLeast must be ≤ atMost', path: ['atLeast'] });

export const OptimizeSchema = z
  .object({
    ...experimentFields,
    replicates: z.number().int().min(1).max(1000).default(4).describe('Replicates per candidate; replicate k of every candidate runs on the same seed (common random numbers).'),
    seed: z.number().int().min(0).max(4294967295).optional().describe('Seed of the search (initial population, tournaments, crossover, mutation); default: the base scenario’s seed. The replicates run on the base scenario’s seeds.'),
    budget: z.number().int().min(2).max(1_000_000).describe('Candidates evaluated in all (each on `replicates` runs).'),
    population: z.number().int().min(4).max(10000).default(20).refine((n) => n % 2 === 0, { message: 'an even number (offspring come in pairs)' }).describe('NSGA-II population size N: the first generation evaluates N random candidates, each later one N offspring.'),
    reformYear: year.optional().describe('The levers on policy (and on behavior.unitOwnership, behavior.stigma) act from this year, as a reform; default: the base scenario’s first reform year, or, for a base without reforms, throughout.'),
    levers: z
      .record(z.string(), LeverSchema)
      .refine((p) => Object.keys(p).length >= 1, { message: 'at least one lever' })
      .describe('Dotted path → {min, max, integer}, {values} or {list, min, max}.'),
    objectives: z.array(ObjectiveSchema).min(1).max(10).describe('The metrics to minimise or maximise.'),
    constraints: z.array(ConstraintSchema).default([]).describe('Bounds on metric means; a candidate that breaks one is infeasible.'),
    references: z.array(z.string().min(1)).default([]).describe('Scenario files (relative to this file) evaluated with the same set and seeds, to compare with the front.'),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.budget < o.population) ctx.addIssue({ code: 'custom', path: ['budget'], input: o.budget, message: `at least the population (${o.population}): the first generation alone evaluates that many candidates` });
  });

export type Optimize = z.output<typeof OptimizeSchema>;
export type Objective = z.output<typeof ObjectiveSchema>;
export type Constraint = z.output<typeof ConstraintSchema>;
