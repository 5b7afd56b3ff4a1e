import { describe, expect, it } from 'vitest';
import type { Purchase, Purchases } from '../../application/purchases.js';
import { startApiServer } from '../../integrations/api/server.js';
import { CreditsError } from '../../ledger/errors.js';
import { useApi } from './support.js';

/** An in-memory stand-in for the Temporal purchase flow, to exercise the routes. */
function memoryPurchases(): Purchases {
  const all = new Map<string, Purchase>();
  let n = 0;
  const find = (id: string, scope: { workspaceId?: string } = {}) => {
    const p = all.get(id);
    if (!p || (scope.workspaceId && p.workspaceId !== scope.workspaceId))
      throw CreditsError.notFound('purchase', id);
    return p;
  };
  return {
    async request(workspaceId, input) {
      if (input.package !== 'small') throw CreditsError.field('package', 'unknown package');
      const p: Purchase = {
        id: `pur_${++n}`,
        workspaceId,
        status: 'pending_approval',
        package: input.package,
        packageName: 'Small',
        credits: 1000,
        price: 50,
        currency: 'USD',
        source: input.source,
        requestedBy: input.requestedBy ?? null,
        decidedBy: null,
        reason: null,
        createdAt: new Date().toISOString(),
        approvalDeadline: null,
        automatic: false,
      };
      all.set(p.id, p);
      return p;
    },
    async get(id, scope) {
      return find(id, scope);
    },
    async pending(workspaceId) {
      return [...all.values()].filter(
        (p) => p.workspaceId === workspaceId && p.status === 'pending_approval',
      );
    },
    async approve(id, { by }, scope) {
      const p = find(id, scope);
      if (p.status !== 'pending_approval')
        throw new CreditsError('conflict', `purchase ${id} is ${p.status}`);
      Object.assign(p, { status: 'approved', decidedBy: by });
      return p;
    },
    async reject(id, { by, reason }, scope) {
      const p = find(id, scope);
      Object.assign(p, { status: 'rejected', decidedBy: by, reason: reason ?? null });
      return p;
    },
  };
}

const api = await useApi({ ctx: { purchases: memoryPurchases() } });

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document with every endpoint, bearer security and the shared schemas', async () => {
    const r = await api.call('GET', '/openapi.json', { key: null });
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const expected: Record<string, string[]> = {
      '/v1/workspaces': ['get', 'post'],
      '/v1/workspaces/{ws}': ['get', 'patch'],
      '/v1/workspaces/{ws}/members': ['get', 'post'],
      '/v1/workspaces/{ws}/chat-links': ['get', 'post'],
      '/v1/workspaces/{ws}/api-keys': ['get', 'post'],
      '/v1/workspaces/{ws}/alerts': ['get', 'put'],
      '/v1/workspaces/{ws}/balance': ['get'],
      '/v1/workspaces/{ws}/lots': ['get'],
      '/v1/workspaces/{ws}/debits': ['post'],
      '/v1/workspaces/{ws}/grants': ['post'],
      '/v1/workspaces/{ws}/adjustments': ['post'],
      '/v1/workspaces/{ws}/holds': ['post'],
      '/v1/workspaces/{ws}/estimates': ['post'],
      '/v1/workspaces/{ws}/affordability': ['get'],
      '/v1/workspaces/{ws}/transactions': ['get'],
      '/v1/workspaces/{ws}/usage': ['get'],
      '/v1/workspaces/{ws}/purchases': ['get', 'post'],
      '/v1/workspaces/{ws}/login-links': ['post'],
      '/v1/workspaces/{ws}/embed-tokens': ['post'],
      '/v1/whoami': ['get'],
      '/v1/transactions/{id}': ['get'],
      '/v1/transactions/{id}/reverse': ['post'],
      '/v1/holds/{id}': ['get'],
      '/v1/holds/{id}/capture': ['post'],
      '/v1/holds/{id}/release': ['post'],
      '/v1/purchases/{id}': ['get'],
      '/v1/purchases/{id}/approve': ['post'],
      '/v1/purchases/{id}/reject': ['post'],
      '/v1/api-keys/{id}': ['delete'],
      '/v1/workspaces/{ws}/audit': ['get'],
      '/v1/workspaces/{ws}/webhook': ['delete', 'get', 'put'],
      '/v1/workspaces/{ws}/webhook/rotate': ['post'],
      '/v1/catalog': ['get'],
      '/healthz': ['get'],
      '/metrics': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(doc.paths[path], path).toBeDefined();
      expect(Object.keys(doc.paths[path]).sort(), path).toEqual(methods);
    }
    for (const name of [
      'Balance',
      'Transaction',
      'Error',
      'DebitRequest',
      'WriteResult',
      'Hold',
      'Estimate',
      'Catalog',
    ]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    const debit = doc.paths['/v1/workspaces/{ws}/debits'].post;
    expect(Object.keys(debit.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '402',
      '403',
      '404',
      '409',
      '415',
      '429',
      '503',
    ]);
    expect(debit.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['Idempotency-Key', 'ws']);
    const request = doc.components.schemas.DebitRequest;
    expect(request.additionalProperties).toBe(false);
    expect(request.properties.amount).toMatchObject({ type: 'integer', minimum: 1, maximum: 1e12 });
    expect(Object.keys(request.properties).sort()).toEqual(
      ['actor', 'amount', 'idempotencyKey', 'metadata', 'operation', 'params', 'quantity', 'source'].sort(),
    );
    expect(Object.keys(doc.components.schemas.Balance.properties).sort()).toEqual(
      [
        'byType',
        'held',
        'lastTransaction',
        'lifetimeUsed',
        'nextExpiry',
        'renewal',
        'total',
        'workspaceId',
      ].sort(),
    );
  });
});

