import type { PurchaseStatus, PurchaseView } from '../../application/notifications.js';
import type { Sql } from '../../ledger/db.js';

export const IN_FLIGHT: PurchaseStatus[] = ['pending_approval', 'approved', 'paid'];

/** The stored purchase: the workflow's view plus what the steps produced. */
export type PurchaseRecord = PurchaseView & {
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
  };
}

/** Inserts a purchase; false when the auto top-up uniqueness rule refused it (one already in flight). */
export async function insertPurchase(
  sql: Sql,
  p: PurchaseView,
  validityDays: number | null,
): Promise<boolean> {
  try {
    await sql`
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

export async function loadPurchase(sql: Sql, id: string) {
  const [row] = await sql`SELECT * FROM purchases WHERE id = ${id}`;
  return row ? rowToPurchase(row) : null;
}
