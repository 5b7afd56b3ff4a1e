import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Settled } from '../../ledger/batcher.js';
import type { Sql } from '../../ledger/db.js';
import { isCreditsError } from '../../ledger/errors.js';
import { insufficient, type Ledger, type WriteResult } from '../../ledger/ledger.js';
import { summarizeBalance } from '../../ledger/queries.js';
import type { LotType, Source, Transaction } from '../../ledger/types.js';
import { verifyLedger } from '../../ledger/verify.js';
import { WorkspaceTx } from '../../ledger/workspace-tx.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase(30);
const RUNS = Number(process.env.DEBIT_FUNCTION_RUNS ?? 25);

interface Prepared {
  input: {
    idempotencyKey: string;
    operation?: string;
    actor?: string | null;
    source?: Source;
    metadata?: Record<string, unknown>;
  };
  amount: number;
  quantity: number | null;
  hash: string;
}

/**
 * The debit path as it was before migration 006, in TypeScript over WorkspaceTx (lock, read,
 * allocate with lots.ts, one flush with alerts.ts): the reference the SQL function must match.
 */
function useReferenceDebits(ledger: Ledger): void {
  const internals = ledger as unknown as {
    sql: Sql;
    runDebits: (ws: string, items: Prepared[]) => Promise<Settled<WriteResult>[]>;
    renewal: (w: unknown, now: Date) => { amount: number; at: string } | null;
    now: () => Date;
  };
  internals.runDebits = (workspaceId, items) =>
    internals.sql.begin(async (tx) => {
      const w = await WorkspaceTx.open(tx, workspaceId, internals.now.call(ledger), {
        keys: items.map((i) => i.input.idempotencyKey),
        reserveEntries: items.length,
        alertDefaults: { low: 100, critical: 10 },
      });
      const out: Settled<WriteResult>[] = [];
      for (const item of items) {
        try {
          const replay = w.lookupKey(item.input.idempotencyKey, item.hash);
          if (replay) {
            out.push({ ok: true, value: { ...(replay.replay as WriteResult), replayed: true } });
            continue;
          }
          const allocations = w.allocate(item.amount);
          if (!allocations) throw insufficient(item.amount, w.spendable());
          const transaction = w.addEntry(await w.nextEntryId(), {
            kind: 'debit',
            movements: allocations.map((a) => ({ lot: a.lot, delta: -a.amount })),
            operation: item.input.operation ?? null,
            quantity: item.quantity,
            actor: item.input.actor ?? null,
            source: item.input.source ?? 'api',
            idempotencyKey: item.input.idempotencyKey,
            metadata: item.input.metadata ?? {},
            usage: item.amount,
          });
          const response = {
            transaction,
            balance: summarizeBalance({
              workspace: w.workspace,
              lots: w.spendableLots(),
              held: w.held,
              lifetimeUsed: w.lifetimeUsed,
              lastTransaction: transaction,
              now: w.now,
              renewal: internals.renewal.call(ledger, w.workspace, w.now),
            }),
            replayed: false,
          };
          w.rememberKey(item.input.idempotencyKey, item.hash, response);
          out.push({ ok: true, value: response });
        } catch (error) {
          if (!isCreditsError(error)) throw error;
          out.push({ ok: false, error });
        }
      }
      await w.flush();
      return out;
    });
}

/** Ids differ between two workspaces: lots become their rank, entries disappear. */
async function lotRanks(ws: string): Promise<Map<string, number>> {
  const rows = await sql`SELECT id FROM lots WHERE workspace_id = ${ws} ORDER BY id`;
  return new Map(rows.map((r, i) => [String(r.id), i]));
}

function normTx(t: Transaction | null, ranks: Map<string, number>) {
  if (!t) return null;
  const { id: _id, workspaceId: _ws, lots, consumed, ...rest } = t;
  return {
    ...rest,
    lots: lots.map((l) => ({ ...l, lotId: ranks.get(l.lotId) })),
    consumed: consumed?.map((l) => ({ ...l, lotId: ranks.get(l.lotId) })),
  };
}

function normResult(r: PromiseSettledResult<WriteResult>, ranks: Map<string, number>) {
  if (r.status === 'rejected') {
    const e = r.reason as { code?: string; message?: string; details?: unknown };
    return { error: e.code ?? String(r.reason), message: e.message, details: e.details };
  }
  const { transaction, balance, replayed } = r.value;
  const { workspaceId: _ws, lastTransaction, nextExpiry, ...b } = balance;
  return {
    replayed,
    transaction: normTx(transaction, ranks),
    // Which type a tie of expiry dates is reported under was never defined: compare the rest.
    balance: {
      ...b,
      nextExpiry: nextExpiry && { amount: nextExpiry.amount, at: nextExpiry.at },
      lastTransaction: normTx(lastTransaction, ranks),
    },
  };
}

