import { describe, expect, it } from 'vitest';
import { revenueCsv } from '../../ledger/revenue.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { DAY, testLedger } from '../support/ledger.js';
import { paidPurchase } from '../support/paid-purchase.js';

const sql = useTestDatabase();
const november = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-12-01T00:00:00Z'),
  currency: 'USD',
};

describe('revenue: the worked example (README)', () => {
  it('Small package ($50, 1,000 credits), 300 used, 700 refunded: 15.00 recognized, 35.00 refunded', async () => {
    const t = testLedger(sql, new Date('2026-11-02T09:00:00Z'));
    const ws = await t.workspace();
    const purchase = await paidPurchase(sql, t.ledger, ws);
    const [lot] =
      await sql`SELECT price_minor::int AS p, currency, cost_per_credit::text AS c FROM lots WHERE id = ${purchase.lotId}`;
    expect(lot).toEqual({ p: 5000, currency: 'USD', c: '0.050000000000' });
    t.advance(DAY);
    await t.ledger.debit(ws, { amount: 300, idempotencyKey: 'use-300' });
    t.advance(DAY);
    const refund = await t.ledger.refundPurchase(purchase.id, {
      idempotencyKey: 'refund-1',
      reason: 'not needed',
    });
    expect(refund.refund).toMatchObject({
      credits: 700,
      amount: '35.00',
      currency: 'USD',
      status: 'pending',
    });
    expect(refund.purchaseStatus).toBe('partially_refunded');
    expect(refund.transaction).toMatchObject({ kind: 'refund', delta: -700 });
    expect(refund.balance.total).toBe(0);

    const report = await t.ledger.revenue({ ...november, workspaceId: ws });
    expect(report).toEqual({
      currency: 'USD',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      openingDeferred: '0.00',
      sold: '50.00',
      recognized: '15.00',
      breakage: '0.00',
      refunded: '35.00',
      closingDeferred: '0.00',
      workspaces: [
        {
          workspaceId: ws,
          openingDeferred: '0.00',
          sold: '50.00',
          recognized: '15.00',
          breakage: '0.00',
          refunded: '35.00',
          closingDeferred: '0.00',
        },
      ],
    });
    expect(revenueCsv(report).split('\r\n')[1]).toBe(
      `USD,2026-11-01T00:00:00.000Z,2026-12-01T00:00:00.000Z,${ws},0.00,50.00,15.00,0.00,35.00,0.00`,
    );
    // A later catalog price never rewrites what the lot cost.
    await expect(sql`UPDATE lots SET price_minor = 1 WHERE id = ${purchase.lotId}`).rejects.toThrow(
      /fixed when granted/,
    );
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('a period split: what the first period leaves deferred opens the next', async () => {
    const t = testLedger(sql, new Date('2026-11-20T00:00:00Z'));
    const ws = await t.workspace();
    await paidPurchase(sql, t.ledger, ws, { credits: 3, price: '1.00' });
    await t.ledger.debit(ws, { amount: 1, idempotencyKey: 'a' });
    t.advance(15 * DAY);
    await t.ledger.debit(ws, { amount: 1, idempotencyKey: 'b' });
    const nov = await t.ledger.revenue({ ...november, workspaceId: ws });
    // The first credit of three worth $1.00 is worth floor(100 × 1 / 3) = 33 cents.
    expect(nov).toMatchObject({ sold: '1.00', recognized: '0.33', closingDeferred: '0.67' });
    const dec = await t.ledger.revenue({
      from: november.to,
      to: new Date('2027-01-01T00:00:00Z'),
      currency: 'USD',
      workspaceId: ws,
    });
    expect(dec).toMatchObject({
      openingDeferred: '0.67',
      sold: '0.00',
      recognized: '0.33',
      closingDeferred: '0.34',
    });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });
});

describe('refunds and voids refused, naming why', () => {
  it('an unpaid purchase, an already refunded one, a promotional lot, another workspace, a used-up lot', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const other = await t.workspace();
    const pending = await paidPurchase(sql, t.ledger, ws, { status: 'pending_approval' });
    await expect(t.ledger.refundPurchase(pending.id, { idempotencyKey: 'r1' })).rejects.toMatchObject({
      code: 'conflict',
      details: { reason: 'not_paid' },
      message: expect.stringMatching(/pending_approval.*never paid/),
    });
    const promo = await paidPurchase(sql, t.ledger, ws, { lotType: 'promotional' });
    await expect(t.ledger.refundPurchase(promo.id, { idempotencyKey: 'r2' })).rejects.toMatchObject({
      details: { reason: 'not_refundable' },
      message: expect.stringMatching(/promotional: nothing was paid/),
    });
    const paid = await paidPurchase(sql, t.ledger, ws);
    await expect(
      t.ledger.refundPurchase(paid.id, { idempotencyKey: 'r3' }, { workspaceId: other }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await t.ledger.refundPurchase(paid.id, { idempotencyKey: 'r3' });
    await expect(t.ledger.refundPurchase(paid.id, { idempotencyKey: 'r4' })).rejects.toMatchObject({
      details: { reason: 'already_refunded' },
      message: `purchase ${paid.id} is already refunded`,
    });
    const used = await paidPurchase(sql, t.ledger, ws, { credits: 10 });
    await t.ledger.debit(ws, { amount: 1010, idempotencyKey: 'all' }); // the promotional lot's 1,000 go first
    await expect(t.ledger.refundPurchase(used.id, { idempotencyKey: 'r5' })).rejects.toMatchObject({
      details: { reason: 'nothing_to_refund' },
    });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('a void takes what remains as breakage; held credits are refused', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const p = await paidPurchase(sql, t.ledger, ws, { credits: 100, price: '10.00' });
    const hold = await t.ledger.placeHold(ws, { amount: 5, idempotencyKey: 'h' });
    await expect(t.ledger.voidLot(p.lotId!, { reason: 'fraud', idempotencyKey: 'v' })).rejects.toMatchObject({
      details: { reason: 'credits_held' },
    });
    await t.ledger.release(hold.hold.id);
    const v = await t.ledger.voidLot(p.lotId!, { reason: 'fraud', idempotencyKey: 'v' });
    expect(v.void).toMatchObject({ credits: 100, amount: '10.00' });
    const again = await t.ledger.voidLot(p.lotId!, { reason: 'fraud', idempotencyKey: 'v' });
    expect(again.replayed).toBe(true);
    const report = await t.ledger.revenue({ ...november, workspaceId: ws });
    expect(report).toMatchObject({ sold: '10.00', breakage: '10.00', closingDeferred: '0.00' });
  });

  it('20 concurrent refunds of one purchase refund it once', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const p = await paidPurchase(sql, t.ledger, ws);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => t.ledger.refundPurchase(p.id, { idempotencyKey: `k${i % 2}` })),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const first = ok.find((o) => !o.value.replayed)!;
    expect(ok.filter((o) => !o.value.replayed)).toHaveLength(1);
    for (const o of ok) expect(o.value.transaction.id).toBe(first.value.transaction.id);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(o.reason.details.reason).toBe('already_refunded');
    const [n] =
      await sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${ws} AND kind = 'refund'`;
    expect(n!.n).toBe(1);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });
});
