import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ROLE_SCOPES, type Scope } from '../../application/access.js';
import { WEB_POLICIES, type WebAction } from '../../application/policies.js';
import { buildUsageChart } from '../../application/usage-chart.js';
import { createApp } from '../../integrations/api/app.js';
import { IN_PROCESS_PRINCIPAL } from '../../integrations/api/auth.js';
import { assertEveryWebRouteHasPolicy, createWebConsole } from '../../integrations/web/console.js';
import type { Role } from '../../ledger/types.js';
import { createContext } from '../../runtime/context.js';
import { uniqueId } from '../support/db.js';

/**
 * Every page and form action of the console × every role: what each needs is WEB_POLICIES, checked
 * on the server (a refused page is 403 whatever the menu shows). And who may mint a sign-in link.
 */
describe('web console: who may open and submit what', async () => {
  const operatorKey = `op_${randomBytes(16).toString('hex')}`;
  const ctx = createContext({ databaseUrl: inject('databaseUrl') });
  afterAll(() => ctx.close());
  const api = createApp({ ...ctx, operatorKey });
  const web = createWebConsole({
    webAccess: ctx.webAccess,
    api: (principal, request) => Promise.resolve(api.fetch(request, { [IN_PROCESS_PRINCIPAL]: principal })),
    embedOrigins: [],
    usageChart: (ws, by) => buildUsageChart(ctx, ws, { now: new Date(), perDay: 0, by }),
  });
  const call = (method: string, path: string, body?: unknown, key = operatorKey) =>
    api.request(path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const ws = uniqueId('webpol');
  await call('POST', '/v1/workspaces', {
    id: ws,
    name: ws,
    plan: 'business',
    status: 'active',
    billingAnchor: '2026-11-01T00:00:00Z',
  });
  const roles: Role[] = ['viewer', 'member', 'admin', 'owner'];
  for (const role of roles)
    await call('POST', `/v1/workspaces/${ws}/members`, { id: role, name: role, role });

  const operator = { kind: 'operator', keyId: null, name: 'operator' } as const;
  const sessionOf = async (memberId: string) => {
    const link = await ctx.webAccess.createLoginLink(operator, ws, memberId, 'http://console.test');
    const signed = await ctx.webAccess.signIn(link.token);
    if (!signed.ok) throw new Error(signed.reason);
    return { cookie: `credits_session=${signed.sessionToken}`, csrf: signed.csrfToken };
  };

  it('every route is registered with a policy, and every policy has a route', () => {
    const used = new Set(web.policies.values());
    expect(Object.keys(WEB_POLICIES).filter((a) => !used.has(a as WebAction))).toEqual([]);
    expect(() => assertEveryWebRouteHasPolicy(web)).not.toThrow();
    web.get('/app/forgotten', (c) => c.text('oops'));
    expect(() => assertEveryWebRouteHasPolicy(web)).toThrow(/GET \/app\/forgotten/);
  });

  const routes = [...new Map([...(web.policies ?? [])]).entries()]
    .filter(([route]) => !route.startsWith('OPTIONS'))
    .map(([route, action]) => ({ method: route.split(' ')[0]!, path: route.split(' ')[1]!, action }));

  it.each(roles)(
    'as a %s, each page and action answers 403 exactly when the role lacks its scope',
    async (role) => {
      const { cookie, csrf } = await sessionOf(role);
      for (const { method, path, action } of routes) {
        const rule = WEB_POLICIES[action] as { scope?: Scope };
        if (!rule.scope) continue;
        const url = path
          .replace(':id', 'nonexistent')
          .replace(':name{console\\.(css|js)}', 'console.css')
          .replace(':token', 'x');
        const r = await web.request(url, {
          method,
          headers: {
            cookie,
            host: 'console.test',
            origin: 'http://console.test',
            'content-type': 'application/x-www-form-urlencoded',
          },
          ...(method === 'POST' ? { body: `_csrf=${csrf}` } : {}),
        });
        const allowed = ROLE_SCOPES[role].includes(rule.scope);
        expect(r.status === 403, `${role} ${method} ${path} → ${r.status}`).toBe(!allowed);
      }
    },
  );

  it('without a session every page is 401 and no data is shown', async () => {
    for (const { method, path, action } of routes) {
      if ('public' in WEB_POLICIES[action]) continue;
      const r = await web.request(path.replace(':id', '1'), { method });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
  });

  it('a sign-in link grants no more than its minter holds', async () => {
    const keyWith = async (scopes: Scope[]) => {
      const r = await call('POST', `/v1/workspaces/${ws}/api-keys`, { name: scopes.join('+'), scopes });
      return ((await r.json()) as { key: string }).key;
    };
    const mint = async (key: string, memberId: string) =>
      (await call('POST', `/v1/workspaces/${ws}/login-links`, { memberId }, key)).status;
    const manageOnly = await keyWith(['members:manage']);
    expect(await mint(manageOnly, 'viewer')).toBe(403); // a viewer reads balances; this key cannot
    const manageAndRead = await keyWith(['members:manage', 'balance:read']);
    expect(await mint(manageAndRead, 'viewer')).toBe(201);
    expect(await mint(manageAndRead, 'member')).toBe(403);
    expect(await mint(manageAndRead, 'owner')).toBe(403);
    const everything = await keyWith([...ROLE_SCOPES.owner]);
    expect(await mint(everything, 'owner')).toBe(201);
    expect(await mint(everything, 'nobody')).toBe(404);
    const spendOnly = await keyWith(['balance:read', 'credits:spend']);
    expect(await mint(spendOnly, 'viewer')).toBe(403);
    const reply = await call('POST', `/v1/workspaces/${ws}/login-links`, { memberId: 'owner' });
    const body = (await reply.json()) as { url: string; expiresAt: string };
    expect(body.url).toMatch(/\/app\/sign-in\/cl_[\w-]{43}$/);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    // Only digests are stored.
    const token = body.url.split('/').pop()!;
    const [row] =
      await ctx.sql`SELECT count(*)::int AS n FROM web_login_links WHERE token_hash::text LIKE ${`%${token}%`}`;
    expect(row?.n).toBe(0);
  });

  it('a session ends at sign-out and after the idle timeout', async () => {
    const { cookie, csrf } = await sessionOf('viewer');
    const headers = {
      cookie,
      host: 'console.test',
      origin: 'http://console.test',
      'content-type': 'application/x-www-form-urlencoded',
    };
    expect((await web.request('/app/usage', { headers })).status).toBe(200);
    expect(
      (await web.request('/app/sign-out', { method: 'POST', headers, body: `_csrf=${csrf}` })).status,
    ).toBe(200);
    expect((await web.request('/app/usage', { headers })).status).toBe(401);

    const idle = await sessionOf('viewer');
    await ctx.sql`UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes' WHERE member_id = 'viewer' AND ended_at IS NULL`;
    expect((await web.request('/app/usage', { headers: { cookie: idle.cookie } })).status).toBe(401);
  });
});
