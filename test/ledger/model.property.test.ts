import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LotType } from '../../ledger/types.js';
import { verifyLedger } from '../../ledger/verify.js';
import { useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';

const sql = useTestDatabase();
const PRIORITY: Record<LotType, number> = { subscription: 10, promotional: 20, trial: 30, purchased: 40 };

/** A deliberately plain model of the rules: lots in an array, everything recomputed by brute force. */
class Model {
  lots: { id: number; type: LotType; remaining: number; expiresAt: number | null; grantedAt: number }[] = [];
  debits: { amount: number; from: Map<number, number>; reversed: Map<number, number> }[] = [];
  now = 0;
  private nextId = 0;

  live() {
    return this.lots.filter((l) => l.remaining > 0 && (l.expiresAt === null || l.expiresAt > this.now));
  }
  balance() {
    return this.live().reduce((s, l) => s + l.remaining, 0);
  }
  byType() {
    const out: Record<LotType, number> = { subscription: 0, promotional: 0, trial: 0, purchased: 0 };
    for (const l of this.live()) out[l.type] += l.remaining;
    return out;
  }
  grant(type: LotType, amount: number, expiresIn: number | null) {
    this.lots.push({
      id: this.nextId++,
      type,
      remaining: amount,
      expiresAt: expiresIn === null ? null : this.now + expiresIn,
      grantedAt: this.now,
    });
  }
  debit(amount: number): boolean {
    if (amount > this.balance()) return false;
    const order = this.live().sort(
      (a, b) =>
        PRIORITY[a.type] - PRIORITY[b.type] ||
        (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) ||
        a.grantedAt - b.grantedAt ||
        a.id - b.id,
    );
    const from = new Map<number, number>();
    let left = amount;
    for (const lot of order) {
      const take = Math.min(left, lot.remaining);
      if (take === 0) continue;
      lot.remaining -= take;
      from.set(lot.id, take);
      left -= take;
    }
    this.debits.push({ amount, from, reversed: new Map() });
    return true;
  }
  /** Refunds into the lots the debit used; credits going back to an expired lot stay expired. */
  reverse(index: number, amount: number | undefined): boolean {
    const d = this.debits[index];
    if (!d) return false;
    let reversible = 0;
    for (const [id, took] of d.from) reversible += took - (d.reversed.get(id) ?? 0);
    const want = amount ?? reversible;
    if (reversible === 0 || want > reversible) return false;
    const lots = [...d.from.keys()].map((id) => this.lots.find((l) => l.id === id)!);
    lots.sort(
      (a, b) =>
        PRIORITY[b.type] - PRIORITY[a.type] ||
        (b.expiresAt ?? Infinity) - (a.expiresAt ?? Infinity) ||
        b.grantedAt - a.grantedAt ||
        b.id - a.id,
    );
    let left = want;
    for (const lot of lots) {
      const back = Math.min(left, d.from.get(lot.id)! - (d.reversed.get(lot.id) ?? 0));
      if (back <= 0) continue;
      d.reversed.set(lot.id, (d.reversed.get(lot.id) ?? 0) + back);
      if (lot.expiresAt === null || lot.expiresAt > this.now) lot.remaining += back;
      left -= back;
    }
    return true;
  }
}

type Command =
  | { op: 'grant'; type: LotType; amount: number; expiresIn: number | null }
  | { op: 'debit'; amount: number }
  | { op: 'reverse'; index: number; amount?: number }
  | { op: 'advance'; ms: number }
  | { op: 'expire' };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('grant' as const),
    type: fc.constantFrom<LotType>('subscription', 'promotional', 'trial', 'purchased'),
    amount: fc.integer({ min: 1, max: 500 }),
    expiresIn: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
  }),
  fc.record({ op: fc.constant('debit' as const), amount: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ op: fc.constant('debit' as const), amount: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    op: fc.constant('reverse' as const),
    index: fc.nat(12),
    amount: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ op: fc.constant('expire' as const) }),
);

describe('ledger against a simple model', () => {
  it('random grants, debits, reversals, expiries and clock moves keep the invariants and the model balance', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30 }), async (commands) => {
        const t = testLedger(sql);
        const ws = await t.workspace();
        const model = new Model();
        const debitIds: string[] = [];
        for (const [i, c] of commands.entries()) {
          const key = `k${i}`;
          if (c.op === 'grant') {
            model.grant(c.type, c.amount, c.expiresIn);
            await t.ledger.grant(ws, {
              type: c.type,
              amount: c.amount,
              expiresAt: c.expiresIn === null ? null : new Date(t.now().getTime() + c.expiresIn),
              reason: 'property',
              idempotencyKey: key,
            });
          } else if (c.op === 'debit') {
            const expected = model.debit(c.amount);
            const actual = await t.ledger.debit(ws, { amount: c.amount, idempotencyKey: key }).then(
              (r) => {
                debitIds.push(r.transaction.id);
                return true;
              },
              (e: { code?: string }) => {
                if (e.code !== 'insufficient_credits') throw e;
                return false;
              },
            );
            expect(actual).toBe(expected);
          } else if (c.op === 'reverse') {
            const id = debitIds[c.index];
            if (!id) continue;
            const expected = model.reverse(c.index, c.amount);
            const actual = await t.ledger.reverse(id, { idempotencyKey: key, amount: c.amount }).then(
              () => true,
              (e: { code?: string }) => {
                if (e.code !== 'conflict') throw e;
                return false;
              },
            );
            expect(actual).toBe(expected);
          } else if (c.op === 'advance') {
            t.advance(c.ms);
            model.now += c.ms;
          } else {
            await t.ledger.expireDue({ workspaceId: ws });
          }
          const balance = await t.ledger.balance(ws);
          expect(balance.total).toBe(model.balance());
          expect(balance.byType).toEqual(model.byType());
        }
        expect(await verifyLedger(sql, ws)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
