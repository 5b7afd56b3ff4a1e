import { describe, expect, it } from 'vitest';
import { prepareCapture, prepareHold, prepareRelease } from '../../ledger/commands/holds.js';
import type { PreparedHoldOp } from '../../ledger/commands/types.js';
import { SQL_WRITE_PATHS, type WritePaths } from '../../ledger/commands/write-paths.js';
import type { BalanceChange, CaptureResult, HoldResult, Ledger } from '../../ledger/ledger.js';
import { verifyLedger } from '../../ledger/verify.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase(12);

/** Write paths that record the batches the ledger's hold calls carry (workspace:kind per item). */
function recordingBatches(): { calls: string[][]; writePaths: Partial<WritePaths> } {
  const calls: string[][] = [];
  return {
    calls,
    writePaths: {
      holdOps: (ctx, items) => {
        calls.push(items.map((q) => `${q.workspaceId}:${q.op.kind}`));
        return SQL_WRITE_PATHS.holdOps(ctx, items);
      },
    },
  };
}

/**
 * Into the batcher with the hold's workspace already known: a capture or release through the
 * ledger first looks its hold's owner up, so its place in the queue would depend on that read.
 */
function submit(
  ledger: Ledger,
  workspaceId: string,
  op: () => PreparedHoldOp,
): Promise<HoldResult | CaptureResult> {
  return Promise.resolve().then(() => ledger.submitHoldOp(workspaceId, op()));
}

function outcome(r: PromiseSettledResult<HoldResult | CaptureResult>): string {
  if (r.status === 'rejected') return (r.reason as { code: string }).code;
  const v = r.value;
  const what = 'transaction' in v ? `captured ${v.transaction.amount}` : `${v.hold.status} ${v.hold.amount}`;
  return `${what}${v.replayed ? ' replayed' : ''} → ${v.balance.total}/${v.balance.held}`;
}

describe('holds, captures and releases of several workspaces in one batch', () => {
  it('keeps every outcome independent: refusals, conflicts, replays, closed holds, an unknown workspace, bad input', async () => {
    const changes: BalanceChange[] = [];
    const recorded = recordingBatches();
    const t = testLedger(sql, undefined, {
      onBalanceChange: (c) => changes.push(c),
      debitCallsInFlight: 1,
      writePaths: recorded.writePaths,
    });
    const [a, b, c] = [await t.workspace(), await t.workspace(), await t.workspace()];
    await t.ledger.grant(a, { type: 'purchased', amount: 100, reason: 'x', idempotencyKey: 'g' });
    await t.ledger.grant(b, { type: 'purchased', amount: 50, reason: 'x', idempotencyKey: 'g' });
    await t.ledger.grant(c, { type: 'purchased', amount: 500, reason: 'x', idempotencyKey: 'g' });
    const stored = await t.ledger.placeHold(b, { amount: 10, idempotencyKey: 'stored' });
    const open = await t.ledger.placeHold(a, { amount: 20, idempotencyKey: 'open' });
    const done = await t.ledger.placeHold(c, { amount: 5, idempotencyKey: 'done' });
    await t.ledger.capture(done.hold.id, { amount: 5, idempotencyKey: 'done-c' });
    changes.length = 0;
    recorded.calls.length = 0; // from here on
    const calls = recorded.calls;
    const missing = uniqueId('missing');
    const hold = (ws: string, amount: number, key: string) =>
      submit(t.ledger, ws, () => prepareHold({ amount, idempotencyKey: key }));
    const capture = (ws: string, id: string, amount: number, key: string) =>
      submit(t.ledger, ws, () => prepareCapture(id, { amount, idempotencyKey: key }));
    const release = (ws: string, id: string) => submit(t.ledger, ws, () => prepareRelease(id));
    const results = await Promise.allSettled([
      hold(c, 1, 'first'), // runs alone; the rest wait for it
      hold(a, 30, 'a1'),
      hold(b, 10, 'stored'), // replay of a stored key
      hold(missing, 5, 'm1'),
      hold(a, 31, 'a1'), // conflict within the batch
      hold(b, 11, 'stored'), // conflict with a stored key
      hold(a, -3, 'bad'), // bad input: never joins the batch
      hold(b, 41, 'b-big'), // insufficient: 40 left
      capture(a, open.hold.id, 21, 'too-much'), // more than held
      capture(a, open.hold.id, 15, 'a-cap'), // 5 go back
      release(a, open.hold.id), // captured just before, in this batch
      capture(c, done.hold.id, 1, 'c-again'), // closed before
      release(b, stored.hold.id),
      release(b, stored.hold.id), // a second release is a no-op
      hold(a, 30, 'a1'), // replay within the batch
      release(c, open.hold.id), // a hold of another workspace
    ]);
    expect(results.map(outcome)).toEqual([
      'active 1 → 494/1',
      'active 30 → 50/50',
      'active 10 replayed → 40/10',
      'not_found',
      'idempotency_conflict',
      'idempotency_conflict',
      'invalid_request',
      'insufficient_credits',
      'invalid_request',
      'captured 15 → 55/30',
      'hold_not_active',
      'hold_not_active',
      'released 10 → 50/0',
      'released 10 replayed → 50/0',
      'active 30 replayed → 50/50',
      'not_found',
    ]);
    expect((results[7] as PromiseRejectedResult).reason.details).toEqual({ required: 41, available: 40 });
    expect((results[8] as PromiseRejectedResult).reason.details).toEqual({
      fields: [{ field: 'amount', message: '21 exceeds the held amount 20' }],
    });
    expect((results[11] as PromiseRejectedResult).reason.details).toEqual({
      holdId: done.hold.id,
      status: 'captured',
    });
    expect((results[2] as PromiseFulfilledResult<HoldResult>).value.hold.id).toBe(stored.hold.id);
    // One call for the first and one for all the others (the bad item never reached the database).
    expect(calls.map((batch) => batch.length)).toEqual([1, 14]);
    // One balance change per workspace of the batch that changed.
    const of = (ws: string) => changes.filter((ch) => ch.workspaceId === ws);
    expect(of(a)).toEqual([
      expect.objectContaining({ before: 80, after: 55, transactionIds: [expect.any(String)] }),
    ]);
    expect(of(b)).toEqual([expect.objectContaining({ before: 40, after: 50, transactionIds: [] })]);
    expect(of(c)).toEqual([expect.objectContaining({ before: 495, after: 494, transactionIds: [] })]);
    const [row] = await sql`SELECT count(*)::int AS n FROM holds WHERE workspace_id = ${missing}`;
    expect(row!.n).toBe(0);
    for (const ws of [a, b, c]) expect(await verifyLedger(sql, ws)).toEqual([]);
    expect((await t.ledger.balance(a)).lifetimeUsed).toBe(15);
  });
});

