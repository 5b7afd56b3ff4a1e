import type { Sql } from './db.js';
import { type IdempotencyKey, splitKey } from './idempotency.js';

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
