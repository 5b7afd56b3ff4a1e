/**
 * Budgets in the node against the real API and the real raise flow (Temporal dev server and
 * worker): a debit a budget refuses goes to the second output with the budget's details, Budget →
 * Request Raise asks for more with them, and once an owner approves, the same debit passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../ledger/db.js';
import { BudgetStore } from '../../../ledger/stores/budgets.js';
import { startTestApi, type TestApi } from './support/api';
import { nodeWorkspace } from './support/node';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ temporal: true });
});

afterAll(async () => {
  await api?.close();
});

describe('Budget → Get Many and Request Raise, and budget_exceeded on the second output', () => {
  it('routes the refused debit, requests a raise from its details, and the debit passes once approved', async () => {
    const ws = await nodeWorkspace(api, 1000);
    const sql = connect(api.databaseUrl, { max: 1 });
    const budget = await new BudgetStore(sql).create(
      ws.workspaceId,
      { subjectKind: 'actor', subject: 'agent:blog', period: 'month', limit: 50 },
      { actor: 'operator', channel: 'api' },
    );
    await sql.end();
    const debit = (key: string) =>
      ws.run({
        resource: 'credit',
        operation: 'debit',
        amount: 40,
        actor: 'agent:blog',
        idempotencyKey: key,
        onInsufficientCredits: 'route',
      });

    expect((await debit('first'))[0]).toHaveLength(1);
    const [ok, refused] = await debit('second');
    expect(ok).toHaveLength(0);
    expect(refused![0]!.json.insufficientCredits).toMatchObject({
      code: 'budget_exceeded',
      budgetId: budget.id,
      limit: 50,
      used: 40,
      requested: 40,
      resetsAt: expect.any(String),
    });

    const [listed] = await ws.run({ resource: 'budget', operation: 'getAll' });
    expect(listed!.map((i) => i.json)).toEqual([
      expect.objectContaining({
        id: budget.id,
        subject: { actor: 'agent:blog' },
        limit: 50,
        used: 40,
        remaining: 10,
      }),
    ]);

    const [asked] = await ws.run(
      {
        resource: 'budget',
        operation: 'requestRaise',
        budgetId: ({ json }) => (json.insufficientCredits as { budgetId: string }).budgetId,
        amount: 30,
        reason: 'launch week',
      },
      { items: refused },
    );
    const raise = asked![0]!.json;
    expect(raise).toMatchObject({ status: 'pending_approval', budgetId: budget.id, amount: 30 });

    const approved = await api.operator('POST', `/v1/budget-raises/${String(raise.id)}/approve`, {
      by: 'owner',
    });
    expect(approved.status).toBe(200);
    const [passed, stillRefused] = await debit('second');
    expect(stillRefused ?? []).toHaveLength(0);
    expect(passed![0]!.json.transaction).toMatchObject({ amount: 40 });
  }, 120_000);
});
