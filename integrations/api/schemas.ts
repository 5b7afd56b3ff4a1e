import { z } from '@hono/zod-openapi';
import { PURCHASE_STATUSES } from '../../application/purchases.js';
import { ENTRY_KINDS, LOT_TYPES, MAX_AMOUNT, ROLES, SOURCES, STATUSES } from '../../ledger/types.js';

/** Zod schemas of every request and response: the handlers validate with them and /openapi.json is generated from them. */

// ---------------------------------------------------------------- building blocks

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

const Actor = z
  .string({ error: 'must be a string' })
  .max(200, { error: 'must be at most 200 characters' })
  .nullable()
  .openapi({
    description: 'Who consumed: member id, automation, workflow. Defaults to the API key.',
    example: 'alice',
  });

const SourceEnum = z.enum(SOURCES, { error: `must be one of ${SOURCES.join(', ')}` });
const LotTypeEnum = z.enum(LOT_TYPES, { error: `must be one of ${LOT_TYPES.join(', ')}` });
const KindEnum = z.enum(ENTRY_KINDS, { error: `must be one of ${ENTRY_KINDS.join(', ')}` });

export const Metadata = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .refine((m) => JSON.stringify(m).length <= 10_000, { error: 'must serialise to at most 10,000 characters' })
  .openapi({ description: 'Free-form JSON object stored on the entry', example: { workflowId: 'wf_12' } });

const Params = z
  .record(z.string(), z.union([z.string(), z.number()]), { error: 'must be an object of strings or numbers' })
  .openapi({
    description: 'Operation parameters, e.g. { "model": "flux-2-pro" }',
    example: { model: 'flux-2-pro' },
  });

const OperationName = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' })
  .openapi({ description: 'Operation key from the catalog (or its name or alias)', example: 'image' });

const Quantity = z
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(1_000_000, { error: 'must be at most 1000000' });

const Reason = z
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

// ---------------------------------------------------------------- resources

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

export const WorkspaceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    status: z.enum(STATUSES),
    billingAnchor: Timestamp,
    settings: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .openapi('Workspace');

export const MemberSchema = z
  .object({
    workspaceId: z.string(),
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    slackUserId: z.string().nullable(),
    discordUserId: z.string().nullable(),
  })
  .openapi('Member');

export const ChatLinkSchema = z
  .object({
    platform: z.enum(['slack', 'discord']),
    team: z.string(),
    channel: z.string().nullable(),
    workspaceId: z.string(),
  })
  .openapi('ChatLink');

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

export const AlertsSchema = z
  .object({
    thresholds: z.object({ low: z.int(), critical: z.int() }),
  })
  .openapi('AlertThresholds');

export const PurchaseSchema = z
  .object({
    id: z.string(),
    status: z.enum(PURCHASE_STATUSES),
    package: z.string(),
    workspaceId: z.string().optional(),
    requestedBy: z.string().nullable().optional(),
    decidedBy: z.string().nullable().optional(),
    reason: z.string().nullable().optional(),
    credits: z.int().optional(),
    price: z.number().optional(),
    currency: z.string().optional(),
    lotId: z.string().nullable().optional(),
    createdAt: Timestamp.optional(),
    updatedAt: Timestamp.optional(),
  })
  .openapi('Purchase');

// ---------------------------------------------------------------- request bodies

const Common = {
  idempotencyKey: IdempotencyKey.optional(),
  actor: Actor.optional(),
  source: SourceEnum.optional(),
  metadata: Metadata.optional(),
};

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
  .openapi('DebitRequest', { description: 'Either `amount` or `operation` (+ `quantity`, `params`)' });

export const GrantBody = z
  .strictObject({
    type: LotTypeEnum,
    amount: Amount,
    expiresAt: DateTimeInput.nullable().optional(),
    priority: z.int({ error: 'must be a whole number (lower is consumed first)' }).optional(),
    reason: Reason,
    ...Common,
  })
  .openapi('GrantRequest');

export const AdjustBody = z
  .strictObject({
    amount: SignedAmount,
    reason: Reason,
    type: LotTypeEnum.optional(),
    expiresAt: DateTimeInput.nullable().optional(),
    ...Common,
  })
  .openapi('AdjustmentRequest');

export const ReverseBody = z
  .strictObject({
    amount: Amount.optional().openapi({
      description: 'Part of the debit to refund; default all that is left',
    }),
    reason: Reason.optional(),
    ...Common,
  })
  .openapi('ReverseRequest');

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
  .openapi('HoldRequest');

export const CaptureBody = z.strictObject({ amount: Amount, ...Common }).openapi('CaptureRequest');

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
  .openapi('EstimateRequest');

export const WorkspaceCreateBody = z
  .strictObject({
    id: z.string().openapi({ example: 'acme' }),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    plan: z.string().openapi({ example: 'solo' }),
    status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }),
    billingAnchor: DateTimeInput.optional(),
  })
  .openapi('WorkspaceCreateRequest');

export const WorkspacePatchBody = z
  .strictObject({
    plan: z.string().optional(),
    status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional(),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200).optional(),
  })
  .refine((b) => b.plan !== undefined || b.status !== undefined || b.name !== undefined, {
    error: 'give at least one of plan, status, name',
    path: ['plan'],
  })
  .openapi('WorkspacePatchRequest');

export const MemberCreateBody = z
  .strictObject({
    id: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
    slackUserId: z.string().min(1).max(100).nullable().optional(),
    discordUserId: z.string().min(1).max(100).nullable().optional(),
  })
  .openapi('MemberCreateRequest');

export const ChatLinkCreateBody = z
  .strictObject({
    platform: z.enum(['slack', 'discord'], { error: 'must be slack or discord' }),
    team: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
    channel: z.string().trim().max(100).nullable().optional(),
  })
  .openapi('ChatLinkCreateRequest');

export const ApiKeyCreateBody = z
  .strictObject({ name: z.string().trim().min(1, { error: 'must not be empty' }).max(100) })
  .openapi('ApiKeyCreateRequest');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    key: z.string().openapi({ description: 'The secret; shown once' }),
    name: z.string(),
  })
  .openapi('ApiKey');

export const AlertsBody = z
  .strictObject({
    // Types here; the rule (bounds, low above critical) is application/alert-settings.ts, shared with chat.
    thresholds: z.strictObject({ low: Count, critical: Count }),
  })
  .openapi('AlertThresholdsRequest');

export const PurchaseCreateBody = z
  .strictObject({
    package: z.string().trim().min(1, { error: 'must not be empty' }).openapi({ example: 'small' }),
    requestedBy: z.string().trim().min(1).max(200).optional(),
    source: SourceEnum.optional(),
  })
  .openapi('PurchaseRequest');

export const PurchaseApproveBody = z
  .strictObject({ by: z.string().trim().min(1, { error: 'must name the approving member' }) })
  .openapi('PurchaseApproval');

export const PurchaseRejectBody = z
  .strictObject({
    by: z.string().trim().min(1, { error: 'must name the rejecting member' }),
    reason: Reason.optional(),
  })
  .openapi('PurchaseRejection');

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

export const AffordabilityQuery = z
  .object({ operation: OperationName })
  .catchall(z.string())
  .openapi({ description: 'Other query parameters are the operation parameters, e.g. `model=flux-2-pro`' });
