import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotCore } from '../../bots/core/core.js';
import { createApp } from '../../integrations/api/app.js';
import { BudgetStore } from '../../ledger/stores/budgets.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { approveRaise } from '../../workflows/budget-raise/definitions.js';
import { TemporalRaises } from '../../workflows/budget-raise/service.js';
import type { budgetRaiseWorkflow } from '../../workflows/budget-raise/workflow.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';

const OPERATOR = 'op_budget_raise_0123456789';
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('budget-raise'),
    workflowBundle: temporal.bundle(),
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
});

function api() {
  const app = createApp({ ...ctx, operatorKey: OPERATOR, purchases: running.purchases });
  return async (method: string, path: string, key: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
    return { status: res.status, body: (await res.json()) as any };
  };
}

/** A workspace with an owner, a member (sam), credits, and keys: sam's, an agent's, the owner's. */
async function setUp(call: ReturnType<typeof api>) {
  const ws = uniqueId('raise');
  await call('POST', '/v1/workspaces', OPERATOR, { id: ws, name: ws, plan: 'business', status: 'active' });
  await call('POST', `/v1/workspaces/${ws}/members`, OPERATOR, {
    id: 'olivia',
    name: 'Olivia',
    role: 'owner',
  });
  await call('POST', `/v1/workspaces/${ws}/members`, OPERATOR, { id: 'sam', name: 'Sam', role: 'member' });
  await call('POST', `/v1/workspaces/${ws}/grants`, OPERATOR, {
    type: 'promotional',
    amount: 10_000,
    reason: 'test',
    idempotencyKey: `g-${ws}`,
  });
  const key = async (name: string, scopes: string[], memberId?: string) =>
    (await call('POST', `/v1/workspaces/${ws}/api-keys`, OPERATOR, { name, scopes, memberId })).body as {
      id: string;
      key: string;
    };
  const sam = await key('sam', ['balance:read', 'credits:spend'], 'sam');
  const agent = await key('agent', ['balance:read', 'credits:spend']);
  const owner = await key('olivia', ['balance:read', 'purchases:approve'], 'olivia');
  const budgets = new BudgetStore(sql);
  const by = { actor: 'operator', channel: 'api' as const };
  const samBudget = await budgets.create(
    ws,
    { subjectKind: 'member', subject: 'sam', period: 'month', limit: 500 },
    by,
  );
  const agentBudget = await budgets.create(
    ws,
    { subjectKind: 'api_key', subject: agent.id, period: 'day', limit: 100 },
    by,
  );
  return { ws, sam, agent, owner, samBudget, agentBudget };
}

