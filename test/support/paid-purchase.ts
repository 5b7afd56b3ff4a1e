import { randomBytes } from 'node:crypto';
import type { Sql } from '../../ledger/db.js';
import { type Ledger, systemKey } from '../../ledger/ledger.js';

/**
 * A purchase as the purchase workflow leaves it once paid and granted (status `completed`, its lot
 * granted under the workflow's system key with the purchase as origin), without running Temporal:
 * what the refund tests start from. `status` other than completed stops before the grant.
 */
export async function paidPurchase(
  sql: Sql,
  ledger: Ledger,
  workspaceId: string,
  opts: {
    credits?: number;
    price?: string;
    status?: string;
    lotType?: 'purchased' | 'promotional';
    expiresAt?: Date | null;
    /** Default `pur_<hex>`; the purchase flow's own are `purchase-<workspace>-<hex>`. */
    id?: string;
  } = {},
): Promise<{ id: string; lotId: string | null }> {
  const id = opts.id ?? `pur_${randomBytes(6).toString('hex')}`;
  const credits = opts.credits ?? 1000;
  const status = opts.status ?? 'completed';
  await sql`
    INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source, created_at)
    VALUES (${id}, ${workspaceId}, 'small', 'Small', ${credits}, ${opts.price ?? '50.00'}, 'USD',
            ${status === 'completed' ? 'paid' : status}, 'api', ${ledger.now()})`;
  if (status !== 'completed') return { id, lotId: null };
  const granted = await ledger.grant(workspaceId, {
    type: opts.lotType ?? 'purchased',
    amount: credits,
    expiresAt: opts.expiresAt ?? null,
    reason: `purchase ${id}: Small package`,
    idempotencyKey: systemKey('purchase', id),
    origin: { kind: 'purchase', purchaseId: id, package: 'small' },
    source: 'workflow',
  });
  await sql`UPDATE purchases SET status = 'completed', lot_id = ${granted.lot.id}, payment_id = ${`inv_${id}`} WHERE id = ${id}`;
  return { id, lotId: granted.lot.id };
}
