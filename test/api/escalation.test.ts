import { describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../application/access.js';
import { useApi } from './support.js';

/**
 * Side doors to spending power (issue 24), each tried as the attacker did, through the API: a key
 * without purchases:approve must never end up approving, directly or through a member or a key
 * it makes.
 */
const ALL = SCOPES;

describe('no path to spending power without purchases:approve', async () => {
  const api = await useApi();
  // Revocations and role changes reach the key cache by NOTIFY, as on every replica.
  await api.ctx.apiKeys.watch();
  /** The status `call` settles on within 2 s (a NOTIFY reaches the cache just after the commit). */
  async function settles(call: () => Promise<{ status: number }>, status: number): Promise<number> {
    const started = Date.now();
    let last = (await call()).status;
    while (last !== status && Date.now() - started < 2000) {
      await new Promise((r) => setTimeout(r, 20));
      last = (await call()).status;
    }
    return last;
  }

  async function keyWith(ws: string, scopes: Scope[], extra: Record<string, unknown> = {}, as?: string) {
    const r = await api.call('POST', `/v1/workspaces/${ws}/api-keys`, {
      ...(as ? { key: as } : {}),
      body: { name: scopes.join('+').slice(0, 100), scopes, ...extra },
    });
    expect(r.status, r.text).toBe(201);
    return r.body as { id: string; key: string };
  }
  const member = (ws: string, body: Record<string, unknown>, key?: string) =>
    api.call('POST', `/v1/workspaces/${ws}/members`, { ...(key ? { key } : {}), body });

  describe('members:manage grants only what the caller holds', () => {
    it('a members:manage key cannot make an owner, nor any role beyond its own scopes', async () => {
      const A = await api.workspace();
      const manager = (await keyWith(A.id, ['members:manage'])).key;
      const owner = await member(
        A.id,
        { id: 'eve', name: 'Eve', role: 'owner', slackUserId: 'UEVE' },
        manager,
      );
      expect(owner.status, owner.text).toBe(403);
      const asMember = await member(A.id, { id: 'eve', name: 'Eve', role: 'member' }, manager);
      expect(asMember.status).toBe(403);
      expect(asMember.body.error.details.missingScope).toBe('balance:read');
      const reader = (await keyWith(A.id, ['members:manage', 'balance:read'])).key;
      expect((await member(A.id, { id: 'vic', name: 'Vic', role: 'viewer' }, reader)).status).toBe(201);
      const members = await api.call('GET', `/v1/workspaces/${A.id}/members`);
      expect(members.body.items.map((m: { id: string }) => m.id)).toEqual(['vic']);
    });

    it('an admin’s key with every scope cannot make an admin, re-promote one, or take over an owner’s chat identity', async () => {
      const A = await api.workspace();
      await member(A.id, { id: 'olga', name: 'Olga', role: 'owner', slackUserId: 'UOLGA' });
      await member(A.id, { id: 'adam', name: 'Adam', role: 'admin' });
      await member(A.id, { id: 'ana', name: 'Ana', role: 'admin' });
      // The operator demotes ana.
      expect((await member(A.id, { id: 'ana', name: 'Ana', role: 'member' })).status).toBe(201);
      const adams = (await keyWith(A.id, [...ALL], { memberId: 'adam' })).key;
      const promote = await member(A.id, { id: 'ana', name: 'Ana', role: 'admin' }, adams);
      expect(promote.status).toBe(403);
      expect(promote.body.error.details.required).toBe('owner');
      expect((await member(A.id, { id: 'mal', name: 'Mal', role: 'owner' }, adams)).status).toBe(403);
      const relink = { id: 'olga', name: 'Olga', role: 'owner', slackUserId: 'UATTACKER' };
      expect((await member(A.id, relink, adams)).status).toBe(403);
      // Nor by demoting the owner first, nor with a key holding every scope but approving.
      expect((await member(A.id, { ...relink, role: 'viewer' }, adams)).status).toBe(403);
      expect((await member(A.id, relink, A.key)).status).toBe(403);
      expect(
        (await member(A.id, { id: 'adam', name: 'Adam', role: 'admin', slackUserId: 'UX' }, adams)).status,
      ).toBe(403);
      const members = await api.call('GET', `/v1/workspaces/${A.id}/members`);
      expect(members.body.items).toEqual([
        expect.objectContaining({ id: 'adam', role: 'admin', slackUserId: null }),
        expect.objectContaining({ id: 'ana', role: 'member' }),
        expect.objectContaining({ id: 'olga', role: 'owner', slackUserId: 'UOLGA' }),
      ]);
      // A plain member is still theirs to manage.
      expect((await member(A.id, { id: 'mo', name: 'Mo', role: 'member' }, A.key)).status).toBe(201);
      expect(
        (await member(A.id, { id: 'mo', name: 'Mo', role: 'member', slackUserId: 'UMO' }, adams)).status,
      ).toBe(201);
    });

    it('an owner’s key (or the operator) may make admins; a chat identity change is audited on its own', async () => {
      const A = await api.workspace();
      await member(A.id, { id: 'olga', name: 'Olga', role: 'owner', slackUserId: 'UOLGA' });
      const olgas = (
        await keyWith(
          A.id,
          ['balance:read', 'credits:spend', 'purchases:request', 'members:manage', 'purchases:approve'],
          {
            memberId: 'olga',
          },
        )
      ).key;
      // Holding every scope of an admin is needed too: this key lacks some.
      expect((await member(A.id, { id: 'ana', name: 'Ana', role: 'admin' }, olgas)).status).toBe(403);
      const full = (await keyWith(A.id, [...ALL], { memberId: 'olga' })).key;
      expect((await member(A.id, { id: 'ana', name: 'Ana', role: 'admin' }, full)).status).toBe(201);
      const relinked = await member(A.id, { id: 'olga', name: 'Olga', role: 'owner', slackUserId: 'UNEW' });
      expect(relinked.status).toBe(201);
      const audit = await api.call('GET', `/v1/workspaces/${A.id}/audit`, {
        key: A.key,
      });
      expect(audit.body.items[0]).toMatchObject({
        action: 'member.chat_identity_changed',
        actor: 'operator',
        target: 'olga',
        before: { slackUserId: 'UOLGA', discordUserId: null },
        after: { slackUserId: 'UNEW', discordUserId: null },
      });
    });
  });

  describe('keys made by keys', () => {
    async function withAna() {
      const A = await api.workspace();
      await member(A.id, { id: 'olga', name: 'Olga', role: 'owner' });
      await member(A.id, { id: 'ana', name: 'Ana', role: 'admin' });
      const anas = await keyWith(A.id, ['balance:read', 'keys:manage', 'purchases:approve'], {
        memberId: 'ana',
      });
      return { A, anas };
    }
    const balance = (ws: string, key: string) => api.call('GET', `/v1/workspaces/${ws}/balance`, { key });

    it('a key binds the keys it makes to its own member only', async () => {
      const { A, anas } = await withAna();
      const asOwner = await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
        key: anas.key,
        body: { name: 'as olga', scopes: ['purchases:approve'], memberId: 'olga' },
      });
      expect(asOwner.status, asOwner.text).toBe(403);
      const unbound = (await keyWith(A.id, ['balance:read', 'keys:manage'])).key;
      const bindAna = await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
        key: unbound,
        body: { name: 'as ana', scopes: ['balance:read'], memberId: 'ana' },
      });
      expect(bindAna.status).toBe(403);
      const own = await keyWith(A.id, ['purchases:approve'], { memberId: 'ana' }, anas.key);
      const audit = await api.call('GET', `/v1/workspaces/${A.id}/audit?action=key.created`);
      expect(audit.body.items[0]).toMatchObject({
        actor: `key:${anas.id}`,
        target: own.id,
        after: { createdByKey: anas.id, memberId: 'ana' },
      });
    });

    it('what a key made is revoked with it, and when its member loses the role', async () => {
      const { A, anas } = await withAna();
      const child = await keyWith(
        A.id,
        ['balance:read', 'keys:manage', 'purchases:approve'],
        { memberId: 'ana' },
        anas.key,
      );
      const grandchild = await keyWith(A.id, ['balance:read'], {}, child.key);
      expect((await balance(A.id, grandchild.key)).status).toBe(200);
      // The operator demotes ana: her keys stop working, and what they made is revoked for good.
      expect((await member(A.id, { id: 'ana', name: 'Ana', role: 'member' })).status).toBe(201);
      expect(await settles(() => balance(A.id, anas.key), 401)).toBe(401);
      expect(await settles(() => balance(A.id, child.key), 401)).toBe(401);
      expect(await settles(() => balance(A.id, grandchild.key), 401)).toBe(401);
      await member(A.id, { id: 'ana', name: 'Ana', role: 'admin' });
      expect(await settles(() => balance(A.id, anas.key), 200)).toBe(200);
      expect(await settles(() => balance(A.id, child.key), 401)).toBe(401);
      const listed = await api.call('GET', `/v1/workspaces/${A.id}/api-keys`);
      const revoked = (id: string) => listed.body.items.find((k: { id: string }) => k.id === id).revokedAt;
      expect(revoked(anas.id)).toBeNull();
      expect(revoked(child.id)).not.toBeNull();
      expect(revoked(grandchild.id)).not.toBeNull();

      // Revoking a maker revokes what it made, in the same transaction.
      const reader = await keyWith(A.id, ['balance:read'], {}, anas.key);
      expect((await api.call('DELETE', `/v1/api-keys/${anas.id}`)).status).toBe(200);
      expect(await settles(() => balance(A.id, reader.key), 401)).toBe(401);
      const audit = await api.call('GET', `/v1/workspaces/${A.id}/audit?action=key.revoked`);
      expect(audit.body.items.map((e: { target: string }) => e.target)).toContain(reader.id);
    });

    it('authentication refuses a key whose maker is no longer alive, however it was ended', async () => {
      const { A, anas } = await withAna();
      const reader = await keyWith(A.id, ['balance:read'], {}, anas.key);
      // Ended behind the API's back (as an older version left it): the chain is checked at authentication.
      await api.ctx.sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${anas.id}`;
      expect(await settles(() => balance(A.id, reader.key), 401)).toBe(401);
    });

    it('a key made by a time-limited key expires no later than its maker', async () => {
      const A = await api.workspace();
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      const limited = await keyWith(A.id, ['balance:read', 'keys:manage'], { expiresAt });
      const inherited = await keyWith(A.id, ['balance:read'], {}, limited.key);
      expect((inherited as unknown as { expiresAt: string }).expiresAt).toBe(expiresAt);
      for (const later of [null, new Date(Date.now() + 7_200_000).toISOString()]) {
        const r = await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
          key: limited.key,
          body: { name: 'forever', scopes: ['balance:read'], expiresAt: later },
        });
        expect(r.status, String(later)).toBe(400);
        expect(r.body.error.details.fields[0].field).toBe('expiresAt');
      }
      const sooner = new Date(Date.now() + 60_000).toISOString();
      expect((await keyWith(A.id, ['balance:read'], { expiresAt: sooner }, limited.key)).id).toMatch(/^key_/);
    });
  });
});
