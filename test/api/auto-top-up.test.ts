import { beforeAll, describe, expect, it } from 'vitest';
import { fields, useApi } from './support.js';

// Over HTTP: GET/PUT /v1/workspaces/{ws}/auto-top-up with the workspace's own key or the operator's.
const api = await useApi({ http: true });

let A: { id: string; key: string };
let B: { id: string; key: string };

beforeAll(async () => {
  A = await api.workspace();
  B = await api.workspace();
});

const policy = { enabled: true, below: 200, package: 'small', monthlyBudget: 100 };
const settingsOf = async (ws: string) => (await api.ctx.directory.workspace(ws)).settings;

describe('auto top-up policy endpoints', () => {
  it('answers null before a policy is set, then round-trips what was put', async () => {
    const empty = await api.call('GET', `/v1/workspaces/${A.id}/auto-top-up`, { key: A.key });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ autoTopUp: null, currency: expect.any(String) });

    const put = await api.call('PUT', `/v1/workspaces/${A.id}/auto-top-up`, {
      body: { autoTopUp: policy },
    });
    expect(put.status).toBe(200);
    expect(put.body.autoTopUp).toEqual(policy);
    expect((await settingsOf(A.id)).autoTopUp).toEqual(policy);

    const got = await api.call('GET', `/v1/workspaces/${A.id}/auto-top-up`, { key: A.key });
    expect(got.body).toEqual(put.body);

    // The operator may change it too; other settings (alert thresholds) are kept.
    await api.call('PUT', `/v1/workspaces/${A.id}/alerts`, {
      key: A.key,
      body: { thresholds: { low: 150, critical: 20 } },
    });
    const off = { ...policy, enabled: false, monthlyBudget: 0 };
    const byOperator = await api.call('PUT', `/v1/workspaces/${A.id}/auto-top-up`, {
      body: { autoTopUp: off },
    });
    expect(byOperator.status).toBe(200);
    expect((await api.call('GET', `/v1/workspaces/${A.id}/auto-top-up`)).body.autoTopUp).toEqual(off);
    expect((await settingsOf(A.id)).alerts).toEqual({ thresholds: { low: 150, critical: 20 } });
  });

  const bad: [string, unknown, string[]][] = [
    ['below 0', { autoTopUp: { ...policy, below: 0 } }, ['autoTopUp.below']],
    ['fractional below', { autoTopUp: { ...policy, below: 1.5 } }, ['autoTopUp.below']],
    ['unknown package', { autoTopUp: { ...policy, package: 'jumbo' } }, ['autoTopUp.package']],
    ['negative budget', { autoTopUp: { ...policy, monthlyBudget: -1 } }, ['autoTopUp.monthlyBudget']],
    ['enabled as a string', { autoTopUp: { ...policy, enabled: 'yes' } }, ['autoTopUp.enabled']],
    ['unknown field in the policy', { autoTopUp: { ...policy, ceiling: 5 } }, ['autoTopUp.ceiling']],
    ['unknown top-level field', { autoTopUp: policy, extra: 1 }, ['extra']],
    [
      'several at once',
      { autoTopUp: { enabled: true, below: -3, package: 'jumbo', monthlyBudget: 'lots' } },
      ['autoTopUp.below', 'autoTopUp.package', 'autoTopUp.monthlyBudget'],
    ],
    ['no policy', {}, ['autoTopUp']],
    ['policy not an object', { autoTopUp: 5 }, ['autoTopUp']],
  ];
  for (const [name, body, expected] of bad) {
    it(`refuses ${name}, naming ${expected.join(', ')}, and writes nothing`, async () => {
      const before = await settingsOf(B.id);
      const r = await api.call('PUT', `/v1/workspaces/${B.id}/auto-top-up`, { key: B.key, body });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(fields(r).sort()).toEqual([...expected].sort());
      expect(await settingsOf(B.id)).toEqual(before);
    });
  }

  it('setting or raising the automatically approved budget needs purchases:approve; settings:write may tune and turn off', async () => {
    const W = await api.workspace();
    const settings = (
      await api.call('POST', `/v1/workspaces/${W.id}/api-keys`, {
        body: { name: 'settings', scopes: ['balance:read', 'settings:write'] },
      })
    ).body.key as string;
    const put = (autoTopUp: unknown, key = settings) =>
      api.call('PUT', `/v1/workspaces/${W.id}/auto-top-up`, { key, body: { autoTopUp } });
    // The attack: turn it on with a large budget, with no approver anywhere.
    const big = { enabled: true, below: 1_000_000, package: 'large', monthlyBudget: 10_000 };
    const refused = await put(big);
    expect(refused.status, refused.text).toBe(403);
    expect(refused.body.error.details.missingScope).toBe('purchases:approve');
    expect((await settingsOf(W.id)).autoTopUp).toBeUndefined();
    // Enabled without a budget (every top-up asks the approvers) is a setting.
    expect((await put({ ...policy, monthlyBudget: 0 })).status).toBe(200);
    expect((await put({ ...policy, monthlyBudget: 1 })).status).toBe(403);
    // An approver sets the budget; settings:write then tunes thresholds, lowers it, turns it off.
    await api.call('POST', `/v1/workspaces/${W.id}/members`, {
      body: { id: 'olga', name: 'Olga', role: 'owner' },
    });
    const approver = (
      await api.call('POST', `/v1/workspaces/${W.id}/api-keys`, {
        body: { name: 'olga', scopes: ['settings:write', 'purchases:approve'], memberId: 'olga' },
      })
    ).body.key as string;
    expect((await put(policy, approver)).status).toBe(200);
    expect((await put({ ...policy, below: 500 })).status).toBe(200);
    expect((await put({ ...policy, below: 500, monthlyBudget: 50 })).status).toBe(200);
    expect((await put({ ...policy, below: 500, monthlyBudget: 100 })).status).toBe(403);
    expect((await put({ ...policy, enabled: false })).status).toBe(200);
    expect((await put({ ...policy, monthlyBudget: 50 })).status).toBe(403);
    expect((await settingsOf(W.id)).autoTopUp).toEqual({ ...policy, enabled: false });
  });

  it("answers 404 to another workspace's key, and changes nothing", async () => {
    const before = await settingsOf(B.id);
    const get = await api.call('GET', `/v1/workspaces/${B.id}/auto-top-up`, { key: A.key });
    expect(get.status).toBe(404);
    expect(get.body.error.code).toBe('not_found');
    const put = await api.call('PUT', `/v1/workspaces/${B.id}/auto-top-up`, {
      key: A.key,
      body: { autoTopUp: policy },
    });
    expect(put.status).toBe(404);
    expect(await settingsOf(B.id)).toEqual(before);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await api.call('GET', '/openapi.json', { key: null });
    const path = doc.body.paths['/v1/workspaces/{ws}/auto-top-up'];
    expect(Object.keys(path).sort()).toEqual(['get', 'put']);
    expect(doc.body.components.schemas.AutoTopUpPolicy.required.sort()).toEqual(
      ['below', 'enabled', 'monthlyBudget', 'package'].sort(),
    );
  });
});