describe('/metrics', () => {
  const value = (text: string, name: string, labels: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('moves the request, debit, refusal and replay counters', async () => {
    const { id, key } = await api.workspace({ credits: 10 });
    const before = (await api.call('GET', '/metrics', { key: null })).text;
    const route = 'route="/v1/workspaces/:ws/debits"';
    await api.call('POST', `/v1/workspaces/${id}/debits`, { key, body: { amount: 4, idempotencyKey: 'm1' } });
    await api.call('POST', `/v1/workspaces/${id}/debits`, { key, body: { amount: 4, idempotencyKey: 'm1' } });
    const refused = await api.call('POST', `/v1/workspaces/${id}/debits`, {
      key,
      body: { amount: 99, idempotencyKey: 'm2' },
    });
    expect(refused.status).toBe(402);
    const res = await api.call('GET', '/metrics', { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const after = res.text;
    const delta = (name: string, labels: string) => value(after, name, labels) - value(before, name, labels);
    expect(delta('credits_http_requests_total', `${route},status="201"`)).toBe(2);
    expect(delta('credits_http_requests_total', `${route},status="402"`)).toBe(1);
    expect(delta('credits_http_request_duration_seconds_count', `${route},status="201"`)).toBe(2);
    expect(delta('credits_debits_total', 'source="api"')).toBe(1);
    expect(delta('credits_insufficient_credits_total', route)).toBe(1);
    expect(delta('credits_idempotent_replays_total', route)).toBe(1);
    expect(after).toMatch(/^credits_debited_credits_total \d+/m);
  });
});

describe('purchases through a plugged-in service', () => {
  /** An owner of `ws` and a key bound to them that may approve. */
  async function approver(ws: string, member: string): Promise<string> {
    await api.call('POST', `/v1/workspaces/${ws}/members`, {
      body: { id: member, name: member, role: 'owner' },
    });
    const key = await api.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      body: { name: `${member} approves`, scopes: ['balance:read', 'purchases:approve'], memberId: member },
    });
    expect(key.status).toBe(201);
    return key.body.key;
  }

  it('requests, reads, approves as the key’s member and rejects; another workspace sees 404', async () => {
    const A = await api.workspace();
    const B = await api.workspace();
    const alice = await approver(A.id, 'alice');
    const bob = await approver(B.id, 'bob');
    // Nobody but the operator may say who requested.
    const forged = await api.call('POST', `/v1/workspaces/${A.id}/purchases`, {
      key: A.key,
      body: { package: 'small', requestedBy: 'alice' },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details.fields[0].field).toBe('requestedBy');
    const created = await api.call('POST', `/v1/workspaces/${A.id}/purchases`, {
      key: A.key,
      body: { package: 'small' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      status: 'pending_approval',
      package: 'small',
    });
    const pid = created.body.id;
    expect((await api.call('GET', `/v1/purchases/${pid}`, { key: A.key })).body.status).toBe(
      'pending_approval',
    );
    expect((await api.call('GET', `/v1/purchases/${pid}`, { key: B.key })).status).toBe(404);
    expect((await api.call('POST', `/v1/purchases/${pid}/approve`, { key: bob, body: {} })).status).toBe(404);
    // A spend key may not approve; an approver key may not approve as someone else.
    const spend = await api.call('POST', `/v1/purchases/${pid}/approve`, { key: A.key, body: {} });
    expect(spend.status).toBe(403);
    expect(spend.body.error.details.missingScope).toBe('purchases:approve');
    const asOther = await api.call('POST', `/v1/purchases/${pid}/approve`, {
      key: alice,
      body: { by: 'mallory' },
    });
    expect(asOther.status).toBe(403);
    const approved = await api.call('POST', `/v1/purchases/${pid}/approve`, { key: alice, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: pid, status: 'approved', decidedBy: 'alice' });
    expect((await api.call('POST', `/v1/purchases/${pid}/approve`, { key: alice, body: {} })).status).toBe(
      409,
    );

    const other = await api.call('POST', `/v1/workspaces/${A.id}/purchases`, {
      key: A.key,
      body: { package: 'small' },
    });
    const rejected = await api.call('POST', `/v1/purchases/${other.body.id}/reject`, {
      key: alice,
      body: { reason: 'not now' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected' });

    const unknown = await api.call('POST', `/v1/workspaces/${A.id}/purchases`, {
      key: A.key,
      body: { package: 'huge' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0].field).toBe('package');
    // The operator names the member, and must.
    const noBy = await api.call('POST', `/v1/purchases/${pid}/reject`, { body: {} });
    expect(noBy.status).toBe(400);
    expect(noBy.body.error.details.fields[0].field).toBe('by');
    const audit = await api.call('GET', `/v1/workspaces/${A.id}/audit?action=purchase.approved`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'purchase.approved',
        // The key that decided, acting as alice.
        actor: expect.stringMatching(/^key:key_/),
        channel: 'api',
        target: pid,
        after: expect.objectContaining({ decidedBy: 'alice' }),
      }),
    ]);
  });
});

describe('startApiServer mounts', () => {
  it('serves raw Node listeners on their path prefixes before the API, on the same port', async () => {
    const server = await startApiServer({
      ctx: api.ctx,
      port: 0,
      host: '127.0.0.1',
      mounts: [{ path: '/slack/events', listener: (_req, res) => res.writeHead(200).end('slack here') }],
    });
    try {
      expect(await (await fetch(`${server.url}/slack/events`, { method: 'POST' })).text()).toBe('slack here');
      expect(await (await fetch(`${server.url}/slack/events/sub?x=1`)).text()).toBe('slack here');
      const other = await fetch(`${server.url}/slack/eventsX`);
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ error: { code: 'not_found' } });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
