import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../ledger/migrate.js';
import { BudgetStore, budgetPeriod } from '../../../ledger/stores/budgets.js';
import { verifyLedger } from '../../../ledger/verify.js';
import { ownDatabase } from '../../support/db.js';
import { testLedger } from '../../support/ledger.js';

const by = { actor: 'operator', channel: 'api' };

describe('migration 021: budgets', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase('m021');
    await migrate(db.sql, { through: '020_web_access' });
  });
  afterAll(() => db?.drop());

  it('adds the budget tables and keeps every row; old entries and holds count toward no budget', async () => {
    const t = testLedger(db.sql);
    const ws = await t.workspace();
    await t.ledger.grant(ws, { type: 'subscription', amount: 100, reason: 'x', idempotencyKey: 'g' });
    await t.ledger.debit(ws, { amount: 10, idempotencyKey: 'd', actor: 'member:sam' });
    await t.ledger.placeHold(ws, { amount: 5, idempotencyKey: 'h' });
    const journal = await db.sql`SELECT * FROM journal WHERE workspace_id = ${ws} ORDER BY id`;

    expect((await migrate(db.sql, { through: '021_budgets' })).applied).toEqual(['021_budgets']);
    await migrate(db.sql);

    const after = await db.sql`SELECT * FROM journal WHERE workspace_id = ${ws} ORDER BY id`;
    expect(after.map(({ budgets, ...r }) => r)).toEqual([...journal]);
    expect(after.every((r) => r.budgets === null)).toBe(true);
    const [hold] = await db.sql`SELECT budgets FROM holds WHERE workspace_id = ${ws}`;
    expect(hold!.budgets).toBeNull();

    // Constraints: a limit above zero, a known period and subject kind, one live budget per subject.
    const bad = [
      db.sql`INSERT INTO budgets (id, workspace_id, subject_kind, subject, period, limit_credits)
             VALUES ('bud_00000000', ${ws}, 'member', 'sam', 'month', 0)`,
      db.sql`INSERT INTO budgets (id, workspace_id, subject_kind, subject, period, limit_credits)
             VALUES ('bud_00000001', ${ws}, 'member', 'sam', 'year', 10)`,
      db.sql`INSERT INTO budgets (id, workspace_id, subject_kind, subject, period, limit_credits)
             VALUES ('bud_00000002', ${ws}, 'team', 'sam', 'month', 10)`,
    ];
    for (const q of bad) await expect(q).rejects.toMatchObject({ code: '23514' });
    const store = new BudgetStore(db.sql);
    const b = await store.create(
      ws,
      { subjectKind: 'member', subject: 'sam', period: 'month', limit: 50 },
      by,
    );
    await expect(
      store.create(ws, { subjectKind: 'member', subject: 'sam', period: 'month', limit: 60 }, by),
    ).rejects.toMatchObject({ code: 'conflict' });
    await store.softDelete(b.id, by);
    await store.create(ws, { subjectKind: 'member', subject: 'sam', period: 'month', limit: 60 }, by);

    // A budget counts from its creation: the debit before it is not in its usage.
    const [usage] = [...(await store.usage(ws, t.now())).values()];
    expect(usage).toMatchObject({ used: 0, limit: 60, remaining: 60 });
    await db.sql`INSERT INTO alert_events (workspace_id, type, balance, created_at)
                 VALUES (${ws}, 'budget.threshold', 0, now())`;
    expect(await verifyLedger(db.sql, ws)).toEqual([]);
  });

  it('computes periods in UTC, and cycles from the billing anchor clamped to short months', async () => {
    const t = testLedger(db.sql, new Date('2026-01-31T10:00:00Z'));
    const ws = await t.workspace();
    const at = new Date('2026-03-04T05:06:07Z'); // a Wednesday
    const iso = async (p: 'day' | 'week' | 'month' | 'cycle', when = at) => {
      const { start, end } = await budgetPeriod(db.sql, ws, p, when);
      return [start.toISOString(), end.toISOString()];
    };
    expect(await iso('day')).toEqual(['2026-03-04T00:00:00.000Z', '2026-03-05T00:00:00.000Z']);
    expect(await iso('week')).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z']);
    expect(await iso('month')).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(await iso('cycle')).toEqual(['2026-02-28T10:00:00.000Z', '2026-03-31T10:00:00.000Z']);
    expect(await iso('cycle', new Date('2026-03-31T10:00:00Z'))).toEqual([
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
    ]);
    expect(await iso('cycle', new Date('2026-01-31T09:00:00Z'))).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
    ]);
  });
});
