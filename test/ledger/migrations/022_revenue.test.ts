import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../ledger/migrate.js';
import { verifyLedger } from '../../../ledger/verify.js';
import { ownDatabase } from '../../support/db.js';

/** The migration just before 022, whichever number it has when branches merge. */
async function previousMigration(): Promise<string> {
  const files = (await readdir(new URL('../../../ledger/migrations/', import.meta.url)))
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  return files[files.indexOf('022_revenue.sql') - 1]!.replace(/\.sql$/, '');
}

describe('migration 022: refunds, voids and the lots cost basis', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase('m022');
    await migrate(db.sql, { through: await previousMigration() });
  });
  afterAll(() => db?.drop());

  it('gives lots of earlier purchases their purchase price, others 0, and admits the new kinds and statuses', async () => {
    const sql = db.sql;
    const at = new Date('2026-10-05T10:00:00Z');
    await sql`INSERT INTO workspaces (id, name, plan, status, billing_anchor) VALUES ('w', 'w', 'solo', 'active', ${at})`;
    for (const [entry, lot, type] of [
      [1, 1, 'purchased'],
      [2, 2, 'promotional'],
    ] as const) {
      await sql`INSERT INTO journal (id, workspace_id, kind, delta, balance_after, source, created_at)
                VALUES (${entry}, 'w', 'grant', 1000, ${entry * 1000}, 'workflow', ${at})`;
      await sql`INSERT INTO lots (id, workspace_id, type, amount, remaining, priority, granted_at, grant_id)
                VALUES (${lot}, 'w', ${type}, 1000, 1000, 40, ${at}, ${entry})`;
      await sql`INSERT INTO journal_lots (entry_id, lot_id, delta) VALUES (${entry}, ${lot}, 1000)`;
    }
    await sql`INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source, lot_id)
              VALUES ('p1', 'w', 'small', 'Small', 1000, 50, 'USD', 'completed', 'api', 1)`;
    await sql`SELECT setval('journal_id_seq', 10), setval('lots_id_seq', 10)`;
    await expect(sql`UPDATE purchases SET status = 'refunded' WHERE id = 'p1'`).rejects.toThrow(
      /status_check/,
    );

    expect((await migrate(sql)).applied).toContain('022_revenue');

    const lots =
      await sql`SELECT id::int, price_minor::int, currency, cost_per_credit::text FROM lots ORDER BY id`;
    expect(lots).toEqual([
      { id: 1, price_minor: 5000, currency: 'USD', cost_per_credit: '0.050000000000' },
      { id: 2, price_minor: 0, currency: null, cost_per_credit: '0.000000000000' },
    ]);
    await sql`UPDATE purchases SET status = 'refunded' WHERE id = 'p1'`;
    await sql`UPDATE purchases SET status = 'partially_refunded' WHERE id = 'p1'`;
    await sql`INSERT INTO journal (id, workspace_id, kind, delta, balance_after, source, created_at)
              VALUES (3, 'w', 'void', 0, 2000, 'cli', ${at}), (4, 'w', 'refund', 0, 2000, 'api', ${at})`;
    await expect(
      sql`INSERT INTO journal (id, workspace_id, kind, delta, balance_after, source, created_at)
          VALUES (5, 'w', 'gift', 0, 2000, 'api', ${at})`,
    ).rejects.toThrow(/journal_kind_check/);
    await expect(sql`UPDATE lots SET price_minor = 1 WHERE id = 1`).rejects.toThrow(/fixed when granted/);
    await sql`UPDATE lots SET remaining = 900 WHERE id = 2`; // remaining still moves
    await sql`UPDATE lots SET remaining = 1000 WHERE id = 2`;
    await sql`UPDATE purchases SET status = 'completed' WHERE id = 'p1'`;
    await sql`UPDATE workspaces SET last_entry_id = 4 WHERE id = 'w'`;
    // The purchase's lot is deferred revenue from then on; verify ties every month out.
    expect(await verifyLedger(sql, 'w')).toEqual([]);
  });
});
