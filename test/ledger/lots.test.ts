import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { DAY, testLedger } from '../support/ledger.js';

const sql = useTestDatabase();

describe('consumption order', () => {
  it('uses subscription, then promotional, then trial, then purchased; soonest expiry first within a type', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const g = (
      type: 'subscription' | 'trial' | 'purchased' | 'promotional',
      amount: number,
      expiresInDays: number | null,
      key: string,
    ) =>
      t.ledger.grant(ws, {
        type,
        amount,
        expiresAt: expiresInDays === null ? null : new Date(t.now().getTime() + expiresInDays * DAY),
        reason: 'test',
        idempotencyKey: key,
      });
    const purchased = await g('purchased', 100, null, 'p');
    const trial = await g('trial', 10, null, 't');
    const subLate = await g('subscription', 20, 30, 's-late');
    const subSoon = await g('subscription', 20, 5, 's-soon');
    const promo = await g('promotional', 5, 60, 'promo');

    const r = await t.ledger.debit(ws, { amount: 50, idempotencyKey: 'd1' });
    expect(r.transaction.consumed).toEqual([
      { lotId: subSoon.lot.id, type: 'subscription', amount: 20 },
      { lotId: subLate.lot.id, type: 'subscription', amount: 20 },
      { lotId: promo.lot.id, type: 'promotional', amount: 5 },
      { lotId: trial.lot.id, type: 'trial', amount: 5 },
    ]);
    expect(r.balance.total).toBe(105);
    expect(r.balance.byType).toEqual({ subscription: 0, promotional: 0, trial: 5, purchased: 100 });
    const r2 = await t.ledger.debit(ws, { amount: 10, idempotencyKey: 'd2' });
    expect(r2.transaction.consumed).toEqual([
      { lotId: trial.lot.id, type: 'trial', amount: 5 },
      { lotId: purchased.lot.id, type: 'purchased', amount: 5 },
    ]);
    expect(r2.transaction.balanceAfter).toBe(95);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('uses an older lot before a newer one of the same type and expiry', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const first = await t.ledger.grant(ws, {
      type: 'purchased',
      amount: 10,
      reason: 'a',
      idempotencyKey: 'a',
    });
    t.advance(1000);
    await t.ledger.grant(ws, { type: 'purchased', amount: 10, reason: 'b', idempotencyKey: 'b' });
    const r = await t.ledger.debit(ws, { amount: 4, idempotencyKey: 'd' });
    expect(r.transaction.consumed).toEqual([{ lotId: first.lot.id, type: 'purchased', amount: 4 }]);
  });
});

describe('lazy expiry', () => {
  it('never counts or consumes a lot past its date, before any sweep; the sweep writes the expire entry', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, {
      type: 'subscription',
      amount: 300,
      expiresAt: new Date(t.now().getTime() + 3 * DAY),
      reason: 'cycle',
      idempotencyKey: 'g1',
    });
    await t.ledger.grant(ws, { type: 'purchased', amount: 50, reason: 'bought', idempotencyKey: 'g2' });
    await t.ledger.debit(ws, { amount: 100, idempotencyKey: 'd1' });
    let b = await t.ledger.balance(ws);
    expect(b.total).toBe(250);
    expect(b.nextExpiry).toMatchObject({ amount: 200, type: 'subscription' });

    t.advance(3 * DAY);
    b = await t.ledger.balance(ws);
    expect(b.total).toBe(50);
    expect(b.byType.subscription).toBe(0);
    expect(b.nextExpiry).toBeNull();
    await expect(t.ledger.debit(ws, { amount: 51, idempotencyKey: 'd2' })).rejects.toMatchObject({
      code: 'insufficient_credits',
      details: { required: 51, available: 50 },
    });
    const d = await t.ledger.debit(ws, { amount: 50, idempotencyKey: 'd3' });
    expect(d.transaction.consumed?.map((c) => c.type)).toEqual(['purchased']);

    const swept = await t.ledger.expireDue({ workspaceId: ws });
    expect(swept[0]!.transactions).toHaveLength(1);
    expect(swept[0]!.transactions[0]).toMatchObject({ kind: 'expire', amount: 200, delta: -200 });
    expect(await t.ledger.expireDue({ workspaceId: ws })).toEqual([
      { workspaceId: ws, transactions: [], balance: expect.anything() },
    ]);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });
});

