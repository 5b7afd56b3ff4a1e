import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase(30);

describe('concurrent debits', () => {
  it('200 concurrent debits of 1 against a balance of 100: exactly 100 succeed', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'subscription', amount: 60, reason: 'x', idempotencyKey: 'g1' });
    await t.ledger.grant(ws, { type: 'purchased', amount: 40, reason: 'x', idempotencyKey: 'g2' });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => t.ledger.debit(ws, { amount: 1, idempotencyKey: `d${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(100);
    expect(refused).toHaveLength(100);
    for (const r of refused) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: 'insufficient_credits',
        details: { required: 1, available: 0 },
      });
    }
    expect(await t.ledger.balance(ws)).toMatchObject({ total: 0, lifetimeUsed: 100 });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('50 concurrent repeats of one idempotency key make exactly one debit', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 1000, reason: 'x', idempotencyKey: 'g' });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.ledger.debit(ws, { amount: 7, idempotencyKey: 'once' })),
    );
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const [row] =
      await sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${ws} AND kind = 'debit'`;
    expect(row?.n).toBe(1);
    expect((await t.ledger.balance(ws)).total).toBe(993);
  });

  it('interleaved debits, grants and holds on many workspaces neither deadlock nor overspend', async () => {
    // Separate ledgers stand for separate API processes: no in-process batching between them.
    const processes = [testLedger(sql), testLedger(sql), testLedger(sql)];
    const workspaces = await Promise.all(Array.from({ length: 12 }, () => processes[0]!.workspace()));
    for (const ws of workspaces) {
      await processes[0]!.ledger.grant(ws, {
        type: 'purchased',
        amount: 50,
        reason: 'x',
        idempotencyKey: 'g',
      });
    }
    const ops = Array.from({ length: 600 }, (_, i) => {
      const p = processes[i % processes.length]!;
      const ws = workspaces[(i * 7) % workspaces.length]!;
      if (i % 10 === 0)
        return p.ledger.grant(ws, { type: 'promotional', amount: 3, reason: 'x', idempotencyKey: `g${i}` });
      if (i % 10 === 5) return p.ledger.placeHold(ws, { amount: 2, idempotencyKey: `h${i}` });
      return p.ledger.debit(ws, { amount: 1 + (i % 3), idempotencyKey: `d${i % 400}` });
    });
    const results = await Promise.allSettled(ops);
    const unexpected = results.filter(
      (r) =>
        r.status === 'rejected' &&
        !['insufficient_credits', 'idempotency_conflict'].includes(
          (r.reason as { code?: string }).code ?? '',
        ),
    );
    expect(unexpected).toEqual([]);
    for (const ws of workspaces)
      expect((await processes[0]!.ledger.balance(ws)).total).toBeGreaterThanOrEqual(0);
    expect(await verifyLedger(sql)).toEqual([]);
  });
});
