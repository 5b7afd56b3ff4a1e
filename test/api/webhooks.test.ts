import { describe, expect, it } from 'vitest';
import { useApi } from './support.js';

// GET/PUT/DELETE /v1/workspaces/{ws}/webhook and POST …/webhook/rotate: operator only; the secret
// is shown once, at creation and at each rotation, and every change is audited.
const api = await useApi();

describe('webhook endpoints per workspace (API)', () => {
  it('creates an endpoint with a secret shown once, keeps it on change, rotates it, audits each step', async () => {
    const A = await api.workspace();
    const path = `/v1/workspaces/${A.id}/webhook`;
    expect((await api.call('GET', path)).status).toBe(404);

    const created = await api.call('PUT', path, { body: { url: 'https://hooks.example.org/a' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      workspaceId: A.id,
      url: 'https://hooks.example.org/a',
      events: null,
      created: true,
      rotatedAt: null,
    });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const got = await api.call('GET', path);
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
    expect(got.text).not.toContain(created.body.secret.slice(6));

    const changed = await api.call('PUT', path, {
      body: { url: 'https://hooks.example.org/b', events: ['purchase.approved', 'alert.low'] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ created: false, events: ['alert.low', 'purchase.approved'] });
    expect(changed.body).not.toHaveProperty('secret');
    const [signing] = [await api.ctx.ledger.webhooks.signingEndpoint(A.id)];
    expect(signing).toEqual({
      url: 'https://hooks.example.org/b',
      events: ['alert.low', 'purchase.approved'],
      secrets: [created.body.secret],
    });

    const rotated = await api.call('POST', `${path}/rotate`, { body: { graceSeconds: 3600 } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body.rotatedAt).not.toBeNull();
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.parse(rotated.body.rotatedAt)).toBe(
      3_600_000,
    );
    expect((await api.ctx.ledger.webhooks.signingEndpoint(A.id))?.secrets).toEqual([
      rotated.body.secret,
      created.body.secret,
    ]);

    // No body: the default grace period (24 h); the secret from two rotations ago stops signing.
    const again = await api.call('POST', `${path}/rotate`);
    expect(again.status).toBe(200);
    expect((await api.ctx.ledger.webhooks.signingEndpoint(A.id))?.secrets).toEqual([
      again.body.secret,
      rotated.body.secret,
    ]);
    const leaked = await api.call('POST', `${path}/rotate`, { body: { graceSeconds: 0 } });
    expect(leaked.body.previousSecretExpiresAt).toBeNull();
    expect((await api.ctx.ledger.webhooks.signingEndpoint(A.id))?.secrets).toEqual([leaked.body.secret]);

    const audit = await api.call('GET', `/v1/workspaces/${A.id}/audit`);
    const entries = audit.body.items.filter((e: { action: string }) => e.action.startsWith('webhook.'));
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'webhook.rotated',
      'webhook.rotated',
      'webhook.rotated',
      'webhook.changed',
      'webhook.changed',
    ]);
    expect(entries.at(-1)).toMatchObject({
      actor: 'operator',
      channel: 'api',
      before: null,
      after: { url: 'https://hooks.example.org/a', events: null },
    });
    expect(entries[3]).toMatchObject({ before: { url: 'https://hooks.example.org/a' } });
    // Secrets never reach the audit log.
    for (const s of [created.body.secret, rotated.body.secret, again.body.secret, leaked.body.secret]) {
      expect(audit.text).not.toContain(s.slice(6));
    }

    expect((await api.call('DELETE', path)).status).toBe(204);
    expect((await api.call('GET', path)).status).toBe(404);
    expect((await api.call('DELETE', path)).status).toBe(404);
    expect(await api.ctx.ledger.webhooks.signingEndpoint(A.id)).toBeNull();
    // A new endpoint after a removal gets a new secret.
    const recreated = await api.call('PUT', path, { body: { url: 'https://hooks.example.org/c' } });
    expect(recreated.body.created).toBe(true);
    expect(recreated.body.secret).not.toBe(leaked.body.secret);
  });

  it("is the operator's: the workspace's own key (every scope but approve) is refused", async () => {
    const A = await api.workspace();
    const path = `/v1/workspaces/${A.id}/webhook`;
    await api.call('PUT', path, { body: { url: 'https://hooks.example.org/a' } });
    for (const [method, p] of [
      ['GET', path],
      ['PUT', path],
      ['DELETE', path],
      ['POST', `${path}/rotate`],
    ] as const) {
      const body = method === 'PUT' ? { url: 'https://evil.example.org' } : undefined;
      const r = await api.call(method, p, { key: A.key, body });
      expect(r.status, `${method} ${p}`).toBe(403);
      expect(r.body.error.details).toEqual({ required: 'operator' });
    }
    expect((await api.ctx.ledger.webhooks.get(A.id))?.url).toBe('https://hooks.example.org/a');
  });

  it('names what is wrong in a bad request and writes nothing', async () => {
    const A = await api.workspace();
    const path = `/v1/workspaces/${A.id}/webhook`;
    const bad = async (body: unknown) => {
      const r = await api.call('PUT', path, { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      return r.body.error.details.fields.map((f: { field: string }) => f.field);
    };
    expect(await bad({})).toEqual(['url']);
    expect(await bad({ url: 'ftp://example.org/x' })).toEqual(['url']);
    expect(await bad({ url: 'not a url' })).toEqual(['url']);
    expect(await bad({ url: 'https://example.org', events: ['alert.nope'] })).toEqual(['events.0']);
    expect(await bad({ url: 'https://example.org', events: [] })).toEqual(['events']);
    expect(await bad({ url: 'https://example.org', secret: 'whsec_mine' })).toEqual(['secret']);
    expect(await api.ctx.ledger.webhooks.get(A.id)).toBeNull();

    const rotateMissing = await api.call('POST', `${path}/rotate`);
    expect(rotateMissing.status).toBe(404);
    await api.call('PUT', path, { body: { url: 'https://example.org' } });
    const longGrace = await api.call('POST', `${path}/rotate`, { body: { graceSeconds: 8 * 86400 } });
    expect(longGrace.status).toBe(400);
    expect(longGrace.body.error.details.fields[0].field).toBe('graceSeconds');
    expect(
      (await api.call('PUT', '/v1/workspaces/nobody/webhook', { body: { url: 'https://x.org' } })).status,
    ).toBe(404);
  });
});
