import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../application/notifications.js';
import { WebhookDeliveryError, WebhookNotifier } from '../../integrations/webhook/sender.js';
import { WebhookStore } from '../../ledger/stores/webhooks.js';
import { ConfigError, loadConfig } from '../../runtime/config.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { useReceiver, webhookHeaders } from './receiver.js';

// The notifier against the real store (PostgreSQL) and a real HTTP receiver; signatures are
// checked with the standardwebhooks library, as a receiver would.
const sql = useTestDatabase(5);
const receiver = useReceiver();
let now = new Date();
const store = new WebhookStore(sql, () => now);
const by = { actor: 'operator', channel: 'api' as const };
const notifier = new WebhookNotifier({ endpoints: store, allowPrivate: true });

async function workspace(): Promise<string> {
  const id = uniqueId();
  await sql`INSERT INTO workspaces (id, name, plan, status, billing_anchor) VALUES (${id}, ${id}, 'solo', 'active', now())`;
  return id;
}

function alert(workspaceId: string, type: 'alert.low' | 'alert.depleted' = 'alert.low'): Notification {
  return {
    kind: 'alert',
    id: `evt_${uniqueId('a')}`,
    workspaceId,
    type,
    level: 'low',
    threshold: 100,
    balance: 87,
    occurredAt: '2026-12-01T09:00:00.000Z',
  };
}

describe('webhook notifier: each workspace its endpoint and secret (Standard Webhooks)', () => {
  it("posts to the workspace's own URL, signed with its secret; another workspace's secret does not verify", async () => {
    const [a, b] = [await workspace(), await workspace()];
    const { secret: secretA } = await store.put(a, { url: receiver.url(`/${a}`) }, by);
    const { secret: secretB } = await store.put(b, { url: receiver.url(`/${b}`) }, by);
    const n = alert(a);
    await notifier.send(n);
    expect(receiver.at(`/${b}`)).toEqual([]);
    const [got] = receiver.at(`/${a}`);
    expect(got!.headers['webhook-id']).toBe(n.id);
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secretA!).verify(got!.body, webhookHeaders(got!))).toEqual({
      id: n.id,
      type: 'alert.low',
      workspaceId: a,
      occurredAt: n.occurredAt,
      data: { level: 'low', threshold: 100, balance: 87 },
    });
    expect(() => new Webhook(secretB!).verify(got!.body, webhookHeaders(got!))).toThrow(
      /No matching signature/,
    );
    // Tampering with the body or the id breaks the signature.
    expect(() => new Webhook(secretA!).verify(got!.body.replace('87', '99'), webhookHeaders(got!))).toThrow();
    expect(() =>
      new Webhook(secretA!).verify(got!.body, { ...webhookHeaders(got!), 'webhook-id': 'evt_other' }),
    ).toThrow();
  });

  it('signs with both secrets during the grace period of a rotation, then with the new one only', async () => {
    const ws = await workspace();
    const path = `/${ws}`;
    const { secret: old } = await store.put(ws, { url: receiver.url(path) }, by);
    now = new Date();
    const { secret: fresh } = await store.rotate(ws, { graceSeconds: 60 }, by);
    await notifier.send(alert(ws));
    const during = receiver.at(path).at(-1)!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    // A receiver still on the old secret and one already on the new both accept the event.
    expect(new Webhook(old!).verify(during.body, webhookHeaders(during))).toMatchObject({ workspaceId: ws });
    expect(new Webhook(fresh).verify(during.body, webhookHeaders(during))).toMatchObject({ workspaceId: ws });

    now = new Date(now.getTime() + 61_000);
    try {
      await notifier.send(alert(ws));
    } finally {
      now = new Date();
    }
    const after = receiver.at(path).at(-1)!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(new Webhook(fresh).verify(after.body, webhookHeaders(after))).toMatchObject({ workspaceId: ws });
    expect(() => new Webhook(old!).verify(after.body, webhookHeaders(after))).toThrow(
      /No matching signature/,
    );
  });

  it('sends nothing to a workspace without an endpoint, nor event types it did not choose', async () => {
    const [none, picky] = [await workspace(), await workspace()];
    await store.put(picky, { url: receiver.url(`/${picky}`), events: ['alert.depleted'] }, by);
    const before = receiver.received.length;
    await notifier.send(alert(none));
    await notifier.send(alert(picky, 'alert.low'));
    await notifier.send({ ...alert(picky), kind: 'digest' } as unknown as Notification);
    expect(receiver.received.length).toBe(before);
    await notifier.send(alert(picky, 'alert.depleted'));
    expect(receiver.at(`/${picky}`).map((r) => JSON.parse(r.body).type)).toEqual(['alert.depleted']);
  });

  it('reads the endpoint at every attempt: a changed URL applies to the retry', async () => {
    const ws = await workspace();
    await store.put(ws, { url: receiver.url(`/${ws}/old`) }, by);
    receiver.statuses.push(503);
    const n = alert(ws);
    const err = await notifier.send(n).catch((e) => e);
    expect(err).toBeInstanceOf(WebhookDeliveryError);
    expect(err.retryable).toBe(true);
    await store.put(ws, { url: receiver.url(`/${ws}/new`) }, by);
    await notifier.send(n);
    expect(receiver.at(`/${ws}/new`).map((r) => r.headers['webhook-id'])).toEqual([n.id]);
  });

  it('retries 5xx, 408, 429 and network errors but not other 4xx or redirects', async () => {
    const ws = await workspace();
    await store.put(ws, { url: receiver.url(`/${ws}`) }, by);
    for (const [code, retryable] of [
      [503, true],
      [429, true],
      [408, true],
      [400, false],
      [401, false],
      [302, false],
    ] as const) {
      receiver.statuses.push(code);
      const err = await notifier.send(alert(ws)).catch((e) => e);
      expect(err, String(code)).toBeInstanceOf(WebhookDeliveryError);
      expect(err.retryable, String(code)).toBe(retryable);
    }
    const down = await workspace();
    await store.put(down, { url: 'http://127.0.0.1:1/nothing' }, by);
    expect((await notifier.send(alert(down)).catch((e) => e)).retryable).toBe(true);
  });
});

describe('the deployment-wide webhook settings are gone', () => {
  it('refuses ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET, saying what replaces them; empty values pass', () => {
    const err = (() => {
      try {
        loadConfig({ ALERT_WEBHOOK_URL: 'https://hooks.example.org', ALERT_WEBHOOK_SECRET: 's' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual([
      expect.stringMatching(/^ALERT_WEBHOOK_URL: is no longer read: .*PUT \/v1\/workspaces\/\{ws\}\/webhook/),
      expect.stringMatching(/^ALERT_WEBHOOK_SECRET: is no longer read/),
    ]);
    expect(() => loadConfig({ ALERT_WEBHOOK_URL: '', ALERT_WEBHOOK_SECRET: ' ' })).not.toThrow();
  });
});
