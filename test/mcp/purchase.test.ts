import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../integrations/api/server.js';
import { mcpMount } from '../../runtime/roles/api.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';
import { call, connect, type Transport } from './support.js';

const OPERATOR = 'op_mcp_purchase_0123456789';
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
let running: RunningWorker;
let server: ApiServer;
const clients: Client[] = [];

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('mcp-purchase'),
    workflowBundle: temporal.bundle(),
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
  const input = { operatorKey: OPERATOR, purchases: running.purchases };
  server = await startApiServer({
    ctx: { ...ctx, ...input },
    port: 0,
    host: '127.0.0.1',
    mounts: [mcpMount(ctx, input)],
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await server?.close();
  await running?.stop();
});

async function api(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
  return { status: res.status, body: (await res.json()) as any };
}

async function keyFor(ws: string, scopes: string[]): Promise<string> {
  const made = await api('POST', `/v1/workspaces/${ws}/api-keys`, OPERATOR, { name: 'agent', scopes });
  expect(made.status).toBe(201);
  return made.body.key;
}

/** request_purchase on the real dev server: the purchase flow starts and waits for an approver. */
describe.each<Transport>(['stdio', 'http'])('request_purchase over %s', (transport) => {
  it('starts the approval flow with a purchases:request key, and is refused to a key without it', async () => {
    const ws = uniqueId('mcp-buy');
    expect(
      (
        await api('POST', '/v1/workspaces', OPERATOR, {
          id: ws,
          name: ws,
          plan: 'business',
          status: 'active',
        })
      ).status,
    ).toBe(201);
    const connectWith = async (key: string) => {
      const { client } = await connect(transport, {
        apiUrl: server.url,
        mcpUrl: `${server.url}/mcp`,
        key,
        workspace: ws,
      });
      clients.push(client);
      return client;
    };

    const spender = await connectWith(await keyFor(ws, ['balance:read', 'credits:spend']));
    const refused = await call(spender, 'request_purchase', { package: 'medium' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('purchases:request');
    const [none] = await sql`SELECT count(*)::int AS n FROM purchases WHERE workspace_id = ${ws}`;
    expect(none?.n).toBe(0);

    const buyer = await connectWith(await keyFor(ws, ['balance:read', 'purchases:request']));
    const requested = await call(buyer, 'request_purchase', { package: 'medium' });
    expect(requested.isError, requested.text).toBeFalsy();
    const purchase = requested.structuredContent as { id: string; status: string; requestedBy: string };
    expect(purchase).toMatchObject({ package: 'medium', requestedBy: expect.stringMatching(/^key:/) });
    const pending = await eventually(async () => {
      const p = await api('GET', `/v1/purchases/${purchase.id}`, OPERATOR);
      return p.body.status === 'pending_approval' ? p.body : null;
    }, 20_000);
    expect(pending.workspaceId).toBe(ws);

    const unknown = await call(buyer, 'request_purchase', { package: 'no-such-package' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('package');
  }, 60_000);
});
