import { describe, expect, it } from 'vitest';
import type { Sql } from '../../ledger/db.js';
import { Ledger } from '../../ledger/ledger.js';
import type { Balance } from '../../ledger/types.js';
import { plainCatalog } from '../support/catalog.js';
import { useTestDatabase } from '../support/db.js';
import { DAY, testLedger } from '../support/ledger.js';

const sql = useTestDatabase();

/** The same connection pool, counting the statements sent through it. */
function counting(db: Sql): { sql: Sql; statements: () => number } {
  let n = 0;
  const wrapped = new Proxy(db, {
    apply(target, self, args) {
      n++;
      return Reflect.apply(target, self, args);
    },
  });
  return { sql: wrapped, statements: () => n };
}

/** Twelve workspaces in different states: expiring and lasting lots, debits, held and timed-out holds. */
async function variedWorkspaces(t: ReturnType<typeof testLedger>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const ws = await t.workspace();
    const expiresIn = i % 3 === 0 ? 10_000 : DAY;
    await t.ledger.grant(ws, {
      type: 'subscription',
      amount: 100 + i,
      expiresAt: new Date(t.now().getTime() + expiresIn),
      reason: 'cycle',
      idempotencyKey: 'g',
    });
    if (i % 2 === 1)
      await t.ledger.grant(ws, { type: 'purchased', amount: 7, reason: 'buy', idempotencyKey: 'p' });
    if (i % 4 === 1) await t.ledger.debit(ws, { amount: 3 + i, idempotencyKey: 'd' });
    if (i % 3 === 1) await t.ledger.placeHold(ws, { amount: 5, timeoutSeconds: 5, idempotencyKey: 'short' });
    if (i % 3 === 2)
      await t.ledger.placeHold(ws, { amount: 4, timeoutSeconds: 3600, idempotencyKey: 'long' });
    ids.push(ws);
  }
  // Short holds time out and 10-second lots lapse, with no writer having recorded either.
  t.advance(20_000);
  return ids;
}

describe('grouped balance reads', () => {
  it('answers concurrent reads of many workspaces in a few statements, each as it reads alone', async () => {
    const t = testLedger(sql);
    const ids = await variedWorkspaces(t);
    const alone: Balance[] = [];
    for (const ws of ids) alone.push(await t.ledger.balance(ws));
    expect(alone.map((b) => b.held)).toContain(4);
    expect(alone.some((b) => b.nextExpiry === null)).toBe(true);
    // credits_balance_parts spells the journal entry's columns again (entryColumns in queries.ts):
    // the last transaction must read as the transaction read does.
    for (const b of alone) {
      expect(b.lastTransaction).not.toBeNull();
      expect(b.lastTransaction).toEqual(await t.ledger.transaction(b.lastTransaction!.id));
    }

    const db = counting(sql);
    const reader = new Ledger(db.sql, plainCatalog, { clock: t.now });
    const asked = [...ids, 'no-such-workspace', ...ids];
    const answers = await Promise.allSettled(asked.map((ws) => reader.balance(ws)));
    expect(db.statements()).toBeLessThanOrEqual(3);
    answers.forEach((answer, i) => {
      const ws = asked[i]!;
      if (ws === 'no-such-workspace') {
        expect(answer).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
      } else {
        expect(answer).toEqual({ status: 'fulfilled', value: alone[ids.indexOf(ws)] });
      }
    });
  });

  it('fails only the read the database refuses; the others in its group are answered', async () => {
    const t = testLedger(sql);
    const ids = await variedWorkspaces(t);
    const alone = await Promise.all(ids.map((ws) => t.ledger.balance(ws)));
    // PostgreSQL refuses a NUL byte in text: the group's statement fails as a whole.
    const asked = [...ids.slice(0, 6), 'nul\u0000id', ...ids.slice(6)];
    const answers = await Promise.allSettled(asked.map((ws) => t.ledger.balance(ws)));
    expect(answers[6]).toMatchObject({ status: 'rejected' });
    expect(answers.filter((a) => a.status === 'fulfilled').map((a) => a.value)).toEqual(alone);
  });

  it('sees every write committed before the read was asked for, under concurrent debits and reads', async () => {
    const t = testLedger(sql);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const ws = await t.workspace();
      await t.ledger.grant(ws, { type: 'purchased', amount: 1_000, reason: 'buy', idempotencyKey: 'g' });
      ids.push(ws);
    }
    const stale: string[] = [];
    await Promise.all(
      ids.map(async (ws) => {
        for (let i = 0; i < 25; i++) {
          const debit = await t.ledger.debit(ws, { amount: 1 + (i % 3), idempotencyKey: `d${i}` });
          const read = await t.ledger.balance(ws);
          if (read.total !== debit.balance.total || read.lastTransaction?.id !== debit.transaction.id) {
            stale.push(`${ws}#${i}: read ${read.total}, debit left ${debit.balance.total}`);
          }
        }
      }),
    );
    expect(stale).toEqual([]);
  });
});
