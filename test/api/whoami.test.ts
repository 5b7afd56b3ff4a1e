import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../ledger/types.js';
import { useApi } from './support.js';

describe('GET /v1/whoami over HTTP: what the calling key is', async () => {
  const api = await useApi({ http: true });

  it('a workspace key bound to a member: its workspace, its scopes, its member and its id', async () => {
    const ws = await api.workspace();
    const member = await api.call('POST', `/v1/workspaces/${ws.id}/members`, {
      body: { id: 'ada', name: 'Ada', role: 'admin' },
    });
    expect(member.status).toBe(201);
    const made = await api.call('POST', `/v1/workspaces/${ws.id}/api-keys`, {
      body: { name: 'approver', scopes: ['purchases:approve', 'balance:read'], memberId: 'ada' },
    });
    expect(made.status).toBe(201);
    const me = await api.call('GET', '/v1/whoami', { key: made.body.key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      workspaceId: ws.id,
      scopes: ['balance:read', 'purchases:approve'],
      memberId: 'ada',
      keyId: made.body.id,
    });
  });

  it('a key made without scopes or member: the default scopes, no member', async () => {
    const ws = await api.workspace();
    const made = await api.call('POST', `/v1/workspaces/${ws.id}/api-keys`, { body: { name: 'n8n' } });
    const me = await api.call('GET', '/v1/whoami', { key: made.body.key });
    expect(me.body).toEqual({
      workspaceId: ws.id,
      scopes: ['balance:read', 'credits:spend'],
      memberId: null,
      keyId: made.body.id,
    });
  });

  it('the operator key: no workspace, every scope, no member, no key id', async () => {
    const me = await api.call('GET', '/v1/whoami');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ workspaceId: null, scopes: [...SCOPES], memberId: null, keyId: null });
  });

  it('no key, an unknown key or a revoked key: 401, nothing about any key', async () => {
    expect((await api.call('GET', '/v1/whoami', { key: null })).status).toBe(401);
    expect((await api.call('GET', '/v1/whoami', { key: 'cr_ws_not-a-key' })).status).toBe(401);
    const ws = await api.workspace();
    const made = await api.call('POST', `/v1/workspaces/${ws.id}/api-keys`, { body: { name: 'gone' } });
    const revoked = await api.call('DELETE', `/v1/api-keys/${made.body.id}`);
    expect(revoked.status).toBeLessThan(300);
    const after = await api.call('GET', '/v1/whoami', { key: made.body.key });
    expect(after.status).toBe(401);
    expect(after.text).not.toContain(ws.id);
  });
});
