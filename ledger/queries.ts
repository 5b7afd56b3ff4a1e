import type { Sql } from './db.js';
import { isSpendable, type LotState } from './lots.js';
import { type Balance, type Hold, LOT_TYPES, type Lot, type LotType, type Transaction } from './types.js';
import { toWorkspaceRow, type WorkspaceRow } from './workspace-rows.js';

/** Columns of a journal entry plus the lots it touched, in consumption order. */
export const entryColumns = (sql: Sql) => sql`
  j.id, j.workspace_id, j.kind, j.delta, j.balance_after, j.operation, j.quantity, j.actor, j.source,
  j.idempotency_key, j.reverses_id, j.hold_id, j.reason, j.metadata, j.created_at,
  (SELECT coalesce(json_agg(json_build_object('lotId', jl.lot_id::text, 'type', l.type, 'delta', jl.delta)
                            ORDER BY l.priority, l.expires_at NULLS LAST, l.granted_at, l.id), '[]'::json)
     FROM journal_lots jl JOIN lots l ON l.id = jl.lot_id WHERE jl.entry_id = j.id) AS lots`;

export function rowToTransaction(r: Record<string, unknown>): Transaction {
  const lots = (r.lots as { lotId: string; type: LotType; delta: number }[]).map((m) => ({
    lotId: m.lotId,
    type: m.type,
    delta: Number(m.delta),
  }));
  const delta = Number(r.delta);
  const tx: Transaction = {
    id: String(r.id),
    workspaceId: r.workspace_id as string,
    kind: r.kind as Transaction['kind'],
    amount: Math.abs(delta),
    delta,
    balanceAfter: Number(r.balance_after),
    operation: (r.operation as string | null) ?? null,
    quantity: r.quantity == null ? null : Number(r.quantity),
    actor: (r.actor as string | null) ?? null,
    source: r.source as Transaction['source'],
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    reversesId: r.reverses_id == null ? null : String(r.reverses_id),
    holdId: r.hold_id == null ? null : String(r.hold_id),
    reason: (r.reason as string | null) ?? null,
    metadata: (r.metadata as Record<string, unknown>) ?? {},
    createdAt: (r.created_at as Date).toISOString(),
    lots,
  };
  if (tx.kind === 'debit') {
    tx.consumed = lots
      .filter((m) => m.delta < 0)
      .map((m) => ({ lotId: m.lotId, type: m.type, amount: -m.delta }));
  }
  return tx;
}

export interface BalanceParts {
  workspace: WorkspaceRow;
  lots: LotState[];
  held: number;
  lifetimeUsed: number;
  lastTransaction: Transaction | null;
  now: Date;
  renewal: { amount: number; at: string } | null;
}

export function summarizeBalance(p: BalanceParts): Balance {
  const byType = Object.fromEntries(LOT_TYPES.map((t) => [t, 0])) as Record<LotType, number>;
  let total = 0;
  let next: { at: number; amount: number; type: LotType } | null = null;
  for (const lot of p.lots) {
    if (!isSpendable(lot, p.now)) continue;
    byType[lot.type] += lot.remaining;
    total += lot.remaining;
    if (lot.expiresAt) {
      const at = lot.expiresAt.getTime();
      if (!next || at < next.at) next = { at, amount: lot.remaining, type: lot.type };
      else if (at === next.at) next.amount += lot.remaining;
    }
  }
  return {
    workspaceId: p.workspace.id,
    total,
    byType,
    held: p.held,
    nextExpiry: next ? { amount: next.amount, at: new Date(next.at).toISOString(), type: next.type } : null,
    renewal: p.renewal,
    lifetimeUsed: p.lifetimeUsed,
    lastTransaction: p.lastTransaction,
  };
}

/** What the database holds of a balance: all of it but the renewal, which comes from the catalog. */
export type StoredBalanceParts = Omit<BalanceParts, 'renewal'>;

/**
 * Everything the balances of `workspaceIds` need, in one round trip (credits_balance_parts,
 * ledger/sql/functions), keyed by workspace id; an unknown id has no entry.
 */
export async function loadBalanceParts(
  sql: Sql,
  workspaceIds: readonly string[],
  now: Date,
): Promise<Map<string, StoredBalanceParts>> {
  const rows = await sql`SELECT * FROM credits_balance_parts(${workspaceIds as string[]}::text[], ${now})`;
  return new Map(rows.map((row) => [row.id as string, toBalanceParts(row, now)]));
}

function toBalanceParts(row: Record<string, unknown>, now: Date): StoredBalanceParts {
  const last = row.last as Record<string, unknown> | null;
  if (last) last.created_at = new Date(last.created_at as string);
  return {
    workspace: toWorkspaceRow(row),
    lots: (row.lots as Record<string, unknown>[]).map((l) => ({
      id: Number(l.id),
      type: l.type as LotType,
      remaining: Number(l.remaining),
      priority: Number(l.priority),
      grantedAt: new Date(l.grantedAt as string),
      expiresAt: l.expiresAt == null ? null : new Date(l.expiresAt as string),
    })),
    held: Number(row.held),
    lifetimeUsed: Number(row.lifetime_used),
    lastTransaction: last ? rowToTransaction(last) : null,
    now,
  };
}

export function rowToLot(r: Record<string, unknown>): Lot {
  return {
    id: String(r.id),
    workspaceId: r.workspace_id as string,
    type: r.type as LotType,
    amount: Number(r.amount),
    remaining: Number(r.remaining),
    priority: Number(r.priority),
    grantedAt: (r.granted_at as Date).toISOString(),
    expiresAt: r.expires_at ? (r.expires_at as Date).toISOString() : null,
    source: (r.source as Record<string, unknown>) ?? {},
  };
}

export function rowToHold(r: Record<string, unknown>): Hold {
  return {
    id: String(r.id),
    workspaceId: r.workspace_id as string,
    amount: Number(r.amount),
    status: r.status as Hold['status'],
    captured: Number(r.captured),
    captureTransactionId: r.capture_id == null ? null : String(r.capture_id),
    operation: (r.operation as string | null) ?? null,
    actor: (r.actor as string | null) ?? null,
    source: r.source as Hold['source'],
    metadata: (r.metadata as Record<string, unknown>) ?? {},
    createdAt: (r.created_at as Date).toISOString(),
    expiresAt: (r.expires_at as Date).toISOString(),
    closedAt: r.closed_at ? (r.closed_at as Date).toISOString() : null,
  };
}
