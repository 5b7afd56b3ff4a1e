import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditsApi } from '../credentials/CreditsApi.credentials';
import { CreditsTrigger } from '../nodes/CreditsTrigger/CreditsTrigger.node';
import { verifySignature } from '../nodes/CreditsTrigger/signature';
import { createWebhookContext, type ParamValue } from './support/n8n-context';

// Standard Webhooks secrets, as the Credits API hands them out (whsec_ + base64 of random bytes).
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const SECRET = newSecret();
const OTHER_WORKSPACE_SECRET = newSecret();
const WORKSPACE = 'acme';

/**
 * Serves the trigger node's webhook() over real HTTP, so the signature is checked on the exact bytes
 * that went over the wire (as n8n keeps them in req.rawBody).
 */
function startWebhookServer(parameters: Record<string, ParamValue>) {
  const trigger = new CreditsTrigger();
  const staticData: IDataObject = {};
  const fired: INodeExecutionData[][] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const rawBody = Buffer.concat(chunks);
      let body: IDataObject = {};
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        // n8n would hand the node an empty body; the node must still answer.
      }
      const { context, reply } = createWebhookContext(
        {
          nodeType: trigger,
          parameters,
          credentialType: new CreditsApi(),
          credentials: {
            baseUrl: 'http://unused',
            apiKey: 'k',
            workspaceId: WORKSPACE,
            webhookSecret: SECRET,
          },
          staticData,
        },
        { headers: req.headers, rawBody, body },
      );
      try {
        const result = await trigger.webhook!.call(context);
        if (result.workflowData) fired.push(...result.workflowData);
        if (!result.noWebhookResponse) {
          reply.status = 200;
          reply.body = result.webhookResponse ?? { received: true };
        }
      } catch (error) {
        reply.status = 500;
        reply.body = { error: (error as Error).message };
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  return { server, fired };
}

function event(type: string, extra: IDataObject = {}) {
  return {
    id: `evt_${Math.random().toString(36).slice(2)}`,
    type,
    workspaceId: WORKSPACE,
    occurredAt: new Date().toISOString(),
    data: { level: 'low', threshold: 100, balance: 87 },
    ...extra,
  };
}

/** Standard Webhooks headers signed by the reference library (the sender's own signing). */
function signed(
  body: string,
  { id = JSON.parse(body).id as string, at = new Date(), secrets = [SECRET] } = {},
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' '),
  };
}

