import { z } from '@hono/zod-openapi';
import { PURCHASE_STATUSES } from '../../ledger/types.js';
import { IdempotencyKey, Reason, SourceEnum, Timestamp } from './common.js';

/** Credit-package purchases. */

export const PurchaseSchema = z
  .object({
    id: z.string(),
    status: z.enum(PURCHASE_STATUSES),
    package: z.string(),
    workspaceId: z.string().optional(),
    requestedBy: z.string().nullable().optional(),
    decidedBy: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'The owner or admin who approved or rejected' }),
    decidedVia: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'Where the decision was taken: api, slack, discord, console, mcp' }),
    reason: z.string().nullable().optional(),
    credits: z.int().optional(),
    price: z.number().optional(),
    currency: z.string().optional(),
    lotId: z.string().nullable().optional(),
    createdAt: Timestamp.optional(),
    updatedAt: Timestamp.optional(),
  })
  .openapi('Purchase');

export const PurchaseCreateBody = z
  .strictObject({
    package: z.string().trim().min(1, { error: 'must not be empty' }).openapi({ example: 'small' }),
    requestedBy: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'Operator key only; other keys request as their member (or as the key)' }),
    source: SourceEnum.optional(),
    idempotencyKey: IdempotencyKey.optional().openapi({
      description:
        'Optional: the same key answers the first purchase again (200, `Idempotent-Replayed: true`); another request with it → 409',
    }),
  })
  .openapi('PurchaseRequest', { example: { package: 'small', idempotencyKey: 'order-1042-topup' } });

export const PurchaseApproveBody = z
  .strictObject({
    by: z.string().trim().min(1, { error: 'must name the approving member' }).optional().openapi({
      description: 'Operator key only: the owner or admin who decides. Other keys act as their bound member.',
    }),
  })
  .openapi('PurchaseApproval', { example: {} });

export const PurchaseRejectBody = z
  .strictObject({
    by: z.string().trim().min(1, { error: 'must name the rejecting member' }).optional().openapi({
      description: 'Operator key only: the owner or admin who decides. Other keys act as their bound member.',
    }),
    reason: Reason.optional(),
  })
  .openapi('PurchaseRejection', { example: { reason: 'Over budget this month' } });
