import { describe, expect, it } from 'vitest';
import { APPROVER_ROLES, ROLE_SCOPES, SCOPES, type Scope } from '../../application/access.js';
import { ROLES } from '../../ledger/types.js';
import { useApi } from './support.js';

/**
 * The access matrix beyond one scope per route (issue 24): the rules that close the side doors to
 * spending power, each generated over every case rather than picked examples.
 */
describe('who may do what, beyond scopes: every case of the rules', async () => {
  const api = await useApi();
  const A = await api.workspace();
  for (const m of [
    { id: 'olga', name: 'Olga', role: 'owner' },
    { id: 'ana', name: 'Ana', role: 'admin' },
    { id: 'mo', name: 'Mo', role: 'member' },
  ]) {
    expect((await api.call('POST', `/v1/workspaces/${A.id}/members`, { body: m })).status).toBe(201);
  }
  // An approving key must act as an owner or admin: unless told, as admin ana (not an owner).
  const keyWith = async (scopes: readonly Scope[], extra: Record<string, unknown> = {}) => {
    const bound = scopes.includes('purchases:approve') ? { memberId: 'ana' } : {};
    const r = await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
      body: { name: scopes.join('+').slice(0, 100) || 'none', scopes, ...bound, ...extra },
    });
    expect(r.status, r.text).toBe(201);
    return r.body.key as string;
  };

  it('role grants per caller scope: a role needs every one of its scopes, owner/admin need an owner', async () => {
    const ownerKey = await keyWith(SCOPES, { memberId: 'olga' });
    const adminKey = await keyWith(SCOPES, { memberId: 'ana' });
    let n = 0;
    for (const role of ROLES) {
      const needed = ROLE_SCOPES[role];
      const grant = (key: string) =>
        api.call('POST', `/v1/workspaces/${A.id}/members`, {
          key,
          body: { id: `g${++n}`, name: 'Granted', role },
        });
      // Exactly the role's scopes (and members:manage), not an owner's: ordinary roles only.
      const exact = await keyWith([...new Set<Scope>([...needed, 'members:manage'])]);
      expect((await grant(exact)).status, `${role} by a key with its scopes`).toBe(
        APPROVER_ROLES.includes(role) ? 403 : 201,
      );
      // One scope of the role missing: refused, naming it.
      for (const missing of needed) {
        const short = await keyWith(
          [...new Set<Scope>([...needed, 'members:manage'])].filter((s) => s !== missing),
        );
        const r = await grant(short);
        expect(r.status, `${role} without ${missing}`).toBe(403);
        expect(r.body.error.details.missingScope).toBe(missing);
      }
      // An admin's every-scope key: still no owner or admin; an owner's: any role.
      expect((await grant(adminKey)).status, `${role} by an admin`).toBe(
        APPROVER_ROLES.includes(role) ? 403 : 201,
      );
      expect((await grant(ownerKey)).status, `${role} by an owner`).toBe(201);
      expect((await grant(api.operatorKey)).status, `${role} by the operator`).toBe(201);
    }
  });

  it('binding keys: a key binds new keys to its own member only', async () => {
    const cases: [maker: string | null, target: string | null, status: number][] = [];
    for (const maker of [null, 'olga', 'ana', 'mo'])
      for (const target of [null, 'olga', 'ana', 'mo'])
        cases.push([maker, target, target === null || target === maker ? 201 : 403]);
    for (const [maker, target, status] of cases) {
      const scopes: Scope[] =
        maker && maker !== 'mo'
          ? ['balance:read', 'keys:manage', 'purchases:approve']
          : ['balance:read', 'keys:manage'];
      const makerKey = await keyWith(scopes, maker ? { memberId: maker } : {});
      const r = await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
        key: makerKey,
        body: { name: 'child', scopes: ['balance:read'], ...(target ? { memberId: target } : {}) },
      });
      expect(r.status, `key of ${maker ?? 'nobody'} binding to ${target ?? 'nobody'}`).toBe(status);
    }
  });

  it('expiry ceiling: a child of a time-limited key expires no later than it, whatever it asks', async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const makerExpiry = at(3_600_000);
    const maker = await keyWith(['balance:read', 'keys:manage'], { expiresAt: makerExpiry });
    const forever = await keyWith(['balance:read', 'keys:manage']);
    for (const [key, asked, status] of [
      [maker, undefined, 201],
      [maker, at(60_000), 201],
      [maker, makerExpiry, 201],
      [maker, at(3_700_000), 400],
      [maker, null, 400],
      [forever, null, 201],
      [forever, at(86_400_000 * 365), 201],
    ] as const) {
      const r = await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
        key,
        body: {
          name: 'child',
          scopes: ['balance:read'],
          ...(asked === undefined ? {} : { expiresAt: asked }),
        },
      });
      expect(r.status, `asked ${asked} of ${key === maker ? 'a limited' : 'an unlimited'} maker`).toBe(
        status,
      );
    }
  });

  it('auto top-up budget: turning on or raising it needs purchases:approve; lowering or turning off does not', async () => {
    const W = await api.workspace();
    await api.call('POST', `/v1/workspaces/${W.id}/members`, {
      body: { id: 'olga', name: 'Olga', role: 'owner' },
    });
    const put = (key: string, monthlyBudget: number, enabled = true) =>
      api.call('PUT', `/v1/workspaces/${W.id}/auto-top-up`, {
        key,
        body: { autoTopUp: { enabled, below: 100, package: 'small', monthlyBudget } },
      });
    const settings = (
      await api.call('POST', `/v1/workspaces/${W.id}/api-keys`, {
        body: { name: 'settings', scopes: ['balance:read', 'settings:write'] },
      })
    ).body.key as string;
    const approver = (
      await api.call('POST', `/v1/workspaces/${W.id}/api-keys`, {
        body: { name: 'approver', scopes: ['settings:write', 'purchases:approve'], memberId: 'olga' },
      })
    ).body.key as string;
    expect((await put(settings, 50)).status, 'settings:write turns it on with a budget').toBe(403);
    expect((await put(approver, 500)).status, 'the approver sets 500').toBe(200);
    expect((await put(settings, 600)).status, 'settings:write raises it').toBe(403);
    expect((await put(settings, 400)).status, 'settings:write lowers it').toBe(200);
    expect((await put(settings, 400, false)).status, 'settings:write turns it off').toBe(200);
    expect((await put(settings, 400, true)).status, 'settings:write turns it back on').toBe(403);
    expect((await put(approver, 800)).status, 'the approver raises it').toBe(200);
  });
});
