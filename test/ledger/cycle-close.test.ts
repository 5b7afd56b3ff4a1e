import { describe, expect, it } from 'vitest';
import { isCreditsError } from '../../ledger/errors.js';
import type { BalanceChange, GrantInput } from '../../ledger/ledger.js';
import { systemKey } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { DAY, testLedger } from '../support/ledger.js';

const sql = useTestDatabase();
const changes: BalanceChange[] = [];
const t = testLedger(sql, new Date('2026-11-01T00:00:00Z'), { onBalanceChange: (c) => changes.push(c) });

const allocation = (ws: string, index: number, amount: number, expiresAt: Date): GrantInput => ({
  type: 'subscription',
  amount,
  expiresAt,
  reason: `cycle ${index}`,
  idempotencyKey: systemKey('cycle', ws, index),
  source: 'workflow',
});

/** A workspace whose cycle 0 (a lot of `amount`, `spent` of it debited) has just ended. */
async function endedCycle(amount: number, spent: number) {
  const ws = await t.workspace();
  const end = new Date(t.now().getTime() + DAY);
  const first = await t.ledger.grant(ws, allocation(ws, 0, amount, end));
  if (spent) await t.ledger.debit(ws, { amount: spent, idempotencyKey: `spend-${ws}` });
  t.advance(DAY + 1000);
  return { ws, end, lotIds: [first.lot.id], nextEnd: new Date(end.getTime() + DAY) };
}

const entries = async (ws: string) =>
  (await sql`SELECT kind, delta, balance_after FROM journal WHERE workspace_id = ${ws} ORDER BY id`).map(
    (e) => [e.kind, Number(e.delta), Number(e.balance_after)],
  );

describe('closeCycle: a cycle boundary in one commit', () => {
  it('grants what it decides on the unused credits, then expires the ended lots, once', async () => {
    const { ws, end, lotIds, nextEnd } = await endedCycle(500, 120);
    const seen: number[] = [];
    const close = () =>
      t.ledger.closeCycle(ws, {
        lotIds,
        endsAt: end,
        grants: (c) => {
          seen.push(c.unused);
          expect(c).toMatchObject({ plan: 'solo', status: 'active' });
          return [
            allocation(ws, 1, 500, nextEnd),
            { ...allocation(ws, 1, c.unused / 2, nextEnd), idempotencyKey: systemKey('rollover', ws, 0) },
          ];
        },
      });
    changes.length = 0;
    const first = await close();
    expect(first.closeout.unused).toBe(380);
    expect(first.expired).toBe(380);
    expect(first.lots.map((l) => [l.amount, l.replayed])).toEqual([
      [500, false],
      [190, false],
    ]);
    expect(first.balance.total).toBe(690);
    // The grants first, the expiry last, and one balance change for all three.
    expect((await entries(ws)).slice(2)).toEqual([
      ['grant', 500, 500],
      ['grant', 190, 690],
      ['expire', -380, 690],
    ]);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.transactionIds).toHaveLength(3);

    // A retry (the activity's, after a crash) finds all of it: the same lots, nothing new.
    const again = await close();
    expect(seen).toEqual([380, 380]);
    expect(again.lots.map((l) => [l.id, l.replayed])).toEqual(first.lots.map((l) => [l.id, true]));
    expect(again.expired).toBe(0);
    expect(await entries(ws)).toHaveLength(5);
    // What closeCycle stored under a key is what grant stores: the same body replays it.
    const replay = await t.ledger.grant(ws, allocation(ws, 1, 500, nextEnd));
    expect(replay).toMatchObject({ replayed: true, lot: { id: first.lots[0]!.id } });
    expect(await verifyLedger(sql, ws)).toEqual([]);
    expect(await sql`SELECT type FROM alert_events WHERE workspace_id = ${ws}`).toEqual([]);
  });

  it('counts what an earlier expiry already wrote off as unused', async () => {
    const { ws, end, lotIds } = await endedCycle(300, 0);
    await t.ledger.expireDue({ workspaceId: ws });
    const closed = await t.ledger.closeCycle(ws, { lotIds, endsAt: end, grants: () => [] });
    expect(closed).toMatchObject({ closeout: { unused: 300 }, expired: 0, lots: [] });
    // Another workspace's lots count for nothing here, expired or not.
    const other = await t.workspace();
    const foreign = await t.ledger.closeCycle(other, { lotIds, endsAt: end, grants: () => [] });
    expect(foreign).toMatchObject({ closeout: { unused: 0 }, expired: 0, transactions: [] });
  });

  it('an earlier grant under the key wins, whatever its body', async () => {
    const { ws, end, lotIds, nextEnd } = await endedCycle(300, 0);
    const earlier = await t.ledger.grant(ws, allocation(ws, 1, 40, nextEnd));
    const closed = await t.ledger.closeCycle(ws, {
      lotIds,
      endsAt: end,
      grants: () => [allocation(ws, 1, 500, nextEnd)],
    });
    expect(closed.lots).toEqual([{ id: earlier.lot.id, amount: 40, replayed: true }]);
    expect(closed.expired).toBe(300);
    expect(closed.balance.total).toBe(40);
  });

  it('writes nothing when one of its grants is refused', async () => {
    const { ws, end, lotIds, nextEnd } = await endedCycle(300, 0);
    const before = await entries(ws);
    const refused = await t.ledger
      .closeCycle(ws, {
        lotIds,
        endsAt: end,
        grants: () => [allocation(ws, 1, 500, nextEnd), allocation(ws, 2, 500, new Date(end.getTime() - 1))],
      })
      .catch((err: unknown) => err);
    expect(isCreditsError(refused) && refused.details).toEqual({
      fields: [{ field: 'expiresAt', message: 'must be in the future' }],
    });
    const clientKey = await t.ledger
      .closeCycle(ws, {
        lotIds,
        endsAt: end,
        grants: () => [{ ...allocation(ws, 1, 5, nextEnd), idempotencyKey: 'k' }],
      })
      .catch((err: unknown) => err);
    expect(isCreditsError(clientKey) && clientKey.message).toMatch(/idempotencyKey.*system key/);
    expect(await entries(ws)).toEqual(before);
    const missing = await t.ledger
      .closeCycle('no-such-workspace', { lotIds, endsAt: end, grants: () => [] })
      .catch((e) => e);
    expect(isCreditsError(missing) && missing.code).toBe('not_found');
  });
});
