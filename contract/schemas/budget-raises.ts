import { z } from '@hono/zod-openapi';
import { Reason, Timestamp } from './common.js';

/** Raises of a budget for its current period, approved like purchases. */

export const BudgetRaiseSchema = z
  .object({
    id: z.string().openapi({ example: 'raise_3f2a9c0d1e4b5a6c' }),
    status: z.enum(['pending_approval', 'approved', 'rejected', 'expired']),
    workspaceId: z.string(),
    budgetId: z.string(),
    amount: z.int().openapi({ description: 'Credits added to the limit for this period once approved' }),
    reason: z.string(),
    requestedBy: z.string().nullable().openapi({ description: '`member:<id>` or `key:<id>`' }),
    source: z.string(),
    periodStart: Timestamp,
    periodEnd: Timestamp.openapi({ description: 'An approved raise counts until the period ends' }),
    approvalDeadline: Timestamp.nullable(),
    decidedBy: z.string().nullable().openapi({ description: 'The owner or admin who approved or rejected' }),
    decidedVia: z.string().nullable().openapi({ description: 'api, slack, discord, console, web, mcp' }),
    outcome: z.string().nullable().openapi({ description: 'Why it was rejected or expired' }),
    createdAt: Timestamp,
    decidedAt: Timestamp.nullable(),
  })
  .openapi('BudgetRaise');

export const BudgetRaiseListSchema = z
  .object({ items: z.array(BudgetRaiseSchema) })
  .openapi('BudgetRaiseList');

export const BudgetRaiseCreateBody = z
  .strictObject({
    amount: z
      .int({ error: 'must be a whole number of credits' })
      .min(1, { error: 'must be at least 1' })
      .max(1_000_000_000, { error: 'must be at most 1000000000' })
      .openapi({ example: 200 }),
    reason: z
      .string({ error: 'is required: why the budget should be raised' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(500, { error: 'must be at most 500 characters' })
      .openapi({ example: 'launch week' }),
  })
  .openapi('BudgetRaiseRequest', { example: { amount: 200, reason: 'launch week' } });

export const BudgetRaiseApproveBody = z
  .strictObject({
    by: z.string().trim().min(1, { error: 'must name the approving member' }).optional().openapi({
      description: 'Operator key only: the owner or admin who decides. Other keys act as their bound member.',
    }),
  })
  .openapi('BudgetRaiseApproval', { example: {} });

export const BudgetRaiseRejectBody = z
  .strictObject({
    by: z.string().trim().min(1, { error: 'must name the rejecting member' }).optional().openapi({
      description: 'Operator key only: the owner or admin who decides. Other keys act as their bound member.',
    }),
    reason: Reason.optional(),
  })
  .openapi('BudgetRaiseRejection', { example: { reason: 'Not this month' } });
