import type { Thresholds } from '../alerts.js';
import type { IdempotencyKey } from '../idempotency.js';
import type { Balance, Hold, LotType, Source, SubscriptionStatus, Transaction } from '../types.js';

/** The ledger's inputs and answers; `ledger.ts` re-exports them for callers. */

/** What the ledger needs from the catalog; kept narrow so the domain does not depend on its file format. */
export interface LedgerCatalog {
  plan(key: string): { kind: 'trial' | 'subscription'; credits: number } | undefined;
  /** Prices a debit named by operation; throws CreditsError naming the failing field. */
  priceDebit(input: { operation: string; quantity?: number; params?: Record<string, unknown> }): {
    amount: number;
    quantity: number;
  };
  priority(type: LotType): number;
  /** Default thresholds for workspaces that set none. */
  alertThresholds?(): Thresholds;
}

export interface BalanceChange {
  workspaceId: string;
  before: number;
  after: number;
  transactionIds: string[];
  /** Threshold crossings recorded in the outbox by this change. */
  alertEvents: number;
}

export interface Actor {
  actor?: string | null;
  source?: Source;
  metadata?: Record<string, unknown>;
}

/**
 * Who spends, from the caller's credentials (never from a body), for budgets: the API key used and
 * the member it acts as. Not part of the request's fingerprint: a replay from another key is the same debit.
 */
export interface Spender {
  memberId?: string | null;
  apiKeyId?: string | null;
}

/** A debit, hold or capture refused by a budget (credits_budget_check). */
export interface BudgetRefusal {
  s: 'budget';
  budgetId: string;
  limit: number;
  used: number;
  requested: number;
  resetsAt: string;
  perDebitMax: number | null;
}

export interface DebitInput extends Actor {
  spender?: Spender;
  amount?: number;
  operation?: string;
  quantity?: number;
  params?: Record<string, unknown>;
  idempotencyKey: string;
}

export interface GrantInput extends Actor {
  type: LotType;
  amount: number;
  expiresAt?: Date | string | null;
  priority?: number;
  reason: string;
  /** A client's key, or (lifecycle grants only) a `SystemKey` in the system namespace. */
  idempotencyKey: IdempotencyKey;
  /** Where the lot comes from: a plan cycle, a purchase, a manual grant (stored on the lot). */
  origin?: Record<string, unknown>;
  /**
   * What the whole lot cost (its cost basis, fixed with the lot): a decimal string with at most 2
   * decimals. Absent: 0, except a purchase's lot (`origin.kind` 'purchase'), which takes the price
   * its `purchases` row recorded.
   */
  price?: { amount: string; currency: string };
}

export interface ReverseInput extends Actor {
  idempotencyKey: string;
  amount?: number;
  reason?: string;
}

export interface AdjustInput extends Actor {
  amount: number;
  reason: string;
  idempotencyKey: string;
  type?: LotType;
  expiresAt?: Date | string | null;
}

export interface HoldInput extends Actor {
  spender?: Spender;
  amount: number;
  timeoutSeconds?: number;
  operation?: string;
  idempotencyKey: string;
}

export interface CaptureInput extends Actor {
  amount: number;
  idempotencyKey: string;
}

export interface Scope {
  /** When set, ids belonging to another workspace are reported as not found. */
  workspaceId?: string;
}

export interface WriteResult {
  transaction: Transaction;
  balance: Balance;
  replayed: boolean;
}

export interface GrantResult extends WriteResult {
  lot: { id: string; type: LotType; amount: number; remaining: number; expiresAt: string | null };
}

export interface HoldResult {
  hold: Hold;
  balance: Balance;
  replayed: boolean;
}

export interface CaptureResult extends WriteResult {
  hold: Hold;
}

/** The workspace at a cycle boundary, and what the ended cycle's lots left unused. */
export interface CycleCloseout {
  plan: string;
  status: SubscriptionStatus;
  billingAnchor: Date;
  /** Still in the lots, or already written off by an expiry. */
  unused: number;
}

/** A billing cycle's boundary (Ledger.closeCycle). */
export interface CycleCloseInput {
  /** The ended cycle's lots: what they still hold is expired. */
  lotIds: string[];
  /** The cycle's end: the lots expire as of this instant, or now if that is later. */
  endsAt: Date | string;
  /**
   * The grants to make before the expiry (next allocation, rollover), decided on the locked
   * workspace and what the ended lots left unused. Pure; every key a `SystemKey`.
   */
  grants(closeout: CycleCloseout): GrantInput[];
}

export interface CycleCloseResult {
  closeout: CycleCloseout;
  /** Per grant asked, its lot: made now, or the earlier grant under its key (`replayed`). */
  lots: { id: string; amount: number; replayed: boolean }[];
  /** Credits the ended lots held and this expiry wrote off now. */
  expired: number;
  transactions: Transaction[];
  balance: Balance;
}

export interface ExpiryResult {
  workspaceId: string;
  transactions: Transaction[];
  balance: Balance;
}

export const DEFAULT_HOLD_TIMEOUT_SECONDS = 15 * 60;
export const MAX_HOLD_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** What `credits_debit_multi` answers for one workspace (ledger/sql/functions/credits_debit_multi.sql). */
export interface DebitBatchResult {
  ws: { plan: string; status: string; billingAnchor: string };
  before: number;
  after: number;
  alertEvents: number;
  items: (
    | { s: 'ok' | 'replay'; r: WriteResult }
    | { s: 'insufficient'; required: number; available: number }
    | { s: 'conflict' }
    | BudgetRefusal
  )[];
}

export interface PreparedDebit {
  input: DebitInput;
  amount: number;
  quantity: number | null;
  hash: string;
}

/** A prepared debit waiting for the next cross-workspace batch. */
export interface QueuedDebit {
  workspaceId: string;
  debit: PreparedDebit;
}

/** A checked hold, capture or release waiting for the next cross-workspace batch. */
export type PreparedHoldOp =
  | { kind: 'hold'; key: string; hash: string; amount: number; timeout: number; input: HoldInput }
  | {
      kind: 'capture';
      holdId: number;
      raw: string;
      key: string;
      hash: string;
      amount: number;
      input: CaptureInput;
    }
  | { kind: 'release'; holdId: number; raw: string };

export interface QueuedHoldOp {
  workspaceId: string;
  op: PreparedHoldOp;
}

/** What `credits_hold_multi` answers for one workspace (ledger/sql/functions/credits_hold_multi.sql). */
export interface HoldBatchResult {
  ws: { plan: string; status: string; billingAnchor: string };
  before: number;
  after: number;
  changed: boolean;
  alertEvents: number;
  transactionIds: string[];
  items: (
    | { s: 'ok' | 'replay'; r: HoldResult | CaptureResult }
    | { s: 'insufficient'; required: number; available: number }
    | { s: 'conflict' }
    | { s: 'exceeds'; held: number }
    | { s: 'not_found' }
    | { s: 'not_active'; status: string }
    | { s: 'captured' }
    | BudgetRefusal
  )[];
}
