import { z } from '@hono/zod-openapi';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { McpToolName } from '../../application/policies.js';
import { BudgetRaiseCreateBody, BudgetRaiseSchema } from '../../contract/schemas/budget-raises.js';
import { BudgetListSchema } from '../../contract/schemas/budgets.js';
import { EstimateBody, EstimateSchema } from '../../contract/schemas/catalog.js';
import {
  BalanceSchema,
  CaptureBody,
  CaptureResultSchema,
  DebitBody,
  HoldBody,
  HoldResultSchema,
  ReleaseResultSchema,
  TransactionPageSchema,
  TransactionsQuery,
  UsageQuery,
  UsageSchema,
  WriteResultSchema,
} from '../../contract/schemas/ledger.js';
import { PurchaseCreateBody, PurchaseSchema } from '../../contract/schemas/purchases.js';
import { type CreditsGateway, type Json, ToolFailure } from './gateway.js';

/**
 * The tool set, shared by both transports: names from the spec, inputs from the HTTP API's own
 * request schemas (plus the workspace), outputs from its response schemas. Authorisation happens
 * before `run` (in-process: MCP_TOOL_POLICIES; stdio: the API's own policies).
 */
export interface ToolDefinition<I extends z.ZodType = z.ZodType> {
  name: McpToolName;
  title: string;
  description: string;
  input: I;
  output: z.ZodObject;
  annotations: ToolAnnotations;
  run(gateway: CreditsGateway, args: z.output<I>): Promise<Json>;
}

const define = <I extends z.ZodType>(tool: ToolDefinition<I>): ToolDefinition =>
  tool as unknown as ToolDefinition;

const Workspace = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(100, { error: 'must be at most 100 characters' })
  .optional()
  .describe("The workspace id; defaults to the API key's own workspace (required with the operator key)");

const HoldId = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .describe('The hold id returned by hold_credits');

/** The API's IdempotencyKey, required here (the API also takes it from a header, which MCP has not). */
const RequiredIdempotencyKey = z
  .string({
    error: (i) => (i.input === undefined ? 'is required: one key per intended charge' : 'must be a string'),
  })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(255, { error: 'must be at most 255 characters' })
  .describe(
    'Required. The same key with the same arguments returns the first result and moves nothing; ' +
      'use one key per intended charge (e.g. the job or order id) and reuse it on retries.',
  );

const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

async function workspaceOf(gateway: CreditsGateway, named: string | undefined): Promise<string> {
  const ws = named ?? (await gateway.defaultWorkspace());
  if (!ws) {
    const message = 'is required: this key is not confined to a workspace, so name one';
    throw new ToolFailure('invalid_request', `workspace: ${message}`, {
      fields: [{ field: 'workspace', message }],
    });
  }
  return ws;
}

const AffordableSchema = z.object({
  affordable: z.boolean().describe('The balance covers the worst case (max)'),
  affordableAtExpected: z.boolean(),
  balance: z.int(),
  min: z.int(),
  expected: z.int(),
  max: z.int(),
  shortfall: z.int().describe('Credits missing for the worst case (0 when affordable)'),
  suggestions: z.array(z.string()).describe('Cheaper alternatives from the catalog'),
});

