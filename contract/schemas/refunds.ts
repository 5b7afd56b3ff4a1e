import { z } from '@hono/zod-openapi';
import { IdempotencyKey, Reason } from './common.js';
import { BalanceSchema, TransactionSchema } from './ledger.js';
import { PurchaseSchema } from './purchases.js';

const Money = z
  .string()
  .openapi({ description: 'An exact decimal in the catalog currency', example: '35.00' });

export const RefundBody = z
  .strictObject({ reason: Reason.optional(), idempotencyKey: IdempotencyKey.optional() })
  .openapi('RefundRequest', { example: { reason: 'Bought by mistake', idempotencyKey: 'refund-pur-1' } });

export const RefundResultSchema = z
  .object({
    purchase: PurchaseSchema,
    refund: z.object({
      credits: z.int().openapi({ description: 'Unused credits of the purchase, voided' }),
      amount: Money,
      currency: z.string(),
    }),
  })
  .openapi('RefundResult');

export const VoidBody = z
  .strictObject({ reason: Reason, idempotencyKey: IdempotencyKey.optional() })
  .openapi('VoidRequest', { example: { reason: 'Granted by mistake', idempotencyKey: 'void-lot-42' } });

export const VoidResultSchema = z
  .object({
    transaction: TransactionSchema,
    balance: BalanceSchema,
    void: z.object({
      lotId: z.string(),
      credits: z.int(),
      amount: Money.openapi({ description: 'What the voided credits cost (kept: breakage)' }),
      currency: z.string().nullable(),
    }),
  })
  .openapi('VoidResult');

export const RevenueQuery = z.object({
  from: z.string().openapi({ param: { name: 'from', in: 'query' }, example: '2026-11-01' }),
  to: z
    .string()
    .openapi({ param: { name: 'to', in: 'query' }, example: '2026-12-01', description: 'Exclusive' }),
  workspace: z
    .string()
    .optional()
    .openapi({ param: { name: 'workspace', in: 'query' } }),
});

const Figures = {
  openingDeferred: Money,
  sold: Money,
  recognized: Money,
  breakage: Money,
  refunded: Money,
  closingDeferred: Money,
};

export const RevenueReportSchema = z
  .object({
    currency: z.string(),
    from: z.string(),
    to: z.string(),
    ...Figures,
    workspaces: z.array(z.object({ workspaceId: z.string(), ...Figures })),
  })
  .openapi('RevenueReport', {
    description:
      'opening deferred + sold = recognized + breakage + refunded + closing deferred, per workspace and in total',
  });
