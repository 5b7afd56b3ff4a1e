/**
 * What the cluster run asserts after the faults, read from the ledger's own tables and from
 * Temporal's visibility: exactly-once debits, purchases charged and granted once, one renewal
 * per subscription and cycle, and no open workflow that stopped making progress.
 */
import { Client, Connection } from '@temporalio/client';
import type postgres from 'postgres';
import type { DebitOutcome, PurchaseOutcome } from './load.js';

type Sql = postgres.Sql;

export async function debitCounts(sql: Sql, prefix: string, outcomes: DebitOutcome[]) {
  const rows = await sql<{ key: string; n: number }[]>`
    SELECT substring(idempotency_key from ${`${prefix}-[0-9]+`}) AS key, count(*)::int AS n
      FROM journal WHERE kind = 'debit' AND idempotency_key LIKE ${`%${prefix}-%`} GROUP BY 1`;
  const inLedger = new Map(rows.map((r) => [r.key, r.n]));
  const acknowledged = outcomes.filter((o) => o.acknowledged);
  return {
    requested: outcomes.length,
    acknowledged: acknowledged.length,
    retried: outcomes.filter((o) => o.attempts > 1).length,
    notAcknowledged: outcomes.length - acknowledged.length,
    lost: acknowledged.filter((o) => !inLedger.has(o.key)).length,
    doubled: rows.filter((r) => r.n > 1).length,
    // A debit whose every attempt failed may still have committed once (its answer lost): never twice.
    unacknowledgedButWritten: outcomes.filter((o) => !o.acknowledged && inLedger.has(o.key)).length,
  };
}

export async function purchaseCounts(sql: Sql, outcomes: PurchaseOutcome[]) {
  const ids = outcomes.map((o) => o.id).filter((id): id is string => id !== null);
  const rows = await sql<{ id: string; status: string; invoices: number; grants: number }[]>`
    SELECT p.id, p.status,
           (SELECT count(*)::int FROM invoices i WHERE i.purchase_id = p.id) AS invoices,
           (SELECT count(*)::int FROM journal j WHERE j.kind = 'grant' AND j.idempotency_key = 'purchase:' || p.id) AS grants
      FROM purchases p WHERE p.id = ANY(${ids})`;
  const approved = outcomes.filter((o) => o.approved);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const of = (o: PurchaseOutcome) => byId.get(o.id!);
  return {
    requested: outcomes.length,
    approved: approved.length,
    completed: approved.filter((o) => of(o)?.status === 'completed').length,
    chargedOnce: approved.filter((o) => of(o)?.invoices === 1).length,
    grantedOnce: approved.filter((o) => of(o)?.grants === 1).length,
    lost: approved.filter((o) => (of(o)?.invoices ?? 0) === 0 || (of(o)?.grants ?? 0) === 0).length,
    doubled: rows.filter((r) => r.invoices > 1 || r.grants > 1).length,
    errors: outcomes.filter((o) => o.error).map((o) => `${o.workspace}: ${o.error}`),
  };
}

export async function completedPurchases(sql: Sql, ids: string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM purchases WHERE id = ANY(${ids}) AND status = 'completed'`;
  return row!.n;
}

/** Workspaces of `prefix` whose cycle `index` is granted (the renewal's idempotency key). */
export async function renewed(sql: Sql, prefix: string, index: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM journal
     WHERE kind = 'grant' AND idempotency_key LIKE ${`cycle:${prefix}%:${index}`}`;
  return row!.n;
}

export async function renewalCounts(sql: Sql, prefix: string, n: number, index: number) {
  const [doubled] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT workspace_id, source->>'cycle' AS cycle FROM lots
       WHERE type = 'subscription' GROUP BY 1, 2 HAVING count(*) > 1) d`;
  const done = await renewed(sql, prefix, index);
  return { subscriptions: n, cycle: index, renewed: done, lost: n - done, doubled: doubled!.n };
}

/** The last time a renewal of cycle `index` of `prefix` landed, as ms since the epoch. */
export async function lastRenewalAt(sql: Sql, prefix: string, index: number): Promise<number> {
  const [row] = await sql<{ at: Date }[]>`
    SELECT max(created_at) AS at FROM journal
     WHERE kind = 'grant' AND idempotency_key LIKE ${`cycle:${prefix}%:${index}`}`;
  return row!.at.getTime();
}

/**
 * Every open workflow, by type, and those that stopped making progress: an activity failing over
 * and over (attempt ≥ 3) or a workflow task that keeps failing or timing out (attempt ≥ 3).
 */
export async function openWorkflows(address: string, namespace: string) {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const byType: Record<string, number> = {};
  const stuck: { id: string; type: string; why: string }[] = [];
  const open: { id: string; type: string }[] = [];
  try {
    for await (const wf of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
      byType[wf.type] = (byType[wf.type] ?? 0) + 1;
      open.push({ id: wf.workflowId, type: wf.type });
    }
    for (let i = 0; i < open.length; i += 32) {
      await Promise.all(
        open.slice(i, i + 32).map(async ({ id, type }) => {
          const { raw } = await client.workflow.getHandle(id).describe();
          const failing = (raw.pendingActivities ?? []).find((a) => (a.attempt ?? 0) >= 3);
          if (failing)
            stuck.push({
              id,
              type,
              why: `activity ${failing.activityType?.name} at attempt ${failing.attempt}`,
            });
          const task = raw.pendingWorkflowTask;
          if (task && (task.attempt ?? 0) >= 3)
            stuck.push({ id, type, why: `workflow task at attempt ${task.attempt}` });
        }),
      );
    }
  } finally {
    await connection.close();
  }
  return { open: open.length, byType, stuck };
}
