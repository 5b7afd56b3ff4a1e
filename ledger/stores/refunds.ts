import type { Sql } from '../db.js';
import { fromMinor } from '../money.js';

/** A refund as recorded with its ledger entry (migration 022), and where the provider is with it. */
export interface RefundRecord {
  purchaseId: string;
  workspaceId: string;
  lotId: string;
  entryId: string;
  credits: number;
  amount: string;
  currency: string;
  status: 'pending' | 'refunded';
  providerRefundId: string | null;
  reason: string | null;
  requestedBy: string | null;
  createdAt: string;
  completedAt: string | null;
}

function rowToRefund(r: Record<string, unknown>): RefundRecord {
  return {
    purchaseId: r.purchase_id as string,
    workspaceId: r.workspace_id as string,
    lotId: String(r.lot_id),
    entryId: String(r.entry_id),
    credits: Number(r.credits),
    amount: fromMinor(BigInt(r.amount_minor as string)),
    currency: r.currency as string,
    status: r.status as RefundRecord['status'],
    providerRefundId: (r.provider_refund_id as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    requestedBy: (r.requested_by as string | null) ?? null,
    createdAt: (r.created_at as Date).toISOString(),
    completedAt: r.completed_at ? (r.completed_at as Date).toISOString() : null,
  };
}

/** The `refunds` table: written with the ledger entry (Ledger.refundPurchase), completed by the refund workflow. */
export class RefundStore {
  constructor(private readonly sql: Sql) {}

  async get(purchaseId: string): Promise<RefundRecord | null> {
    const [row] = await this.sql`
      SELECT *, amount_minor::text AS amount_minor FROM refunds WHERE purchase_id = ${purchaseId}`;
    return row ? rowToRefund(row) : null;
  }

  /** Refunds the provider has not confirmed, recorded before `before` (a sweep restarts their workflows). */
  async pending(before: Date, limit = 100): Promise<RefundRecord[]> {
    const rows = await this.sql`
      SELECT *, amount_minor::text AS amount_minor FROM refunds
       WHERE status = 'pending' AND created_at < ${before} ORDER BY created_at LIMIT ${limit}`;
    return rows.map(rowToRefund);
  }

  /** Records the provider's refund once; a second call keeps the first id. */
  async markRefunded(purchaseId: string, providerRefundId: string, at: Date): Promise<RefundRecord | null> {
    await this.sql`
      UPDATE refunds SET status = 'refunded', provider_refund_id = ${providerRefundId}, completed_at = ${at}
       WHERE purchase_id = ${purchaseId} AND status = 'pending'`;
    return this.get(purchaseId);
  }
}
