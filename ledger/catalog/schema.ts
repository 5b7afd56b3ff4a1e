import { z } from 'zod';
import { DEFAULT_ALERT_THRESHOLDS } from '../alerts.js';
import { DEFAULT_PRIORITY, MAX_AMOUNT } from '../types.js';

export { DEFAULT_ALERT_THRESHOLDS, MAX_AMOUNT };
export const DEFAULT_LOT_PRIORITIES = DEFAULT_PRIORITY;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PARAM_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

const key = z
  .string()
  .regex(KEBAB, { error: 'must be kebab-case (lower-case letters, digits, dashes), e.g. "flux-2-pro"' });
const label = z.string().trim().min(1, { error: 'must not be empty' });
const paramName = z
  .string()
  .regex(PARAM_NAME, { error: 'must be a parameter name such as "model" or "seconds"' });
const credits = z
  .int({ error: 'must be a whole number of credits' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_AMOUNT, { error: `must not exceed ${MAX_AMOUNT}` });
const money = z.number().min(0, { error: 'must not be negative' });
const aliases = z.array(label).default([]);

const fixedRule = z.strictObject({
  type: z.literal('fixed'),
  cost: credits,
  unit: label.optional(),
});

const perUnitRule = z.strictObject({
  type: z.literal('per_unit'),
  cost: credits,
  unit: label,
  /** When set, `params.<param>` (a positive integer) multiplies the cost, e.g. seconds of video. */
  param: paramName.optional(),
});

export const TIER_LEVELS = ['budget', 'mid', 'premium'] as const;

const tier = z.strictObject({
  name: label,
  cost: credits,
  level: z.enum(TIER_LEVELS),
  aliases,
});

const tierRule = z
  .strictObject({
    type: z.literal('tier'),
    param: paramName.default('model'),
    unit: label.optional(),
    default: key.optional(),
    tiers: z.record(key, tier),
  })
  .superRefine((rule, ctx) => {
    if (Object.keys(rule.tiers).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'must list at least one tier' });
    }
    if (rule.default !== undefined && !(rule.default in rule.tiers)) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `"${rule.default}" is not one of the tiers (${Object.keys(rule.tiers).join(', ')})`,
      });
    }
  });

const rangeRule = z
  .strictObject({
    type: z.literal('range'),
    min: credits,
    max: credits,
    /** Defaults to the default level's cost, else the `standard` level, else the midpoint. */
    expected: credits.optional(),
    /** Named complexity levels and their exact cost; defaults to simple=min, standard=expected, complex=max. */
    levels: z.record(key, credits).optional(),
    default: key.optional(),
    unit: label.optional(),
    /** When set, `params.<param>` multiplies the cost, e.g. 1–2 credits per platform. */
    param: paramName
      .refine((p) => p !== 'complexity', { error: '"complexity" is reserved for levels' })
      .optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.min > rule.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['min'],
        message: `min (${rule.min}) must be ≤ max (${rule.max})`,
      });
      return;
    }
    if (rule.expected !== undefined && (rule.expected < rule.min || rule.expected > rule.max)) {
      ctx.addIssue({
        code: 'custom',
        path: ['expected'],
        message: `expected (${rule.expected}) must lie between min (${rule.min}) and max (${rule.max})`,
      });
    }
    for (const [level, cost] of Object.entries(rule.levels ?? {})) {
      if (cost < rule.min || cost > rule.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', level],
          message: `level cost ${cost} must lie between min (${rule.min}) and max (${rule.max})`,
        });
      }
    }
    const levelNames = rule.levels ? Object.keys(rule.levels) : ['simple', 'standard', 'complex'];
    if (rule.default !== undefined && !levelNames.includes(rule.default)) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `"${rule.default}" is not one of the levels (${levelNames.join(', ')})`,
      });
    }
  })
  .transform((rule) => {
    const midpoint = Math.round((rule.min + rule.max) / 2);
    const fromLevels = rule.levels?.[rule.default ?? 'standard'];
    const expected = rule.expected ?? fromLevels ?? midpoint;
    const levels = rule.levels ?? { simple: rule.min, standard: expected, complex: rule.max };
    return { ...rule, expected, levels };
  });

const freeRule = z.strictObject({
  type: z.literal('free'),
  unit: label.optional(),
});

export const ruleSchema = z.discriminatedUnion('type', [
  fixedRule,
  perUnitRule,
  tierRule,
  rangeRule,
  freeRule,
]);

export const operationSchema = z.strictObject({
  key,
  name: label,
  family: key,
  description: label.optional(),
  aliases,
  rule: ruleSchema,
  /** Other operations to suggest instead; only those strictly cheaper are ever shown. */
  alternatives: z.array(key).default([]),
});

