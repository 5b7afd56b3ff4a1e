import { z } from '@hono/zod-openapi';
import { BUDGET_PERIODS, MAX_AMOUNT } from '../../ledger/types.js';
import { Timestamp } from './common.js';

/** Budgets: limits inside the shared pool (application/budgets.ts). */

const credits = (description: string) =>
  z
    .int({ error: 'must be a whole number of credits' })
    .min(1, { error: 'must be at least 1' })
    .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT}` })
    .openapi({ description });

export const BudgetSubjectSchema = z
  .strictObject({
    member: z.string().optional().openapi({ description: 'A member id of the workspace', example: 'sam' }),
    apiKey: z
      .string()
      .optional()
      .openapi({ description: 'An API key id of the workspace', example: 'key_3f2a' }),
    actor: z
      .string()
      .optional()
      .openapi({ description: 'An actor string such as automation:n8n-blog or agent:support' }),
    operation: z.string().optional().openapi({ description: 'An operation key of the catalog' }),
  })
  .openapi('BudgetSubject', {
    description: 'Exactly one of member, apiKey, actor, operation',
    example: { member: 'sam' },
  });

const Period = z
  .enum(BUDGET_PERIODS, { error: `must be one of ${BUDGET_PERIODS.join(', ')}` })
  .openapi({ description: 'day, week, month (UTC) or the subscription cycle' });

export const BudgetSchema = z
  .object({
    id: z.string().openapi({ example: 'bud_8c1f0a9e2b7d4c61' }),
    subject: BudgetSubjectSchema,
    period: Period,
    limit: z.int().openapi({ description: 'The limit per period as set (approved raises are in `raised`)' }),
    perDebitMax: z
      .int()
      .nullable()
      .openapi({ description: 'The most one debit, hold or capture may take; null: no cap' }),
    used: z
      .int()
      .openapi({ description: 'This period: debits and captures less reversals, plus active holds' }),
    remaining: z.int().openapi({ description: 'limit + raised − used, never below zero' }),
    raised: z.int().openapi({ description: 'Approved raises for this period' }),
    periodStart: Timestamp,
    resetsAt: Timestamp.openapi({ description: 'When this period ends and the next starts from zero' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Budget');

export const BudgetListSchema = z.object({ items: z.array(BudgetSchema) }).openapi('BudgetList');

export const BudgetCreateBody = z
  .strictObject({
    subject: BudgetSubjectSchema,
    period: Period,
    limit: credits('The most the subject may spend per period (at least 1)'),
    perDebitMax: credits('Optional cap on a single debit, hold or capture (at least 1)')
      .nullable()
      .optional(),
  })
  .openapi('BudgetRequest', { example: { subject: { member: 'sam' }, period: 'month', limit: 500 } });

export const BudgetPatchBody = z
  .strictObject({
    period: Period.optional(),
    limit: credits('The new limit per period (at least 1)').optional(),
    perDebitMax: credits('The new cap per debit; null removes it').nullable().optional(),
  })
  .openapi('BudgetChange', { example: { limit: 800 } });