describe('all-or-nothing debits', () => {
  it('refuses with required and available and moves nothing', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'subscription', amount: 30, reason: 'x', idempotencyKey: 'g' });
    await t.ledger.grant(ws, { type: 'purchased', amount: 12, reason: 'x', idempotencyKey: 'g2' });
    const before = await t.ledger.lots(ws);
    await expect(t.ledger.debit(ws, { amount: 43, idempotencyKey: 'big' })).rejects.toMatchObject({
      code: 'insufficient_credits',
      details: { required: 43, available: 42 },
    });
    expect(await t.ledger.lots(ws)).toEqual(before);
    const [row] =
      await sql`SELECT count(*)::int AS count FROM journal WHERE workspace_id = ${ws} AND kind = 'debit'`;
    expect(row?.count).toBe(0);
    // The refusal is not remembered: the same key works once credits arrive.
    await t.ledger.grant(ws, { type: 'purchased', amount: 1, reason: 'x', idempotencyKey: 'g3' });
    const ok = await t.ledger.debit(ws, { amount: 43, idempotencyKey: 'big' });
    expect(ok.balance.total).toBe(0);
  });

  it('prices a debit named by operation through the catalog', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' });
    const r = await t.ledger.debit(ws, { operation: 'unit', quantity: 4, idempotencyKey: 'op' });
    expect(r.transaction).toMatchObject({ amount: 12, operation: 'unit', quantity: 4 });
    await expect(t.ledger.debit(ws, { operation: 'nope', idempotencyKey: 'op2' })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { fields: [{ field: 'operation' }] },
    });
  });

  it('rejects bad amounts naming the field', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    for (const amount of [0, -5, 1.5, 1e13, Number.NaN]) {
      await expect(t.ledger.debit(ws, { amount, idempotencyKey: `k${amount}` })).rejects.toMatchObject({
        code: 'invalid_request',
        details: { fields: [{ field: 'amount' }] },
      });
    }
  });
});

describe('idempotency', () => {
  it('replays the first result for the same key and body and refuses a different body', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' });
    const first = await t.ledger.debit(ws, { amount: 10, idempotencyKey: 'same', metadata: { run: 1 } });
    const again = await t.ledger.debit(ws, { amount: 10, idempotencyKey: 'same', metadata: { run: 1 } });
    expect(again.replayed).toBe(true);
    expect(again.transaction).toEqual(first.transaction);
    expect((await t.ledger.balance(ws)).total).toBe(90);
    await expect(t.ledger.debit(ws, { amount: 11, idempotencyKey: 'same' })).rejects.toMatchObject({
      code: 'idempotency_conflict',
    });
    await expect(
      t.ledger.grant(ws, { type: 'purchased', amount: 10, reason: 'x', idempotencyKey: 'same' }),
    ).rejects.toMatchObject({ code: 'idempotency_conflict' });
    const g = await t.ledger.grant(ws, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' });
    expect(g.replayed).toBe(true);
    expect((await t.ledger.balance(ws)).total).toBe(90);
  });
});

describe('reversal', () => {
  it('returns credits to the lots they came from, most valuable first, and never revives an expired lot', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    const sub = await t.ledger.grant(ws, {
      type: 'subscription',
      amount: 40,
      expiresAt: new Date(t.now().getTime() + DAY),
      reason: 'cycle',
      idempotencyKey: 'g1',
    });
    const bought = await t.ledger.grant(ws, {
      type: 'purchased',
      amount: 100,
      reason: 'x',
      idempotencyKey: 'g2',
    });
    const d = await t.ledger.debit(ws, { amount: 60, idempotencyKey: 'd' });
    expect(d.balance.total).toBe(80);

    const part = await t.ledger.reverse(d.transaction.id, {
      idempotencyKey: 'r1',
      amount: 15,
      reason: 'partial',
    });
    expect(part.transaction.lots).toEqual([{ lotId: bought.lot.id, type: 'purchased', delta: 15 }]);
    expect(part.balance.total).toBe(95);

    t.advance(DAY);
    const rest = await t.ledger.reverse(d.transaction.id, { idempotencyKey: 'r2', reason: 'rest' });
    expect(rest.transaction.amount).toBe(45);
    expect(rest.balance.total).toBe(100);
    const lots = await t.ledger.lots(ws, { includeEmpty: true });
    expect(lots.find((l) => l.id === sub.lot.id)?.remaining).toBe(0);
    const history = await sql`SELECT kind, delta FROM journal WHERE workspace_id = ${ws} ORDER BY id`;
    expect(history.map((h) => `${h.kind}:${h.delta}`)).toEqual([
      'grant:40',
      'grant:100',
      'debit:-60',
      'reverse:15',
      'reverse:45',
      'expire:-40',
    ]);
    await expect(t.ledger.reverse(d.transaction.id, { idempotencyKey: 'r3' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await t.ledger.balance(ws)).lifetimeUsed).toBe(0);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });
});
