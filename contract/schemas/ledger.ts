import { z } from '@hono/zod-openapi';
import { ENTRY_KINDS, LOT_TYPES, SOURCES } from '../../ledger/types.js';
import {
  Amount,
  Common,
  DateTimeInput,
  KindEnum,
  LotTypeEnum,
  OperationName,
  Params,
  Quantity,
  Reason,
  SignedAmount,
  SourceEnum,
  Timestamp,
} from './common.js';

/** Balances, journal entries, lots and holds: what the ledger endpoints answer and accept. */

export const TransactionSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    kind: z.enum(ENTRY_KINDS),
    amount: z.int().openapi({ description: 'Size of the movement (>= 0); `delta` has the sign' }),
    delta: z.int(),
    balanceAfter: z.int(),
    operation: z.string().nullable(),
    quantity: z.int().nullable(),
    actor: z.string().nullable(),
    source: z.enum(SOURCES),
    idempotencyKey: z.string().nullable(),
    reversesId: z.string().nullable(),
    holdId: z.string().nullable(),
    reason: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    lots: z.array(z.object({ lotId: z.string(), type: z.enum(LOT_TYPES), delta: z.int() })),
    consumed: z
      .array(z.object({ lotId: z.string(), type: z.enum(LOT_TYPES), amount: z.int() }))
      .optional()
      .openapi({ description: 'Debits only: lots consumed, in consumption order' }),
  })
  .openapi('Transaction');

export const BalanceSchema = z
  .object({
    workspaceId: z.string(),
    total: z.int().openapi({ description: 'Spendable credits (held credits excluded)' }),
    byType: z.object({ subscription: z.int(), promotional: z.int(), trial: z.int(), purchased: z.int() }),
    held: z.int().openapi({ description: 'Credits reserved by active holds' }),
    nextExpiry: z.object({ amount: z.int(), at: Timestamp, type: z.enum(LOT_TYPES) }).nullable(),
    renewal: z.object({ amount: z.int(), at: Timestamp }).nullable(),
    lifetimeUsed: z.int(),
    lastTransaction: TransactionSchema.nullable(),
  })
  .openapi('Balance');

export const LotSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    type: z.enum(LOT_TYPES),
    amount: z.int(),
    remaining: z.int(),
    priority: z.int(),
    grantedAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    source: z.record(z.string(), z.unknown()),
  })
  .openapi('Lot');

export const HoldSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    amount: z.int(),
    status: z.enum(['active', 'captured', 'released', 'expired']),
    captured: z.int(),
    captureTransactionId: z.string().nullable(),
    operation: z.string().nullable(),
    actor: z.string().nullable(),
    source: z.enum(SOURCES),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    closedAt: Timestamp.nullable(),
  })
  .openapi('Hold');

export const WriteResultSchema = z
  .object({ transaction: TransactionSchema, balance: BalanceSchema })
  .openapi('WriteResult');

export const GrantResultSchema = z
  .object({
    lot: z.object({
      id: z.string(),
      type: z.enum(LOT_TYPES),
      amount: z.int(),
      remaining: z.int(),
      expiresAt: Timestamp.nullable(),
    }),
    transaction: TransactionSchema,
    balance: BalanceSchema,
  })
  .openapi('GrantResult');

export const HoldResultSchema = HoldSchema.extend({ balance: BalanceSchema }).openapi('HoldResult');

export const CaptureResultSchema = z
  .object({ hold: HoldSchema, transaction: TransactionSchema, balance: BalanceSchema })
  .openapi('CaptureResult');

export const ReleaseResultSchema = z
  .object({ hold: HoldSchema, balance: BalanceSchema })
  .openapi('ReleaseResult');

export const TransactionPageSchema = z
  .object({
    items: z.array(TransactionSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next (older) page' }),
  })
  .openapi('TransactionPage');

export const UsageSchema = z
  .object({
    groupBy: z.enum(['operation', 'actor', 'day']),
    from: Timestamp.nullable(),
    to: Timestamp.nullable(),
    total: z.int(),
    groups: z.array(z.object({ key: z.string().nullable(), used: z.int(), count: z.int() })),
  })
  .openapi('Usage');

// ---------------------------------------------------------------- request bodies

export const DebitBody = z
  .strictObject({
    amount: Amount.optional(),
    operation: OperationName.optional(),
    quantity: Quantity.optional(),
    params: Params.optional(),
    ...Common,
  })
  .superRefine((b, ctx) => {
    if (b.amount !== undefined && b.operation !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'give either amount or operation, not both',
      });
    } else if (b.amount === undefined && b.operation === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'give either amount or operation (+ params)',
      });
    }
  })
  .openapi('DebitRequest', {
    example: {
      operation: 'image',
      quantity: 2,
      params: { model: 'flux-2-pro' },
      actor: 'alice',
      idempotencyKey: 'order-1042',
      metadata: { orderId: 'A-1042' },
    },
    description: 'Either `amount` or `operation` (+ `quantity`, `params`)',
  });

export const GrantBody = z
  .strictObject({
    type: LotTypeEnum,
    amount: Amount,
    expiresAt: DateTimeInput.nullable().optional(),
    priority: z.int({ error: 'must be a whole number (lower is consumed first)' }).optional(),
    reason: Reason,
    ...Common,
  })
  .openapi('GrantRequest', {
    example: {
      type: 'promotional',
      amount: 500,
      expiresAt: '2026-12-31T23:59:59Z',
      reason: 'Launch promotion',
      idempotencyKey: 'promo-launch-acme',
    },
  });

export const AdjustBody = z
  .strictObject({
    amount: SignedAmount,
    reason: Reason,
    type: LotTypeEnum.optional(),
    expiresAt: DateTimeInput.nullable().optional(),
    ...Common,
  })
  .openapi('AdjustmentRequest', {
    example: { amount: -15, reason: 'Charged twice for order A-1042', idempotencyKey: 'fix-A-1042' },
  });

export const ReverseBody = z
  .strictObject({
    amount: Amount.optional().openapi({
      description: 'Part of the debit to refund; default all that is left',
    }),
    reason: Reason.optional(),
    ...Common,
  })
  .openapi('ReverseRequest', {
    example: { amount: 10, reason: 'The image generation failed', idempotencyKey: 'refund-A-1042' },
  });

export const HoldBody = z
  .strictObject({
    amount: Amount,
    timeoutSeconds: z
      .int({ error: 'must be a whole number of seconds' })
      .min(1, { error: 'must be at least 1' })
      .max(7 * 24 * 3600, { error: 'must be at most 604800 (7 days)' })
      .optional(),
    operation: OperationName.optional(),
    ...Common,
  })
  .openapi('HoldRequest', {
    example: { amount: 200, timeoutSeconds: 900, operation: 'video', idempotencyKey: 'render-77-hold' },
  });

export const CaptureBody = z
  .strictObject({ amount: Amount, ...Common })
  .openapi('CaptureRequest', { example: { amount: 120, idempotencyKey: 'render-77-capture' } });

// ---------------------------------------------------------------- queries

export const TransactionsQuery = z.strictObject({
  kind: KindEnum.optional(),
  operation: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  source: SourceEnum.optional(),
  from: DateTimeInput.optional(),
  to: DateTimeInput.optional(),
  cursor: z.string().min(1).optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(200, { error: 'must be at most 200' })
    .optional(),
});

export const UsageQuery = z.strictObject({
  groupBy: z
    .enum(['operation', 'actor', 'day'], { error: 'must be operation, actor or day' })
    .default('operation'),
  from: DateTimeInput.optional(),
  to: DateTimeInput.optional(),
});