async function snapshot(ws: string) {
  const ranks = await lotRanks(ws);
  const rank = (id: unknown) => ranks.get(String(id));
  const lots =
    await sql`SELECT type, amount, remaining, priority, expires_at FROM lots WHERE workspace_id = ${ws} ORDER BY id`;
  const journal = await sql`
    SELECT j.kind, j.delta, j.balance_after, j.operation, j.quantity, j.actor, j.source, j.idempotency_key,
           j.metadata, j.created_at, j.reason,
           (SELECT json_agg(json_build_object('lot', jl.lot_id, 'delta', jl.delta) ORDER BY jl.lot_id)
              FROM journal_lots jl WHERE jl.entry_id = j.id) AS lots
      FROM journal j WHERE j.workspace_id = ${ws} ORDER BY j.id`;
  const keys = await sql`
    SELECT key, request_hash, response FROM idempotency_keys WHERE workspace_id = ${ws} ORDER BY key`;
  const alerts = await sql`
    SELECT type, level, threshold, balance, data, created_at FROM alert_events WHERE workspace_id = ${ws} ORDER BY id`;
  const [w] = await sql`SELECT lifetime_used, alert_state,
                               (SELECT kind FROM journal WHERE id = last_entry_id) AS last_kind,
                               (SELECT balance_after FROM journal WHERE id = last_entry_id) AS last_balance
                          FROM workspaces WHERE id = ${ws}`;
  const holds = await sql`SELECT amount, status, closed_at FROM holds WHERE workspace_id = ${ws} ORDER BY id`;
  const holdLots = await sql`
    SELECT hl.lot_id, hl.amount FROM hold_lots hl JOIN holds h ON h.id = hl.hold_id
     WHERE h.workspace_id = ${ws} ORDER BY h.id, hl.lot_id`;
  return {
    lots,
    journal: journal.map((j) => ({
      ...j,
      lots: (j.lots as { lot: number; delta: number }[] | null)?.map((l) => ({
        lot: rank(l.lot),
        delta: l.delta,
      })),
    })),
    keys: keys.map((k) => {
      const r = k.response as WriteResult;
      if (r.transaction?.kind !== 'debit') return { key: k.key, hash: k.request_hash }; // grants, holds: same TS path
      return {
        key: k.key,
        hash: k.request_hash,
        response: normResult(
          { status: 'fulfilled', value: { ...r, balance: { ...r.balance, renewal: null } } },
          ranks,
        ),
      };
    }),
    alerts,
    workspace: w,
    holds,
    holdLots: holdLots.map((h) => ({ lot: rank(h.lot_id), amount: h.amount })),
  };
}

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

describe('credits_debit_batch (SQL) against the TypeScript debit rules', () => {
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
          const start = new Date('2026-11-01T00:00:00Z');
          let now = start.getTime();
          const sqlSide = testLedger(sql, start);
          const refSide = testLedger(sql, start);
          // Both ledgers read one clock.
          for (const side of [sqlSide, refSide]) {
            (side.ledger as unknown as { clock: () => Date }).clock = () => new Date(now);
          }
          useReferenceDebits(refSide.ledger);
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
                  expiresAt: c.expiresIn === null ? null : new Date(now + c.expiresIn),
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
              const [ka, kb] = [await lotRanks(a), await lotRanks(b)];
              expect(ra.map((r) => normResult(r, ka))).toEqual(rb.map((r) => normResult(r, kb)));
            } else if (c.op === 'advance') {
              now += c.ms;
            } else {
              await both((l, ws) => l.expireDue({ workspaceId: ws }));
            }
            const [ka, kb] = [await lotRanks(a), await lotRanks(b)];
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
          expect(await snapshot(a)).toEqual(await snapshot(b));
          expect(await verifyLedger(sql, a)).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});

describe('credits_debit_batch', () => {
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
    const [{ r }] = (await sql`
      SELECT credits_debit_batch(${ws}, ${t.now()}, ${JSON.stringify(items)}::text::jsonb,
                                 '{"low": 100, "critical": 10}'::jsonb) AS r`) as unknown as [
      { r: { before: number; after: number; alertEvents: number; items: Record<string, unknown>[] } },
    ];
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
