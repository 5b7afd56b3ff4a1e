import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareCapture, prepareHold, prepareRelease } from '../../ledger/commands/holds.js';
import type { Sql } from '../../ledger/db.js';
import type { CaptureResult, HoldResult } from '../../ledger/ledger.js';
import type { Hold, LotType } from '../../ledger/types.js';
import { verifyLedger } from '../../ledger/verify.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { propertyRuns } from '../support/runs.js';
import { lotRanks, normTx, snapshot } from './debit-reference.js';
import { sqlAndReference } from './differential.js';

const sql = useTestDatabase(30);
const RUNS = propertyRuns({ local: 20, ci: 100, override: 'HOLD_FUNCTION_RUNS' });
const WORKSPACES = 3;

/** `ws` is a workspace of the run, or WORKSPACES for one that does not exist; `target` picks a hold placed earlier. */
type Op = {
  kind: 'hold' | 'capture' | 'release';
  ws: number;
  amount: number;
  timeout: number;
  key: number;
  variant: number;
  target: number;
  elsewhere: boolean;
};
type Command =
  | { op: 'grant'; ws: number; type: LotType; amount: number; expiresIn: number | null }
  | { op: 'debit'; ws: number; amount: number; key: number }
  | { op: 'holds'; items: Op[] }
  | { op: 'advance'; ms: number };

const wsIndex = fc.nat(WORKSPACES - 1);
const holdOp: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom<Op['kind']>('hold', 'hold', 'capture', 'capture', 'release'),
  ws: fc.nat(WORKSPACES),
  amount: fc.integer({ min: 1, max: 70 }),
  timeout: fc.integer({ min: 1, max: 5 }),
  key: fc.nat(8),
  variant: fc.nat(1),
  target: fc.nat(20),
  elsewhere: fc.boolean(),
});
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('grant' as const),
      ws: wsIndex,
      type: fc.constantFrom<LotType>('subscription', 'promotional', 'trial', 'purchased'),
      amount: fc.integer({ min: 1, max: 200 }),
      expiresIn: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('debit' as const),
      ws: wsIndex,
      amount: fc.integer({ min: 1, max: 40 }),
      key: fc.nat(8),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('holds' as const),
      items: fc.array(holdOp, { minLength: 1, maxLength: 14 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
  },
);

async function holdRanks(sql: Sql, ws: string): Promise<Map<string, number>> {
  const rows = await sql`SELECT id FROM holds WHERE workspace_id = ${ws} ORDER BY id`;
  return new Map(rows.map((r, i) => [String(r.id), i]));
}

function normHold(h: Hold, holds: Map<string, number>) {
  const { id, workspaceId: _ws, captureTransactionId, ...rest } = h;
  return { ...rest, id: holds.get(id), captured: captureTransactionId === null ? null : 'tx' };
}