describe('concurrent cross-workspace hold batches', () => {
  it('32 clients holding, capturing, releasing and debiting over 1,000 workspaces never deadlock', async () => {
    const prefix = uniqueId('hdl');
    const ids = Array.from({ length: 1000 }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
    await sql`
      INSERT INTO workspaces (id, name, plan, status, billing_anchor)
      SELECT id, id, 'solo', 'active', now() FROM unnest(${ids}::text[]) AS id`;
    const processes = Array.from({ length: 4 }, () => testLedger(sql, undefined, { debitCallsInFlight: 2 }));
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
    const failures: unknown[] = [];
    const used = new Map<string, number>();
    const spend = (ws: string, n: number) => used.set(ws, (used.get(ws) ?? 0) + n);
    await Promise.all(
      Array.from({ length: 32 }, async (_, client) => {
        const ledger = processes[client % processes.length]!.ledger;
        for (let n = 0; n < 20; n++) {
          const ws = ids[Math.floor(Math.random() * ids.length)]!;
          const amount = 2 + Math.floor(Math.random() * 5);
          try {
            const { hold } = await ledger.placeHold(ws, { amount, idempotencyKey: `h${client}-${n}` });
            // Meanwhile another workspace is debited, so hold and debit calls overlap.
            const other = ids[Math.floor(Math.random() * ids.length)]!;
            await Promise.all([
              n % 3 === 0
                ? ledger.release(hold.id)
                : ledger
                    .capture(hold.id, { amount: amount - 1, idempotencyKey: `c${client}-${n}` })
                    .then(() => {
                      spend(ws, amount - 1);
                    }),
              ledger.debit(other, { amount: 1, idempotencyKey: `d${client}-${n}` }).then(() => {
                spend(other, 1);
              }),
            ]);
          } catch (error) {
            failures.push(error);
          }
        }
      }),
    );
    expect(failures).toEqual([]);
    const rows = await sql`
      SELECT id, lifetime_used FROM workspaces WHERE id = ANY (${ids}::text[]) AND lifetime_used > 0`;
    expect(new Map(rows.map((r) => [r.id as string, r.lifetime_used as number]))).toEqual(used);
    const [left] = await sql`
      SELECT coalesce(sum(l.remaining), 0)::int AS remaining,
             (SELECT count(*)::int FROM holds h WHERE h.workspace_id = ANY (${ids}::text[]) AND h.status = 'active') AS active
        FROM lots l WHERE l.workspace_id = ANY (${ids}::text[])`;
    const total = [...used.values()].reduce((s, v) => s + v, 0);
    expect(left).toEqual({ remaining: 1000 * ids.length - total, active: 0 });
    for (const ws of [...used.keys()].slice(0, 25)) expect(await verifyLedger(sql, ws)).toEqual([]);
  }, 120_000);
});
