import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../integrations/api/server.js';
import { mcpMount } from '../../runtime/roles/api.js';
import { type Api, snapshot, useApi } from '../api/support.js';
import { call, connect, type Transport } from './support.js';

const TOOL_NAMES = [
  'capture_hold',
  'check_affordable',
  'debit_credits',
  'estimate_cost',
  'get_balance',
  'get_budgets',
  'get_usage',
  'hold_credits',
  'list_transactions',
  'release_hold',
  'request_budget_raise',
  'request_purchase',
];

const api: Api = await useApi({ http: true });
let mcpServer: ApiServer;
const clients: Client[] = [];

beforeAll(async () => {
  // The API as runtime serves it: /mcp mounted on the API port.
  mcpServer = await startApiServer({
    ctx: api.ctx,
    port: 0,
    host: '127.0.0.1',
    mounts: [mcpMount(api.ctx, { operatorKey: api.operatorKey })],
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await mcpServer?.close();
});

async function client(transport: Transport, key: string, workspace?: string): Promise<Client> {
  const { client } = await connect(transport, {
    apiUrl: api.url!,
    mcpUrl: `${mcpServer.url}/mcp`,
    key,
    workspace,
  });
  clients.push(client);
  return client;
}

async function readOnlyKey(ws: string): Promise<string> {
  const made = await api.call('POST', `/v1/workspaces/${ws}/api-keys`, {
    body: { name: 'agent (read only)', scopes: ['balance:read'] },
  });
  expect(made.status).toBe(201);
  return made.body.key as string;
}

describe.each<Transport>(['stdio', 'http'])('MCP over %s', (transport) => {
  it('lists the spec tools with annotations and input schemas from the API', async () => {
    const ws = await api.workspace({ credits: 50 });
    const mcp = await client(transport, ws.key, ws.id);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOL_NAMES);
    const debit = tools.find((t) => t.name === 'debit_credits')!;
    expect(debit.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
    expect(debit.inputSchema.required).toContain('idempotencyKey');
    expect(Object.keys(debit.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['amount', 'operation', 'quantity', 'params', 'idempotencyKey', 'workspace']),
    );
    expect(debit.outputSchema?.properties).toHaveProperty('balance');
    const balance = tools.find((t) => t.name === 'get_balance')!;
    expect(balance.annotations?.readOnlyHint).toBe(true);
  });

  it('get_balance is exact: the same numbers as the API', async () => {
    const ws = await api.workspace({ credits: 1234 });
    const mcp = await client(transport, ws.key, ws.id);
    const result = await call(mcp, 'get_balance', {});
    expect(result.isError).toBeFalsy();
    const fromApi = (await api.call('GET', `/v1/workspaces/${ws.id}/balance`, { key: ws.key })).body;
    expect(result.structuredContent).toMatchObject({ workspaceId: ws.id, total: 1234, held: 0 });
    expect(result.structuredContent).toEqual(fromApi);
    expect(JSON.parse(result.text)).toEqual(fromApi);
  });

  it('debit_credits called twice with one idempotency key is applied once', async () => {
    const ws = await api.workspace({ credits: 500 });
    const mcp = await client(transport, ws.key, ws.id);
    const args = {
      operation: 'image',
      params: { model: 'flux-2-pro' },
      quantity: 2,
      idempotencyKey: 'agent-run-7',
    };
    const first = await call(mcp, 'debit_credits', args);
    expect(first.isError, first.text).toBeFalsy();
    const second = await call(mcp, 'debit_credits', args);
    expect(second.isError, second.text).toBeFalsy();
    const a = first.structuredContent as {
      transaction: { id: string; amount: number };
      balance: { total: number };
    };
    const b = second.structuredContent as typeof a;
    expect(b.transaction.id).toBe(a.transaction.id);
    expect(a.transaction.amount).toBeGreaterThan(0);
    expect(a.balance.total).toBe(500 - a.transaction.amount);
    const balance = await api.call('GET', `/v1/workspaces/${ws.id}/balance`, { key: ws.key });
    expect(balance.body.total).toBe(500 - a.transaction.amount);
    const debits = await call(mcp, 'list_transactions', { kind: 'debit' });
    expect((debits.structuredContent as { items: unknown[] }).items).toHaveLength(1);
    // The same key for another charge is a conflict, not a second debit.
    const conflict = await call(mcp, 'debit_credits', { ...args, quantity: 3 });
    expect(conflict.isError).toBe(true);
    expect(conflict.text).toContain('idempotency_conflict');
    expect((await api.call('GET', `/v1/workspaces/${ws.id}/balance`, { key: ws.key })).body.total).toBe(
      500 - a.transaction.amount,
    );
  });

  it('a debit without an idempotency key is a tool error naming the field, and nothing moves', async () => {
    const ws = await api.workspace({ credits: 100 });
    const mcp = await client(transport, ws.key, ws.id);
    const before = await snapshot(api.ctx.sql, [ws.id]);
    const result = await call(mcp, 'debit_credits', { amount: 5 });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('idempotencyKey');
    expect(await snapshot(api.ctx.sql, [ws.id])).toEqual(before);
  });

  it('a read-only key is refused debit_credits, naming credits:spend, and nothing changes', async () => {
    const ws = await api.workspace({ credits: 300 });
    const mcp = await client(transport, await readOnlyKey(ws.id), ws.id);
    expect((await call(mcp, 'get_balance')).structuredContent).toMatchObject({ total: 300 });
    const before = await snapshot(api.ctx.sql, [ws.id]);
    const refused = await call(mcp, 'debit_credits', { amount: 10, idempotencyKey: 'nope-1' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('credits:spend');
    const hold = await call(mcp, 'hold_credits', { amount: 10, idempotencyKey: 'nope-2' });
    expect(hold.isError).toBe(true);
    expect(hold.text).toContain('credits:spend');
    expect(await snapshot(api.ctx.sql, [ws.id])).toEqual(before);
    expect((await call(mcp, 'get_balance')).structuredContent).toMatchObject({ total: 300 });
  });

  it('holds: hold, capture part, and the rest comes back', async () => {
    const ws = await api.workspace({ credits: 200 });
    const mcp = await client(transport, ws.key, ws.id);
    const held = await call(mcp, 'hold_credits', { amount: 80, idempotencyKey: 'render-1-hold' });
    expect(held.isError, held.text).toBeFalsy();
    const hold = held.structuredContent as { id: string; balance: { total: number; held: number } };
    expect(hold.balance).toMatchObject({ total: 120, held: 80 });
    const captured = await call(mcp, 'capture_hold', {
      holdId: hold.id,
      amount: 30,
      idempotencyKey: 'render-1-cap',
    });
    expect(captured.isError, captured.text).toBeFalsy();
    expect(captured.structuredContent).toMatchObject({ balance: { total: 170, held: 0 } });
    const again = await call(mcp, 'release_hold', { holdId: hold.id });
    expect(again.isError).toBe(true); // a captured hold is no longer active
    expect(again.text).toMatch(/hold_not_active|conflict/);
  });

  it('estimates, affordability and usage', async () => {
    const ws = await api.workspace({ credits: 40 });
    const mcp = await client(transport, ws.key, ws.id);
    const items = [{ operation: 'image', quantity: 20, params: { model: 'flux-2-pro' } }];
    const estimate = await call(mcp, 'estimate_cost', { items });
    expect(estimate.isError, estimate.text).toBeFalsy();
    const fromApi = await api.call('POST', `/v1/workspaces/${ws.id}/estimates`, {
      key: ws.key,
      body: { items },
    });
    expect(estimate.structuredContent).toEqual(fromApi.body);
    const check = await call(mcp, 'check_affordable', { items });
    expect(check.structuredContent).toMatchObject({
      affordable: fromApi.body.affordable,
      balance: 40,
      max: fromApi.body.max,
      shortfall: fromApi.body.shortfall,
    });
    await call(mcp, 'debit_credits', { amount: 7, operation: undefined, idempotencyKey: 'u-1' });
    const usage = await call(mcp, 'get_usage', { groupBy: 'day' });
    expect(usage.structuredContent).toMatchObject({ groupBy: 'day', total: 7 });
  });

  it('another workspace is not found, and bad input names the field', async () => {
    const ws = await api.workspace({ credits: 10 });
    const other = await api.workspace({ credits: 10 });
    const mcp = await client(transport, ws.key, ws.id);
    const foreign = await call(mcp, 'get_balance', { workspace: other.id });
    expect(foreign.isError).toBe(true);
    expect(foreign.text).toContain('not_found');
    const bad = await call(mcp, 'debit_credits', { amount: -3, idempotencyKey: 'bad-1' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('amount');
  });

  it('serves the catalog as a resource', async () => {
    const ws = await api.workspace();
    const mcp = await client(transport, ws.key, ws.id);
    const { resources } = await mcp.listResources();
    expect(resources.map((r) => r.uri)).toContain('credits://catalog');
    const read = await mcp.readResource({ uri: 'credits://catalog' });
    const content = read.contents[0] as { text: string; mimeType: string };
    expect(content.mimeType).toBe('application/json');
    expect(JSON.parse(content.text)).toEqual((await api.call('GET', '/v1/catalog', { key: ws.key })).body);
  });
});

describe('Streamable HTTP /mcp', () => {
  it('refuses a request without a key, or with an unknown one (401, the API error shape)', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const none = await fetch(`${mcpServer.url}/mcp`, { method: 'POST', headers, body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await none.json()).error.code).toBe('unauthorized');
    const unknown = await fetch(`${mcpServer.url}/mcp`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer cr_ws_not-a-key' },
      body,
    });
    expect(unknown.status).toBe(401);
  });

  it('a workspace key acts on its own workspace without naming it; the operator must name one', async () => {
    const ws = await api.workspace({ credits: 77 });
    const mine = await client('http', ws.key);
    expect((await call(mine, 'get_balance')).structuredContent).toMatchObject({
      workspaceId: ws.id,
      total: 77,
    });
    const operator = await client('http', api.operatorKey);
    const unnamed = await call(operator, 'get_balance');
    expect(unnamed.isError).toBe(true);
    expect(unnamed.text).toContain('workspace');
    expect((await call(operator, 'get_balance', { workspace: ws.id })).structuredContent).toMatchObject({
      total: 77,
    });
  });
});

describe('credits mcp (stdio) without CREDITS_WORKSPACE', () => {
  it('a workspace key learns its workspace from GET /v1/whoami and acts on it unnamed', async () => {
    const ws = await api.workspace({ credits: 64 });
    const mine = await client('stdio', ws.key);
    const balance = await call(mine, 'get_balance');
    expect(balance.isError).toBeFalsy();
    expect(balance.structuredContent).toMatchObject({ workspaceId: ws.id, total: 64 });
    const debit = await call(mine, 'debit_credits', { amount: 4, idempotencyKey: 'stdio-unnamed' });
    expect(debit.isError).toBeFalsy();
    expect((await api.call('GET', `/v1/workspaces/${ws.id}/balance`)).body.total).toBe(60);
  });

  it('the operator key has no workspace of its own: an unnamed tool call says to name one', async () => {
    const ws = await api.workspace({ credits: 5 });
    const operator = await client('stdio', api.operatorKey);
    const unnamed = await call(operator, 'get_balance');
    expect(unnamed.isError).toBe(true);
    expect(unnamed.text).toContain('workspace: is required: this key is not confined to a workspace');
    expect((await call(operator, 'get_balance', { workspace: ws.id })).structuredContent).toMatchObject({
      total: 5,
    });
  });

  it('a key the API refuses is a tool error naming the refusal, not a wrong workspace', async () => {
    const stranger = await client('stdio', 'cr_ws_not-a-key');
    const result = await call(stranger, 'get_balance');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('unauthorized');
  });
});

describe('Streamable HTTP /mcp rate limit', () => {
  it('past RATE_LIMIT_REQUESTS a key gets 429 rate_limited with Retry-After', async () => {
    const limited = await startApiServer({
      ctx: api.ctx,
      port: 0,
      host: '127.0.0.1',
      mounts: [mcpMount(api.ctx, { config: { RATE_LIMIT_REQUESTS: 3, RATE_LIMIT_WINDOW_SECONDS: 60 } })],
    });
    try {
      const ws = await api.workspace();
      const post = () =>
        fetch(`${limited.url}/mcp`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${ws.key}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await post()).status);
      expect(statuses).not.toContain(429);
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await refused.json()).error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});