function norm(
  r: PromiseSettledResult<HoldResult | CaptureResult>,
  lots: Map<string, number>,
  holds: Map<string, number>,
  placed: Map<string, number>,
) {
  if (r.status === 'rejected') {
    // Hold ids differ between the sides: name them by the order they were placed in.
    const e = r.reason as { code?: string; message?: string; details?: unknown };
    const byOrder = (id: string) => (placed.has(id) ? `#${placed.get(id)}` : id);
    const details = e.details as { holdId?: string; hold?: string } | undefined;
    return {
      error: e.code ?? String(r.reason),
      message: (e.message ?? '').replace(
        /\bhold ("?)(\d+)/,
        (_, q: string, id: string) => `hold ${q}${byOrder(id)}`,
      ),
      details: details && {
        ...details,
        ...(details.holdId !== undefined ? { holdId: byOrder(details.holdId) } : {}),
        ...(details.hold !== undefined ? { hold: byOrder(details.hold) } : {}),
      },
    };
  }
  const { hold, balance, replayed } = r.value;
  const { workspaceId: _ws, lastTransaction, nextExpiry, ...b } = balance;
  return {
    replayed,
    hold: normHold(hold, holds),
    transaction: 'transaction' in r.value ? normTx(r.value.transaction, lots, holds) : undefined,
    balance: {
      ...b,
      nextExpiry: nextExpiry && { amount: nextExpiry.amount, at: nextExpiry.at },
      lastTransaction: normTx(lastTransaction, lots, holds),
    },
  };
}

describe('credits_hold_multi (SQL) against the TypeScript hold rules, over several workspaces', () => {
  it('gives every hold, capture and release the same outcome and leaves every workspace in the same state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 3, maxLength: 18 }),
        fc.integer({ min: 1, max: 3 }),
        async (commands, callsInFlight) => {
          const { sqlSide, refSide } = sqlAndReference(sql, { debitCallsInFlight: callsInFlight });
          const unknown = uniqueId('missing');
          const sides = [
            { t: sqlSide, ids: [] as string[], holds: [] as { id: string; ws: number }[] },
            { t: refSide, ids: [] as string[], holds: [] as { id: string; ws: number }[] },
          ];
          for (const s of sides) {
            s.ids = [
              ...(await Promise.all(Array.from({ length: WORKSPACES }, () => s.t.workspace()))),
              unknown,
            ];
          }
          for (const [i, c] of commands.entries()) {
            if (c.op === 'grant' || c.op === 'debit') {
              const status = [];
              for (const s of sides) {
                const ws = s.ids[c.ws]!;
                const [r] = await Promise.allSettled([
                  c.op === 'grant'
                    ? s.t.ledger.grant(ws, {
                        type: c.type,
                        amount: c.amount,
                        expiresAt: c.expiresIn === null ? null : new Date(s.t.now().getTime() + c.expiresIn),
                        reason: 'property',
                        idempotencyKey: `g${i}`,
                      })
                    : s.t.ledger.debit(ws, { amount: c.amount, idempotencyKey: `k${c.key}` }),
                ]);
                status.push(r!.status);
              }
              expect(status[0]).toBe(status[1]);
            } else if (c.op === 'holds') {
              const answers = [];
              for (const s of sides) {
                // Submitted together: the first runs alone, the rest go in batches mixing workspaces.
                const settled = await Promise.allSettled(
                  c.items.map((it) => {
                    const target = s.holds.length > 0 ? s.holds[it.target % s.holds.length] : undefined;
                    if (it.kind === 'hold' || !target) {
                      return s.t.ledger.submitHoldOp(
                        s.ids[it.ws]!,
                        prepareHold({
                          amount: it.amount,
                          timeoutSeconds: it.timeout,
                          idempotencyKey: `k${it.key}`,
                          metadata: { v: it.variant },
                        }),
                      );
                    }
                    // Now and then the hold is asked for in a workspace it does not belong to.
                    const ws = it.elsewhere ? s.ids[(target.ws + 1) % s.ids.length]! : s.ids[target.ws]!;
                    return s.t.ledger.submitHoldOp(
                      ws,
                      it.kind === 'capture'
                        ? prepareCapture(target.id, {
                            amount: it.amount,
                            idempotencyKey: `k${it.key}`,
                            metadata: { c: it.variant },
                            actor: it.variant === 0 ? null : 'user:capturer',
                          })
                        : prepareRelease(target.id),
                    );
                  }),
                );
                settled.forEach((r, k) => {
                  if (r.status === 'fulfilled' && c.items[k]!.kind === 'hold' && !r.value.replayed) {
                    s.holds.push({ id: r.value.hold.id, ws: c.items[k]!.ws });
                  }
                });
                const lots = await Promise.all(s.ids.map((ws) => lotRanks(sql, ws)));
                const holds = await Promise.all(s.ids.map((ws) => holdRanks(sql, ws)));
                const placed = new Map(s.holds.map((h, k) => [h.id, k]));
                answers.push(
                  settled.map((r, k) => {
                    const ws =
                      r.status === 'fulfilled' ? s.ids.indexOf(r.value.hold.workspaceId) : c.items[k]!.ws;
                    return norm(r, lots[ws]!, holds[ws]!, placed);
                  }),
                );
              }
              expect(answers[0]).toEqual(answers[1]);
            } else {
              for (const s of sides) s.t.advance(c.ms);
            }
          }
          for (let w = 0; w < WORKSPACES; w++) {
            const [a, b] = [sides[0]!.ids[w]!, sides[1]!.ids[w]!];
            const [ba, bb] = [await sqlSide.ledger.balance(a), await refSide.ledger.balance(b)];
            const [ka, kb] = [await lotRanks(sql, a), await lotRanks(sql, b)];
            const [ha, hb] = [await holdRanks(sql, a), await holdRanks(sql, b)];
            expect({ ...ba, workspaceId: '', lastTransaction: normTx(ba.lastTransaction, ka, ha) }).toEqual({
              ...bb,
              workspaceId: '',
              lastTransaction: normTx(bb.lastTransaction, kb, hb),
            });
            expect(await snapshot(sql, a)).toEqual(await snapshot(sql, b));
            expect(await verifyLedger(sql, a)).toEqual([]);
          }
          const [missing] = await sql`SELECT count(*)::int AS n FROM holds WHERE workspace_id = ${unknown}`;
          expect(missing!.n).toBe(0);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});