const rollover = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({
    mode: z.literal('capped'),
    cap: credits,
    expiresAfterDays: z.int().min(1).optional(),
  }),
  z.strictObject({
    mode: z.literal('percent'),
    percent: z.number().gt(0).max(100),
    expiresAfterDays: z.int().min(1).optional(),
  }),
]);

const BILLING = ['once', 'monthly', 'yearly'] as const;

export const planSchema = z
  .strictObject({
    key,
    name: label,
    kind: z.enum(['trial', 'subscription']),
    /** A trial is not paid: a trial workspace may not buy packages. */
    paid: z.boolean().optional(),
    /** Per monthly cycle for subscriptions (yearly billing still grants monthly); once for a trial. */
    credits,
    creditType: z.enum(['trial', 'subscription']).optional(),
    expires: z.enum(['never', 'cycle_end']).optional(),
    billing: z.array(z.enum(BILLING)).min(1).optional(),
    prices: z
      .strictObject({ once: money.optional(), monthly: money.optional(), yearly: money.optional() })
      .optional(),
    rollover: rollover.default({ mode: 'none' }),
    planChange: z.enum(['next_cycle', 'immediate']).default('next_cycle'),
  })
  .superRefine((plan, ctx) => {
    const trial = plan.kind === 'trial';
    if (trial && plan.paid === true) {
      ctx.addIssue({ code: 'custom', path: ['paid'], message: 'a trial plan cannot be paid' });
    }
    const billing = plan.billing ?? (trial ? ['once'] : ['monthly', 'yearly']);
    billing.forEach((cycle, i) => {
      if (trial !== (cycle === 'once')) {
        ctx.addIssue({
          code: 'custom',
          path: ['billing', i],
          message: trial ? 'a trial is billed "once"' : 'a subscription is billed "monthly" or "yearly"',
        });
      }
    });
    for (const cycle of Object.keys(plan.prices ?? {})) {
      if (!billing.includes(cycle as (typeof BILLING)[number])) {
        ctx.addIssue({
          code: 'custom',
          path: ['prices', cycle],
          message: `no "${cycle}" billing for this plan (billing: ${billing.join(', ')})`,
        });
      }
    }
    if (trial && plan.rollover.mode !== 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['rollover'],
        message: 'a trial grants credits once; rollover does not apply',
      });
    }
  })
  .transform((plan) => {
    const trial = plan.kind === 'trial';
    return {
      ...plan,
      paid: plan.paid ?? !trial,
      creditType: plan.creditType ?? plan.kind,
      expires: plan.expires ?? (trial ? 'never' : 'cycle_end'),
      billing: plan.billing ?? (trial ? ['once' as const] : ['monthly' as const, 'yearly' as const]),
      prices: plan.prices ?? {},
    };
  });

export const packageSchema = z.strictObject({
  key,
  name: label,
  credits: credits.min(1, { error: 'a package must grant at least 1 credit' }),
  price: money,
  /** null = purchased credits never expire. */
  validityDays: z.int().min(1).nullable().default(null),
});

const priority = z.int({ error: 'must be a whole number (lower is consumed first)' });

export const catalogSchema = z.strictObject({
  name: label,
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "USD"' }),
  plans: z.array(planSchema).min(1, { error: 'must list at least one plan' }),
  packages: z.array(packageSchema).default([]),
  operations: z.array(operationSchema).min(1, { error: 'must list at least one operation' }),
  /** Campaign estimates: posts = platforms × weeks × postsPerWeek, each priced by this operation. */
  campaign: z.strictObject({ operation: key }).optional(),
  lotPriorities: z
    .strictObject({ subscription: priority, promotional: priority, trial: priority, purchased: priority })
    .default({ ...DEFAULT_LOT_PRIORITIES }),
  alerts: z
    .strictObject({ low: credits, critical: credits })
    .default({ ...DEFAULT_ALERT_THRESHOLDS })
    .refine((a) => a.low > a.critical, { error: 'low must be greater than critical', path: ['low'] }),
});

export type Catalog = z.output<typeof catalogSchema>;
export type CatalogInput = z.input<typeof catalogSchema>;
export type Plan = z.output<typeof planSchema>;
export type CreditPackage = z.output<typeof packageSchema>;
export type Operation = z.output<typeof operationSchema>;
export type CostRule = z.output<typeof ruleSchema>;
export type TierRule = Extract<CostRule, { type: 'tier' }>;
export type RangeRule = Extract<CostRule, { type: 'range' }>;
export type Tier = TierRule['tiers'][string];
export type TierLevel = (typeof TIER_LEVELS)[number];
