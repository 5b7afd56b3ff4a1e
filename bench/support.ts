import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type Sql } from '../ledger/db.js';
import { migrate } from '../ledger/migrate.js';

export const run = promisify(execFile);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface LoadResult {
  ops: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

/** `clients` loops calling `op` back to back for `ms`; latency of every call is kept. */
export async function load(
  clients: number,
  ms: number,
  op: (client: number, i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        try {
          await op(client, i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          if (errors === 1) console.error('first error:', err);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
  };
}

/** Drops and recreates a database on the admin server, migrated when `withSchema`. */
export async function freshDatabase(adminUrl: string, name: string, withSchema: boolean): Promise<string> {
  const admin = connect(adminUrl, { max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (withSchema) {
    const db: Sql = connect(url.toString(), { max: 1 });
    await migrate(db);
    await db.end();
  }
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = connect(adminUrl, { max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/**
 * Bench data written straight in SQL, respecting the ledger's invariants: `workspaces` workspaces
 * with one large purchased lot each, and `entries` one-credit debits spread over them.
 */
export async function seedLedger(
  sql: Sql,
  opts: { workspaces: number; entries: number; prefix: string },
): Promise<string[]> {
  const ids = Array.from(
    { length: opts.workspaces },
    (_, i) => `${opts.prefix}${String(i).padStart(5, '0')}`,
  );
  const perWs = Math.floor(opts.entries / opts.workspaces);
  const lotAmount = 1_000_000_000;
  const anchor = new Date(Date.now() - 10 * 24 * 3600 * 1000);
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO workspaces (id, name, plan, status, billing_anchor, lifetime_used)
      SELECT id, id, 'solo', 'active', ${anchor}, ${perWs} FROM unnest(${ids}::text[]) AS id`;
    // One grant entry and one lot per workspace; entry i ↔ workspace i.
    await tx`
      INSERT INTO journal (id, workspace_id, kind, delta, balance_after, actor, source, idempotency_key, reason, created_at)
      SELECT n, (${ids}::text[])[n], 'grant', ${lotAmount}, ${lotAmount}, 'bench', 'cli', 'bench-grant', 'bench', ${anchor}
        FROM generate_series(1, ${ids.length}) AS n`;
    await tx`
      INSERT INTO lots (id, workspace_id, type, amount, remaining, priority, granted_at, grant_id)
      SELECT n, (${ids}::text[])[n], 'purchased', ${lotAmount}, ${lotAmount - perWs}, 40, ${anchor}, n
        FROM generate_series(1, ${ids.length}) AS n`;
    await tx`INSERT INTO journal_lots (entry_id, lot_id, delta) SELECT n, n, ${lotAmount} FROM generate_series(1, ${ids.length}) AS n`;
    // History: entry ids after the grants; debit k of workspace w is entry grants + w*perWs + k.
    const base = ids.length;
    await tx`
      INSERT INTO journal (id, workspace_id, kind, delta, balance_after, operation, quantity, actor, source, created_at)
      SELECT ${base} + w * ${perWs} + k, (${ids}::text[])[w + 1], 'debit', -1, ${lotAmount} - k,
             'image', 1, 'member:bench', 'api', ${anchor}::timestamptz + (k * interval '1 second')
        FROM generate_series(0, ${ids.length - 1}) AS w, generate_series(1, ${perWs}) AS k`;
    await tx`
      INSERT INTO journal_lots (entry_id, lot_id, delta)
      SELECT ${base} + w * ${perWs} + k, w + 1, -1
        FROM generate_series(0, ${ids.length - 1}) AS w, generate_series(1, ${perWs}) AS k`;
    await tx`SELECT setval('journal_id_seq', ${base + ids.length * perWs})`;
    await tx`SELECT setval('lots_id_seq', ${ids.length})`;
    await tx`UPDATE workspaces SET alert_state = '{"low":"armed","critical":"armed","depleted":"armed"}',
                                   last_entry_id = (SELECT max(id) FROM journal j WHERE j.workspace_id = workspaces.id)`;
  });
  await sql`ANALYZE`;
  return ids;
}
