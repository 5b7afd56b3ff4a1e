import { z } from '@hono/zod-openapi';
import { OperationName, Params, Quantity } from './common.js';

/** The catalog, estimates and affordability. */

const BreakdownLineSchema = z.object({
  operation: z.string(),
  name: z.string(),
  quantity: z.int(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  unit: z.string(),
  unitMin: z.int(),
  unitExpected: z.int(),
  unitMax: z.int(),
  min: z.int(),
  expected: z.int(),
  max: z.int(),
  exact: z.boolean(),
  description: z.string(),
});

const AlternativeSchema = z.object({
  item: z.int(),
  forOperation: z.string(),
  forName: z.string(),
  instead: z.string(),
  insteadName: z.string(),
  operation: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  quantity: z.int(),
  unitCost: z.int(),
  currentUnitCost: z.int(),
  cost: z.int(),
  currentCost: z.int(),
  savings: z.int(),
  suggestion: z.string(),
});

export const EstimateSchema = z
  .object({
    min: z.int(),
    expected: z.int(),
    max: z.int(),
    breakdown: z.array(BreakdownLineSchema),
    affordable: z.boolean().openapi({ description: 'The balance covers the worst case (max)' }),
    affordableAtExpected: z.boolean(),
    balance: z.int(),
    shortfall: z.int(),
    alternatives: z.array(AlternativeSchema),
    campaign: z
      .object({
        operation: z.string(),
        platforms: z.int(),
        weeks: z.int(),
        postsPerWeek: z.int(),
        posts: z.int(),
        complexity: z.string().optional(),
      })
      .optional(),
  })
  .openapi('Estimate');

export const AffordabilitySchema = z
  .object({
    operation: z.string(),
    name: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    unit: z.string(),
    unitMin: z.int(),
    unitExpected: z.int(),
    unitMax: z.int(),
    count: z.int().nullable().openapi({ description: 'How many the balance surely covers; null = free' }),
    countAtExpected: z.int().nullable(),
    balance: z.int(),
  })
  .openapi('Affordability');

export const CatalogSchema = z
  .object({
    name: z.string(),
    currency: z.string(),
    plans: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        kind: z.enum(['trial', 'subscription']),
        paid: z.boolean(),
        monthlyCredits: z.int().nullable(),
        oneTimeCredits: z.int().nullable(),
      }),
    ),
    packages: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        credits: z.int(),
        price: z.number(),
        currency: z.string(),
        validityDays: z.int().nullable(),
      }),
    ),
    operations: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        family: z.string(),
        type: z.enum(['free', 'fixed', 'per_unit', 'tier', 'range']),
        unit: z.string(),
        description: z.string(),
        min: z.int(),
        expected: z.int(),
        max: z.int(),
        alternatives: z.array(z.string()),
      }),
    ),
    campaign: z.object({ operation: z.string() }).nullable(),
  })
  .openapi('Catalog');

const EstimateItem = z.strictObject({
  operation: OperationName,
  quantity: Quantity.optional(),
  params: Params.optional(),
});

export const EstimateBody = z
  .strictObject({
    items: z.array(EstimateItem).min(1, { error: 'must list at least one item' }).max(100).optional(),
    campaign: z
      .strictObject({
        platforms: z.union([Quantity, z.array(z.string()).min(1)], {
          error: 'must be a number of platforms or a list of platform names',
        }),
        weeks: Quantity,
        postsPerWeek: Quantity,
        complexity: z.string().optional(),
      })
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.items !== undefined && b.campaign !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['campaign'],
        message: 'give either items or campaign, not both',
      });
    } else if (b.items === undefined && b.campaign === undefined) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'give either items or campaign' });
    }
  })
  .openapi('EstimateRequest', {
    example: {
      items: [
        { operation: 'video', quantity: 3, params: { model: 'veo-3-1' } },
        { operation: 'image', quantity: 20, params: { model: 'flux-2-dev' } },
      ],
    },
  });

export const AffordabilityQuery = z
  .object({ operation: OperationName })
  .catchall(z.string())
  .openapi({ description: 'Other query parameters are the operation parameters, e.g. `model=flux-2-pro`' });