export const TOOLS: readonly ToolDefinition[] = [
  define({
    name: 'get_balance',
    title: 'Get balance',
    description:
      'The workspace balance: spendable total, by lot type, held credits, next expiry, renewal, lifetime used.',
    input: z.strictObject({ workspace: Workspace }),
    output: BalanceSchema,
    annotations: { ...READ_ONLY, title: 'Get balance' },
    run: async (g, a) => g.balance(await workspaceOf(g, a.workspace)),
  }),
  define({
    name: 'estimate_cost',
    title: 'Estimate cost',
    description:
      'What items (operation, quantity, params such as the model) or a campaign would cost: min, expected and max, ' +
      'a breakdown, whether the balance covers it, and cheaper alternatives. Spends nothing.',
    input: EstimateBody.safeExtend({ workspace: Workspace }),
    output: EstimateSchema,
    annotations: { ...READ_ONLY, title: 'Estimate cost' },
    run: async (g, { workspace, ...body }) => g.estimate(await workspaceOf(g, workspace), body),
  }),
  define({
    name: 'check_affordable',
    title: 'Check affordable',
    description:
      'Whether the balance covers items or a campaign, even in the worst case, and how many credits are missing if not.',
    input: EstimateBody.safeExtend({ workspace: Workspace }),
    output: AffordableSchema,
    annotations: { ...READ_ONLY, title: 'Check affordable' },
    run: async (g, { workspace, ...body }) => {
      const e = await g.estimate(await workspaceOf(g, workspace), body);
      const estimate = EstimateSchema.parse(e);
      return {
        affordable: estimate.affordable,
        affordableAtExpected: estimate.affordableAtExpected,
        balance: estimate.balance,
        min: estimate.min,
        expected: estimate.expected,
        max: estimate.max,
        shortfall: estimate.shortfall,
        suggestions: estimate.alternatives.map((a) => a.suggestion),
      };
    },
  }),
  define({
    name: 'debit_credits',
    title: 'Debit credits',
    description:
      'Spend credits, all or nothing: an amount, or an operation priced by the catalog (with quantity and params). ' +
      'Requires an idempotencyKey; a repeat with the same key is applied once.',
    input: DebitBody.safeExtend({ workspace: Workspace, idempotencyKey: RequiredIdempotencyKey }),
    output: WriteResultSchema,
    annotations: {
      title: 'Debit credits',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    },
    run: async (g, { workspace, ...body }) => g.debit(await workspaceOf(g, workspace), body),
  }),
  define({
    name: 'hold_credits',
    title: 'Hold credits',
    description:
      'Reserve credits for a job whose cost is known only afterwards; capture the real cost or release the hold. ' +
      'Held credits are not spendable until then; an uncaptured hold lapses after timeoutSeconds.',
    input: HoldBody.safeExtend({ workspace: Workspace, idempotencyKey: RequiredIdempotencyKey }),
    output: HoldResultSchema,
    annotations: {
      title: 'Hold credits',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    run: async (g, { workspace, ...body }) => g.hold(await workspaceOf(g, workspace), body),
  }),
  define({
    name: 'capture_hold',
    title: 'Capture hold',
    description: 'Debit up to the held amount from a hold; the rest of the hold goes back to the balance.',
    input: CaptureBody.safeExtend({ holdId: HoldId, idempotencyKey: RequiredIdempotencyKey }),
    output: CaptureResultSchema,
    annotations: {
      title: 'Capture hold',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    },
    run: (g, { holdId, ...body }) => g.capture(holdId, body),
  }),
  define({
    name: 'release_hold',
    title: 'Release hold',
    description: 'Give all credits of a hold back (nothing happens to a hold already released or timed out).',
    input: z.strictObject({ holdId: HoldId }),
    output: ReleaseResultSchema,
    annotations: {
      title: 'Release hold',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    run: (g, { holdId }) => g.release(holdId),
  }),
  define({
    name: 'list_transactions',
    title: 'List transactions',
    description:
      'The journal, newest first: grants, debits, expiries, reversals, adjustments; filter by kind, operation, actor, ' +
      'source or time, and pass nextCursor as cursor for older entries.',
    input: TransactionsQuery.safeExtend({ workspace: Workspace }),
    output: TransactionPageSchema,
    annotations: { ...READ_ONLY, title: 'List transactions' },
    run: async (g, { workspace, ...query }) => g.transactions(await workspaceOf(g, workspace), query),
  }),
  define({
    name: 'get_usage',
    title: 'Get usage',
    description:
      'Credits used (debits minus their reversals), grouped by operation, actor or day, optionally in a time range.',
    input: UsageQuery.safeExtend({ workspace: Workspace }),
    output: UsageSchema,
    annotations: { ...READ_ONLY, title: 'Get usage' },
    run: async (g, { workspace, ...query }) => g.usage(await workspaceOf(g, workspace), query),
  }),
  define({
    name: 'request_purchase',
    title: 'Request purchase',
    description:
      'Ask to buy a credit package (see the catalog resource); owners or admins approve it before anything is charged.',
    input: PurchaseCreateBody.safeExtend({ workspace: Workspace }),
    output: PurchaseSchema,
    annotations: {
      title: 'Request purchase',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    run: async (g, { workspace, ...body }) => g.requestPurchase(await workspaceOf(g, workspace), body),
  }),
  define({
    name: 'get_budgets',
    title: 'Get budgets',
    description:
      "The workspace's budgets (on members, keys, actors such as agent:…, operations): each limit, what its " +
      'current period used, what remains and when it resets. A debit past any matching budget is refused with budget_exceeded.',
    input: z.object({ workspace: Workspace }),
    output: BudgetListSchema,
    annotations: { title: 'Get budgets', ...READ_ONLY },
    run: async (g, { workspace }) => g.budgets(await workspaceOf(g, workspace)),
  }),
  define({
    name: 'request_budget_raise',
    title: 'Request budget raise',
    description:
      'When a debit or hold was refused with budget_exceeded, ask the owners and admins for more of that budget ' +
      '(details.budgetId) for its current period. Returns the raise, pending approval; once approved, retry the ' +
      'same debit. Only a budget that applies to this key can be raised.',
    input: BudgetRaiseCreateBody.safeExtend({
      budgetId: z
        .string({ error: 'must be a string' })
        .trim()
        .min(1, { error: 'must not be empty' })
        .describe('The budget that refused: details.budgetId of the budget_exceeded error'),
    }),
    output: BudgetRaiseSchema,
    annotations: {
      title: 'Request budget raise',
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    run: (g, { budgetId, ...body }) => g.requestBudgetRaise(budgetId, body),
  }),
];
