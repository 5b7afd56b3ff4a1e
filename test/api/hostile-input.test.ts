import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredOperations } from '../../integrations/api/policy.js';
import { type ApiServer, startApiServer } from '../../integrations/api/server.js';
import { mcpMount } from '../../runtime/roles/api.js';
import { useApi } from './support.js';

// Bodies built to stall the event loop, and input that reached the database as a 500 (issue 24,
// Medium 7 and Low 10), over HTTP as an outsider sends them.
const api = await useApi({ http: true });
let mcp: ApiServer;
beforeAll(async () => {
  mcp = await startApiServer({
    ctx: api.ctx,
    port: 0,
    host: '127.0.0.1',
    mounts: [mcpMount(api.ctx, { operatorKey: api.operatorKey })],
  });
});
afterAll(async () => {
  await mcp?.close();
});

/** Straight over HTTP: statuses a route's contract does not list (413, a 400 for a path) are the point here. */
async function send(method: string, path: string, o: { key?: string; raw?: string } = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${o.key ?? api.operatorKey}`,
      ...(o.raw !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: o.raw,
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('bodies sized and shaped to stall the event loop', () => {
  it('refuses deep nesting before parsing it, on the API and on /mcp', async () => {
    const A = await api.workspace({ credits: 10 });
    const reader = (
      await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
        body: { name: 'r', scopes: ['balance:read'] },
      })
    ).body.key as string;
    const deep = await api.call('POST', `/v1/workspaces/${A.id}/estimates`, {
      key: reader,
      raw: `{"items":${nested(5000)}}`,
    });
    expect(deep.status, deep.text).toBe(400);
    expect(deep.body.error.details.fields[0].field).toBe('body');
    const viaMcp = await fetch(`${mcp.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${reader}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: nested(5000),
    });
    expect(viaMcp.status).toBe(400);
    expect(await viaMcp.text()).toContain('deep');
    // What a legitimate request nests still passes.
    const fine = await api.call('POST', `/v1/workspaces/${A.id}/debits`, {
      key: A.key,
      body: { amount: 1, idempotencyKey: 'nested-ok', metadata: { a: { b: { c: [1, [2, [3]]] } } } },
    });
    expect(fine.status, fine.text).toBe(201);
  });

  it('sizes bodies in kilobytes: a 1 MiB debit is refused from its headers', async () => {
    const A = await api.workspace();
    const big = await send('POST', `/v1/workspaces/${A.id}/debits`, {
      key: A.key,
      raw: JSON.stringify({ amount: 1, idempotencyKey: 'big', metadata: { pad: 'x'.repeat(512 * 1024) } }),
    });
    expect(big.status).toBe(413);
    const viaMcp = await fetch(`${mcp.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${A.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(512 * 1024) }),
    });
    expect(viaMcp.status).toBe(413);
  });
});

describe('input that reached the database as a 500', () => {
  it('a NUL in a path parameter is a 400', async () => {
    for (const [method, path] of [
      ['GET', '/v1/purchases/%00'],
      ['DELETE', '/v1/api-keys/%00'],
      ['GET', '/v1/transactions/a%00b'],
    ] as const) {
      const r = await send(method, path);
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
  });

  it('a NUL in any path parameter of every registered route is a 400, for the operator and a workspace key', async () => {
    const A = await api.workspace();
    const withParams = registeredOperations(api.app).filter((o) => o.path.includes('{'));
    expect(withParams.length).toBeGreaterThan(20);
    for (const o of withParams) {
      for (const key of [api.operatorKey, A.key]) {
        const path = o.path.replace(/\{ws\}/g, `${A.id}%00`).replace(/\{[a-zA-Z]+\}/g, 'x%00y');
        const r = await api.call(o.method, path, {
          key,
          ...(['POST', 'PUT', 'PATCH'].includes(o.method) ? { body: {} } : {}),
        });
        expect(r.status, `${o.method} ${path}: ${r.text}`).toBe(400);
      }
    }
  });

  it('year 0000 in from is a 400 naming from', async () => {
    const A = await api.workspace();
    const r = await api.call('GET', `/v1/workspaces/${A.id}/transactions?from=0000-01-01T00:00:00Z`, {
      key: A.key,
    });
    expect(r.status, r.text).toBe(400);
    expect(r.body.error.details.fields[0].field).toBe('from');
  });

  it('/mcp with the key of an approver who lost the role is a 401 saying why', async () => {
    const A = await api.workspace();
    await api.call('POST', `/v1/workspaces/${A.id}/members`, {
      body: { id: 'ana', name: 'Ana', role: 'admin' },
    });
    const anas = (
      await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
        body: { name: 'ana', scopes: ['balance:read', 'purchases:approve'], memberId: 'ana' },
      })
    ).body.key as string;
    await api.call('POST', `/v1/workspaces/${A.id}/members`, {
      body: { id: 'ana', name: 'Ana', role: 'member' },
    });
    const r = await fetch(`${mcp.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${anas}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(r.status).toBe(401);
    expect(await r.text()).toContain('no longer an owner or admin');
  });
});
