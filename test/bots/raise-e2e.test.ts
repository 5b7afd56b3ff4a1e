import { randomBytes } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Purchases } from '../../application/purchases.js';
import { BotCore } from '../../bots/core/core.js';
import { RAISE_APPROVE_ACTION } from '../../bots/core/types.js';
import { createSlackBot } from '../../bots/slack/app.js';
import { type ApiServer, startApiServer } from '../../integrations/api/server.js';
import { mcpMount } from '../../runtime/roles/api.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { call, connect, type Transport } from '../mcp/support.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';
import { FakeSlackApi, slackSender } from './fakes/slack.js';

/**
 * A budget raise end to end on the real dev server: an MCP agent refused by its budget asks for a
 * raise, the worker posts the approval to the linked Slack channel, the owner presses Approve (a
 * signed Slack request), and the agent's retry of the same debit goes through.
 */
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const SECRET = 'raise-e2e-signing-secret-0123456789';
const OPERATOR = `op_${randomBytes(16).toString('hex')}`;
const slack = new FakeSlackApi();
let running: RunningWorker;
let api: ApiServer;
const clients: Client[] = [];

// The worker's flows, which exist once the worker runs (the Slack bot is built before it).
let service: Purchases;
const purchases: Purchases = {
  get raises() {
    return service?.raises;
  },
  request: (ws, input) => service.request(ws, input),
  get: (id, scope) => service.get(id, scope),
  pending: (ws) => service.pending(ws),
  approve: (id, input, scope) => service.approve(id, input, scope),
  reject: (id, input, scope) => service.reject(id, input, scope),
};
const core = new BotCore({ ...ctx, purchases });

beforeAll(async () => {
  await slack.start();
  const slackBot = createSlackBot({
    core,
    token: slack.botToken,
    signingSecret: SECRET,
    apiUrl: slack.apiUrl,
  });
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('raise-e2e'),
    workflowBundle: temporal.bundle(),
    notifiers: [slackBot.notifier],
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
  service = running.purchases;
  const input = { operatorKey: OPERATOR, purchases };
  api = await startApiServer({
    ctx: { ...ctx, ...input },
    port: 0,
    host: '127.0.0.1',
    mounts: [{ path: slackBot.path, listener: slackBot.listener! }, mcpMount(ctx, input)],
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await api?.close();
  await running?.stop();
  await slack.stop();
});

async function rest(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
  return { status: res.status, body: (await res.json()) as any };
}

describe.each<Transport>(['http', 'stdio'])('an MCP agent over %s with a budget', (transport) => {
  it('is refused, asks for a raise, the owner approves it with the Slack button, and the retry succeeds', async () => {
    const ws = uniqueId('raise-e2e');
    const team = `T${randomBytes(3).toString('hex').toUpperCase()}`;
    const channel = `C${randomBytes(3).toString('hex').toUpperCase()}`;
    const owner = `UOWN${ws.slice(-4)}`;
    expect(
      (await rest('POST', '/v1/workspaces', { id: ws, name: ws, plan: 'business', status: 'active' })).status,
    ).toBe(201);
    await rest('POST', `/v1/workspaces/${ws}/members`, {
      id: 'olivia',
      name: 'Olivia',
      role: 'owner',
      slackUserId: owner,
    });
    await rest('POST', `/v1/workspaces/${ws}/chat-links`, { platform: 'slack', team, channel });
    await rest('POST', `/v1/workspaces/${ws}/grants`, {
      type: 'promotional',
      amount: 5000,
      reason: 'start',
      idempotencyKey: 'start',
    });
    const agent = (
      await rest('POST', `/v1/workspaces/${ws}/api-keys`, {
        name: 'support agent',
        scopes: ['balance:read', 'credits:spend'],
      })
    ).body as { id: string; key: string };
    const budget = await rest('POST', `/v1/workspaces/${ws}/budgets`, {
      subject: { apiKey: agent.id },
      period: 'day',
      limit: 100,
    });
    expect(budget.status).toBe(201);
    const budgetId = budget.body.id as string;

    const { client } = await connect(transport, {
      apiUrl: api.url,
      mcpUrl: `${api.url}/mcp`,
      key: agent.key,
      workspace: ws,
    });
    clients.push(client);
    expect(
      (await call(client, 'debit_credits', { amount: 80, idempotencyKey: 'job-1' })).isError,
    ).toBeFalsy();
    const refused = await call(client, 'debit_credits', { amount: 40, idempotencyKey: 'job-2' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('budget_exceeded');
    expect(refused.text).toContain(`budget ${budgetId}: limit 100, used 80, requested 40`);
    expect(refused.text).toContain('request_budget_raise');
    const budgets = await call(client, 'get_budgets');
    expect(budgets.structuredContent).toMatchObject({ items: [{ id: budgetId, used: 80, remaining: 20 }] });

    const asked = await call(client, 'request_budget_raise', {
      budgetId,
      amount: 50,
      reason: 'ticket backlog',
    });
    expect(asked.isError).toBeFalsy();
    const raiseId = (asked.structuredContent as { id: string }).id;
    // Over stdio the MCP server is a client of the HTTP API, so the API records the request.
    const via = transport === 'http' ? 'mcp' : 'api';
    expect(asked.structuredContent).toMatchObject({ status: 'pending_approval', amount: 50, source: via });

    // The worker asks the approvers: a message with the raise's buttons in the linked channel.
    const approval = await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === channel && JSON.stringify(c.body.blocks).includes(raiseId),
      20_000,
    );
    expect(JSON.stringify(approval.body.blocks)).toContain(RAISE_APPROVE_ACTION);
    expect(String(approval.body.text)).toContain('ticket backlog');
    const ts = await eventually(
      async () => {
        const [row] = await sql`SELECT message_id FROM bot_purchase_messages WHERE purchase_id = ${raiseId}`;
        return row?.message_id as string | undefined;
      },
      5000,
      'approval message remembered',
    );

    const send = slackSender(`${api.url}/slack/events`, SECRET);
    const press = await send.action({
      type: 'block_actions',
      user: { id: owner, username: 'olivia', team_id: team },
      team: { id: team, domain: 'e2e' },
      channel: { id: channel, name: 'credits' },
      container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
      message: { type: 'message', ts, text: 'Budget raise' },
      api_app_id: 'AFAKE',
      token: 'x',
      trigger_id: 't2',
      response_url: slack.responseUrl(`raise-${transport}`),
      actions: [
        { action_id: RAISE_APPROVE_ACTION, block_id: 'b', value: raiseId, type: 'button', action_ts: '1' },
      ],
    });
    expect(press.status).toBe(200);
    const updated = await slack.waitFor(
      'chat.update',
      (c) => c.body.ts === ts && String(c.body.text).startsWith('Approved by Olivia'),
      20_000,
    );
    expect(JSON.stringify(updated.body.blocks)).not.toContain(RAISE_APPROVE_ACTION);
    expect((await rest('GET', `/v1/budget-raises/${raiseId}`)).body).toMatchObject({
      status: 'approved',
      decidedBy: 'olivia',
      decidedVia: 'slack',
    });

    const retried = await call(client, 'debit_credits', { amount: 40, idempotencyKey: 'job-2' });
    expect(retried.isError).toBeFalsy();
    expect(retried.structuredContent).toMatchObject({ transaction: { amount: 40 } });
    const audit = await sql`SELECT action, channel FROM audit_log WHERE target = ${raiseId} ORDER BY id`;
    expect(audit).toEqual([
      { action: 'budget.raise_requested', channel: via },
      { action: 'budget.raise_approved', channel: 'slack' },
    ]);
  }, 120_000);
});
