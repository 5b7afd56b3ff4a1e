import type { AlertState } from './alerts.js';
import type { LotState } from './lots.js';
import type { EntryKind, LotType, Source, Transaction } from './types.js';

/** The rows a WorkspaceTx reads and the entries it records, and their conversions. */

export interface WorkspaceRow {
  id: string;
  name: string;
  plan: string;
  status: string;
  billingAnchor: Date;
  lifetimeUsed: number;
  settings: Record<string, unknown>;
  alertState: AlertState;
}

export interface EntryDraft {
  kind: EntryKind;
  movements: { lot: LotState; delta: number }[];
  operation?: string | null;
  quantity?: number | null;
  actor?: string | null;
  source: Source;
  idempotencyKey?: string | null;
  reversesId?: number | null;
  holdId?: number | null;
  reason?: string | null;
  metadata?: Record<string, unknown>;
  /** Credits this entry adds to lifetime usage (debits > 0, their reversals < 0). */
  usage?: number;
}

export interface RawLot {
  id: number | string;
  type: LotType;
  remaining: number | string;
  priority: number;
  grantedAt: string | Date;
  expiresAt: string | Date | null;
}

export function parseLot(raw: RawLot): LotState {
  return {
    id: Number(raw.id),
    type: raw.type,
    remaining: Number(raw.remaining),
    priority: Number(raw.priority),
    grantedAt: new Date(raw.grantedAt),
    expiresAt: raw.expiresAt === null ? null : new Date(raw.expiresAt),
  };
}

export function toWorkspaceRow(row: Record<string, unknown>): WorkspaceRow {
  return {
    id: row.id as string,
    name: row.name as string,
    plan: row.plan as string,
    status: row.status as string,
    billingAnchor: row.billing_anchor as Date,
    lifetimeUsed: Number(row.lifetime_used),
    settings: (row.settings as Record<string, unknown>) ?? {},
    alertState: (row.alert_state as AlertState | undefined) ?? {},
  };
}

export function toTransaction(
  workspaceId: string,
  id: number,
  draft: EntryDraft,
  delta: number,
  balanceAfter: number,
  now: Date,
): Transaction {
  const tx: Transaction = {
    id: String(id),
    workspaceId,
    kind: draft.kind,
    amount: Math.abs(delta),
    delta,
    balanceAfter,
    operation: draft.operation ?? null,
    quantity: draft.quantity ?? null,
    actor: draft.actor ?? null,
    source: draft.source,
    idempotencyKey: draft.idempotencyKey ?? null,
    reversesId: draft.reversesId == null ? null : String(draft.reversesId),
    holdId: draft.holdId == null ? null : String(draft.holdId),
    reason: draft.reason ?? null,
    metadata: draft.metadata ?? {},
    createdAt: now.toISOString(),
    lots: draft.movements
      .filter((m) => m.delta !== 0)
      .map((m) => ({ lotId: String(m.lot.id), type: m.lot.type, delta: m.delta })),
  };
  if (draft.kind === 'debit') {
    tx.consumed = draft.movements
      .filter((m) => m.delta < 0)
      .map((m) => ({ lotId: String(m.lot.id), type: m.lot.type, amount: -m.delta }));
  }
  return tx;
}