describe('Credits Trigger webhook (Standard Webhooks)', () => {
  const { server, fired } = startWebhookServer({
    events: ['alert.low', 'alert.depleted', 'purchase.approved'],
  });
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/credits`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function post(body: string, headers: Record<string, string>) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as IDataObject };
  }

  it('accepts an event signed by the library with its workspace secret and starts the workflow with it', async () => {
    const e = event('alert.low');
    // Formatting that a re-serialization would not reproduce: the raw bytes are what is signed.
    const body = JSON.stringify(e, null, 3);
    const before = fired.length;
    const res = await post(body, signed(body));
    expect(res).toEqual({ status: 200, body: { received: true } });
    expect(fired.length).toBe(before + 1);
    expect(fired.at(-1)).toEqual([{ json: e }]);
  });

  it("refuses an event signed with another workspace's secret (401) and does not start the workflow", async () => {
    const body = JSON.stringify(event('alert.low'));
    const before = fired.length;
    const res = await post(body, signed(body, { secrets: [OTHER_WORKSPACE_SECRET] }));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      error: { code: 'invalid_signature', message: 'signature does not match' },
    });
    expect(fired.length).toBe(before);
  });

  it("refuses a correctly signed event about another workspace than the credential's (403)", async () => {
    const body = JSON.stringify(event('alert.depleted', { workspaceId: 'other-ws' }));
    const before = fired.length;
    const res = await post(body, signed(body));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
    expect(String((res.body.error as IDataObject).message)).toContain('"other-ws"');
    expect(fired.length).toBe(before);
  });

  it('accepts either secret during a rotation (the sender signs with both)', async () => {
    const body = JSON.stringify(event('alert.low'));
    const before = fired.length;
    // The credential still holds the previous secret; the new one comes first in the header.
    const res = await post(body, signed(body, { secrets: [newSecret(), SECRET] }));
    expect(res).toEqual({ status: 200, body: { received: true } });
    expect(fired.length).toBe(before + 1);
  });

  it('refuses a body changed after signing, and a changed webhook-id (both are signed)', async () => {
    const body = JSON.stringify(event('alert.low'));
    const headers = signed(body);
    expect((await post(body.replace('"balance":87', '"balance":99999'), headers)).status).toBe(401);
    expect((await post(body, { ...headers, 'webhook-id': 'evt_forged' })).status).toBe(401);
  });

  it('refuses a signature whose timestamp header was changed (the timestamp is signed)', async () => {
    const body = JSON.stringify(event('alert.low'));
    const headers = signed(body, { at: new Date(Date.now() - 10_000) });
    headers['webhook-timestamp'] = String(Math.floor(Date.now() / 1000));
    expect((await post(body, headers)).status).toBe(401);
  });

  it('refuses a stale (replayed) request older than 5 minutes, even when correctly signed', async () => {
    const body = JSON.stringify(event('alert.low'));
    const before = fired.length;
    const res = await post(body, signed(body, { at: new Date(Date.now() - 301_000) }));
    expect(res.status).toBe(401);
    expect(String((res.body.error as IDataObject).message)).toMatch(/stale/);
    expect(fired.length).toBe(before);
  });

  it('refuses requests without the signature headers, naming the missing one', async () => {
    const body = JSON.stringify(event('alert.low'));
    const headers = signed(body);
    for (const missing of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const { [missing]: _gone, ...rest } = headers;
      const res = await post(body, rest);
      expect(res.status, missing).toBe(401);
      expect(String((res.body.error as IDataObject).message)).toBe(`missing ${missing} header`);
    }
  });

  it('acknowledges but ignores event types that were not selected', async () => {
    const body = JSON.stringify(event('alert.recovered'));
    const before = fired.length;
    const res = await post(body, signed(body));
    expect(res).toEqual({ status: 200, body: { received: true, ignored: 'event type not selected' } });
    expect(fired.length).toBe(before);
  });

  // The other side of the contract: the service's own webhook sender (integrations/webhook).
  const senderPath = new URL('../../webhook/sender.ts', import.meta.url);
  it('accepts what the Credits webhook notifier sends with the workspace endpoint and secrets', async () => {
    const { WebhookNotifier } = await import(senderPath.href);
    const endpoints = (secrets: string[]) => ({
      signingEndpoint: async (ws: string) => (ws === WORKSPACE ? { url, events: null, secrets } : null),
    });
    const before = fired.length;
    const notification = {
      kind: 'alert',
      id: `alert-${Date.now()}`,
      workspaceId: WORKSPACE,
      type: 'alert.depleted',
      level: 'depleted',
      threshold: 0,
      balance: 0,
      occurredAt: new Date().toISOString(),
    };
    await new WebhookNotifier({ endpoints: endpoints([SECRET]), allowPrivate: true }).send(notification);
    expect(fired.length).toBe(before + 1);
    expect(fired.at(-1)![0]!.json).toMatchObject({
      id: notification.id,
      type: 'alert.depleted',
      workspaceId: WORKSPACE,
      data: { level: 'depleted', threshold: 0, balance: 0 },
    });
    // Mid-rotation (new secret first, the credential's second): accepted.
    await new WebhookNotifier({ endpoints: endpoints([newSecret(), SECRET]), allowPrivate: true }).send({
      ...notification,
      id: 'x1',
    });
    expect(fired.length).toBe(before + 2);
    // Signed with another workspace's secret, the notifier gets a 401, which it does not retry.
    await expect(
      new WebhookNotifier({ endpoints: endpoints([OTHER_WORKSPACE_SECRET]), allowPrivate: true }).send({
        ...notification,
        id: 'x2',
      }),
    ).rejects.toMatchObject({ status: 401, retryable: false });
  });

  it('delivers a retried event (same webhook-id) only once', async () => {
    const e = event('purchase.approved', { data: { purchase: { id: 'pur_1', status: 'approved' } } });
    const before = fired.length;
    const body = JSON.stringify(e);
    expect((await post(body, signed(body))).body).toEqual({ received: true });
    // A retry is signed anew (a later timestamp), with the same id.
    const later = signed(body, { at: new Date(Date.now() + 2000) });
    expect((await post(body, later)).body).toEqual({ received: true, ignored: 'duplicate event' });
    expect(fired.length).toBe(before + 1);
  });
});

describe('signature verification (node:crypto) against the standardwebhooks library', () => {
  const now = 1_800_000_000;
  const at = new Date(now * 1000);
  const body = '{"a":1}';
  const base = { secret: SECRET, rawBody: body, id: 'msg_1', timestamp: String(now), now };

  it("accepts the library's v1 signature, alone or among others, and the body as a Buffer", () => {
    const signature = new Webhook(SECRET).sign('msg_1', at, body);
    expect(verifySignature({ ...base, signature }).ok).toBe(true);
    expect(verifySignature({ ...base, signature: `v2,abc ${signature}` }).ok).toBe(true);
    expect(verifySignature({ ...base, rawBody: Buffer.from(body), signature }).ok).toBe(true);
    // What we accept, the library accepts too (and the other way round for a wrong secret).
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };
    const fresh = new Webhook(SECRET).sign(
      'msg_1',
      new Date(Number(headers['webhook-timestamp']) * 1000),
      body,
    );
    expect(new Webhook(SECRET).verify(body, { ...headers, 'webhook-signature': fresh })).toEqual({ a: 1 });
    expect(() =>
      new Webhook(OTHER_WORKSPACE_SECRET).verify(body, { ...headers, 'webhook-signature': fresh }),
    ).toThrow();
  });

  it('refuses future-dated timestamps, other versions, malformed signatures and unusable secrets', () => {
    const sign = (t: number) => new Webhook(SECRET).sign('msg_1', new Date(t * 1000), body);
    expect(verifySignature({ ...base, timestamp: String(now + 301), signature: sign(now + 301) }).ok).toBe(
      false,
    );
    expect(verifySignature({ ...base, timestamp: String(now - 299), signature: sign(now - 299) }).ok).toBe(
      true,
    );
    expect(verifySignature({ ...base, signature: sign(now).replace('v1,', 'v2,') }).ok).toBe(false);
    expect(verifySignature({ ...base, signature: 'v1,zz' }).ok).toBe(false);
    expect(verifySignature({ ...base, timestamp: 'soon', signature: sign(now) })).toEqual({
      ok: false,
      reason: 'webhook-timestamp is not a Unix time in seconds',
    });
    expect(verifySignature({ ...base, secret: '', signature: sign(now) }).ok).toBe(false);
    expect(verifySignature({ ...base, secret: 'whsec_not base64!', signature: sign(now) })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/whsec_<base64>/),
    });
  });
});
