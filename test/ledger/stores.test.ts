import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Sql } from '../../ledger/db.js';
import { migrate } from '../../ledger/migrate.js';
import { AlertOutbox, type OutboxAlert } from '../../ledger/stores/alert-outbox.js';
import { DeliveryStore } from '../../ledger/stores/deliveries.js';
import { InvoiceStore } from '../../ledger/stores/invoices.js';
import { type Purchase, PurchaseStore } from '../../ledger/stores/purchases.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase();

function purchase(workspaceId: string, over: Partial<Purchase> = {}): Purchase {
  return {
    id: uniqueId('purchase'),
    workspaceId,
    package: 'small',
    packageName: 'Small',
    credits: 500,
    price: 10,
    currency: 'EUR',
    status: 'pending_approval',
    requestedBy: 'ana',
    source: 'api',
    decidedBy: null,
    reason: null,
    createdAt: new Date('2026-11-02T00:00:00Z').toISOString(),
    approvalDeadline: new Date('2026-11-04T00:00:00Z').toISOString(),
    automatic: false,
    ...over,
  };
}

describe('purchase store', () => {
  it('inserts, reads back, records workflow steps and marks a failed start', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const store = new PurchaseStore(sql);
    const p = purchase(ws);
    expect(await store.insert(p, 30)).toBe(true);
    expect(await store.get(p.id)).toMatchObject({ ...p, paymentId: null, lotId: null });
    expect(await store.get('purchase-none')).toBeNull();
    // A second insert of the same id is a bug, not the in-flight rule: it throws.
    await expect(store.insert(p, 30)).rejects.toMatchObject({ code: '23505' });

    await store.record({ ...p, status: 'paid', decidedBy: 'ana' }, { paymentId: 'inv_1' });
    await store.record({ ...p, status: 'completed', decidedBy: 'ana' }, { lotId: '42' });
    expect(await store.get(p.id)).toMatchObject({ status: 'completed', paymentId: 'inv_1', lotId: '42' });

    const q = purchase(ws);
    await store.insert(q, null);
    await store.markFailed(q.id, 'could not start: down');
    expect(await store.get(q.id)).toMatchObject({ status: 'failed', reason: 'could not start: down' });
  });

  it('refuses a second automatic top-up in flight and sums this month automatic spending', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const store = new PurchaseStore(sql);
    const auto = (over: Partial<Purchase>) =>
      purchase(ws, { source: 'auto_top_up', automatic: true, status: 'approved', ...over });
    expect(await store.autoTopUpSpending(ws, new Date('2026-11-01T00:00:00Z'))).toEqual({
      inFlight: 0,
      spent: 0,
    });
    const first = auto({ price: 12.5 });
    expect(await store.insert(first, null)).toBe(true);
    expect(await store.insert(auto({}), null)).toBe(false);
    await store.record({ ...first, status: 'completed' });
    await store.insert(auto({ price: 7, status: 'rejected' }), null);
    await store.insert(auto({ price: 3, createdAt: '2026-10-15T00:00:00.000Z', status: 'completed' }), null);
    await store.insert(auto({ price: 4, status: 'paid' }), null);
    expect(await store.autoTopUpSpending(ws, new Date('2026-11-01T00:00:00Z'))).toEqual({
      inFlight: 1,
      spent: 16.5,
    });
  });
});

describe('invoice store', () => {
  it('records one invoice per purchase and answers the first payment id on every retry', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const p = purchase(ws);
    await new PurchaseStore(sql).insert(p, null);
    const invoices = new InvoiceStore(sql);
    const draft = {
      purchaseId: p.id,
      workspaceId: ws,
      amount: '10.00',
      currency: 'EUR',
      idempotencyKey: `purchase:${p.id}`,
    };
    const [a, b] = await Promise.all([
      invoices.recordOnce({ ...draft, paymentId: 'inv_a' }),
      invoices.recordOnce({ ...draft, paymentId: 'inv_b' }),
    ]);
    expect(a).toEqual(b);
    expect(['inv_a', 'inv_b']).toContain(a.paymentId);
    expect(await invoices.recordOnce({ ...draft, paymentId: 'inv_c' })).toEqual(a);
    const [{ n }] =
      (await sql`SELECT count(*)::int AS n FROM invoices WHERE purchase_id = ${p.id}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(1);
  });
});

describe('alert outbox', () => {
  // Claiming takes every undelivered event of the database: a database of its own, so the
  // worker tests running alongside keep theirs.
  const admin = connect(inject('adminDatabaseUrl'), { max: 1 });
  const name = `credits_outbox_${Date.now()}_${process.pid}`;
  let own: Sql;
  beforeAll(async () => {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(inject('adminDatabaseUrl'));
    url.pathname = `/${name}`;
    own = connect(url.toString(), { max: 4 });
    await migrate(own);
  });
  afterAll(async () => {
    await own?.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('hands undelivered crossings to the deliverer once, and keeps them when delivery fails', async () => {
    const t = testLedger(own);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'promotional', amount: 200, reason: 'x', idempotencyKey: 'g' });
    await t.ledger.debit(ws, { amount: 150, idempotencyKey: 'd' });
    await t.ledger.debit(ws, { amount: 45, idempotencyKey: 'd2' });
    const outbox = new AlertOutbox(own);
    await expect(
      outbox.dispatchPending(10, async () => {
        throw new Error('temporal down');
      }),
    ).rejects.toThrow('temporal down');
    const batches: OutboxAlert[][] = [];
    const collect = async (events: OutboxAlert[]) => {
      batches.push(events);
    };
    expect(await outbox.dispatchPending(1, collect)).toBe(1);
    expect(await outbox.dispatchPending(10, collect)).toBe(1);
    expect(await outbox.dispatchPending(10, collect)).toBe(0);
    expect(batches).toEqual([
      [
        expect.objectContaining({
          workspaceId: ws,
          type: 'alert.low',
          level: 'low',
          threshold: 100,
          balance: 50,
        }),
      ],
      [expect.objectContaining({ workspaceId: ws, type: 'alert.critical', level: 'critical', balance: 5 })],
    ]);
    expect(batches[0]![0]!.createdAt).toBe(t.now().toISOString());
  });
});

describe('delivery store', () => {
  it('lets one sender claim a delivery, gives a failed claim back, and remembers purchase messages', async () => {
    const store = new DeliveryStore(sql);
    const id = uniqueId('n');
    expect(await store.claim(id, 'slack', 'C1')).toBe(true);
    expect(await store.claim(id, 'slack', 'C1')).toBe(false);
    expect(await store.claim(id, 'discord', 'C1')).toBe(true);
    await store.release(id, 'slack', 'C1');
    expect(await store.claim(id, 'slack', 'C1')).toBe(true);
    await store.sent(id, 'slack', 'C1', 'm1');
    await store.release(id, 'slack', 'C1');
    expect(await store.claim(id, 'slack', 'C1')).toBe(false);

    const purchaseId = uniqueId('purchase');
    const t = testLedger(sql);
    const ws = await t.workspace();
    await store.rememberPurchaseMessage({
      purchaseId,
      platform: 'slack',
      channel: 'C1',
      messageId: 'm1',
      workspaceId: ws,
    });
    await store.rememberPurchaseMessage({
      purchaseId,
      platform: 'slack',
      channel: 'C1',
      messageId: 'm2',
      workspaceId: ws,
    });
    expect(await store.purchaseMessages(purchaseId, 'slack')).toEqual([{ channel: 'C1', messageId: 'm2' }]);
    expect(await store.purchaseMessages(purchaseId, 'discord')).toEqual([]);
  });
});
