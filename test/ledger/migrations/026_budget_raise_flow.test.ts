import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../ledger/migrate.js';
import { BudgetRaiseStore } from '../../../ledger/stores/budget-raises.js';
import { BudgetStore } from '../../../ledger/stores/budgets.js';
import { ownDatabase } from '../../support/db.js';
import { testLedger } from '../../support/ledger.js';

describe('migration 026: what the raise approval flow records', () => {
  let db: Awaited<ReturnType<typeof ownDatabase>>;
  beforeAll(async () => {
    db = await ownDatabase('m026');
    await migrate(db.sql, { through: '021_budgets' });
  });
  afterAll(() => db?.drop());

  it('keeps the raises made before it, adds deadline, source and outcome, and decision tickets tied to a raise', async () => {
    const t = testLedger(db.sql);
    const ws = await t.workspace();
    const budget = await new BudgetStore(db.sql).create(
      ws,
      { subjectKind: 'member', subject: 'sam', period: 'month', limit: 500 },
      { actor: 'operator', channel: 'api' },
    );
    await db.sql`
      INSERT INTO budget_raises (id, workspace_id, budget_id, amount, reason, status, requested_by, period_start, period_end)
      VALUES ('raise_00000001', ${ws}, ${budget.id}, 200, 'launch', 'pending_approval', 'member:sam',
              '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z')`;
    const before = await db.sql`SELECT * FROM budget_raises ORDER BY id`;

    await migrate(db.sql);

    const after = await db.sql`SELECT * FROM budget_raises ORDER BY id`;
    expect(after.map(({ approval_deadline, source, outcome, ...r }) => r)).toEqual([...before]);
    expect(after[0]).toMatchObject({ approval_deadline: null, source: 'api', outcome: null });

    const store = new BudgetRaiseStore(db.sql);
    const ticket = await store.recordDecision({
      raiseId: 'raise_00000001',
      by: 'olivia',
      approved: true,
      channel: 'slack',
    });
    expect(await store.decision(ticket)).toEqual({ raiseId: 'raise_00000001', by: 'olivia', approved: true });
    await expect(
      store.recordDecision({ raiseId: 'raise_99999999', by: 'olivia', approved: true }),
    ).rejects.toThrow(/foreign key/);
    // Settled once, through the channel its ticket recorded; a second outcome changes nothing.
    await store.settle('raise_00000001', { status: 'approved', decidedBy: 'olivia' });
    await store.settle('raise_00000001', { status: 'rejected', decidedBy: 'mallory' });
    expect(await store.get('raise_00000001')).toMatchObject({
      status: 'approved',
      decidedBy: 'olivia',
      decidedVia: 'slack',
      decidedAt: expect.any(String),
    });
  });
});
