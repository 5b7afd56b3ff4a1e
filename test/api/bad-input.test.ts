import { beforeAll, describe, expect, it } from 'vitest';
import { fields, snapshot, useApi } from './support.js';

// Through app.request(): every bad request gets its 4xx naming the failing fields, and the
// database is unchanged afterwards (row counts and remaining credits of both workspaces).
const api = await useApi();

let A: { id: string; key: string };
let B: { id: string; key: string };
let bTx: string;
let bHold: string;

beforeAll(async () => {
  A = await api.workspace({ credits: 100 });
  B = await api.workspace({ credits: 100 });
  const d = await api.call('POST', `/v1/workspaces/${B.id}/debits`, {
    key: B.key,
    body: { amount: 5, idempotencyKey: 'b1' },
  });
  bTx = d.body.transaction.id;
  const h = await api.call('POST', `/v1/workspaces/${B.id}/holds`, {
    key: B.key,
    body: { amount: 5, idempotencyKey: 'bh' },
  });
  bHold = h.body.id;
});

async function unchanged<T>(run: () => Promise<T>): Promise<T> {
  const before = await snapshot(api.ctx.sql, [A.id, B.id]);
  const result = await run();
  expect(await snapshot(api.ctx.sql, [A.id, B.id])).toEqual(before);
  return result;
}

