import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ledger, WriteResult } from '../../ledger/ledger.js';
import type { LotType, Source } from '../../ledger/types.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';
import { propertyRuns } from '../support/runs.js';
import { lotRanks, normResult, normTx, snapshot } from './debit-reference.js';
import { sqlAndReference } from './differential.js';

const sql = useTestDatabase(30);
const RUNS = propertyRuns({ local: 25, ci: 100, override: 'DEBIT_FUNCTION_RUNS' });

type Item = {
  amount?: number;
  units?: number;
  key: number;
  variant: number;
  actor: string | null;
  source?: Source;
};
type Command =
  | { op: 'grant'; type: LotType; amount: number; expiresIn: number | null }
  | { op: 'hold'; amount: number; timeout: number }
  | { op: 'debits'; items: Item[] }
  | { op: 'advance'; ms: number }
  | { op: 'expire' };

const item: fc.Arbitrary<Item> = fc.record({
  amount: fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }),
  units: fc.integer({ min: 1, max: 5 }),
  key: fc.nat(15),
  variant: fc.nat(2),
  actor: fc.constantFrom(null, 'member:a', 'bot'),
  source: fc.constantFrom<Source | undefined>(undefined, 'api', 'slack', 'n8n'),
});

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('grant' as const),
      type: fc.constantFrom<LotType>('subscription', 'promotional', 'trial', 'purchased'),
      amount: fc.integer({ min: 1, max: 200 }),
      expiresIn: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('hold' as const),
      amount: fc.integer({ min: 1, max: 60 }),
      timeout: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('debits' as const),
      items: fc.array(item, { minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const) }) },
);

describe('credits_debit_multi (SQL) against the TypeScript debit rules, one workspace', () => {
  it('gives the same answers, journal, lots, keys, holds and alerts for random histories', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 3, maxLength: 25 }),
        fc.option(
          fc.record({ low: fc.integer({ min: 0, max: 300 }), critical: fc.integer({ min: 0, max: 60 }) }),
          {
            nil: null,
          },
        ),
        async (commands, thresholds) => {
          const { sqlSide, refSide } = sqlAndReference(sql);
          const a = await sqlSide.workspace();
          const b = await refSide.workspace();
          if (thresholds) {
            const settings = JSON.stringify({ alerts: { thresholds } });
            await sql`UPDATE workspaces SET settings = ${settings}::text::jsonb WHERE id IN (${a}, ${b})`;
          }
          const both = async <T>(f: (l: Ledger, ws: string) => Promise<T>) => {
            const ra = await Promise.allSettled([f(sqlSide.ledger, a)]);
            const rb = await Promise.allSettled([f(refSide.ledger, b)]);
            return [ra[0]!, rb[0]!] as const;
          };
          for (const [i, c] of commands.entries()) {
            if (c.op === 'grant') {
              const [ra, rb] = await both((l, ws) =>
                l.grant(ws, {
                  type: c.type,
                  amount: c.amount,
                  expiresAt: c.expiresIn === null ? null : new Date(sqlSide.now().getTime() + c.expiresIn),
                  reason: 'property',
                  idempotencyKey: `g${i}`,
                }),
              );
              expect(ra.status).toBe(rb.status);
            } else if (c.op === 'hold') {
              const [ra, rb] = await both((l, ws) =>
                l.placeHold(ws, { amount: c.amount, timeoutSeconds: c.timeout, idempotencyKey: `h${i}` }),
              );
              expect(ra.status).toBe(rb.status);
            } else if (c.op === 'debits') {
              // Submitted together: the first runs alone, the rest as one batch (group commit).
              const run = (l: Ledger, ws: string) =>
                Promise.allSettled(
                  c.items.map((it) =>
                    l.debit(ws, {
                      ...(it.amount !== undefined
                        ? { amount: it.amount }
                        : { operation: 'unit', quantity: it.units }),
                      idempotencyKey: `d${it.key}`,
                      actor: it.actor,
                      source: it.source,
                      metadata: { v: it.variant, note: 'ü' },
                    }),
                  ),
                );
              const ra = await run(sqlSide.ledger, a);
              const rb = await run(refSide.ledger, b);
              const [ka, kb] = [await lotRanks(sql, a), await lotRanks(sql, b)];
              expect(ra.map((r) => normResult(r, ka))).toEqual(rb.map((r) => normResult(r, kb)));
            } else if (c.op === 'advance') {
              sqlSide.advance(c.ms);
              refSide.advance(c.ms);
            } else {
              await both((l, ws) => l.expireDue({ workspaceId: ws }));
            }
            const [ka, kb] = [await lotRanks(sql, a), await lotRanks(sql, b)];
            const [ba, bb] = await both((l, ws) => l.balance(ws));
            if (ba.status === 'fulfilled' && bb.status === 'fulfilled') {
              expect({
                ...ba.value,
                workspaceId: '',
                lastTransaction: normTx(ba.value.lastTransaction, ka),
              }).toEqual({
                ...bb.value,
                workspaceId: '',
                lastTransaction: normTx(bb.value.lastTransaction, kb),
              });
            } else {
              expect(ba.status).toBe(bb.status);
            }
          }
          expect(await snapshot(sql, a)).toEqual(await snapshot(sql, b));
          expect(await verifyLedger(sql, a)).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});

