import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase();

describe('holds', () => {
  it('makes held credits unspendable, captures less than held and returns the rest', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'subscription', amount: 100, reason: 'x', idempotencyKey: 'g' });
    const { hold, balance } = await t.ledger.placeHold(ws, {
      amount: 80,
      timeoutSeconds: 60,
      idempotencyKey: 'h',
    });
    expect(balance).toMatchObject({ total: 20, held: 80 });
    await expect(t.ledger.debit(ws, { amount: 21, idempotencyKey: 'd' })).rejects.toMatchObject({
      code: 'insufficient_credits',
      details: { required: 21, available: 20 },
    });
    const captured = await t.ledger.capture(hold.id, { amount: 30, idempotencyKey: 'c' });
    expect(captured.transaction).toMatchObject({ kind: 'debit', amount: 30, holdId: hold.id });
    expect(captured.hold).toMatchObject({ status: 'captured', captured: 30 });
    expect(captured.balance).toMatchObject({ total: 70, held: 0, lifetimeUsed: 30 });
    // Captures are idempotent like debits.
    const again = await t.ledger.capture(hold.id, { amount: 30, idempotencyKey: 'c' });
    expect(again.replayed).toBe(true);
    expect(again.transaction.id).toBe(captured.transaction.id);
    await expect(t.ledger.capture(hold.id, { amount: 10, idempotencyKey: 'c2' })).rejects.toMatchObject({
      code: 'hold_not_active',
    });
    expect((await t.ledger.balance(ws)).total).toBe(70);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('refuses to capture more than held, naming the field', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' });
    const { hold } = await t.ledger.placeHold(ws, { amount: 10, idempotencyKey: 'h' });
    await expect(t.ledger.capture(hold.id, { amount: 11, idempotencyKey: 'c' })).rejects.toMatchObject({
      code: 'invalid_request',
      details: { fields: [{ field: 'amount' }] },
    });
  });

  it('releases everything on release, and releasing twice is harmless', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 50, reason: 'x', idempotencyKey: 'g' });
    const { hold } = await t.ledger.placeHold(ws, { amount: 50, idempotencyKey: 'h' });
    expect((await t.ledger.balance(ws)).total).toBe(0);
    const released = await t.ledger.release(hold.id);
    expect(released.hold.status).toBe('released');
    expect(released.balance).toMatchObject({ total: 50, held: 0 });
    expect((await t.ledger.release(hold.id)).hold.status).toBe('released');
    await expect(t.ledger.capture(hold.id, { amount: 1, idempotencyKey: 'c' })).rejects.toMatchObject({
      code: 'hold_not_active',
    });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('releases itself when it times out, even before any writer records it', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 40, reason: 'x', idempotencyKey: 'g' });
    const { hold } = await t.ledger.placeHold(ws, { amount: 25, timeoutSeconds: 30, idempotencyKey: 'h' });
    t.advance(31_000);
    expect(await t.ledger.balance(ws)).toMatchObject({ total: 40, held: 0 });
    expect((await t.ledger.hold(hold.id)).status).toBe('expired');
    await expect(t.ledger.capture(hold.id, { amount: 5, idempotencyKey: 'late' })).rejects.toMatchObject({
      code: 'hold_not_active',
      details: { status: 'expired' },
    });
    const d = await t.ledger.debit(ws, { amount: 40, idempotencyKey: 'all' });
    expect(d.balance.total).toBe(0);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('keeps a hold on credits whose lot expires meanwhile, and expires what comes back', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, {
      type: 'subscription',
      amount: 30,
      expiresAt: new Date(t.now().getTime() + 10_000),
      reason: 'cycle',
      idempotencyKey: 'g',
    });
    const { hold } = await t.ledger.placeHold(ws, { amount: 30, timeoutSeconds: 3600, idempotencyKey: 'h' });
    t.advance(20_000);
    const c = await t.ledger.capture(hold.id, { amount: 12, idempotencyKey: 'c' });
    expect(c.transaction.amount).toBe(12);
    expect(c.balance.total).toBe(0);
    const kinds = await sql`SELECT kind, delta FROM journal WHERE workspace_id = ${ws} ORDER BY id`;
    expect(kinds.map((k) => `${k.kind}:${k.delta}`)).toEqual(['grant:30', 'debit:-12', 'expire:-18']);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it("finds a hold's workspace whichever process placed it, and hides another workspace's hold", async () => {
    const t = testLedger(sql);
    const [ws, other] = [await t.workspace(), await t.workspace()];
    await t.ledger.grant(ws, { type: 'purchased', amount: 50, reason: 'x', idempotencyKey: 'g' });
    const { hold } = await t.ledger.placeHold(ws, { amount: 20, idempotencyKey: 'h' });
    const another = testLedger(sql); // another process: the owner is read, not remembered
    for (const l of [t.ledger, another.ledger]) {
      await expect(l.release(hold.id, { workspaceId: other })).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        l.capture(hold.id, { amount: 1, idempotencyKey: 'c' }, { workspaceId: other }),
      ).rejects.toMatchObject({ code: 'not_found' });
    }
    await expect(another.ledger.release('999999999')).rejects.toMatchObject({ code: 'not_found' });
    const c = await another.ledger.capture(hold.id, { amount: 5, idempotencyKey: 'c' }, { workspaceId: ws });
    expect(c.balance).toMatchObject({ total: 45, held: 0 });
    expect((await t.ledger.capture(hold.id, { amount: 5, idempotencyKey: 'c' })).replayed).toBe(true);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('validates the timeout', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await expect(
      t.ledger.placeHold(ws, { amount: 1, timeoutSeconds: 0, idempotencyKey: 'h' }),
    ).rejects.toMatchObject({ details: { fields: [{ field: 'timeoutSeconds' }] } });
  });
});
