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
  return summarise(latencies, (performance.now() - started) / 1000, errors);
}

/** Throughput and p50/p99 of completed operations (latencies in ms; sorted in place). */
export function summarise(latencies: number[], seconds: number, errors: number): LoadResult {
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
 * (ids `<prefix>00000`…) with one large purchased lot each, and `entries` one-credit debits spread
 * evenly over them. The ids are spelt in SQL (lpad), not looked up in an array parameter: a
 * subscript into a 10,000-element text array walks it, which tripled the seed. Foreign keys are
 * not checked row by row (session_replication_role = replica, for this transaction only, which
 * needs a superuser, as the benches' admin URL is): the rows are consistent by construction, and
 * the bench's `verify` checks the invariants at the end. Triggers do not fire under `replica`
 * either, so the usage rollups (migrations 013 and 024) are filled here by the trigger's own rule.
 */
export async function seedLedger(
  sql: Sql,
  opts: { workspaces: number; entries: number; prefix: string },
): Promise<string[]> {
  const width = 5;
  if (opts.workspaces > 10 ** width) throw new Error(`seedLedger spells ids with ${width} digits`);
  const ids = Array.from(
    { length: opts.workspaces },
    (_, i) => `${opts.prefix}${String(i).padStart(width, '0')}`,
  );
  const n = ids.length;
  const perWs = Math.floor(opts.entries / opts.workspaces);
  const lotAmount = 1_000_000_000;
  const anchor = new Date(Date.now() - 10 * 24 * 3600 * 1000);
  const p = opts.prefix;
  await sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`
      INSERT INTO workspaces (id, name, plan, status, billing_anchor, lifetime_used)
      SELECT id, id, 'solo', 'active', ${anchor}, ${perWs} FROM unnest(${ids}::text[]) AS id`;
    // One grant entry and one lot per workspace; entry n ↔ lot n ↔ workspace n - 1.
    await tx`
      INSERT INTO journal (id, workspace_id, kind, delta, balance_after, actor, source, idempotency_key, reason, created_at)
      SELECT n, ${p} || lpad((n - 1)::text, ${width}, '0'), 'grant', ${lotAmount}, ${lotAmount}, 'bench', 'cli',
             'bench-grant', 'bench', ${anchor}
        FROM generate_series(1, ${n}) AS n`;
    await tx`
      INSERT INTO lots (id, workspace_id, type, amount, remaining, priority, granted_at, grant_id)
      SELECT n, ${p} || lpad((n - 1)::text, ${width}, '0'), 'purchased', ${lotAmount}, ${lotAmount - perWs}, 40,
             ${anchor}, n
        FROM generate_series(1, ${n}) AS n`;
    await tx`INSERT INTO journal_lots (entry_id, lot_id, delta) SELECT n, n, ${lotAmount} FROM generate_series(1, ${n}) AS n`;
    // History: entry ids after the grants; debit k of workspace w is entry grants + w*perWs + k.
    await tx`
      INSERT INTO journal (id, workspace_id, kind, delta, balance_after, operation, quantity, actor, source, created_at)
      SELECT ${n} + w * ${perWs} + k, ${p} || lpad(w::text, ${width}, '0'), 'debit', -1, ${lotAmount} - k,
             'image', 1, 'member:bench', 'api', ${anchor}::timestamptz + (k * interval '1 second')
        FROM generate_series(0, ${n - 1}) AS w, generate_series(1, ${perWs}) AS k`;
    await tx`
      INSERT INTO journal_lots (entry_id, lot_id, delta)
      SELECT ${n} + w * ${perWs} + k, w + 1, -1
        FROM generate_series(0, ${n - 1}) AS w, generate_series(1, ${perWs}) AS k`;
    await tx`
      INSERT INTO usage_daily (workspace_id, day, used)
      SELECT workspace_id, (created_at AT TIME ZONE 'UTC')::date, -sum(delta)
        FROM journal WHERE kind IN ('debit', 'reverse') AND workspace_id LIKE ${`${p}%`}
       GROUP BY 1, 2`;
    await tx`
      INSERT INTO usage_daily_detail (workspace_id, day, operation, actor, used, debits)
      SELECT workspace_id, (created_at AT TIME ZONE 'UTC')::date, operation, actor, -sum(delta),
             count(*) FILTER (WHERE kind = 'debit')
        FROM journal WHERE kind IN ('debit', 'reverse') AND workspace_id LIKE ${`${p}%`}
       GROUP BY 1, 2, 3, 4`;
    await tx`SELECT setval('journal_id_seq', ${n + n * perWs})`;
    await tx`SELECT setval('lots_id_seq', ${n})`;
    await tx`UPDATE workspaces SET alert_state = '{"low":"armed","critical":"armed","depleted":"armed"}',
                                   last_entry_id = (SELECT max(id) FROM journal j WHERE j.workspace_id = workspaces.id)`;
  });
  await sql`ANALYZE`;
  return ids;
}
