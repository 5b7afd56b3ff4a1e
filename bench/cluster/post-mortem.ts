/**
 * On failure, before teardown: what the unfinished purchases were waiting on, written next to the
 * processes' output. For each purchase workflow still running: its description (pending workflow
 * task and its attempt, pending activities with their attempts and last failures) and its full
 * history; and the `purchases` rows of the run. Best effort: a server that does not answer is
 * written down, not thrown.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type postgres from 'postgres';
import { log } from './settings.js';

const WAIT_MS = 20_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer in ${WAIT_MS} ms`)), WAIT_MS),
    ),
  ]);
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);

export async function dumpUnfinishedPurchases(
  dir: string,
  address: string | undefined,
  namespace: string,
  sql: postgres.Sql | undefined,
): Promise<void> {
  if (sql) {
    try {
      const rows = await withTimeout(
        sql`SELECT p.*,
                   (SELECT count(*)::int FROM invoices i WHERE i.purchase_id = p.id) AS invoices,
                   (SELECT count(*)::int FROM journal j
                     WHERE j.kind = 'grant' AND j.idempotency_key = 'purchase:' || p.id) AS grants
              FROM purchases p ORDER BY p.created_at`,
        'purchases rows',
      );
      writeFileSync(join(dir, 'purchases.json'), json(rows));
    } catch (err) {
      writeFileSync(join(dir, 'purchases.json'), json({ error: String(err) }));
    }
  }
  if (!address) return;
  let connection: Connection | undefined;
  const summary: unknown[] = [];
  try {
    connection = await withTimeout(Connection.connect({ address }), 'connect');
    const client = new Client({ connection, namespace });
    const open: string[] = [];
    const query = 'ExecutionStatus="Running" AND WorkflowType="purchaseWorkflow"';
    await withTimeout(
      (async () => {
        for await (const wf of client.workflow.list({ query })) open.push(wf.workflowId);
      })(),
      'list',
    );
    for (const id of open) {
      const handle = client.workflow.getHandle(id);
      try {
        const { raw } = await withTimeout(handle.describe(), `describe ${id}`);
        const history = await withTimeout(handle.fetchHistory(), `history ${id}`);
        writeFileSync(join(dir, `${id}.describe.json`), json(raw));
        writeFileSync(join(dir, `${id}.history.json`), json(history));
        const events = history.events ?? [];
        summary.push({
          id,
          pendingWorkflowTask: raw.pendingWorkflowTask ?? null,
          pendingActivities: (raw.pendingActivities ?? []).map((a) => ({
            type: a.activityType?.name,
            state: a.state,
            attempt: a.attempt,
            lastFailure: a.lastFailure?.message,
          })),
          lastEvents: events.slice(-5).map((e) => ({
            id: String(e.eventId),
            type: e.eventType,
            at: e.eventTime?.seconds ? new Date(Number(e.eventTime.seconds) * 1000).toISOString() : null,
          })),
        });
      } catch (err) {
        summary.push({ id, error: String(err) });
      }
    }
  } catch (err) {
    summary.push({ error: String(err) });
  } finally {
    await connection?.close().catch(() => {});
  }
  writeFileSync(join(dir, 'unfinished-purchases.json'), json(summary));
  log(`${summary.length} unfinished purchase workflows described in ${dir}`);
}
