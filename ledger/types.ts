export const LOT_TYPES = ['subscription', 'promotional', 'trial', 'purchased'] as const;
export type LotType = (typeof LOT_TYPES)[number];

export const SOURCES = ['slack', 'discord', 'n8n', 'api', 'cli', 'workflow'] as const;
export type Source = (typeof SOURCES)[number];

export const ENTRY_KINDS = ['grant', 'debit', 'expire', 'reverse', 'adjust', 'refund', 'void'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const STATUSES = ['trialing', 'active', 'past_due', 'canceled'] as const;
export type SubscriptionStatus = (typeof STATUSES)[number];

/** What a workspace key (or a chat member, through their role) may do (spec: Access control). */
export const SCOPES = [
  'balance:read',
  'credits:spend',
  'credits:reverse',
  'purchases:request',
  'purchases:approve',
  'settings:write',
  'members:manage',
  'keys:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Every state a purchase flow can be in; `completed`, `rejected`, `expired` and `failed` are final
 * for its workflow. A completed purchase may later be `refunded` or `partially_refunded`.
 */
export const PURCHASE_STATUSES = [
  'pending_approval',
  'approved',
  'awaiting_payment',
  'paid',
  'completed',
  'rejected',
  'expired',
  'failed',
  'refunded',
  'partially_refunded',
] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

/** Consumption order when a grant names no priority: monthly credits go first. */
export const DEFAULT_PRIORITY: Record<LotType, number> = {
  subscription: 10,
  promotional: 20,
  trial: 30,
  purchased: 40,
};

/** One trillion credits: far above any real balance, far below 2^53 so sums stay exact in JS. */
export const MAX_AMOUNT = 1_000_000_000_000;

/** The longest an embed token for the balance widget may live (the API refuses longer). */
export const EMBED_TTL_MAX_SECONDS = 3600;

export type Clock = () => Date;

export interface LotMovement {
  lotId: string;
  type: LotType;
  /** Signed change of the lot's remaining credits. */
  delta: number;
}

export interface Transaction {
  id: string;
  workspaceId: string;
  kind: EntryKind;
  /** Size of the movement, always >= 0; `delta` carries the sign. */
  amount: number;
  delta: number;
  balanceAfter: number;
  operation: string | null;
  quantity: number | null;
  actor: string | null;
  source: Source;
  idempotencyKey: string | null;
  reversesId: string | null;
  holdId: string | null;
  reason: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  lots: LotMovement[];
  /** For debits: the lots consumed, in consumption order, with positive amounts. */
  consumed?: { lotId: string; type: LotType; amount: number }[];
}

export interface Balance {
  workspaceId: string;
  /** Spendable credits: unexpired lots, minus credits reserved by active holds. */
  total: number;
  byType: Record<LotType, number>;
  held: number;
  nextExpiry: { amount: number; at: string; type: LotType } | null;
  renewal: { amount: number; at: string } | null;
  lifetimeUsed: number;
  lastTransaction: Transaction | null;
}

export interface Lot {
  id: string;
  workspaceId: string;
  type: LotType;
  amount: number;
  remaining: number;
  priority: number;
  grantedAt: string;
  expiresAt: string | null;
  source: Record<string, unknown>;
}

export interface Hold {
  id: string;
  workspaceId: string;
  amount: number;
  status: 'active' | 'captured' | 'released' | 'expired';
  captured: number;
  captureTransactionId: string | null;
  operation: string | null;
  actor: string | null;
  source: Source;
  metadata: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
  closedAt: string | null;
}

/** The periods a budget may have: day, ISO week, month (UTC), or the subscription cycle. */
export const BUDGET_PERIODS = ['day', 'week', 'month', 'cycle'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];
