import { describe, expect, it } from 'vitest';
import { SQL_WRITE_PATHS, type WritePaths } from '../../ledger/commands/write-paths.js';
import type { BalanceChange, WriteResult } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verify.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

// Few connections: PostgreSQL is shared with other runs, and 12 backends already overlap batches.
const sql = useTestDatabase(12);

/** Write paths that record the batches the ledger's debit calls carry (workspace:key per item). */
function recordingBatches(): { calls: string[][]; writePaths: Partial<WritePaths> } {
  const calls: string[][] = [];
  return {
    calls,
    writePaths: {
      debits: (ctx, items) => {
        calls.push(items.map((q) => `${q.workspaceId}:${q.debit.input.idempotencyKey}`));
        return SQL_WRITE_PATHS.debits(ctx, items);
      },
    },
  };
}

function shuffled<T>(xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function outcome(r: PromiseSettledResult<WriteResult>): string {
  if (r.status === 'rejected') return (r.reason as { code: string }).code;
  return `ok ${r.value.transaction.amount}${r.value.replayed ? ' replayed' : ''} → ${r.value.balance.total}`;
}

describe('debits of several workspaces in one batch', () => {
  const refusing = `refused-by-db-${uniqueId('actor')}`;

  // One call in flight: the batch's make-up is known (the first alone, then all the others).
  // Eight (the default): the same outcomes, since a workspace's items still run in their order of arrival.
  it.each([1, 8])(
    'keeps every outcome independent: refusals, conflicts, replays, an unknown workspace, bad input (%i in flight)',
    async (inFlight) => {
      const changes: BalanceChange[] = [];
      const recorded = recordingBatches();
      const t = testLedger(sql, undefined, {
        onBalanceChange: (c) => changes.push(c),
        debitCallsInFlight: inFlight,
        writePaths: recorded.writePaths,
      });
      const [a, b, c] = [await t.workspace(), await t.workspace(), await t.workspace()];
      await t.ledger.grant(a, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' });
      await t.ledger.grant(b, { type: 'purchased', amount: 50, reason: 'x', idempotencyKey: 'g' });
      await t.ledger.grant(c, { type: 'purchased', amount: 500, reason: 'x', idempotencyKey: 'g' });
      const stored = await t.ledger.debit(b, { amount: 10, idempotencyKey: 'stored' });
      changes.length = 0;
      recorded.calls.length = 0; // from here on
      const calls = recorded.calls;
      const missing = uniqueId('missing');
      const results = await Promise.allSettled([
        t.ledger.debit(c, { amount: 1, idempotencyKey: 'first' }), // runs alone; the rest wait for it
        t.ledger.debit(a, { amount: 30, idempotencyKey: 'a1' }),
        t.ledger.debit(b, { amount: 10, idempotencyKey: 'stored' }), // replay of a stored key
        t.ledger.debit(missing, { amount: 5, idempotencyKey: 'm1' }),
        t.ledger.debit(a, { amount: 31, idempotencyKey: 'a1' }), // conflict within the batch
        t.ledger.debit(b, { amount: 11, idempotencyKey: 'stored' }), // conflict with a stored key
        t.ledger.debit(a, { amount: -3, idempotencyKey: 'bad' }), // bad input: never joins the batch
        t.ledger.debit(b, { amount: 41, idempotencyKey: 'b-big' }), // insufficient: 40 left
        t.ledger.debit(a, { amount: 70, idempotencyKey: 'a2' }), // exactly what is left
        t.ledger.debit(missing, { amount: 1, idempotencyKey: 'm2' }),
        t.ledger.debit(b, { amount: 40, idempotencyKey: 'b1' }),
        t.ledger.debit(a, { amount: 30, idempotencyKey: 'a1' }), // replay within the batch
      ]);
      expect(results.map(outcome)).toEqual([
        'ok 1 → 499',
        'ok 30 → 70',
        'ok 10 replayed → 40',
        'not_found',
        'idempotency_conflict',
        'idempotency_conflict',
        'invalid_request',
        'insufficient_credits',
        'ok 70 → 0',
        'not_found',
        'ok 40 → 0',
        'ok 30 replayed → 70',
      ]);
      expect((results[2] as PromiseFulfilledResult<WriteResult>).value.transaction.id).toBe(
        stored.transaction.id,
      );
      expect((results[7] as PromiseRejectedResult).reason.details).toEqual({ required: 41, available: 40 });
      expect((results[3] as PromiseRejectedResult).reason.message).toContain(missing);
      // One call for the first, one for all the others (the bad item never reached the database).
      if (inFlight === 1)
        expect(calls).toEqual([
          [`${c}:first`],
          [
            `${a}:a1`,
            `${b}:stored`,
            `${missing}:m1`,
            `${a}:a1`,
            `${b}:stored`,
            `${b}:b-big`,
            `${a}:a2`,
            `${missing}:m2`,
            `${b}:b1`,
            `${a}:a1`,
          ],
        ]);
      expect(calls.flat()).toHaveLength(11);
      // Balance changes per workspace, each with its own before and after; with one call in
      // flight, one change per workspace and batch.
      const of = (ws: string) => changes.filter((ch) => ch.workspaceId === ws);
      const span = (ws: string) => ({
        before: of(ws)[0]?.before,
        after: of(ws).at(-1)?.after,
        transactions: of(ws).flatMap((ch) => ch.transactionIds).length,
        // Thresholds are crossed per batch: how many events depends on how the batches fell.
        alertEvents: inFlight === 1 ? of(ws).reduce((n, ch) => n + ch.alertEvents, 0) : 'any',
      });
      expect(span(c)).toEqual({
        before: 500,
        after: 499,
        transactions: 1,
        alertEvents: inFlight === 1 ? 0 : 'any',
      });
      expect(span(a)).toEqual({
        before: 100,
        after: 0,
        transactions: 2,
        alertEvents: inFlight === 1 ? 1 : 'any',
      });
      expect(span(b)).toEqual({
        before: 40,
        after: 0,
        transactions: 1,
        alertEvents: inFlight === 1 ? 1 : 'any',
      });
      if (inFlight === 1) expect(changes).toHaveLength(3);
      const [row] =
        await sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE workspace_id = ${missing}`;
      expect(row!.n).toBe(0);
      for (const ws of [a, b, c]) expect(await verifyLedger(sql, ws)).toEqual([]);
      expect((await t.ledger.balance(a)).lifetimeUsed).toBe(100);
      expect((await t.ledger.balance(b)).lifetimeUsed).toBe(50);
    },
  );

  it('isolates an item the database refuses: the batch is retried item by item', async () => {
    await sql.unsafe(`
      CREATE OR REPLACE FUNCTION test_refuse_actor() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.actor = '${refusing}' THEN RAISE EXCEPTION 'refused for the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE OR REPLACE TRIGGER test_refuse_actor BEFORE INSERT ON journal
        FOR EACH ROW EXECUTE FUNCTION test_refuse_actor();`);
    try {
      const recorded = recordingBatches();
      const t = testLedger(sql, undefined, { debitCallsInFlight: 1, writePaths: recorded.writePaths });
      const [a, b] = [await t.workspace(), await t.workspace()];
      for (const ws of [a, b]) {
        await t.ledger.grant(ws, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' });
      }
      recorded.calls.length = 0; // from here on
      const calls = recorded.calls;
      const results = await Promise.allSettled([
        t.ledger.debit(a, { amount: 1, idempotencyKey: 'first' }),
        t.ledger.debit(a, { amount: 2, idempotencyKey: 'ok-a' }),
        t.ledger.debit(b, { amount: 3, idempotencyKey: 'refused', actor: refusing }),
        t.ledger.debit(b, { amount: 4, idempotencyKey: 'ok-b' }),
      ]);
      expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message))).toEqual([
        'ok',
        'ok',
        'refused for the test',
        'ok',
      ]);
      expect(calls.map((c) => c.length)).toEqual([1, 3, 1, 1, 1]);
      expect((await t.ledger.balance(a)).total).toBe(97);
      expect((await t.ledger.balance(b)).total).toBe(96);
      const [row] =
        await sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE workspace_id = ${b} AND key = 'refused'`;
      expect(row!.n).toBe(0);
    } finally {
      await sql.unsafe('DROP TRIGGER test_refuse_actor ON journal');
    }
  });

  it('answers credits_debit_multi in the order asked, whatever the lock order', async () => {
    const t = testLedger(sql);
    const [x, y] = [await t.workspace(), await t.workspace()];
    const [first, second] = x < y ? [y, x] : [x, y]; // asked in descending id order
    await t.ledger.grant(first, { type: 'purchased', amount: 5, reason: 'x', idempotencyKey: 'g' });
    const debit = (key: string, amount: number) => ({ key, hash: key, amount, source: 'api', metadata: {} });
    const batches = [
      { ws: first, items: [debit('k', 5)] },
      { ws: 'no-such-workspace', items: [debit('k', 1)] },
      { ws: second, items: [debit('k', 1)] },
    ];
    const [row] = await sql<{ r: ({ items: { s: string }[]; after: number } | null)[] }[]>`
      SELECT credits_debit_multi(${t.now()}, ${JSON.stringify(batches)}::text::jsonb,
                                 '{"low": 100, "critical": 10}'::jsonb) AS r`;
    expect(row!.r.map((w) => w && { s: w.items.map((i) => i.s), after: w.after })).toEqual([
      { s: ['ok'], after: 0 },
      null,
      { s: ['insufficient'], after: 0 },
    ]);
  });
});

describe('concurrent cross-workspace batches', () => {
  it('32 clients debiting 1,000 workspaces in random order through several ledgers never deadlock', async () => {
    const prefix = uniqueId('dl');
    const ids = Array.from({ length: 1000 }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
    await sql`
      INSERT INTO workspaces (id, name, plan, status, billing_anchor)
      SELECT id, id, 'solo', 'active', now() FROM unnest(${ids}::text[]) AS id`;
    const processes = Array.from({ length: 4 }, () => testLedger(sql, undefined, { debitCallsInFlight: 3 }));
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map((ws) =>
          processes[0]!.ledger.grant(ws, {
            type: 'purchased',
            amount: 1000,
            reason: 'x',
            idempotencyKey: 'g',
          }),
        ),
      );
    }
    const perClient = 40;
    const failures: unknown[] = [];
    const debited = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 32 }, async (_, client) => {
        const ledger = processes[client % processes.length]!.ledger;
        for (let n = 0; n < perClient; n++) {
          const ws = ids[Math.floor(Math.random() * ids.length)]!;
          const amount = 1 + Math.floor(Math.random() * 5);
          try {
            await ledger.debit(ws, { amount, idempotencyKey: `c${client}-${n}` });
            debited.set(ws, (debited.get(ws) ?? 0) + amount);
          } catch (error) {
            failures.push(error);
          }
        }
      }),
    );
    expect(failures).toEqual([]);
    const rows = await sql`
      SELECT id, lifetime_used FROM workspaces WHERE id = ANY (${ids}::text[]) AND lifetime_used > 0`;
    expect(new Map(rows.map((r) => [r.id as string, r.lifetime_used as number]))).toEqual(debited);
    const [sum] = await sql`
      SELECT coalesce(sum(l.remaining), 0)::int AS remaining FROM lots l WHERE l.workspace_id = ANY (${ids}::text[])`;
    const total = [...debited.values()].reduce((s, v) => s + v, 0);
    expect(sum!.remaining).toBe(1000 * ids.length - total);
    for (const ws of shuffled([...debited.keys()]).slice(0, 25))
      expect(await verifyLedger(sql, ws)).toEqual([]);
  }, 120_000);

  it('64 calls, 12 at a time, each over 50 random workspaces in random order, never deadlock', async () => {
    const prefix = uniqueId('perm');
    const ids = Array.from({ length: 1000 }, (_, i) => `${prefix}-${i}`);
    await sql`
      INSERT INTO workspaces (id, name, plan, status, billing_anchor)
      SELECT id, id, 'solo', 'active', now() FROM unnest(${ids}::text[]) AS id`;
    const t = testLedger(sql);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids
          .slice(i, i + 50)
          .map((ws) =>
            t.ledger.grant(ws, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' }),
          ),
      );
    }
    const calls = await Promise.allSettled(
      Array.from({ length: 64 }, async (_, call) => {
        const picked = shuffled(ids).slice(0, 50);
        const batches = picked.map((ws) => ({
          ws,
          items: [{ key: `k${call}`, hash: 'h', amount: 1, source: 'api', metadata: {} }],
        }));
        const [row] = await sql<{ r: { items: { s: string }[] }[] }[]>`
          SELECT credits_debit_multi(${t.now()}, ${JSON.stringify(batches)}::text::jsonb,
                                     '{"low": 0, "critical": 0}'::jsonb) AS r`;
        return row!.r.flatMap((w) => w.items.map((i) => i.s));
      }),
    );
    const errors = calls
      .filter((c) => c.status === 'rejected')
      .map((c) => (c as PromiseRejectedResult).reason);
    expect(errors).toEqual([]);
    const outcomes = calls.flatMap((c) => (c as PromiseFulfilledResult<string[]>).value);
    expect(outcomes).toEqual(Array.from({ length: 64 * 50 }, () => 'ok'));
    const [used] = await sql`
      SELECT sum(lifetime_used)::int AS n FROM workspaces WHERE id = ANY (${ids}::text[])`;
    expect(used!.n).toBe(64 * 50);
    for (const ws of shuffled(ids).slice(0, 10)) expect(await verifyLedger(sql, ws)).toEqual([]);
  }, 120_000);
});