describe('debit bodies', () => {
  const cases: [string, unknown, string[]][] = [
    ['negative amount', { amount: -5, idempotencyKey: 'k' }, ['amount']],
    ['zero amount', { amount: 0, idempotencyKey: 'k' }, ['amount']],
    ['fractional amount', { amount: 1.5, idempotencyKey: 'k' }, ['amount']],
    ['oversized amount', { amount: 1e13, idempotencyKey: 'k' }, ['amount']],
    ['huge amount', { amount: 1e300, idempotencyKey: 'k' }, ['amount']],
    ['amount as a string', { amount: '10', idempotencyKey: 'k' }, ['amount']],
    ['neither amount nor operation', { idempotencyKey: 'k' }, ['amount']],
    ['nothing at all', {}, ['amount', 'idempotencyKey']],
    ['both amount and operation', { amount: 5, operation: 'image', idempotencyKey: 'k' }, ['amount']],
    ['unknown operation', { operation: 'teleport', idempotencyKey: 'k' }, ['operation']],
    [
      'unknown model',
      { operation: 'image', params: { model: 'dall-e-9' }, idempotencyKey: 'k' },
      ['params.model'],
    ],
    [
      'unknown parameter',
      { operation: 'image', params: { model: 'flux-2-pro', colour: 'red' }, idempotencyKey: 'k' },
      ['params.colour'],
    ],
    ['fractional quantity', { operation: 'image', quantity: 0.5, idempotencyKey: 'k' }, ['quantity']],
    ['unknown field', { amount: 5, idempotencyKey: 'k', amout: 5 }, ['amout']],
    [
      'several problems at once',
      { amount: -1, source: 'fax', metadata: 'x', actor: 7, bogus: true, idempotencyKey: '' },
      ['amount', 'source', 'metadata', 'actor', 'bogus', 'idempotencyKey'],
    ],
    ['empty idempotency key', { amount: 5, idempotencyKey: '   ' }, ['idempotencyKey']],
    ['missing idempotency key', { amount: 5 }, ['idempotencyKey']],
    ['an array body', [{ amount: 5 }], ['body']],
  ];
  it.each(cases)('%s → 400 naming the fields, nothing written', async (_name, body, expected) => {
    const r = await unchanged(() => api.call('POST', `/v1/workspaces/${A.id}/debits`, { key: A.key, body }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(fields(r).sort()).toEqual([...expected].sort());
    expect(r.body.error.message).toContain(expected[0]);
  });

  it('malformed JSON → 400 naming the body', async () => {
    const r = await unchanged(() =>
      api.call('POST', `/v1/workspaces/${A.id}/debits`, {
        key: A.key,
        raw: '{"amount": 5, "idempotencyKey": ',
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(fields(r)).toEqual(['body']);
  });

  it('a non-JSON content type → 415 with a clear message; no body at all → 400', async () => {
    const r = await unchanged(() =>
      api.call('POST', `/v1/workspaces/${A.id}/debits`, {
        key: A.key,
        raw: 'amount=5',
        contentType: 'text/plain',
      }),
    );
    expect(r.status).toBe(415);
    expect(r.body.error.message).toMatch(/application\/json/);
    const form = await unchanged(() =>
      api.call('POST', `/v1/workspaces/${A.id}/debits`, {
        key: A.key,
        raw: 'amount=5&idempotencyKey=x',
        contentType: 'application/x-www-form-urlencoded',
      }),
    );
    expect(form.status).toBe(415);
    const empty = await unchanged(() => api.call('POST', `/v1/workspaces/${A.id}/debits`, { key: A.key }));
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid_request');
  });
});

describe('other write bodies', () => {
  const cases: [string, string, unknown, string[]][] = [
    [
      'grant: negative amount',
      'grants',
      { type: 'purchased', amount: -1, reason: 'r', idempotencyKey: 'k' },
      ['amount'],
    ],
    [
      'grant: unknown type',
      'grants',
      { type: 'gold', amount: 5, reason: 'r', idempotencyKey: 'k' },
      ['type'],
    ],
    [
      'grant: bad date and no reason',
      'grants',
      { type: 'purchased', amount: 5, expiresAt: 'tomorrow', idempotencyKey: 'k' },
      ['expiresAt', 'reason'],
    ],
    [
      'grant: date in the past',
      'grants',
      { type: 'purchased', amount: 5, expiresAt: '2001-01-01T00:00:00Z', reason: 'r', idempotencyKey: 'k' },
      ['expiresAt'],
    ],
    ['adjustment: zero', 'adjustments', { amount: 0, reason: 'r', idempotencyKey: 'k' }, ['amount']],
    ['adjustment: fractional', 'adjustments', { amount: -2.5, reason: 'r', idempotencyKey: 'k' }, ['amount']],
    [
      'hold: zero amount, zero timeout',
      'holds',
      { amount: 0, timeoutSeconds: 0, idempotencyKey: 'k' },
      ['amount', 'timeoutSeconds'],
    ],
    ['hold: oversized amount', 'holds', { amount: 2e12, idempotencyKey: 'k' }, ['amount']],
    [
      'estimate: unknown operation',
      'estimates',
      { items: [{ operation: 'teleport' }] },
      ['items.0.operation'],
    ],
    [
      'estimate: zero quantity, unknown field',
      'estimates',
      { items: [{ operation: 'image', quantity: 0, colour: 'red' }] },
      ['items.0.quantity', 'items.0.colour'],
    ],
    ['estimate: nothing to estimate', 'estimates', {}, ['items']],
    [
      'alerts: negative thresholds',
      'alerts',
      { thresholds: { low: -1, critical: 0.5 } },
      ['thresholds.low', 'thresholds.critical'],
    ],
  ];
  it.each(cases)('%s → 400 naming the fields, nothing written', async (_name, resource, body, expected) => {
    const method = resource === 'alerts' ? 'PUT' : 'POST';
    const r = await unchanged(() => api.call(method, `/v1/workspaces/${A.id}/${resource}`, { body }));
    expect(r.status).toBe(400);
    expect(fields(r).sort()).toEqual([...expected].sort());
  });

  it('reverse and capture bodies', async () => {
    const d = await api.call('POST', `/v1/workspaces/${A.id}/debits`, {
      key: A.key,
      body: { amount: 5, idempotencyKey: 'ra' },
    });
    const h = await api.call('POST', `/v1/workspaces/${A.id}/holds`, {
      key: A.key,
      body: { amount: 5, idempotencyKey: 'ha' },
    });
    const rev = await unchanged(() =>
      api.call('POST', `/v1/transactions/${d.body.transaction.id}/reverse`, {
        key: A.key,
        body: { amount: 1.5, idempotencyKey: 'r' },
      }),
    );
    expect(rev.status).toBe(400);
    expect(fields(rev)).toEqual(['amount']);
    const cap = await unchanged(() =>
      api.call('POST', `/v1/holds/${h.body.id}/capture`, {
        key: A.key,
        body: { amount: -1, idempotencyKey: 'c' },
      }),
    );
    expect(cap.status).toBe(400);
    expect(fields(cap)).toEqual(['amount']);
    const over = await unchanged(() =>
      api.call('POST', `/v1/holds/${h.body.id}/capture`, {
        key: A.key,
        body: { amount: 6, idempotencyKey: 'c' },
      }),
    );
    expect(over.status).toBe(400);
    expect(fields(over)).toEqual(['amount']);
  });

  it('workspace creation and members', async () => {
    const bad = await api.call('POST', '/v1/workspaces', {
      body: { id: 'Bad Id!', name: '', plan: 'solo', status: 'paused', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(fields(bad).sort()).toEqual(['extra', 'name', 'status']);
    const id = `nope-${Date.now()}`;
    const plan = await api.call('POST', '/v1/workspaces', {
      body: { id, name: 'x', plan: 'platinum', status: 'active' },
    });
    expect(plan.status).toBe(400);
    expect(fields(plan)).toEqual(['plan']);
    expect((await api.call('GET', `/v1/workspaces/${id}`)).status).toBe(404);
    const member = await unchanged(() =>
      api.call('POST', `/v1/workspaces/${A.id}/members`, { body: { id: 'bob', name: 'Bob', role: 'king' } }),
    );
    expect(fields(member)).toEqual(['role']);
    const patch = await unchanged(() => api.call('PATCH', `/v1/workspaces/${A.id}`, { body: {} }));
    expect(patch.status).toBe(400);
    expect(fields(patch)).toEqual(['plan']);
  });
});

describe('query strings', () => {
  const cases: [string, string[]][] = [
    ['transactions?limit=0', ['limit']],
    ['transactions?limit=abc', ['limit']],
    ['transactions?kind=gift&source=fax', ['kind', 'source']],
    ['transactions?cursor=not-a-cursor', ['cursor']],
    ['transactions?from=yesterday', ['from']],
    ['transactions?colour=red', ['colour']],
    ['usage?groupBy=month', ['groupBy']],
    ['usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', ['to']],
  ];
  it.each(cases)('%s → 400 naming the parameters', async (query, expected) => {
    const r = await api.call('GET', `/v1/workspaces/${A.id}/${query}`, { key: A.key });
    expect(r.status).toBe(400);
    expect(fields(r).sort()).toEqual([...expected].sort());
  });
});

describe('authentication', () => {
  const endpoints = (ws: string): [string, string, unknown?][] => [
    ['GET', `/v1/workspaces/${ws}/balance`],
    ['POST', `/v1/workspaces/${ws}/debits`, { amount: 5, idempotencyKey: 'auth' }],
    ['GET', `/v1/workspaces/${ws}/transactions`],
    ['POST', `/v1/workspaces/${ws}/holds`, { amount: 5, idempotencyKey: 'auth' }],
  ];
  it('a missing, malformed or unknown key → 401 with WWW-Authenticate: Bearer, nothing written', async () => {
    for (const [method, path, body] of endpoints(A.id)) {
      for (const headers of [
        {},
        { authorization: 'Basic dXNlcjpwYXNz' },
        { authorization: 'Bearer cr_ws_wrong' },
      ] as Record<string, string>[]) {
        const r = await unchanged(() => api.call(method, path, { key: null, body, headers }));
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(r.body.error.code).toBe('unauthorized');
      }
    }
  });

  it('a default key (what an automation gets) on operator and admin endpoints → 403', async () => {
    const automation = await api.call('POST', `/v1/workspaces/${A.id}/api-keys`, {
      body: { name: 'automation' },
    });
    expect(automation.body.scopes).toEqual(['balance:read', 'credits:spend']);
    const calls: [string, string, unknown][] = [
      ['POST', '/v1/workspaces', { id: 'x-403', name: 'x', plan: 'solo', status: 'active' }],
      [
        'POST',
        `/v1/workspaces/${A.id}/grants`,
        { type: 'purchased', amount: 1000, reason: 'free money', idempotencyKey: 'g' },
      ],
      [
        'POST',
        `/v1/workspaces/${A.id}/adjustments`,
        { amount: 1000, reason: 'free money', idempotencyKey: 'g' },
      ],
      ['POST', `/v1/workspaces/${A.id}/api-keys`, { name: 'more' }],
      ['POST', `/v1/workspaces/${A.id}/members`, { id: 'eve', name: 'Eve', role: 'owner' }],
      ['POST', `/v1/workspaces/${A.id}/chat-links`, { platform: 'slack', team: 'T1' }],
      ['PATCH', `/v1/workspaces/${A.id}`, { plan: 'agency' }],
    ];
    for (const [method, path, body] of calls) {
      const r = await unchanged(() => api.call(method, path, { key: automation.body.key, body }));
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
  });

  it('the key of workspace A on anything of B → 404, as if it did not exist; nothing written', async () => {
    const calls: [string, string, unknown?][] = [
      ...endpoints(B.id),
      ['GET', `/v1/workspaces/${B.id}`],
      ['GET', `/v1/workspaces/${B.id}/lots`],
      ['GET', `/v1/workspaces/${B.id}/usage`],
      ['GET', `/v1/workspaces/${B.id}/members`],
      ['GET', `/v1/workspaces/${B.id}/alerts`],
      ['PUT', `/v1/workspaces/${B.id}/alerts`, { thresholds: { low: 5, critical: 1 } }],
      ['POST', `/v1/workspaces/${B.id}/estimates`, { items: [{ operation: 'image' }] }],
      ['GET', `/v1/transactions/${bTx}`],
      ['POST', `/v1/transactions/${bTx}/reverse`, { idempotencyKey: 'steal' }],
      ['GET', `/v1/holds/${bHold}`],
      ['POST', `/v1/holds/${bHold}/capture`, { amount: 1, idempotencyKey: 'steal' }],
      ['POST', `/v1/holds/${bHold}/release`],
      // Even with a bad body: the workspace check comes first, so nothing about B leaks.
      ['POST', `/v1/workspaces/${B.id}/debits`, { amount: -1 }],
    ];
    for (const [method, path, body] of calls) {
      const r = await unchanged(() => api.call(method, path, { key: A.key, body }));
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const stillThere = await api.call('GET', `/v1/holds/${bHold}`, { key: B.key });
    expect(stillThere.body.status).toBe('active');
  });

  it('unknown ids and routes → 404 in the error shape', async () => {
    expect((await api.call('GET', '/v1/transactions/999999999', { key: A.key })).status).toBe(404);
    expect((await api.call('GET', '/v1/transactions/abc', { key: A.key })).status).toBe(404);
    expect((await api.call('GET', '/v1/holds/0', { key: A.key })).status).toBe(404);
    const r = await api.call('GET', '/v1/nothing-here', { key: A.key });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    expect((await api.call('GET', '/v1/workspaces/no-such-ws/balance')).status).toBe(404);
  });
});
