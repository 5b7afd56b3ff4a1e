import type { Sql } from './db.js';
import { type IdempotencyKey, splitKey } from './idempotency.js';
import type { SubscriptionStatus } from './types.js';

/** Reads about particular lots that the lifecycle (grants per cycle, renewal, reminders) asks for. */

/**
 * The lot created by the grant recorded under `idempotencyKey` in this workspace (whatever
 * the request body was), or null when no grant used that key.
 */
export async function grantedLot(
  sql: Sql,
  workspaceId: string,
  idempotencyKey: IdempotencyKey,
): Promise<{ id: string; amount: number } | null> {
  const { name, namespace } = splitKey(idempotencyKey);
  const [row] = await sql`
    SELECT l.id, l.amount
      FROM idempotency_keys k
      JOIN lots l ON l.workspace_id = k.workspace_id AND l.id = (k.response->'lot'->>'id')::bigint
     WHERE k.workspace_id = ${workspaceId} AND k.namespace = ${namespace} AND k.key = ${name as string}
       AND k.response ? 'lot'`;
  return row ? { id: String(row.id), amount: Number(row.amount) } : null;
}

/** Credits still in the given lots of the workspace (expired or not). */
export async function remainingInLots(sql: Sql, workspaceId: string, lotIds: string[]): Promise<number> {
  const [row] = await sql`
    SELECT coalesce(sum(remaining), 0)::bigint AS remaining FROM lots
     WHERE workspace_id = ${workspaceId} AND id = ANY(${lotIds.map(Number)}::bigint[])`;
  return Number(row?.remaining ?? 0);
}

export interface CycleCloseout {
  plan: string;
  status: SubscriptionStatus;
  billingAnchor: Date;
  /** What the lots left unused: still in them, or already written off by an expiry. */
  unused: number;
}

/**
 * One read at a cycle boundary: the workspace, and what the cycle's lots left unused. Once the
 * lots are past their end nothing can spend them, so this is exactly what their expiry writes
 * (or wrote, on a retry). Null when the workspace does not exist.
 */
export async function cycleCloseout(
  sql: Sql,
  workspaceId: string,
  lotIds: string[],
): Promise<CycleCloseout | null> {
  const ids = lotIds.map(Number);
  const [row] = await sql`
    SELECT w.plan, w.status, w.billing_anchor,
           (SELECT coalesce(sum(remaining), 0) FROM lots
             WHERE workspace_id = w.id AND id = ANY(${ids}::bigint[]))::bigint
         + (SELECT coalesce(-sum(jl.delta), 0) FROM journal_lots jl JOIN journal j ON j.id = jl.entry_id
             WHERE j.kind = 'expire' AND jl.lot_id = ANY(${ids}::bigint[]))::bigint AS unused
      FROM workspaces w WHERE w.id = ${workspaceId}`;
  if (!row) return null;
  return {
    plan: row.plan as string,
    status: row.status as SubscriptionStatus,
    billingAnchor: row.billing_anchor as Date,
    unused: Number(row.unused),
  };
}