describe('budget raises through the API, on the real dev server', () => {
  it('the spender asks, bad input and side doors are refused, the owner approves, and the debit may use it', async () => {
    const call = api();
    const { ws, sam, agent, owner, samBudget, agentBudget } = await setUp(call);

    // Bad input: 400 naming the field, nothing written.
    for (const [body, field] of [
      [{ amount: 0, reason: 'x' }, 'amount'],
      [{ amount: -5, reason: 'x' }, 'amount'],
      [{ amount: 1.5, reason: 'x' }, 'amount'],
      [{ amount: 10 }, 'reason'],
      [{ amount: 10, reason: '   ' }, 'reason'],
    ] as const) {
      const r = await call('POST', `/v1/budgets/${agentBudget.id}/raises`, agent.key, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body.error.details)).toContain(field);
    }
    // Side doors: another spender's budget (403), an unknown or another workspace's budget (404).
    const other = await call('POST', `/v1/budgets/${samBudget.id}/raises`, agent.key, {
      amount: 10,
      reason: 'mine now',
    });
    expect(other.status).toBe(403);
    const unknown = await call('POST', '/v1/budgets/bud_00000000/raises', agent.key, {
      amount: 10,
      reason: 'x',
    });
    expect(unknown.status).toBe(404);
    const elsewhere = await setUp(call);
    const foreign = await call('POST', `/v1/budgets/${elsewhere.agentBudget.id}/raises`, agent.key, {
      amount: 10,
      reason: 'x',
    });
    expect(foreign.status).toBe(404);
    expect(Number((await sql`SELECT count(*) FROM budget_raises WHERE workspace_id = ${ws}`)[0]!.count)).toBe(
      0,
    );

    // The agent spends its day's 100, is refused, and asks for 50 more.
    expect(
      (await call('POST', `/v1/workspaces/${ws}/debits`, agent.key, { amount: 100, idempotencyKey: 'a1' }))
        .status,
    ).toBe(201);
    const refused = await call('POST', `/v1/workspaces/${ws}/debits`, agent.key, {
      amount: 40,
      idempotencyKey: 'a2',
    });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: 'budget_exceeded',
      details: { budgetId: agentBudget.id },
    });
    const asked = await call('POST', `/v1/budgets/${agentBudget.id}/raises`, agent.key, {
      amount: 50,
      reason: 'launch',
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      status: 'pending_approval',
      amount: 50,
      requestedBy: `key:${agent.id}`,
    });
    const id = asked.body.id as string;
    // Sam may ask for his own member budget with his bound key.
    expect(
      (await call('POST', `/v1/budgets/${samBudget.id}/raises`, sam.key, { amount: 10, reason: 'x' })).status,
    ).toBe(201);

    // The spender may not approve its own request, whoever it names; other workspaces see nothing.
    const self = await call('POST', `/v1/budget-raises/${id}/approve`, agent.key, { by: 'olivia' });
    expect(self.status).toBe(403);
    expect(self.body.error.details.missingScope).toBe('purchases:approve');
    expect((await call('GET', `/v1/budget-raises/${id}`, elsewhere.agent.key)).status).toBe(404);
    expect((await call('POST', `/v1/budget-raises/${id}/approve`, elsewhere.owner.key, {})).status).toBe(404);

    const approved = await call('POST', `/v1/budget-raises/${id}/approve`, owner.key, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'olivia', decidedVia: 'api' });
    expect((await call('POST', `/v1/budget-raises/${id}/reject`, owner.key, {})).status).toBe(409);
    const retried = await call('POST', `/v1/workspaces/${ws}/debits`, agent.key, {
      amount: 40,
      idempotencyKey: 'a3',
    });
    expect(retried.status).toBe(201);
    const past = await call('POST', `/v1/workspaces/${ws}/debits`, agent.key, {
      amount: 11,
      idempotencyKey: 'a4',
    });
    expect(past.status).toBe(402);

    const audit = await sql`SELECT action, actor, channel FROM audit_log WHERE target = ${id} ORDER BY id`;
    expect(audit.map((a) => a.action)).toEqual(['budget.raise_requested', 'budget.raise_approved']);
    expect(audit[1]).toMatchObject({ actor: `key:${owner.id}`, channel: 'api' });
  }, 90_000);

  it('rejected by the operator naming the owner; a member cannot be named as the decider', async () => {
    const call = api();
    const { agent, agentBudget } = await setUp(call);
    const id = (
      await call('POST', `/v1/budgets/${agentBudget.id}/raises`, agent.key, { amount: 5, reason: 'x' })
    ).body.id;
    const asMember = await call('POST', `/v1/budget-raises/${id}/reject`, OPERATOR, { by: 'sam' });
    expect(asMember.status).toBe(403);
    const noBy = await call('POST', `/v1/budget-raises/${id}/reject`, OPERATOR, {});
    expect(noBy.status).toBe(400);
    const rejected = await call('POST', `/v1/budget-raises/${id}/reject`, OPERATOR, {
      by: 'olivia',
      reason: 'not now',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: 'olivia', outcome: 'not now' });
  }, 60_000);

  it('decided by typing `approve raise_…` where there are no buttons: as the asker, refused to a member', async () => {
    const call = api();
    const { ws, agent, agentBudget } = await setUp(call);
    await call('POST', `/v1/workspaces/${ws}/members`, OPERATOR, {
      id: 'ada',
      name: 'Ada',
      role: 'admin',
      slackUserId: `UADA${ws.slice(-4)}`,
    });
    await call('POST', `/v1/workspaces/${ws}/members`, OPERATOR, {
      id: 'max',
      name: 'Max',
      role: 'member',
      slackUserId: `UMAX${ws.slice(-4)}`,
    });
    await call('POST', `/v1/workspaces/${ws}/chat-links`, OPERATOR, {
      platform: 'slack',
      team: `T${ws.slice(-6)}`,
    });
    const id = (
      await call('POST', `/v1/budgets/${agentBudget.id}/raises`, agent.key, { amount: 5, reason: 'x' })
    ).body.id;
    const core = new BotCore({ ...ctx, purchases: running.purchases });
    const say = (user: string, text: string) =>
      core.answer({
        platform: 'slack',
        teamId: `T${ws.slice(-6)}`,
        channelId: null,
        userId: `${user}${ws.slice(-4)}`,
        text,
      });
    const member = await say('UMAX', `approve ${id}`);
    expect(member.text).toContain('Only an owner or admin can decide budget raises');
    const admin = await say('UADA', `approve ${id}`);
    expect(admin.text).toMatch(/^Approved by Ada: 5 credits more for the daily budget of API key /);
    expect((await call('GET', `/v1/budget-raises/${id}`, agent.key)).body).toMatchObject({
      status: 'approved',
      decidedBy: 'ada',
      decidedVia: 'slack',
    });
  }, 60_000);

  it('expires unanswered after the approval window', async () => {
    const call = api();
    const { agent, agentBudget } = await setUp(call);
    const quick = new TemporalRaises({
      client: running.client,
      taskQueue: running.taskQueue,
      store: ctx.ledger.budgetRaises,
      directory: ctx.directory,
      approvalWindowMs: 1500,
    });
    const budget = (await ctx.ledger.budgetRaises.raisable(agentBudget.id))!;
    const raise = await quick.request(budget, {
      amount: 5,
      reason: 'x',
      requestedBy: `key:${agent.id}`,
      source: 'api',
    });
    const done = await eventually(async () => {
      const r = await quick.get(raise.id);
      return r.status === 'expired' ? r : null;
    }, 20_000);
    expect(done.outcome).toMatch(/no approver answered within 1.5 s/);
  }, 60_000);

  it('a workflow started or driven by hand is refused: other id, no row, an update without the ticket', async () => {
    const call = api();
    const { agent, agentBudget } = await setUp(call);
    const start = (workflowId: string, raiseId: string) =>
      running.client.workflow.start<typeof budgetRaiseWorkflow>('budgetRaiseWorkflow', {
        workflowId,
        taskQueue: running.taskQueue,
        args: [{ raiseId }],
      });
    await expect((await start(uniqueId('raise'), 'raise_0000000000')).result()).rejects.toBeInstanceOf(
      WorkflowFailedError,
    );
    const real = (
      await call('POST', `/v1/budgets/${agentBudget.id}/raises`, agent.key, { amount: 5, reason: 'x' })
    ).body;
    await expect((await start(uniqueId('forged'), real.id)).result()).rejects.toBeInstanceOf(
      WorkflowFailedError,
    );
    const handle = running.client.workflow.getHandle(real.id);
    for (const decision of [{ by: 'olivia' }, { by: 'olivia', ticket: 'dec_0' }]) {
      const err = await handle.executeUpdate(approveRaise, { args: [decision] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String((err as WorkflowUpdateFailedError).cause?.message)).toMatch(
        /not taken through the application/,
      );
    }
    const ticket = await ctx.ledger.budgetRaises.recordDecision({
      raiseId: real.id,
      by: 'sam',
      approved: true,
    });
    const member = await handle
      .executeUpdate(approveRaise, { args: [{ by: 'sam', ticket }] })
      .catch((e: unknown) => e);
    expect(String((member as WorkflowUpdateFailedError).cause?.message)).toMatch(/not an owner or admin/);
    expect((await ctx.ledger.budgetRaises.get(real.id))?.status).toBe('pending_approval');
  }, 60_000);
});
