import { describe, expect, it } from 'vitest';
import { fields, useApi } from './support.js';

// Over real HTTP, so the 51 requests are in flight together and the ledger batches them.
const api = await useApi({ http: true });

const LONE = '\uD800';

describe('a string PostgreSQL cannot store', () => {
  it('one poisoned debit among 50 concurrent good ones fails alone: 50 x 201, 1 x 400', async () => {
    const ws = await api.workspace({ credits: 1000 });
    const good = Array.from({ length: 50 }, (_, i) =>
      api.call('POST', `/v1/workspaces/${ws.id}/debits`, {
        key: ws.key,
        body: { amount: 1, idempotencyKey: `good-${i}`, metadata: { n: i } },
      }),
    );
    const poisoned = api.call('POST', `/v1/workspaces/${ws.id}/debits`, {
      key: ws.key,
      body: { amount: 1, idempotencyKey: 'poisoned', metadata: { note: 'a\u0000b' } },
    });
    const replies = await Promise.all([...good.slice(0, 25), poisoned, ...good.slice(25)]);
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    const bad = replies[25]!;
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(fields(bad)).toEqual(['metadata.note']);
    const balance = await api.call('GET', `/v1/workspaces/${ws.id}/balance`, { key: ws.key });
    expect(balance.body.total).toBe(950);
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['NUL in the idempotency key', { amount: 1, idempotencyKey: 'k\u0000' }, 'idempotencyKey'],
    ['a lone surrogate in the idempotency key', { amount: 1, idempotencyKey: `k${LONE}` }, 'idempotencyKey'],
    ['NUL in the actor', { amount: 1, idempotencyKey: 'k', actor: 'eve\u0000' }, 'actor'],
    ['a lone surrogate in metadata', { amount: 1, idempotencyKey: 'k', metadata: { x: LONE } }, 'metadata.x'],
    ['NUL in a metadata key', { amount: 1, idempotencyKey: 'k', metadata: { 'a\u0000': 1 } }, 'metadata'],
    [
      'NUL deep in metadata',
      { amount: 1, idempotencyKey: 'k', metadata: { list: [{ deep: '\u0000' }] } },
      'metadata.list.0.deep',
    ],
  ];
  for (const [name, body, field] of cases) {
    it(`${name}: 400 naming ${field}, nothing written`, async () => {
      const ws = await api.workspace({ credits: 10 });
      const reply = await api.call('POST', `/v1/workspaces/${ws.id}/debits`, { key: ws.key, body });
      expect(reply.status, reply.text).toBe(400);
      expect(reply.body.error.code).toBe('invalid_request');
      expect(fields(reply)).toContain(field);
      const [row] = await api.ctx
        .sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${ws.id} AND kind = 'debit'`;
      expect(row!.n).toBe(0);
    });
  }

  it('holds and reversals refuse them too', async () => {
    const ws = await api.workspace({ credits: 10 });
    const hold = await api.call('POST', `/v1/workspaces/${ws.id}/holds`, {
      key: ws.key,
      body: { amount: 1, idempotencyKey: 'h', metadata: { x: 'a\u0000' } },
    });
    expect(hold.status, hold.text).toBe(400);
    expect(fields(hold)).toContain('metadata.x');
    const d = await api.call('POST', `/v1/workspaces/${ws.id}/debits`, {
      key: ws.key,
      body: { amount: 1, idempotencyKey: 'd' },
    });
    const rev = await api.call('POST', `/v1/transactions/${d.body.transaction.id}/reverse`, {
      key: ws.key,
      body: { idempotencyKey: `r${LONE}` },
    });
    expect(rev.status, rev.text).toBe(400);
    expect(fields(rev)).toContain('idempotencyKey');
  });
});
