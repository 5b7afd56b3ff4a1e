import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import type { LotType } from '../../ledger/types.js';
import { verifyLedger } from '../../ledger/verify.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { propertyRuns } from '../support/runs.js';
import { lotRanks, normResult, normTx, snapshot } from './debit-reference.js';
import { sqlAndReference } from './differential.js';

const sql = useTestDatabase(30);
const RUNS = propertyRuns({ local: 20, ci: 100, override: 'DEBIT_FUNCTION_RUNS' });
const WORKSPACES = 4;

/** `ws` is a workspace of the run, or WORKSPACES for one that does not exist. */
type Item = { ws: number; amount?: number; units?: number; key: number; variant: number };
type Command =
  | { op: 'grant'; ws: number; type: LotType; amount: number; expiresIn: number | null }
  | { op: 'hold'; ws: number; amount: number; timeout: number }
  | { op: 'debits'; items: Item[] }
  | { op: 'advance'; ms: number };

const item: fc.Arbitrary<Item> = fc.record({
  ws: fc.nat(WORKSPACES),
  amount: fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }),
  units: fc.integer({ min: 1, max: 5 }),
  key: fc.nat(6),
  variant: fc.nat(1),
});

const wsIndex = fc.nat(WORKSPACES - 1);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('grant' as const),
      ws: wsIndex,
      type: fc.constantFrom<LotType>('subscription', 'promotional', 'trial', 'purchased'),
      amount: fc.integer({ min: 1, max: 200 }),
      expiresIn: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('hold' as const),
      ws: wsIndex,
      amount: fc.integer({ min: 1, max: 60 }),
      timeout: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('debits' as const),
      items: fc.array(item, { minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
  },
);

describe('credits_debit_multi (SQL) against the TypeScript debit rules, over several workspaces', () => {
  it('gives every item the same outcome and leaves every workspace in the same state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 3, maxLength: 20 }),
        fc.integer({ min: 1, max: 3 }),
        async (commands, callsInFlight) => {
          const { sqlSide, refSide } = sqlAndReference(sql, { debitCallsInFlight: callsInFlight });
          // The same unknown id on both sides, so its not_found answers compare equal.
          const unknown = uniqueId('missing');
          const a = [
            ...(await Promise.all(Array.from({ length: WORKSPACES }, () => sqlSide.workspace()))),
            unknown,
          ];
          const b = [
            ...(await Promise.all(Array.from({ length: WORKSPACES }, () => refSide.workspace()))),
            unknown,
          ];
          const both = async <T>(ws: number, f: (l: Ledger, ws: string) => Promise<T>) => {
            const [ra] = await Promise.allSettled([f(sqlSide.ledger, a[ws]!)]);
            const [rb] = await Promise.allSettled([f(refSide.ledger, b[ws]!)]);
            expect(ra!.status).toBe(rb!.status);
          };
          for (const [i, c] of commands.entries()) {
            if (c.op === 'grant') {
              await both(c.ws, (l, ws) =>
                l.grant(ws, {
                  type: c.type,
                  amount: c.amount,
                  expiresAt: c.expiresIn === null ? null : new Date(sqlSide.now().getTime() + c.expiresIn),
                  reason: 'property',
                  idempotencyKey: `g${i}`,
                }),
              );
            } else if (c.op === 'hold') {
              await both(c.ws, (l, ws) =>
                l.placeHold(ws, { amount: c.amount, timeoutSeconds: c.timeout, idempotencyKey: `h${i}` }),
              );
            } else if (c.op === 'debits') {
              // Submitted together: the first runs alone, the rest go in batches mixing workspaces.
              const run = (l: Ledger, ids: string[]) =>
                Promise.allSettled(
                  c.items.map((it) =>
                    l.debit(ids[it.ws]!, {
                      ...(it.amount !== undefined
                        ? { amount: it.amount }
                        : { operation: 'unit', quantity: it.units }),
                      idempotencyKey: `d${it.key}`,
                      metadata: { v: it.variant },
                    }),
                  ),
                );
              const ra = await run(sqlSide.ledger, a);
              const rb = await run(refSide.ledger, b);
              const ranksA = await Promise.all(a.map((ws) => lotRanks(sql, ws)));
              const ranksB = await Promise.all(b.map((ws) => lotRanks(sql, ws)));
              expect(ra.map((r, k) => normResult(r, ranksA[c.items[k]!.ws]!))).toEqual(
                rb.map((r, k) => normResult(r, ranksB[c.items[k]!.ws]!)),
              );
            } else {
              sqlSide.advance(c.ms);
              refSide.advance(c.ms);
            }
          }
          for (let w = 0; w < WORKSPACES; w++) {
            const [ba, bb] = [await sqlSide.ledger.balance(a[w]!), await refSide.ledger.balance(b[w]!)];
            const [ka, kb] = [await lotRanks(sql, a[w]!), await lotRanks(sql, b[w]!)];
            expect({ ...ba, workspaceId: '', lastTransaction: normTx(ba.lastTransaction, ka) }).toEqual({
              ...bb,
              workspaceId: '',
              lastTransaction: normTx(bb.lastTransaction, kb),
            });
            expect(await snapshot(sql, a[w]!)).toEqual(await snapshot(sql, b[w]!));
            expect(await verifyLedger(sql, a[w]!)).toEqual([]);
          }
          const [missing] = await sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${unknown}`;
          expect(missing!.n).toBe(0);
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});
