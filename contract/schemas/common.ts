import { z } from '@hono/zod-openapi';
import { ENTRY_KINDS, LOT_TYPES, MAX_AMOUNT, SOURCES } from '../../ledger/types.js';

/** Building blocks shared by every resource's schemas: amounts, times, idempotency, path parameters. */

export const Amount = z
  .int({ error: 'must be a whole number of credits' })
  .min(1, { error: 'must be at least 1' })
  .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT}` })
  .openapi({ description: 'Whole number of credits, 1 to 10^12', example: 20 });

export const SignedAmount = z
  .int({ error: 'must be a whole number of credits' })
  .min(-MAX_AMOUNT, { error: `must be at least -${MAX_AMOUNT}` })
  .max(MAX_AMOUNT, { error: `must be at most ${MAX_AMOUNT}` })
  .refine((n) => n !== 0, { error: 'must not be 0' })
  .openapi({
    description: 'Signed whole number of credits: > 0 adds a lot, < 0 removes credits',
    example: -15,
  });

export const Count = z.int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' });

export const Timestamp = z
  .string()
  .openapi({ description: 'ISO-8601 date-time in UTC', example: '2026-11-01T00:00:00.000Z' });

export const DateTimeInput = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 date-time such as 2026-11-01T00:00:00Z' })
  .openapi({ example: '2026-12-01T00:00:00Z' });

export const IdempotencyKey = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' })
  .openapi({
    description: 'Same key + same body → the first result; same key + other body → 409',
    example: 'run-4812-step-3',
  });

export const IdempotencyHeaders = z.object({
  'idempotency-key': IdempotencyKey.optional().openapi({
    param: { name: 'idempotency-key', in: 'header' },
    description: 'Alternative to the body field `idempotencyKey`',
  }),
});

export const Actor = z
  .string({ error: 'must be a string' })
  .max(200, { error: 'must be at most 200 characters' })
  .nullable()
  .openapi({
    description: 'Who consumed: member id, automation, workflow. Defaults to the API key.',
    example: 'alice',
  });

export const SourceEnum = z.enum(SOURCES, { error: `must be one of ${SOURCES.join(', ')}` });
export const LotTypeEnum = z.enum(LOT_TYPES, { error: `must be one of ${LOT_TYPES.join(', ')}` });
export const KindEnum = z.enum(ENTRY_KINDS, { error: `must be one of ${ENTRY_KINDS.join(', ')}` });

export const Metadata = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .refine((m) => JSON.stringify(m).length <= 10_000, { error: 'must serialise to at most 10,000 characters' })
  .openapi({ description: 'Free-form JSON object stored on the entry', example: { workflowId: 'wf_12' } });

export const Params = z
  .record(z.string(), z.union([z.string(), z.number()]), { error: 'must be an object of strings or numbers' })
  .openapi({
    description: 'Operation parameters, e.g. { "model": "flux-2-pro" }',
    example: { model: 'flux-2-pro' },
  });

export const OperationName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' })
  .openapi({ description: 'Operation key from the catalog (or its name or alias)', example: 'image' });

export const Quantity = z
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(1_000_000, { error: 'must be at most 1000000' });

export const Reason = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(1000, { error: 'must be at most 1000 characters' });

export const WsParam = z.object({
  ws: z.string().openapi({ param: { name: 'ws', in: 'path' }, example: 'acme' }),
});
export const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '42' }),
});

/** Fields every write accepts. */
export const Common = {
  idempotencyKey: IdempotencyKey.optional(),
  actor: Actor.optional(),
  source: SourceEnum.optional(),
  metadata: Metadata.optional(),
};
