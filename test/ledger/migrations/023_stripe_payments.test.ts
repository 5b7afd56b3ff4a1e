import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../ledger/migrate.js';
import { InvoiceStore } from '../../../ledger/stores/invoices.js';
import { ownDatabase } from '../../support/db.js';
import { testLedger } from '../../support/ledger.js';

const migrations = readdirSync(fileURLToPath(new URL('../../../ledger/migrations/', import.meta.url)))
  .filter((f) => /^\d+_.+\.sql$/.test(f))
  .sort()
  .map((f) => f.slice(0, -4));
const before = migrations[migrations.indexOf('023_stripe_payments') - 1]!;

async function purchase(
  sql: Awaited<ReturnType<typeof ownDatabase>>['sql'],
  ws: string,
  id: string,
  status: string,
) {
  await sql`
    INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source)
    VALUES (${id}, ${ws}, 'small', 'Small', 1000, 50, 'USD', ${status}, 'api')`;
}

describe('migration 023: Stripe customers, payments, provider refunds, awaiting_payment', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase('m023');
    await migrate(db.sql, { through: before });
  });
  afterAll(() => db?.drop());

  it('keeps every purchase, adds the statuses and tables, and keeps one auto top-up in flight', async () => {
    const t = testLedger(db.sql);
    const ws = await t.workspace();
    await purchase(db.sql, ws, 'p-old', 'completed');
    await expect(purchase(db.sql, ws, 'p-early', 'awaiting_payment')).rejects.toMatchObject({
      code: '23514',
    });

    expect((await migrate(db.sql, { through: '023_stripe_payments' })).applied).toContain(
      '023_stripe_payments',
    );

    const [old] = await db.sql`SELECT status FROM purchases WHERE id = 'p-old'`;
    expect(old!.status).toBe('completed');
    for (const status of [
      'awaiting_payment',
      'refunded',
      'partially_refunded',
      'pending_approval',
      'failed',
    ]) {
      await purchase(db.sql, ws, `p-${status}`, status);
    }
    await expect(purchase(db.sql, ws, 'p-bad', 'charged')).rejects.toMatchObject({ code: '23514' });
    const [{ n }] = (await db.sql`
      SELECT count(*)::int AS n FROM pg_constraint
       WHERE conrelid = 'purchases'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%status%'`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(1);

    // An auto top-up awaiting payment is in flight: a second one for the workspace is refused.
    await db.sql`
      INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source)
      VALUES ('auto-1', ${ws}, 'small', 'Small', 1000, 50, 'USD', 'awaiting_payment', 'auto_top_up')`;
    await expect(
      db.sql`
        INSERT INTO purchases (id, workspace_id, package, package_name, credits, price, currency, status, source)
        VALUES ('auto-2', ${ws}, 'small', 'Small', 1000, 50, 'USD', 'approved', 'auto_top_up')`,
    ).rejects.toMatchObject({ code: '23505' });

    await db.sql`UPDATE workspaces SET stripe_customer_id = 'cus_123' WHERE id = ${ws}`;
    await db.sql`
      INSERT INTO payments (purchase_id, workspace_id, provider, payment_id, amount, currency, status)
      VALUES ('p-old', ${ws}, 'stripe', 'pi_1', '50.00', 'USD', 'succeeded')`;
    await expect(
      db.sql`
        INSERT INTO payments (purchase_id, workspace_id, provider, payment_id, amount, currency, status)
        VALUES ('p-failed', ${ws}, 'stripe', 'pi_2', '50.00', 'USD', 'pending')`,
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('records an invoice credit note once per idempotency key, to the cent', async () => {
    await migrate(db.sql);
    const t = testLedger(db.sql);
    const ws = await t.workspace();
    await purchase(db.sql, ws, 'p-refund', 'completed');
    const invoices = new InvoiceStore(db.sql);
    const draft = {
      purchaseId: 'p-refund',
      workspaceId: ws,
      provider: 'invoice',
      paymentId: 'inv_1',
      amount: '35.01',
      currency: 'USD',
      idempotencyKey: 'refund:p-refund:1',
    };
    const [a, b] = await Promise.all([
      invoices.creditNoteOnce({ ...draft, refundId: 'cn_a' }),
      invoices.creditNoteOnce({ ...draft, refundId: 'cn_b' }),
    ]);
    expect(a).toEqual(b);
    const rows =
      await db.sql`SELECT amount::text AS amount, refund_id FROM payment_refunds WHERE purchase_id = 'p-refund'`;
    expect(rows).toEqual([{ amount: '35.01', refund_id: a.refundId }]);
  });
});
