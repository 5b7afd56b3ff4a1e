import { randomBytes } from 'node:crypto';
import type { Sql } from '../db.js';
import { PURCHASE_STATUSES, type PurchaseStatus } from '../types.js';

/** The `purchases` table: what a purchase workflow records of each purchase, step by step. */

export { PURCHASE_STATUSES, type PurchaseStatus };

export const IN_FLIGHT: PurchaseStatus[] = ['pending_approval', 'approved', 'awaiting_payment', 'paid'];

/**
 * A purchase: what its workflow, the notifications, the API and the bots all see (the one type).
 * `lotId` and `updatedAt` are there once it is stored.
 */
export interface Purchase {
  id: string;
  workspaceId: string;
  package: string;
  packageName: string;
  credits: number;
  price: number;
  currency: string;
  status: PurchaseStatus;
  requestedBy: string | null;
  source: string;
  decidedBy: string | null;
  reason: string | null;
  createdAt: string;
  approvalDeadline: string | null;
  automatic: boolean;
  /** The purchased lot once granted. */
  lotId?: string | null;
  updatedAt?: string;
  /** Through which channel the decision was taken (api, slack, discord, console, mcp), once decided. */
  decidedVia?: string | null;
}

/** The stored row: the purchase plus the payment reference, which stays inside. */
export type PurchaseRecord = Purchase & {
  paymentId: string | null;
  lotId: string | null;
  updatedAt: string;
};

