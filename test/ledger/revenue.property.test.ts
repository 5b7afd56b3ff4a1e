import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromMinor, valueOut } from '../../ledger/money.js';
import { revenueRows, tiesOut, totalOf } from '../../ledger/revenue.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';
import { paidPurchase } from '../support/paid-purchase.js';

const sql = useTestDatabase();
const HOUR = 3600 * 1000;
const START = new Date('2026-11-20T00:00:00Z');
const END = new Date('2100-01-01T00:00:00Z');

const op = fc.oneof(
  fc.record({
    kind: fc.constant('buy' as const),
    credits: fc.integer({ min: 1, max: 700 }),
    cents: fc.integer({ min: 1, max: 99_999 }),
    expiresInHours: fc.option(fc.integer({ min: 1, max: 24 * 40 })),
  }),
  fc.record({ kind: fc.constant('promo' as const), credits: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('debit' as const), amount: fc.integer({ min: 1, max: 400 }) }),
  fc.record({
    kind: fc.constant('hold' as const),
    amount: fc.integer({ min: 1, max: 200 }),
    capturePct: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({
    kind: fc.constant('reverse' as const),
    pick: fc.nat(),
    part: fc.option(fc.integer({ min: 1, max: 50 })),
  }),
  fc.record({ kind: fc.constant('refund' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('adjust' as const), amount: fc.integer({ min: 1, max: 100 }) }),
  fc.record({
    kind: fc.constant('advance' as const),
    hours: fc.integer({ min: 1, max: 24 * 25 }),
    sweep: fc.boolean(),
  }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Refusals the ledger is expected to give for some random steps (nothing left, insufficient, held…). */
const expected = (err: unknown) =>
  ['conflict', 'insufficient_credits', 'hold_not_active'].includes((err as { code?: string }).code ?? '');

async function run(ops: Op[], cuts: number[]): Promise<void> {
  const t = testLedger(sql, START);
  const ws = await t.workspace();
  const purchases: string[] = [];
  const lots: string[] = [];
  const debits: string[] = [];
  let n = 0;
  for (const o of ops) {
    const key = `k${n++}`;
    try {
      if (o.kind === 'buy') {
        const expiresAt =
          o.expiresInHours === null ? null : new Date(t.now().getTime() + o.expiresInHours * HOUR);
        const p = await paidPurchase(sql, t.ledger, ws, {
          credits: o.credits,
          price: fromMinor(BigInt(o.cents)),
          expiresAt,
        });
        purchases.push(p.id);
        lots.push(p.lotId!);
      } else if (o.kind === 'promo') {
        const g = await t.ledger.grant(ws, {
          type: 'promotional',
          amount: o.credits,
          reason: 'promo',
          idempotencyKey: key,
        });
        lots.push(g.lot.id);
      } else if (o.kind === 'debit') {
        debits.push((await t.ledger.debit(ws, { amount: o.amount, idempotencyKey: key })).transaction.id);
      } else if (o.kind === 'hold') {
        const h = await t.ledger.placeHold(ws, { amount: o.amount, idempotencyKey: key });
        const take = Math.floor((o.amount * o.capturePct) / 100);
        if (take === 0) await t.ledger.release(h.hold.id);
        else
          debits.push(
            (await t.ledger.capture(h.hold.id, { amount: take, idempotencyKey: `${key}c` })).transaction.id,
          );
      } else if (o.kind === 'reverse' && debits.length > 0) {
        const id = debits[o.pick % debits.length]!;
        await t.ledger.reverse(id, { idempotencyKey: key, ...(o.part === null ? {} : { amount: o.part }) });
      } else if (o.kind === 'refund' && purchases.length > 0) {
        await t.ledger.refundPurchase(purchases[o.pick % purchases.length]!, { idempotencyKey: key });
      } else if (o.kind === 'void' && lots.length > 0) {
        await t.ledger.voidLot(lots[o.pick % lots.length]!, { reason: 'test', idempotencyKey: key });
      } else if (o.kind === 'adjust') {
        await t.ledger.adjust(ws, { amount: -o.amount, reason: 'correction', idempotencyKey: key });
      } else if (o.kind === 'advance') {
        t.advance(o.hours * HOUR);
        if (o.sweep) await t.ledger.expireDue({ workspaceId: ws });
      }
    } catch (err) {
      if (!expected(err)) throw err;
    }
  }

  // Every month ties out and continues from the one before; refunds match their entries.
  expect(await verifyLedger(sql, ws)).toEqual([]);

  // Any split of time into periods ties out per period, chains, and adds up to the whole.
  const edges = [
    START,
    ...cuts.map((h) => new Date(START.getTime() + h * HOUR)).sort((a, b) => +a - +b),
    END,
  ];
  const whole = await revenueRows(sql, { from: START, to: END, currency: 'USD', workspaceId: ws });
  const parts = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    if (+edges[i]! === +edges[i + 1]!) continue;
    const [row] = await revenueRows(sql, {
      from: edges[i]!,
      to: edges[i + 1]!,
      currency: 'USD',
      workspaceId: ws,
    });
    if (!row) continue;
    expect(tiesOut(row)).toBe(true);
    if (parts.length > 0) expect(row.openingDeferred).toBe(parts.at(-1)!.closingDeferred);
    parts.push(row);
  }
  const sum = totalOf(parts);
  const total = totalOf(whole);
  expect({ ...sum, openingDeferred: 0n, closingDeferred: 0n }).toEqual({
    ...total,
    openingDeferred: 0n,
    closingDeferred: 0n,
  });

  // Independently of the journal: the money still in the lots (remaining plus held credits) and what was paid.
  const rows = await sql`
    SELECT l.price_minor::text AS p, l.amount, l.remaining,
           coalesce((SELECT sum(hl.amount) FROM hold_lots hl JOIN holds h ON h.id = hl.hold_id
                      WHERE hl.lot_id = l.id AND h.status = 'active'), 0)::bigint AS held
      FROM lots l WHERE l.workspace_id = ${ws} AND l.price_minor > 0`;
  let paid = 0n;
  let deferred = 0n;
  for (const r of rows) {
    const p = BigInt(r.p as string);
    const amount = BigInt(r.amount);
    paid += p;
    deferred += p - valueOut(p, amount, amount - BigInt(r.remaining) - BigInt(r.held));
  }
  expect(total.sold).toBe(paid);
  expect(total.closingDeferred).toBe(deferred);
  expect(total.openingDeferred).toBe(0n);
  expect(tiesOut(total)).toBe(true);
  const [refunds] = await sql`
    SELECT coalesce(sum(amount_minor), 0)::text AS s FROM refunds WHERE workspace_id = ${ws}`;
  expect(total.refunded).toBe(BigInt(refunds!.s as string));
}

describe('revenue ties out exactly, whatever happens to the credits', () => {
  it('random purchases, debits, captures, expiries, refunds, voids, reversals and adjustments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 5, maxLength: 35 }),
        fc.array(fc.integer({ min: 0, max: 24 * 120 }), { maxLength: 4 }),
        run,
      ),
      { numRuns: process.env.CI ? 40 : 20, endOnFailure: true },
    );
  }, 240_000);
});
