/**
 * The sweep file (issue "Batch experiments"; field names are an interface):
 * `name, description, base, replicates, set, design`. `base` is a scenario
 * file relative to the sweep file, or an inline scenario; `set` holds
 * overrides by dotted path; `design` is a grid, a Latin hypercube, random
 * points or a list.
 */
import { z } from 'zod';

const value = z.union([z.number(), z.boolean(), z.string(), z.array(z.number())]).describe('A number, boolean, string or list of numbers (e.g. an allowance table).');
const range = z
  .object({
    min: z.number().describe('Lower end of the range.'),
    max: z.number().describe('Upper end of the range.'),
    integer: z.boolean().default(false).describe('Draw whole numbers (min and max included).'),
  })
  .strict()
  .refine((r) => r.max >= r.min, { message: 'max must be ≥ min', path: ['max'] });
const choice = z.object({ values: z.array(value).min(1).describe('Choose among these values (numbers, booleans or strings).') }).strict();
const ranged = z.union([range, choice], { error: 'a range {min, max} (with integer: true for whole numbers) or a choice {values: [...]}' });

/** The largest design a sweep file may give (as for the sampled designs' `samples`). */
const MAX_POINTS = 1_000_000;
const grid = z
  .object({ type: z.literal('grid'), parameters: z.record(z.string(), z.array(value).min(1)).describe('Dotted path → list of values; the full factorial is run.') })
  .strict()
  .superRefine((g, ctx) => {
    const n = Object.values(g.parameters).reduce((a, v) => a * v.length, 1);
    if (n > MAX_POINTS) ctx.addIssue({ code: 'custom', path: ['parameters'], input: g.parameters, message: `a grid of at most ${MAX_POINTS} points (the product of the numbers of values); this one has ${n}` });
  });
const lhs = z
  .object({
    type: z.literal('lhs'),
    samples: z.number().int().min(1).max(MAX_POINTS),
    seed: z.number().int().min(0).max(4294967295).optional().describe('Seed of the design (default: the base scenario’s seed).'),
    parameters: z.record(z.string(), ranged).describe('Dotted path → {min, max, integer} or {values}.'),
  })
  .strict();
const random = lhs.extend({ type: z.literal('random') });
const list = z.object({ type: z.literal('list'), points: z.array(z.record(z.string(), value)).min(1).describe('The points, each an object of dotted path → value.') }).strict();

export const SweepSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore'),
    description: z.string().default(''),
    base: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).describe('A scenario file (relative to the sweep file) or an inline scenario.'),
    replicates: z.number().int().min(1).max(100000).default(1),
    set: z.record(z.string(), z.unknown()).default({}).describe('Overrides of the base scenario by dotted path.'),
    design: z.discriminatedUnion('type', [grid, lhs, random, list]),
  })
  .strict();

export type Sweep = z.output<typeof SweepSchema>;
export type Design = Sweep['design'];
export type ParamValue = z.output<typeof value>;
export type Point = Record<string, ParamValue>;
