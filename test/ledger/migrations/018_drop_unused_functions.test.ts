import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../../ledger/db.js';
import { migrate } from '../../../ledger/migrate.js';
import { verifyLedger } from '../../../ledger/verify.js';
import { ownDatabase } from '../../support/db.js';
import { testLedger } from '../../support/ledger.js';

async function functions(sql: Sql): Promise<Record<string, string>> {
  const rows = await sql`
    SELECT p.oid::regprocedure::text AS signature, pg_get_functiondef(p.oid) AS definition
      FROM pg_proc p
     WHERE p.pronamespace = to_regnamespace(current_schema()) AND p.proname LIKE 'credits\\_%'`;
  return Object.fromEntries(rows.map((r) => [r.signature as string, r.definition as string]));
}

async function rows(sql: Sql, ws: string) {
  return {
    journal: await sql`SELECT * FROM journal WHERE workspace_id = ${ws} ORDER BY id`,
    lots: await sql`SELECT * FROM lots WHERE workspace_id = ${ws} ORDER BY id`,
    keys: await sql`SELECT * FROM idempotency_keys WHERE workspace_id = ${ws} ORDER BY key`,
  };
}

describe('migration 018: drop the functions nothing calls', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase('m018');
    await migrate(db.sql, { through: '017_balance_parts' });
  });
  afterAll(() => db?.drop());

  it('drops credits_debit_batch, and nothing else: no other function, no row', async () => {
    const t = testLedger(db.sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'subscription', amount: 100, reason: 'x', idempotencyKey: 'g' });
    // Still there at 017, and working.
    const item = {
      key: 'old',
      hash: 'h',
      amount: 10,
      operation: null,
      quantity: null,
      actor: null,
      source: 'api',
    };
    const [{ r }] = (await db.sql`
      SELECT credits_debit_batch(${ws}, ${t.now()}, ${JSON.stringify([item])}::text::jsonb,
                                 '{"low": 0, "critical": 0}'::jsonb) AS r`) as unknown as [
      { r: { after: number } },
    ];
    expect(r.after).toBe(90);
    const before = await functions(db.sql);
    const data = await rows(db.sql, ws);

    expect((await migrate(db.sql, { through: '018_drop_unused_functions' })).applied).toEqual([
      '018_drop_unused_functions',
    ]);

    const after = await functions(db.sql);
    const { 'credits_debit_batch(text,timestamp with time zone,jsonb,jsonb)': dropped, ...kept } = before;
    expect(dropped).toBeDefined();
    expect(after).toEqual(kept);
    expect(await rows(db.sql, ws)).toEqual(data);
    await expect(
      db.sql`SELECT credits_debit_batch(${ws}, now(), '[]'::jsonb, '{}'::jsonb)`,
    ).rejects.toMatchObject({
      code: '42883', // undefined_function
    });
    // The ledger's own debit path never needed it.
    await migrate(db.sql);
    expect((await t.ledger.debit(ws, { amount: 5, idempotencyKey: 'new' })).balance.total).toBe(85);
    expect(await verifyLedger(db.sql, ws)).toEqual([]);
  });
});