export function rowToPurchase(r: Record<string, unknown>): PurchaseRecord {
  return {
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    package: r.package as string,
    packageName: r.package_name as string,
    credits: Number(r.credits),
    price: Number(r.price),
    currency: r.currency as string,
    status: r.status as PurchaseStatus,
    requestedBy: (r.requested_by as string | null) ?? null,
    source: r.source as string,
    decidedBy: (r.decided_by as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    createdAt: (r.created_at as Date).toISOString(),
    approvalDeadline: r.approval_deadline ? (r.approval_deadline as Date).toISOString() : null,
    automatic: r.automatic as boolean,
    paymentId: (r.payment_id as string | null) ?? null,
    lotId: r.lot_id == null ? null : String(r.lot_id),
    updatedAt: (r.updated_at as Date).toISOString(),
    ...(r.decided_via !== undefined ? { decidedVia: (r.decided_via as string | null) ?? null } : {}),
  };
}

export class PurchaseStore {
  constructor(private readonly sql: Sql) {}

  /** Inserts a purchase; false when the auto top-up uniqueness rule refused it (one already in flight). */
  async insert(p: Purchase, validityDays: number | null): Promise<boolean> {
    try {
      await this.sql`
        INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, validity_days, status,
                               requested_by, source, automatic, decided_by, reason, approval_deadline, created_at)
        VALUES (${p.id}, ${p.workspaceId}, ${p.package}, ${p.packageName}, ${p.credits}, ${p.price}, ${p.currency},
                ${validityDays}, ${p.status}, ${p.requestedBy}, ${p.source}, ${p.automatic}, ${p.decidedBy}, ${p.reason},
                ${p.approvalDeadline}, ${p.createdAt})`;
      return true;
    } catch (err) {
      if (
        (err as { code?: string }).code === '23505' &&
        (err as { constraint_name?: string }).constraint_name !== 'purchases_pkey'
      ) {
        return false;
      }
      throw err;
    }
  }

  async get(id: string): Promise<PurchaseRecord | null> {
    const [row] = await this.sql`
      SELECT p.*, (SELECT d.channel FROM purchase_decisions d
                    WHERE d.purchase_id = p.id AND d.decided_by = p.decided_by
                    ORDER BY d.created_at DESC LIMIT 1) AS decided_via
        FROM purchases p WHERE p.id = ${id}`;
    return row ? rowToPurchase(row) : null;
  }

  /** The workspace's purchases waiting for approval, oldest first. */
  async pending(workspaceId: string): Promise<PurchaseRecord[]> {
    const rows = await this.sql`
      SELECT * FROM purchases WHERE workspace_id = ${workspaceId} AND status = 'pending_approval'
       ORDER BY created_at, id LIMIT 50`;
    return rows.map(rowToPurchase);
  }

  /** The workspace's latest purchases, newest first, with who decided and through which channel. */
  async recent(workspaceId: string, limit = 50): Promise<PurchaseRecord[]> {
    const rows = await this.sql`
      SELECT p.*, (SELECT d.channel FROM purchase_decisions d
                    WHERE d.purchase_id = p.id AND d.decided_by = p.decided_by
                    ORDER BY d.created_at DESC LIMIT 1) AS decided_via
        FROM purchases p WHERE p.workspace_id = ${workspaceId}
       ORDER BY p.created_at DESC, p.id DESC LIMIT ${limit}`;
    return rows.map(rowToPurchase);
  }

  /** The stored purchase with the validity its lot gets: the terms a workflow trusts. */
  async terms(id: string): Promise<(PurchaseRecord & { validityDays: number | null }) | null> {
    const [row] = await this.sql`SELECT * FROM purchases WHERE id = ${id}`;
    if (!row) return null;
    return {
      ...rowToPurchase(row),
      validityDays: row.validity_days == null ? null : Number(row.validity_days),
    };
  }

  /**
   * Writes the workflow's view of the purchase (idempotent); a payment or lot, once recorded,
   * stays. A final purchase (completed, rejected, expired, failed) is never changed again, and
   * whether it was approved automatically is fixed when it is requested.
   */
  async record(
    view: Pick<Purchase, 'id' | 'status' | 'decidedBy' | 'reason'>,
    extra: { paymentId?: string; lotId?: string } = {},
  ): Promise<void> {
    await this.sql`
      UPDATE purchases SET
        status = ${view.status},
        decided_by = ${view.decidedBy},
        reason = ${view.reason},
        payment_id = coalesce(${extra.paymentId ?? null}, payment_id),
        lot_id = coalesce(${extra.lotId ?? null}::bigint, lot_id),
        updated_at = now()
      WHERE id = ${view.id}
        AND status NOT IN ('completed', 'rejected', 'expired', 'failed', 'refunded', 'partially_refunded')`;
  }

  /**
   * Records a decision the application took (after checking who decides) and returns its ticket,
   * a random secret the workflow's update carries; see migration 009.
   */
  async recordDecision(d: {
    purchaseId: string;
    by: string;
    approved: boolean;
    channel?: string;
  }): Promise<string> {
    const ticket = `dec_${randomBytes(16).toString('hex')}`;
    await this.sql`
      INSERT INTO purchase_decisions (ticket, purchase_id, decided_by, approved, channel)
      VALUES (${ticket}, ${d.purchaseId}, ${d.by}, ${d.approved}, ${d.channel ?? 'api'})`;
    return ticket;
  }

  /** The decision recorded under `ticket`, or null. */
  async decision(ticket: string): Promise<{ purchaseId: string; by: string; approved: boolean } | null> {
    const [row] = await this.sql`
      SELECT purchase_id, decided_by, approved FROM purchase_decisions WHERE ticket = ${ticket}`;
    return row
      ? {
          purchaseId: row.purchase_id as string,
          by: row.decided_by as string,
          approved: row.approved as boolean,
        }
      : null;
  }

  /** A purchase whose workflow could not be started. */
  async markFailed(id: string, reason: string): Promise<void> {
    await this.sql`
      UPDATE purchases SET status = 'failed', reason = ${reason}, updated_at = now() WHERE id = ${id}`;
  }

  /**
   * A workspace's automatic top-ups: how many are in flight, and what those not refused or failed
   * cost since `since` (the monthly budget's start).
   */
  async autoTopUpSpending(workspaceId: string, since: Date): Promise<{ inFlight: number; spent: number }> {
    const [row] = await this.sql`
      SELECT count(*) FILTER (WHERE status IN ('pending_approval', 'approved', 'awaiting_payment', 'paid'))::int AS in_flight,
             coalesce(sum(price) FILTER (WHERE automatic AND status NOT IN ('rejected', 'expired', 'failed')
                                           AND created_at >= ${since}), 0)::float8 AS spent
        FROM purchases
       WHERE workspace_id = ${workspaceId} AND source = 'auto_top_up'`;
    return { inFlight: Number(row!.in_flight), spent: Number(row!.spent) };
  }
}
