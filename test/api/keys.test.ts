import { describe, expect, inject, it } from 'vitest';
import { createApp } from '../../integrations/api/app.js';
import { createContext } from '../../runtime/context.js';
import { useApi } from './support.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('API keys: scopes, expiry, revocation on every replica, audit', async () => {
  const api = await useApi();
  await api.ctx.apiKeys.watch();

  async function key(ws: string, body: Record<string, unknown>, as?: string) {
    return api.call('POST', `/v1/workspaces/${ws}/api-keys`, { ...(as ? { key: as } : {}), body });
  }

  it('a key made without scopes can read and spend, nothing more; the secret is never listed', async () => {
    const A = await api.workspace({ credits: 100 });
    const made = await key(A.id, { name: 'n8n' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      scopes: ['balance:read', 'credits:spend'],
      memberId: null,
      expiresAt: null,
    });
    const k = made.body.key as string;
    expect((await api.call('GET', `/v1/workspaces/${A.id}/balance`, { key: k })).status).toBe(200);
    const refused = await api.call('PUT', `/v1/workspaces/${A.id}/alerts`, {
      key: k,
      body: { thresholds: { low: 5, critical: 1 } },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.missingScope).toBe('settings:write');
    await api.ctx.apiKeys.flushTouches();
    const listed = await api.call('GET', `/v1/workspaces/${A.id}/api-keys`);
    expect(listed.text).not.toContain(k);
    const row = listed.body.items.find((i: { id: string }) => i.id === made.body.id);
    expect(Object.keys(row).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'memberId', 'name', 'revokedAt', 'scopes'].sort(),
    );
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('a keys:manage key hands out only scopes it holds; approving needs an owner or admin to act as', async () => {
    const A = await api.workspace();
    const manager = (await key(A.id, { name: 'manager', scopes: ['keys:manage', 'balance:read'] })).body.key;
    const beyond = await key(A.id, { name: 'more', scopes: ['credits:spend'] }, manager);
    expect(beyond.status).toBe(403);
    expect(beyond.body.error.details.missingScope).toBe('credits:spend');
    expect((await key(A.id, { name: 'reader', scopes: ['balance:read'] }, manager)).status).toBe(201);
    const unbound = await key(A.id, { name: 'approver', scopes: ['purchases:approve'] });
    expect(unbound.status).toBe(400);
    expect(unbound.body.error.details.fields[0].field).toBe('memberId');
    await api.call('POST', `/v1/workspaces/${A.id}/members`, {
      body: { id: 'vic', name: 'Vic', role: 'viewer' },
    });
    const viewer = await key(A.id, { name: 'approver', scopes: ['purchases:approve'], memberId: 'vic' });
    expect(viewer.status).toBe(400);
    expect(viewer.body.error.message).toContain('owner or admin');
    const unknownScope = await key(A.id, { name: 'x', scopes: ['everything'] });
    expect(unknownScope.status).toBe(400);
  });

  it('an expired key stops working', async () => {
    const A = await api.workspace();
    const soon = new Date(Date.now() + 1500).toISOString();
    const made = await key(A.id, { name: 'short', expiresAt: soon });
    expect((await api.call('GET', `/v1/workspaces/${A.id}/balance`, { key: made.body.key })).status).toBe(
      200,
    );
    await wait(1700);
    expect((await api.call('GET', `/v1/workspaces/${A.id}/balance`, { key: made.body.key })).status).toBe(
      401,
    );
    expect((await key(A.id, { name: 'past', expiresAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
  });

  it('revoked in one process, refused by another within a second (both had it cached)', async () => {
    const other = createContext({ databaseUrl: inject('databaseUrl'), poolMax: 2 });
    try {
      await other.apiKeys.watch();
      const replica = createApp({ ...other, operatorKey: api.operatorKey });
      const A = await api.workspace();
      const k = (await key(A.id, { name: 'doomed' })).body;
      const onReplica = () =>
        replica.request(`/v1/workspaces/${A.id}/balance`, { headers: { authorization: `Bearer ${k.key}` } });
      expect((await onReplica()).status).toBe(200);
      expect((await api.call('GET', `/v1/workspaces/${A.id}/balance`, { key: k.key })).status).toBe(200);
      const revoked = await api.call('DELETE', `/v1/api-keys/${k.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      const started = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - started < 1000) {
        status = (await onReplica()).status;
        if (status === 200) await wait(20);
      }
      expect(status, `still accepted ${Date.now() - started} ms after the revocation`).toBe(401);
      expect((await api.call('GET', `/v1/workspaces/${A.id}/balance`, { key: k.key })).status).toBe(401);
      // Another workspace's key id is "not found" to a workspace key.
      const B = await api.workspace();
      expect((await api.call('DELETE', `/v1/api-keys/${k.id}`, { key: B.key })).status).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('an approver key stops working, everywhere, when its member loses the role', async () => {
    const other = createContext({ databaseUrl: inject('databaseUrl'), poolMax: 2 });
    try {
      await other.apiKeys.watch();
      const replica = createApp({ ...other, operatorKey: api.operatorKey });
      const A = await api.workspace();
      await api.call('POST', `/v1/workspaces/${A.id}/members`, {
        body: { id: 'ada', name: 'Ada', role: 'admin' },
      });
      const k = (
        await key(A.id, {
          name: 'ada approves',
          scopes: ['balance:read', 'purchases:approve'],
          memberId: 'ada',
        })
      ).body.key;
      const read = () =>
        replica.request(`/v1/workspaces/${A.id}/balance`, { headers: { authorization: `Bearer ${k}` } });
      expect((await read()).status).toBe(200);
      await api.call('POST', `/v1/workspaces/${A.id}/members`, {
        body: { id: 'ada', name: 'Ada', role: 'member' },
      });
      const started = Date.now();
      let r = await read();
      while (r.status === 200 && Date.now() - started < 1000) {
        await wait(20);
        r = await read();
      }
      expect(r.status).toBe(401);
      expect(await r.text()).toContain('no longer an owner or admin');
    } finally {
      await other.close();
    }
  });

  it('audits keys, members, roles, thresholds and auto top-up with actor, channel, before and after', async () => {
    const A = await api.workspace();
    const k = (await key(A.id, { name: 'audited' })).body;
    await api.call('DELETE', `/v1/api-keys/${k.id}`);
    await api.call('POST', `/v1/workspaces/${A.id}/members`, {
      body: { id: 'mo', name: 'Mo', role: 'member' },
    });
    await api.call('POST', `/v1/workspaces/${A.id}/members`, {
      body: { id: 'mo', name: 'Mo', role: 'admin' },
    });
    await api.call('PUT', `/v1/workspaces/${A.id}/alerts`, {
      key: A.key,
      body: { thresholds: { low: 300, critical: 30 } },
    });
    await api.call('PUT', `/v1/workspaces/${A.id}/auto-top-up`, {
      body: { autoTopUp: { enabled: true, below: 50, package: 'small', monthlyBudget: 100 } },
    });
    const refused = await api.call('PUT', `/v1/workspaces/${A.id}/alerts`, {
      key: A.key,
      body: { thresholds: { low: 1, critical: 30 } },
    });
    expect(refused.status).toBe(400);
    const audit = await api.call('GET', `/v1/workspaces/${A.id}/audit`);
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'auto_top_up.changed',
      'alerts.changed',
      'member.role_changed',
      'member.added',
      'key.revoked',
      'key.created',
      'key.created',
    ]);
    const [topUp, alerts, role] = audit.body.items;
    expect(topUp).toMatchObject({ channel: 'api', before: null, after: { below: 50, package: 'small' } });
    expect(alerts).toMatchObject({
      actor: expect.stringMatching(/^key:/),
      after: { thresholds: { low: 300, critical: 30 } },
    });
    expect(role).toMatchObject({ actor: 'operator', before: { role: 'member' }, after: { role: 'admin' } });
    // Append-only: the database refuses edits.
    await expect(
      api.ctx.sql`UPDATE audit_log SET actor = 'someone else' WHERE workspace_id = ${A.id}`,
    ).rejects.toThrow(/append-only/);
    // Reading it needs members:manage.
    const reader = (await key(A.id, { name: 'reader', scopes: ['balance:read'] })).body.key;
    expect((await api.call('GET', `/v1/workspaces/${A.id}/audit`, { key: reader })).status).toBe(403);
  });
});
