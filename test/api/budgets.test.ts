import { beforeAll, describe, expect, it } from 'vitest';
import { fields, useApi } from './support.js';

// Over HTTP: the budgets endpoints, and budgets enforced on the real debit route.
const api = await useApi({ http: true });

let A: { id: string; key: string };
let B: { id: string; key: string };

const keyFor = async (ws: string, scopes: string[], memberId?: string) => {
  const k = await api.call('POST', `/v1/workspaces/${ws}/api-keys`, {
    body: { name: scopes.join('+'), scopes, ...(memberId ? { memberId } : {}) },
  });
  expect(k.status).toBe(201);
  return k.body as { id: string; key: string };
};

beforeAll(async () => {
  A = await api.workspace({ credits: 5000 });
  B = await api.workspace({ credits: 100 });
  for (const [id, role] of [
    ['sam', 'member'],
    ['ada', 'owner'],
  ]) {
    const m = await api.call('POST', `/v1/workspaces/${A.id}/members`, { body: { id, name: id, role } });
    expect(m.status).toBe(201);
  }
});

describe('budget endpoints', () => {
  it('creates, lists, reads, changes and removes a budget, each change audited', async () => {
    const created = await api.call('POST', `/v1/workspaces/${A.id}/budgets`, {
      key: A.key,
      body: { subject: { actor: 'agent:crud' }, period: 'week', limit: 300, perDebitMax: 50 },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^bud_[0-9a-f]+$/),
      subject: { actor: 'agent:crud' },
      period: 'week',
      limit: 300,
      perDebitMax: 50,
      used: 0,
      remaining: 300,
      resetsAt: expect.any(String),
    });
    const debit = await api.call('POST', `/v1/workspaces/${A.id}/debits`, {
      key: A.key,
      body: { amount: 40, actor: 'agent:crud', idempotencyKey: 'crud-1' },
    });
    expect(debit.status).toBe(201);
    const listed = await api.call('GET', `/v1/workspaces/${A.id}/budgets`, { key: A.key });
    expect(listed.body.items.find((b: { id: string }) => b.id === id)).toMatchObject({
      used: 40,
      remaining: 260,
    });
    const patched = await api.call('PATCH', `/v1/budgets/${id}`, {
      key: A.key,
      body: { limit: 100, perDebitMax: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ limit: 100, perDebitMax: null, used: 40, remaining: 60 });
    expect((await api.call('GET', `/v1/budgets/${id}`, { key: A.key })).body).toEqual(patched.body);

    // Another workspace's key sees nothing of it, whatever it tries.
    expect((await api.call('GET', `/v1/budgets/${id}`, { key: B.key })).status).toBe(404);
    expect((await api.call('PATCH', `/v1/budgets/${id}`, { key: B.key, body: { limit: 1 } })).status).toBe(
      404,
    );
    expect((await api.call('DELETE', `/v1/budgets/${id}`, { key: B.key })).status).toBe(404);
    expect((await api.call('GET', `/v1/workspaces/${A.id}/budgets`, { key: B.key })).status).toBe(404);

    expect((await api.call('DELETE', `/v1/budgets/${id}`, { key: A.key })).status).toBe(204);
    expect((await api.call('GET', `/v1/budgets/${id}`, { key: A.key })).status).toBe(404);
    expect((await api.call('DELETE', `/v1/budgets/${id}`, { key: A.key })).status).toBe(404);

    const audit = await api.call('GET', `/v1/workspaces/${A.id}/audit`, { key: A.key });
    const mine = audit.body.items.filter((e: { target: string }) => e.target === id);
    expect(mine.map((e: { action: string }) => e.action)).toEqual([
      'budget.deleted',
      'budget.changed',
      'budget.created',
    ]);
    expect(mine[1]).toMatchObject({
      before: { limit: 300, perDebitMax: 50 },
      after: { limit: 100, perDebitMax: null },
    });
    expect(mine[2].actor).toMatch(/^key:/);
  });

  it('needs settings:write to set and balance:read to read', async () => {
    const reader = await keyFor(A.id, ['balance:read']);
    const body = { subject: { operation: 'image' }, period: 'day', limit: 10 };
    const refused = await api.call('POST', `/v1/workspaces/${A.id}/budgets`, { key: reader.key, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual({ missingScope: 'settings:write' });
    const made = await api.call('POST', `/v1/workspaces/${A.id}/budgets`, { key: A.key, body });
    expect((await api.call('GET', `/v1/budgets/${made.body.id}`, { key: reader.key })).status).toBe(200);
    expect((await api.call('DELETE', `/v1/budgets/${made.body.id}`, { key: reader.key })).status).toBe(403);
    // One live budget per subject and period.
    expect((await api.call('POST', `/v1/workspaces/${A.id}/budgets`, { key: A.key, body })).status).toBe(409);
  });

  const bad: [string, unknown, string[]][] = [
    ['zero limit', { subject: { member: 'sam' }, period: 'month', limit: 0 }, ['limit']],
    ['negative limit', { subject: { member: 'sam' }, period: 'month', limit: -5 }, ['limit']],
    ['fractional limit', { subject: { member: 'sam' }, period: 'month', limit: 1.5 }, ['limit']],
    ['unknown member', { subject: { member: 'nobody' }, period: 'month', limit: 5 }, ['subject.member']],
    ['unknown key', { subject: { apiKey: 'key_nope' }, period: 'month', limit: 5 }, ['subject.apiKey']],
    [
      'unknown operation',
      { subject: { operation: 'teleport' }, period: 'month', limit: 5 },
      ['subject.operation'],
    ],
    ['unknown period', { subject: { member: 'sam' }, period: 'year', limit: 5 }, ['period']],
    ['two kinds', { subject: { member: 'sam', actor: 'agent:x' }, period: 'month', limit: 5 }, ['subject']],
    ['no kind', { subject: {}, period: 'month', limit: 5 }, ['subject']],
    ['unknown subject kind', { subject: { team: 'x' }, period: 'month', limit: 5 }, ['subject.team']],
    ['zero cap', { subject: { member: 'sam' }, period: 'month', limit: 5, perDebitMax: 0 }, ['perDebitMax']],
  ];
  it.each(bad)('400 naming the field: %s', async (_name, body, expected) => {
    const before = (await api.call('GET', `/v1/workspaces/${A.id}/budgets`, { key: A.key })).body.items
      .length;
    const r = await api.call('POST', `/v1/workspaces/${A.id}/budgets`, { key: A.key, body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(fields(r)).toEqual(expect.arrayContaining(expected));
    expect((await api.call('GET', `/v1/workspaces/${A.id}/budgets`, { key: A.key })).body.items.length).toBe(
      before,
    );
  });

  it('refuses a key of another workspace as a subject, and bad changes by field', async () => {
    const other = await keyFor(B.id, ['balance:read']);
    const r = await api.call('POST', `/v1/workspaces/${A.id}/budgets`, {
      key: A.key,
      body: { subject: { apiKey: other.id }, period: 'day', limit: 5 },
    });
    expect(fields(r)).toEqual(['subject.apiKey']);
    const mine = await keyFor(A.id, ['credits:spend']);
    const made = await api.call('POST', `/v1/workspaces/${A.id}/budgets`, {
      key: A.key,
      body: { subject: { apiKey: mine.id }, period: 'day', limit: 5 },
    });
    expect(made.status).toBe(201);
    const patch = await api.call('PATCH', `/v1/budgets/${made.body.id}`, {
      key: A.key,
      body: { limit: 0, period: 'year' },
    });
    expect(patch.status).toBe(400);
    expect(fields(patch).sort()).toEqual(['limit', 'period']);
    // The key's own debits count toward it, whatever actor they name.
    const spend = (n: number, k: string) =>
      api.call('POST', `/v1/workspaces/${A.id}/debits`, {
        key: mine.key,
        body: { amount: n, actor: 'agent:disguised', idempotencyKey: k },
      });
    expect((await spend(5, 'k1')).status).toBe(201);
    const refused = await spend(1, 'k2');
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: 'budget_exceeded',
      details: { budgetId: made.body.id, limit: 5, used: 5, requested: 1, resetsAt: expect.any(String) },
    });
  });

  it('200 concurrent debits of 5 against a member budget of 500: exactly 100 × 201 and 100 × 402', async () => {
    const sam = await keyFor(A.id, ['credits:spend'], 'sam');
    const made = await api.call('POST', `/v1/workspaces/${A.id}/budgets`, {
      key: A.key,
      body: { subject: { member: 'sam' }, period: 'month', limit: 500 },
    });
    expect(made.status).toBe(201);
    const before = (await api.call('GET', `/v1/workspaces/${A.id}/balance`, { key: A.key })).body.total;
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        api.call('POST', `/v1/workspaces/${A.id}/debits`, {
          key: sam.key,
          body: { amount: 5, idempotencyKey: `sam-${i}` },
        }),
      ),
    );
    const by = (s: number) => replies.filter((r) => r.status === s);
    expect(by(201).length).toBe(100);
    expect(by(402).length).toBe(100);
    expect(by(402).every((r) => r.body.error.code === 'budget_exceeded')).toBe(true);
    expect(by(402)[0]!.body.error.details).toMatchObject({
      budgetId: made.body.id,
      limit: 500,
      used: 500,
      requested: 5,
    });
    const after = (await api.call('GET', `/v1/workspaces/${A.id}/balance`, { key: A.key })).body.total;
    expect(before - after).toBe(500);
    expect((await api.call('GET', `/v1/budgets/${made.body.id}`, { key: A.key })).body).toMatchObject({
      used: 500,
      remaining: 0,
    });
  });
});