describe('credits_debit_multi, one workspace', () => {
  it('answers a batch mixing ok, insufficient, replay and conflict items in one call', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'subscription', amount: 120, reason: 'x', idempotencyKey: 'g' });
    const first = await t.ledger.debit(ws, { amount: 10, idempotencyKey: 'first', actor: 'm' });
    const item = (key: string, amount: number, hash: string) => ({
      key,
      hash,
      amount,
      operation: null,
      quantity: null,
      actor: 'bot',
      source: 'n8n',
      metadata: { k: key },
    });
    const storedHash = (
      await sql`SELECT request_hash FROM idempotency_keys WHERE workspace_id = ${ws} AND key = 'first'`
    )[0]!.request_hash as string;
    const items = [
      item('a', 30, 'h-a'), // ok
      item('first', 10, storedHash), // replay of a stored key
      item('first', 10, 'other'), // conflict with a stored key
      item('big', 500, 'h-big'), // insufficient: nothing written, not remembered
      item('a', 30, 'h-a'), // replay of a key written earlier in the same batch
      item('a', 31, 'h-a2'), // conflict with a key written earlier in the same batch
      item('b', 80, 'h-b'), // ok: leaves 0, crossing low, critical and depleted at once
      item('c', 1, 'h-c'), // insufficient at 0
    ];
    type Answer = { before: number; after: number; alertEvents: number; items: Record<string, unknown>[] };
    const [row] = await sql<{ answers: [Answer] }[]>`
      SELECT credits_debit_multi(${t.now()}, ${JSON.stringify([{ ws, items }])}::text::jsonb,
                                 '{"low": 100, "critical": 10}'::jsonb) AS answers`;
    const [r] = row!.answers;
    expect(r.items.map((i) => i.s)).toEqual([
      'ok',
      'replay',
      'conflict',
      'insufficient',
      'replay',
      'conflict',
      'ok',
      'insufficient',
    ]);
    expect(r).toMatchObject({ before: 110, after: 0, alertEvents: 1 });
    expect(r.items[3]).toEqual({ s: 'insufficient', required: 500, available: 80 });
    expect(r.items[7]).toEqual({ s: 'insufficient', required: 1, available: 0 });
    expect((r.items[1]!.r as WriteResult).transaction.id).toBe(first.transaction.id);
    expect(r.items[4]!.r).toEqual(r.items[0]!.r);
    expect(r.items[6]).toMatchObject({
      s: 'ok',
      r: { transaction: { amount: 80, balanceAfter: 0, actor: 'bot', source: 'n8n' }, balance: { total: 0 } },
    });
    const keys = await sql`SELECT key FROM idempotency_keys WHERE workspace_id = ${ws} ORDER BY key`;
    expect(keys.map((k) => k.key)).toEqual(['a', 'b', 'first', 'g']);
    const events = await sql`SELECT type FROM alert_events WHERE workspace_id = ${ws}`;
    expect(events.map((e) => e.type)).toEqual(['alert.depleted']);
    const balance = await t.ledger.balance(ws);
    expect(balance).toMatchObject({ total: 0, lifetimeUsed: 120 });
    expect(balance.lastTransaction?.id).toBe((r.items[6]!.r as WriteResult).transaction.id);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('does the same through Ledger.debit: one batch settles each caller on its own', async () => {
    const t = testLedger(sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'purchased', amount: 50, reason: 'x', idempotencyKey: 'g' });
    const results = await Promise.allSettled([
      t.ledger.debit(ws, { amount: 5, idempotencyKey: 'k1' }),
      t.ledger.debit(ws, { amount: 20, idempotencyKey: 'k2' }),
      t.ledger.debit(ws, { amount: 20, idempotencyKey: 'k2' }),
      t.ledger.debit(ws, { amount: 21, idempotencyKey: 'k2' }),
      t.ledger.debit(ws, { amount: 100, idempotencyKey: 'k3' }),
      t.ledger.debit(ws, { amount: 25, idempotencyKey: 'k4' }),
    ]);
    const shape = results.map((r) =>
      r.status === 'fulfilled'
        ? `ok ${r.value.transaction.amount}${r.value.replayed ? ' replayed' : ''} → ${r.value.balance.total}`
        : (r.reason as { code: string }).code,
    );
    expect(shape).toEqual([
      'ok 5 → 45',
      'ok 20 → 25',
      'ok 20 replayed → 25',
      'idempotency_conflict',
      'insufficient_credits',
      'ok 25 → 0',
    ]);
    expect((results[4] as PromiseRejectedResult).reason.details).toEqual({ required: 100, available: 25 });
    const ok = results[1] as PromiseFulfilledResult<WriteResult>;
    expect(ok.value.balance.renewal).toEqual({ amount: 980, at: '2026-12-01T00:00:00.000Z' });
    expect(ok.value.balance.lastTransaction).toBe(ok.value.transaction);
    await expect(t.ledger.debit('no-such-ws', { amount: 1, idempotencyKey: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });
});
