import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../../ledger/db.js';
import { migrate } from '../../../ledger/migrate.js';
import { verifyLedger } from '../../../ledger/verify.js';
import { ownDatabase } from '../../support/db.js';
import { testLedger } from '../../support/ledger.js';

/** `day operation actor used debits` per row, from the rollup and from the journal the slow way. */
async function rollupAndJournal(sql: Sql, ws: string): Promise<[string[], string[]]> {
  const rollup = await sql`
    SELECT concat_ws(' ', to_char(day, 'YYYY-MM-DD'), coalesce(operation, '-'), coalesce(actor, '-'), used, debits) AS r
      FROM usage_daily_detail WHERE workspace_id = ${ws} ORDER BY 1`;
  const journal = await sql`
    SELECT concat_ws(' ', to_char((j.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD'),
             coalesce(CASE WHEN j.kind = 'reverse' THEN coalesce(o.operation, j.operation) ELSE j.operation END, '-'),
             coalesce(CASE WHEN j.kind = 'reverse' THEN o.actor ELSE j.actor END, '-'),
             -sum(j.delta), count(*) FILTER (WHERE j.kind = 'debit')) AS r
      FROM journal j LEFT JOIN journal o ON o.id = j.reverses_id
     WHERE j.workspace_id = ${ws} AND j.kind IN ('debit', 'reverse')
     GROUP BY (j.created_at AT TIME ZONE 'UTC')::date,
              CASE WHEN j.kind = 'reverse' THEN coalesce(o.operation, j.operation) ELSE j.operation END,
              CASE WHEN j.kind = 'reverse' THEN o.actor ELSE j.actor END
     ORDER BY 1`;
  return [rollup.map((x) => x.r as string), journal.map((x) => x.r as string)];
}

/** What verify says of the rollups (the raw rows above have no lots: the other rules object to them). */
async function rollupViolations(sql: Sql) {
  return (await verifyLedger(sql, 'ws-m024')).filter((v) => v.rule.startsWith('usage_daily'));
}

describe('migration 024: usage per day, operation and actor', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase('m024');
    await migrate(db.sql, { through: '020_web_access' });
  });
  afterAll(() => db?.drop());

  it('backfills the journal written before it, then the trigger keeps it with every write', async () => {
    const sql = db.sql;
    const ws = 'ws-m024';
    await sql`INSERT INTO workspaces (id, name, plan, status, billing_anchor)
              VALUES (${ws}, ${ws}, 'solo', 'active', '2026-11-01T00:00:00Z')`;
    // Rows as the release before wrote them: debits by two members and two operations over three
    // days (one naming neither), a reversal of an `image` debit that names no operation itself,
    // a grant that is no usage.
    const debit = async (at: string, amount: number, operation: string | null, actor: string | null) => {
      const [row] = await sql`
        INSERT INTO journal (workspace_id, kind, delta, balance_after, operation, actor, source, created_at)
        VALUES (${ws}, 'debit', ${-amount}, 0, ${operation}, ${actor}, 'api', ${at}) RETURNING id`;
      return row!.id as string;
    };
    await sql`INSERT INTO journal (workspace_id, kind, delta, balance_after, source, created_at)
              VALUES (${ws}, 'grant', 500, 500, 'cli', '2026-11-01T00:00:00Z')`;
    const image = await debit('2026-11-01T10:00:00Z', 7, 'image', 'member:ann');
    await debit('2026-11-01T23:59:59Z', 3, 'image', 'member:ann');
    await debit('2026-11-02T00:00:00Z', 5, 'chat', 'member:bob');
    await debit('2026-11-02T08:00:00Z', 2, null, null);
    await sql`INSERT INTO journal (workspace_id, kind, delta, balance_after, reverses_id, source, created_at)
              VALUES (${ws}, 'reverse', 4, 0, ${image}, 'api', '2026-11-03T12:00:00Z')`;
    const [{ t }] = (await sql`SELECT to_regclass('usage_daily_detail') AS t`) as unknown as [{ t: unknown }];
    expect(t).toBeNull();

    expect((await migrate(sql)).applied).toContain('024_usage_daily_detail');

    const [rollup, journal] = await rollupAndJournal(sql, ws);
    expect(rollup).toEqual([
      '2026-11-01 image member:ann 10 2',
      '2026-11-02 - - 2 1',
      '2026-11-02 chat member:bob 5 1',
      '2026-11-03 image member:ann -4 0',
    ]);
    expect(rollup).toEqual(journal);

    // After it, the ledger's own writes (the debit function, a reversal, a capture) keep it exact.
    const t2 = testLedger(sql, new Date('2026-11-03T13:00:00Z'));
    await t2.ledger.grant(ws, { type: 'promotional', amount: 100, reason: 'x', idempotencyKey: 'g' });
    const d = await t2.ledger.debit(ws, {
      operation: 'unit',
      quantity: 2,
      actor: 'member:bob',
      idempotencyKey: 'd1',
    });
    await t2.ledger.debit(ws, { amount: 4, actor: 'member:ann', idempotencyKey: 'd2' });
    await t2.ledger.reverse(d.transaction.id, { idempotencyKey: 'r1', amount: 1 });
    const held = await t2.ledger.placeHold(ws, { amount: 9, idempotencyKey: 'h1' });
    await t2.ledger.capture(held.hold.id, { amount: 6, idempotencyKey: 'c1' });
    const [after, journalAfter] = await rollupAndJournal(sql, ws);
    expect(after).toContain('2026-11-03 unit member:bob 5 1');
    expect(after).toEqual(journalAfter);
    expect(await rollupViolations(sql)).toEqual([]);
  });

  it('lets verify catch a detail row that drifted from the journal', async () => {
    const sql = db.sql;
    await sql`UPDATE usage_daily_detail SET debits = debits + 1
               WHERE workspace_id = 'ws-m024' AND operation = 'chat'`;
    const violations = await rollupViolations(sql);
    expect(violations.map((v) => [v.rule, v.expected, v.actual])).toEqual([['usage_daily_detail', 5, 5]]);
    expect(violations[0]!.message).toContain(
      '5 used in 2 debits on 2026-11-02 by operation chat and actor member:bob',
    );
    expect(violations[0]!.message).toContain('journal gives 5 in 1');
  });
});
