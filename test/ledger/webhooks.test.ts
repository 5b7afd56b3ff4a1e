import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../ledger/stores/audit-log.js';
import { WebhookStore } from '../../ledger/stores/webhooks.js';
import { uniqueId, useTestDatabase } from '../support/db.js';

// The store under concurrent operators: changes are serialised per workspace, each with its audit
// entry, and a bad request writes nothing.
const sql = useTestDatabase(30);
const store = new WebhookStore(sql);
const audit = new AuditLog(sql);
const by = { actor: 'operator', channel: 'api' as const };

async function workspace(): Promise<string> {
  const id = uniqueId();
  await sql`INSERT INTO workspaces (id, name, plan, status, billing_anchor) VALUES (${id}, ${id}, 'solo', 'active', now())`;
  return id;
}

const webhookActions = async (ws: string) =>
  (await audit.list(ws, { limit: 200 })).items
    .filter((e) => e.action.startsWith('webhook.'))
    .map((e) => e.action);

describe('webhook store', () => {
  it('20 concurrent PUTs on a new endpoint: one creates it (one secret handed out), the others change it', async () => {
    const ws = await workspace();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.put(ws, { url: `https://hooks.example.org/${i}` }, by)),
    );
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.secret)).toHaveLength(1);
    expect((await store.signingEndpoint(ws))?.secrets).toEqual([created[0]!.secret]);
    expect(await webhookActions(ws)).toHaveLength(20);
  });

  it('10 concurrent rotations: each secret handed out is distinct, the last two sign, all are audited', async () => {
    const ws = await workspace();
    await store.put(ws, { url: 'https://hooks.example.org/x' }, by);
    const rotations = await Promise.all(Array.from({ length: 10 }, () => store.rotate(ws, {}, by)));
    const secrets = rotations.map((r) => r.secret);
    expect(new Set(secrets).size).toBe(10);
    // Serialised by the row lock: the rotation that committed last is current, the one before it previous.
    const signing = (await store.signingEndpoint(ws))!.secrets;
    expect(signing).toHaveLength(2);
    const order = rotations.map((r) => r.endpoint.rotatedAt!).sort();
    const latest = rotations.filter((r) => r.endpoint.rotatedAt === order.at(-1)).map((r) => r.secret);
    expect(latest).toContain(signing[0]);
    expect(secrets).toContain(signing[1]);
    expect((await webhookActions(ws)).filter((a) => a === 'webhook.rotated')).toHaveLength(10);
  });

  it('refuses bad input and unknown workspaces, writing neither the endpoint nor an audit entry', async () => {
    const ws = await workspace();
    await expect(store.put(ws, { url: 'javascript:alert(1)' }, by)).rejects.toMatchObject({
      code: 'invalid_request',
      details: { fields: [{ field: 'url', message: 'must be an http:// or https:// URL' }] },
    });
    await expect(
      store.put(ws, { url: 'https://x.org', events: ['alert.low', 'nope'] }, by),
    ).rejects.toMatchObject({
      details: { fields: [{ field: 'events', message: expect.stringMatching(/unknown event type "nope"/) }] },
    });
    await expect(store.put(ws, { url: `https://x.org/${'a'.repeat(2100)}` }, by)).rejects.toMatchObject({
      details: { fields: [{ field: 'url' }] },
    });
    await expect(store.rotate(ws, { graceSeconds: -1 }, by)).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(store.rotate(ws, {}, by)).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.put('ws-missing', { url: 'https://x.org' }, by)).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await store.get(ws)).toBeNull();
    expect(await webhookActions(ws)).toEqual([]);
    expect(await store.remove(ws, by)).toBe(false);
  });
});
