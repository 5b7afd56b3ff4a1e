import type { z } from '@hono/zod-openapi';
import type { McpToolName } from '../../application/policies.js';
import type { BudgetRaiseCreateBody } from '../../contract/schemas/budget-raises.js';
import type { EstimateBody } from '../../contract/schemas/catalog.js';
import type {
  CaptureBody,
  DebitBody,
  HoldBody,
  TransactionsQuery,
  UsageQuery,
} from '../../contract/schemas/ledger.js';
import type { PurchaseCreateBody } from '../../contract/schemas/purchases.js';

/** A JSON object exactly as the HTTP API answers it (both transports hand tools the same shapes). */
export type Json = Record<string, unknown>;

/**
 * What the tools call: the HTTP API with a key (stdio, `transport/api-client.ts`) or the
 * application services with an authenticated principal (`/mcp`, `in-process.ts`). Failures are
 * thrown as ToolFailure, in the API's error vocabulary.
 */
export interface CreditsGateway {
  /** The workspace a tool acts on when the agent names none (a workspace key's own), or null (the operator key). */
  defaultWorkspace(): Promise<string | null>;
  /** Throws `forbidden` naming the missing scope when the caller may not use `tool`; a no-op where the API decides. */
  authorize(tool: McpToolName): void;
  balance(ws: string): Promise<Json>;
  estimate(ws: string, body: z.output<typeof EstimateBody>): Promise<Json>;
  debit(ws: string, body: z.output<typeof DebitBody> & { idempotencyKey: string }): Promise<Json>;
  hold(ws: string, body: z.output<typeof HoldBody> & { idempotencyKey: string }): Promise<Json>;
  capture(holdId: string, body: z.output<typeof CaptureBody> & { idempotencyKey: string }): Promise<Json>;
  release(holdId: string): Promise<Json>;
  transactions(ws: string, query: z.output<typeof TransactionsQuery>): Promise<Json>;
  usage(ws: string, query: z.output<typeof UsageQuery>): Promise<Json>;
  requestPurchase(ws: string, body: z.output<typeof PurchaseCreateBody>): Promise<Json>;
  /** The workspace's budgets with what each used this period (`{ items }`). */
  budgets(ws: string): Promise<Json>;
  /** Asks the approvers for more of a budget this period, as the caller (its own budgets only). */
  requestBudgetRaise(budgetId: string, body: z.output<typeof BudgetRaiseCreateBody>): Promise<Json>;
  catalog(): Promise<Json>;
}

/** A refusal or failure with the API's `{ code, message, details }`; becomes an MCP tool error. */
export class ToolFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ToolFailure';
  }
}
