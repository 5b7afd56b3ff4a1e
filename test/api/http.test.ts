import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../ledger/verify.js';
import { uniqueId } from '../support/db.js';
import { useApi } from './support.js';

// Every endpoint over real HTTP on an ephemeral port, with the spec's field names exactly.
const api = await useApi({ http: true });

const BALANCE_KEYS = [
  'byType',
  'held',
  'lastTransaction',
  'lifetimeUsed',
  'nextExpiry',
  'renewal',
  'total',
  'workspaceId',
];

describe('workspaces, members, chat links, API keys (operator)', () => {
  it('creates, reads and patches a workspace with the fixed field names', async () => {
    const id = uniqueId('acme');
    const created = await api.call('POST', '/v1/workspaces', {
      body: { id, name: 'Acme', plan: 'solo', status: 'active', billingAnchor: '2026-11-01T00:00:00Z' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id,
      name: 'Acme',
      plan: 'solo',
      status: 'active',
      billingAnchor: '2026-11-01T00:00:00.000Z',
    });
    expect((await api.call('GET', `/v1/workspaces/${id}`)).body).toMatchObject({ id, plan: 'solo' });
    const patched = await api.call('PATCH', `/v1/workspaces/${id}`, {
      body: { plan: 'business', status: 'past_due' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, plan: 'business', status: 'past_due', name: 'Acme' });
    const again = await api.call('POST', '/v1/workspaces', {
      body: { id, name: 'Acme', plan: 'solo', status: 'active' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const list = await api.call('GET', '/v1/workspaces');
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(id);
  });

  it('adds members, links chat, creates a key whose secret works only on its workspace', async () => {
    const { id } = await api.workspace();
    const member = await api.call('POST', `/v1/workspaces/${id}/members`, {
      body: { id: 'alice', name: 'Alice', role: 'admin', slackUserId: 'U1' },
    });
    expect(member.status).toBe(201);
    expect(member.body).toEqual({
      workspaceId: id,
      id: 'alice',
      name: 'Alice',
      role: 'admin',
      slackUserId: 'U1',
      discordUserId: null,
      slackTeamId: null,
      discordGuildId: null,
    });
    const members = await api.call('GET', `/v1/workspaces/${id}/members`);
    expect(members.body.items.map((m: { id: string }) => m.id)).toEqual(['alice']);

    const link = await api.call('POST', `/v1/workspaces/${id}/chat-links`, {
      body: { platform: 'slack', team: `T-${id}`, channel: 'C1' },
    });
    expect(link.status).toBe(201);
    expect(link.body).toEqual({ platform: 'slack', team: `T-${id}`, channel: 'C1', workspaceId: id });
    expect((await api.call('GET', `/v1/workspaces/${id}/chat-links`)).body.items).toHaveLength(1);

    const key = await api.call('POST', `/v1/workspaces/${id}/api-keys`, { body: { name: 'n8n' } });
    expect(key.status).toBe(201);
    expect(Object.keys(key.body).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'id',
      'key',
      'memberId',
      'name',
      'scopes',
    ]);
    expect((await api.call('GET', `/v1/workspaces/${id}/balance`, { key: key.body.key })).status).toBe(200);
    const stored = await api.ctx.sql`SELECT key_hash FROM api_keys WHERE id = ${key.body.id}`;
    expect(Buffer.from(stored[0]!.key_hash).toString('utf8')).not.toContain(key.body.key);
  });
});

describe('grants, balance, lots, debits', () => {
  it('grants a lot and reports the balance with every field', async () => {
    const { id, key } = await api.workspace();
    const grant = await api.call('POST', `/v1/workspaces/${id}/grants`, {
      body: {
        type: 'subscription',
        amount: 980,
        expiresAt: '2099-01-01T00:00:00Z',
        reason: 'cycle',
        idempotencyKey: 'g1',
      },
    });
    expect(grant.status).toBe(201);
    expect(grant.body.lot).toEqual({
      id: expect.any(String),
      type: 'subscription',
      amount: 980,
      remaining: 980,
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    expect(grant.body.transaction).toMatchObject({ kind: 'grant', amount: 980, balanceAfter: 980 });
    expect(Object.keys(grant.body.balance).sort()).toEqual(BALANCE_KEYS);

    const balance = await api.call('GET', `/v1/workspaces/${id}/balance`, { key });
    expect(balance.status).toBe(200);
    expect(Object.keys(balance.body).sort()).toEqual(BALANCE_KEYS);
    expect(balance.body).toMatchObject({
      workspaceId: id,
      total: 980,
      byType: { subscription: 980, promotional: 0, trial: 0, purchased: 0 },
      nextExpiry: { amount: 980, at: '2099-01-01T00:00:00.000Z' },
      renewal: { amount: 980, at: expect.any(String) },
      lifetimeUsed: 0,
      lastTransaction: { id: grant.body.transaction.id, kind: 'grant' },
    });
    const lots = await api.call('GET', `/v1/workspaces/${id}/lots`, { key });
    expect(lots.body.items).toEqual([
      expect.objectContaining({ id: grant.body.lot.id, type: 'subscription', amount: 980, remaining: 980 }),
    ]);
  });

  it('debits an amount or a priced operation; refuses with 402 and required/available', async () => {
    const { id, key } = await api.workspace({ credits: 500 });
    const debit = await api.call('POST', `/v1/workspaces/${id}/debits`, {
      key,
      body: { amount: 30, idempotencyKey: 'd1', actor: 'alice', source: 'n8n', metadata: { run: 1 } },
    });
    expect(debit.status).toBe(201);
    expect(debit.headers.get('idempotent-replayed')).toBeNull();
    expect(debit.body.transaction).toMatchObject({
      id: expect.any(String),
      kind: 'debit',
      amount: 30,
      consumed: [{ lotId: expect.any(String), type: 'purchased', amount: 30 }],
      balanceAfter: 470,
      actor: 'alice',
      source: 'n8n',
      metadata: { run: 1 },
    });
    expect(debit.body.balance).toMatchObject({ total: 470, lifetimeUsed: 30 });
    expect(debit.body).not.toHaveProperty('replayed');

    const priced = await api.call('POST', `/v1/workspaces/${id}/debits`, {
      key,
      body: { operation: 'image', quantity: 2, params: { model: 'flux-2-pro' }, idempotencyKey: 'd2' },
    });
    expect(priced.status).toBe(201);
    expect(priced.body.transaction).toMatchObject({
      amount: 240,
      operation: 'image',
      quantity: 2,
      balanceAfter: 230,
    });
    expect(priced.body.transaction.actor).toMatch(/^key:/);

    const refused = await api.call('POST', `/v1/workspaces/${id}/debits`, {
      key,
      body: { amount: 231, idempotencyKey: 'd3' },
    });
    expect(refused.status).toBe(402);
    expect(refused.body).toEqual({
      error: {
        code: 'insufficient_credits',
        message: expect.any(String),
        details: { required: 231, available: 230 },
      },
    });
  });

  it('adjusts with a reason (operator), both ways', async () => {
    const { id } = await api.workspace({ credits: 100 });
    const up = await api.call('POST', `/v1/workspaces/${id}/adjustments`, {
      body: { amount: 25, reason: 'goodwill', idempotencyKey: 'a1' },
    });
    expect(up.status).toBe(201);
    expect(up.body.transaction).toMatchObject({
      kind: 'adjust',
      delta: 25,
      reason: 'goodwill',
      balanceAfter: 125,
    });
    const down = await api.call('POST', `/v1/workspaces/${id}/adjustments`, {
      body: { amount: -5, reason: 'correction', idempotencyKey: 'a2' },
    });
    expect(down.body.transaction).toMatchObject({ kind: 'adjust', delta: -5, balanceAfter: 120 });
  });
});

describe('idempotency over HTTP', () => {
  it('accepts the key in the header or the body; a replay returns the first body with Idempotent-Replayed', async () => {
    const { id, key } = await api.workspace({ credits: 100 });
    const path = `/v1/workspaces/${id}/debits`;
    const first = await api.call('POST', path, {
      key,
      body: { amount: 7 },
      headers: { 'Idempotency-Key': 'hdr-1' },
    });
    expect(first.status).toBe(201);
    const replay = await api.call('POST', path, {
      key,
      body: { amount: 7 },
      headers: { 'Idempotency-Key': 'hdr-1' },
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    // The same key in the body is the same request.
    const viaBody = await api.call('POST', path, { key, body: { amount: 7, idempotencyKey: 'hdr-1' } });
    expect(viaBody.body).toEqual(first.body);
    expect(viaBody.headers.get('idempotent-replayed')).toBe('true');

    const conflict = await api.call('POST', path, { key, body: { amount: 8, idempotencyKey: 'hdr-1' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('idempotency_conflict');

    const disagree = await api.call('POST', path, {
      key,
      body: { amount: 7, idempotencyKey: 'a' },
      headers: { 'Idempotency-Key': 'b' },
    });
    expect(disagree.status).toBe(400);
    expect(disagree.body.error.details.fields[0].field).toBe('idempotencyKey');

    const missing = await api.call('POST', path, { key, body: { amount: 7 } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields[0].field).toBe('idempotencyKey');

    const balance = await api.call('GET', `/v1/workspaces/${id}/balance`, { key });
    expect(balance.body.total).toBe(93);
  });

  it('checks the Idempotency-Key header before the body, naming the header', async () => {
    const { id, key } = await api.workspace({ credits: 100 });
    const path = `/v1/workspaces/${id}/debits`;
    for (const [header, message] of [
      ['   ', 'must not be empty'],
      ['k'.repeat(256), 'must be at most 255 characters'],
    ] as const) {
      // The body is wrong too, but the header is what is reported (as zod-openapi's validator did).
      const bad = await api.call('POST', path, {
        key,
        body: { amount: 'x' },
        headers: { 'Idempotency-Key': header },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.fields).toEqual([{ field: 'Idempotency-Key', message }]);
    }
    const trimmed = await api.call('POST', path, {
      key,
      body: { amount: 2, idempotencyKey: 'hdr-trim' },
      headers: { 'Idempotency-Key': '  hdr-trim ' },
    });
    expect(trimmed.status).toBe(201);
    const balance = await api.call('GET', `/v1/workspaces/${id}/balance`, { key });
    expect(balance.body.total).toBe(98);
  });

  it('grants replay too', async () => {
    const { id } = await api.workspace();
    const body = { type: 'promotional', amount: 50, reason: 'promo', idempotencyKey: 'p1' };
    const a = await api.call('POST', `/v1/workspaces/${id}/grants`, { body });
    const b = await api.call('POST', `/v1/workspaces/${id}/grants`, { body });
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.body).toEqual(a.body);
  });

  it('50 concurrent identical debits (same key) write exactly one journal entry', async () => {
    const { id, key } = await api.workspace({ credits: 1000 });
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.call('POST', `/v1/workspaces/${id}/debits`, {
          key,
          body: { amount: 3, actor: 'bot' },
          headers: { 'Idempotency-Key': 'same-run' },
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    const ids = new Set(replies.map((r) => r.body.transaction.id));
    expect(ids.size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
    const rows = await api.ctx
      .sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${id} AND kind = 'debit'`;
    expect(rows[0]!.n).toBe(1);
    expect((await api.call('GET', `/v1/workspaces/${id}/balance`, { key })).body.total).toBe(997);
    expect(await verifyLedger(api.ctx.sql, id)).toEqual([]);
  });
});

describe('reversals and transactions', () => {
  it('reverses a debit (partly, then the rest) and reads entries back', async () => {
    const { id, key } = await api.workspace({ credits: 100 });
    const debit = await api.call('POST', `/v1/workspaces/${id}/debits`, {
      key,
      body: { amount: 40, idempotencyKey: 'd' },
    });
    const txId = debit.body.transaction.id;
    const part = await api.call('POST', `/v1/transactions/${txId}/reverse`, {
      key,
      body: { amount: 10, reason: 'failed render', idempotencyKey: 'r1' },
    });
    expect(part.status).toBe(201);
    expect(part.body.transaction).toMatchObject({
      kind: 'reverse',
      amount: 10,
      reversesId: txId,
      balanceAfter: 70,
    });
    const rest = await api.call('POST', `/v1/transactions/${txId}/reverse`, {
      key,
      body: { idempotencyKey: 'r2' },
    });
    expect(rest.body.transaction).toMatchObject({ amount: 30, balanceAfter: 100 });
    const nothing = await api.call('POST', `/v1/transactions/${txId}/reverse`, {
      key,
      body: { idempotencyKey: 'r3' },
    });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('conflict');

    const got = await api.call('GET', `/v1/transactions/${txId}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: txId, kind: 'debit', amount: 40, workspaceId: id });

    const page = await api.call('GET', `/v1/workspaces/${id}/transactions?kind=reverse`, { key });
    expect(page.status).toBe(200);
    expect(page.body.items.map((t: { amount: number }) => t.amount)).toEqual([30, 10]);
    expect(page.body.nextCursor).toBeNull();
    const usage = await api.call('GET', `/v1/workspaces/${id}/usage?groupBy=actor`, { key });
    expect(usage.body).toMatchObject({ groupBy: 'actor', total: 0, groups: [{ used: 0, count: 1 }] });
  });
});

describe('holds', () => {
  it('places, replays, reads and releases a hold; refuses what the free balance cannot cover', async () => {
    const { id, key } = await api.workspace({ credits: 100 });
    const body = { amount: 60, timeoutSeconds: 600, idempotencyKey: 'h1', operation: 'video' };
    const hold = await api.call('POST', `/v1/workspaces/${id}/holds`, { key, body });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({
      id: expect.any(String),
      amount: 60,
      expiresAt: expect.any(String),
      status: 'active',
      operation: 'video',
    });
    expect(new Date(hold.body.expiresAt).getTime() - new Date(hold.body.createdAt).getTime()).toBe(600_000);
    expect(hold.body.balance).toMatchObject({ total: 40, held: 60 });
    expect((await api.call('GET', `/v1/workspaces/${id}/balance`, { key })).body).toMatchObject({
      total: 40,
      held: 60,
    });
    const replay = await api.call('POST', `/v1/workspaces/${id}/holds`, { key, body });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(hold.body.id);

    const got = await api.call('GET', `/v1/holds/${hold.body.id}`, { key });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: hold.body.id, status: 'active', amount: 60 });

    const tooMuch = await api.call('POST', `/v1/workspaces/${id}/holds`, {
      key,
      body: { amount: 41, idempotencyKey: 'h3' },
    });
    expect(tooMuch.status).toBe(402);
    expect(tooMuch.body.error.details).toEqual({ required: 41, available: 40 });

    const release = await api.call('POST', `/v1/holds/${hold.body.id}/release`, { key });
    expect(release.status).toBe(200);
    expect(release.body.hold.status).toBe('released');
    expect(release.body.balance.total).toBe(100);
    expect(await verifyLedger(api.ctx.sql, id)).toEqual([]);
  });

  it('captures less than held: the rest returns; a second capture is refused', async () => {
    const { id, key } = await api.workspace({ credits: 100 });
    const hold = await api.call('POST', `/v1/workspaces/${id}/holds`, {
      key,
      body: { amount: 60, idempotencyKey: 'h1' },
    });
    const capture = await api.call('POST', `/v1/holds/${hold.body.id}/capture`, {
      key,
      body: { amount: 45, idempotencyKey: 'c1' },
    });
    expect(capture.status).toBe(201);
    expect(capture.body.hold).toMatchObject({ status: 'captured', captured: 45 });
    expect(capture.body.transaction).toMatchObject({ kind: 'debit', amount: 45, holdId: hold.body.id });
    expect(capture.body.balance).toMatchObject({ total: 55, held: 0 });
    const late = await api.call('POST', `/v1/holds/${hold.body.id}/capture`, {
      key,
      body: { amount: 1, idempotencyKey: 'c2' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('hold_not_active');
    expect(await verifyLedger(api.ctx.sql, id)).toEqual([]);
  });
});

describe('catalog, estimates, affordability, alerts, health', () => {
  it('serves the catalog with its fixed fields', async () => {
    const { key } = await api.workspace();
    const catalog = await api.call('GET', '/v1/catalog', { key });
    expect(catalog.status).toBe(200);
    expect(catalog.body.plans).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'solo', name: expect.any(String), monthlyCredits: 980 }),
      ]),
    );
    expect(catalog.body.packages).toEqual(
      expect.arrayContaining([
        { key: 'small', name: 'Small', credits: 1000, price: 50, currency: 'USD', validityDays: null },
      ]),
    );
    expect(catalog.body.operations).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'image', name: expect.any(String) })]),
    );
  });

  it('estimates items and campaigns against the balance', async () => {
    const { id, key } = await api.workspace({ credits: 500 });
    const est = await api.call('POST', `/v1/workspaces/${id}/estimates`, {
      key,
      body: { items: [{ operation: 'image', quantity: 5, params: { model: 'flux-2-pro' } }] },
    });
    expect(est.status).toBe(200);
    expect(est.body).toMatchObject({
      min: 600,
      expected: 600,
      max: 600,
      affordable: false,
      balance: 500,
      shortfall: 100,
    });
    expect(est.body.breakdown).toHaveLength(1);
    expect(est.body.alternatives.length).toBeGreaterThan(0);
    expect(est.body.alternatives[0]).toMatchObject({ operation: 'image', savings: expect.any(Number) });
    const campaign = await api.call('POST', `/v1/workspaces/${id}/estimates`, {
      key,
      body: { campaign: { platforms: 3, weeks: 4, postsPerWeek: 5 } },
    });
    expect(campaign.status).toBe(200);
    expect(campaign.body.campaign).toMatchObject({ posts: 60 });
    expect(campaign.body.min).toBeLessThanOrEqual(campaign.body.max);
  });

  it('says how many more of an operation the balance covers', async () => {
    const { id, key } = await api.workspace({ credits: 500 });
    const r = await api.call('GET', `/v1/workspaces/${id}/affordability?operation=image&model=flux-2-pro`, {
      key,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ operation: 'image', count: 4, balance: 500 });
    const bad = await api.call('GET', `/v1/workspaces/${id}/affordability?operation=image&model=nope`, {
      key,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toContain('model');
  });

  it('reads and sets alert thresholds', async () => {
    const { id, key } = await api.workspace();
    const get = await api.call('GET', `/v1/workspaces/${id}/alerts`, { key });
    expect(get.body).toEqual({ thresholds: { low: 100, critical: 10 } });
    const put = await api.call('PUT', `/v1/workspaces/${id}/alerts`, {
      key,
      body: { thresholds: { low: 500, critical: 50 } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ thresholds: { low: 500, critical: 50 } });
    expect((await api.call('GET', `/v1/workspaces/${id}/alerts`, { key })).body.thresholds.low).toBe(500);
    const bad = await api.call('PUT', `/v1/workspaces/${id}/alerts`, {
      key,
      body: { thresholds: { low: 5, critical: 50 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['thresholds.low']);
  });

  it('answers /healthz without a key', async () => {
    const r = await api.call('GET', '/healthz', { key: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok' });
  });

  it('answers 503 on purchases while no purchase service is plugged in', async () => {
    const { id, key } = await api.workspace();
    const r = await api.call('POST', `/v1/workspaces/${id}/purchases`, { key, body: { package: 'small' } });
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('Temporal') });
    expect((await api.call('GET', '/v1/purchases/p1', { key })).status).toBe(503);
  });
});
