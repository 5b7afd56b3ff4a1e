import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../application/access.js';
import { API_POLICIES } from '../../application/policies.js';
import type { ApiEnv } from '../../integrations/api/auth.js';
import { assertEveryRouteHasPolicy, registeredOperations } from '../../integrations/api/policy.js';
import { useApi } from './support.js';

/**
 * Generated from the registered routes: every /v1 operation × every kind of caller. What each
 * operation needs comes from application/policies.ts; a route missing there fails here (and the
 * API refuses to start).
 */
describe('who may call what: every route × every caller', async () => {
  const api = await useApi();
  const A = await api.workspace();
  const B = await api.workspace();
  await api.call('POST', `/v1/workspaces/${A.id}/members`, {
    body: { id: 'olga', name: 'Olga', role: 'owner' },
  });
  const keyWith = async (ws: string, scopes: Scope[], memberId?: string) => {
    const r = await api.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      body: { name: scopes.join('+'), scopes, ...(memberId ? { memberId } : {}) },
    });
    expect(r.status, r.text).toBe(201);
    return r.body.key as string;
  };
  const single = new Map<Scope, string>();
  for (const scope of SCOPES)
    single.set(scope, await keyWith(A.id, [scope], scope === 'purchases:approve' ? 'olga' : undefined));
  const approver = single.get('purchases:approve')!;
  const otherWorkspace = B.key;
  // Real resources of A, so that B's key is refused for what it is, not for a missing id.
  await api.call('POST', `/v1/workspaces/${A.id}/grants`, {
    body: { type: 'purchased', amount: 100, reason: 'matrix', idempotencyKey: 'matrix-grant' },
  });
  const debit = await api.call('POST', `/v1/workspaces/${A.id}/debits`, {
    body: { amount: 5, idempotencyKey: 'matrix-debit' },
  });
  const hold = await api.call('POST', `/v1/workspaces/${A.id}/holds`, {
    body: { amount: 5, idempotencyKey: 'matrix-hold' },
  });
  const keys = await api.call('GET', `/v1/workspaces/${A.id}/api-keys`);
  const ownedBy = (path: string) =>
    path.startsWith('/v1/transactions/')
      ? String(debit.body.transaction.id)
      : path.startsWith('/v1/holds/')
        ? String(hold.body.id)
        : path.startsWith('/v1/api-keys/')
          ? String(keys.body.items[0].id)
          : 'nonexistent-id';
  const validBody = (path: string) =>
    path.endsWith('/raises')
      ? { amount: 1, reason: 'matrix' }
      : path.endsWith('/reverse')
        ? { idempotencyKey: 'matrix-reverse' }
        : path.endsWith('/capture')
          ? { amount: 1, idempotencyKey: 'matrix-capture' }
          : {};

  const operations = registeredOperations(api.app).filter((o) => o.path.startsWith('/v1/'));
  const call = (o: { method: string; path: string }, key: string | null) =>
    api.call(o.method, o.path.replace('{ws}', A.id).replace('{id}', 'nonexistent-id'), {
      key,
      ...(['POST', 'PUT', 'PATCH'].includes(o.method) ? { body: {} } : {}),
    });
  const denied = (status: number) => status === 401 || status === 403;

  it('every registered route has a policy, and every policy a route', () => {
    const ids = registeredOperations(api.app).map((o) => o.operationId);
    expect(ids.filter((id) => !(id in API_POLICIES))).toEqual([]);
    expect(Object.keys(API_POLICIES).filter((id) => !ids.includes(id))).toEqual([]);
    expect(operations.length).toBeGreaterThan(30);
  });

  it('a route without a declared policy stops the API from starting', () => {
    const app = new OpenAPIHono<ApiEnv>();
    app.openapi(
      createRoute({
        method: 'get',
        path: '/v1/forgotten',
        operationId: 'forgottenOperation',
        responses: { 200: { description: 'ok' } },
      }),
      (c) => c.body(null, 200),
    );
    expect(() => assertEveryRouteHasPolicy(app)).toThrow(/GET \/v1\/forgotten \(forgottenOperation\)/);
  });

  it.each(operations.map((o) => [`${o.method} ${o.path} (${o.operationId})`, o] as const))(
    '%s',
    async (_name, o) => {
      const policy = API_POLICIES[o.operationId]!;
      const where = `${o.method} ${o.path}`;
      // No key: always 401.
      expect((await call(o, null)).status, `${where} without a key`).toBe(401);
      // The operator passes every policy.
      expect(denied((await call(o, api.operatorKey)).status), `${where} as operator`).toBe(false);
      for (const [scope, key] of single) {
        const r = await call(o, key);
        const allowed = 'authenticated' in policy || ('scope' in policy && policy.scope === scope);
        expect(denied(r.status), `${where} with only ${scope} → ${r.status} ${r.text}`).toBe(!allowed);
        if (!allowed) {
          expect(r.status).toBe(403);
          if ('scope' in policy) expect(r.body.error.details.missingScope, where).toBe(policy.scope);
        }
      }
      // The member-bound approver key may approve and nothing else.
      const viaApprover = await call(o, approver);
      const approverAllowed =
        'authenticated' in policy || ('scope' in policy && policy.scope === 'purchases:approve');
      expect(denied(viaApprover.status), `${where} with the approver key`).toBe(!approverAllowed);
      // Another workspace's key (with every scope but approving) never reaches anything of A.
      if (o.path.includes('{ws}') || o.path.includes('{id}')) {
        const foreign = await api.call(
          o.method,
          o.path.replace('{ws}', A.id).replace('{id}', ownedBy(o.path)),
          {
            key: otherWorkspace,
            ...(['POST', 'PUT', 'PATCH'].includes(o.method) ? { body: validBody(o.path) } : {}),
          },
        );
        // Purchases answer 503 here (no purchase flows in this API): nothing is reached either way.
        const flows = o.path.startsWith('/v1/purchases/') || o.path.startsWith('/v1/budget-raises/');
        const refused = flows ? [403, 404, 503] : [403, 404];
        expect(refused, `${where} with B's key → ${foreign.status} ${foreign.text}`).toContain(
          foreign.status,
        );
      }
    },
  );
});
