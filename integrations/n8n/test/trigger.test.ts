import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditsApi } from '../credentials/CreditsApi.credentials';
import { CreditsTrigger } from '../nodes/CreditsTrigger/CreditsTrigger.node';
import { signPayload, verifySignature } from '../nodes/CreditsTrigger/signature';
import { createWebhookContext, type ParamValue } from './support/n8n-context';

const SECRET = 'whsec_test_3f9a1c';
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

describe('Credits Trigger webhook', () => {
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

  function signed(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SECRET) {
    return {
      'x-credits-timestamp': String(timestamp),
      'x-credits-signature': signPayload(secret, timestamp, body),
    };
  }

  it('accepts a correctly signed event of a selected type and starts the workflow with it', async () => {
    const e = event('alert.low');
    // Formatting that a re-serialization would not reproduce: the raw bytes are what is signed.
    const body = JSON.stringify(e, null, 3);
    const before = fired.length;
    const res = await post(body, signed(body));
    expect(res).toEqual({ status: 200, body: { received: true } });
    expect(fired.length).toBe(before + 1);
    expect(fired.at(-1)).toEqual([{ json: e }]);
  });

  it('rejects a request signed with another secret (401) and does not start the workflow', async () => {
    const body = JSON.stringify(event('alert.low'));
    const before = fired.length;
    const res = await post(body, signed(body, undefined, 'not-the-secret'));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      error: { code: 'invalid_signature', message: 'signature does not match' },
    });
    expect(fired.length).toBe(before);
  });

  it('rejects a body changed after signing', async () => {
    const body = JSON.stringify(event('alert.low'));
    const headers = signed(body);
    const res = await post(body.replace('"balance":87', '"balance":99999'), headers);
    expect(res.status).toBe(401);
  });

  it('rejects a signature whose timestamp header was changed (the timestamp is signed)', async () => {
    const body = JSON.stringify(event('alert.low'));
    const now = Math.floor(Date.now() / 1000);
    const headers = signed(body, now - 10);
    headers['x-credits-timestamp'] = String(now);
    const res = await post(body, headers);
    expect(res.status).toBe(401);
  });

  it('rejects a stale (replayed) request older than 5 minutes, even when correctly signed', async () => {
    const body = JSON.stringify(event('alert.low'));
    const old = Math.floor(Date.now() / 1000) - 301;
    const before = fired.length;
    const res = await post(body, signed(body, old));
    expect(res.status).toBe(401);
    expect(String((res.body.error as IDataObject).message)).toMatch(/stale/);
    expect(fired.length).toBe(before);
  });

  it('rejects requests without signature headers', async () => {
    const body = JSON.stringify(event('alert.low'));
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-credits-timestamp': String(Math.floor(Date.now() / 1000)) })).status).toBe(
      401,
    );
  });

  it('acknowledges but ignores event types that were not selected', async () => {
    const body = JSON.stringify(event('alert.recovered'));
    const before = fired.length;
    const res = await post(body, signed(body));
    expect(res).toEqual({ status: 200, body: { received: true, ignored: 'event type not selected' } });
    expect(fired.length).toBe(before);
  });

  it("ignores events about another workspace than the credential's", async () => {
    const body = JSON.stringify(event('alert.depleted', { workspaceId: 'other-ws' }));
    const res = await post(body, signed(body));
    expect(res.body).toEqual({ received: true, ignored: 'other workspace' });
  });

  // The other side of the contract: the service's own webhook sender (integrations/webhook).
  const senderPath = new URL('../../webhook/sender.ts', import.meta.url);
  it('accepts what the Credits webhook notifier sends', async () => {
    const { WebhookNotifier } = await import(senderPath.href);
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
    await new WebhookNotifier({ url, secret: SECRET }).send(notification);
    expect(fired.length).toBe(before + 1);
    expect(fired.at(-1)![0]!.json).toMatchObject({
      id: notification.id,
      type: 'alert.depleted',
      workspaceId: WORKSPACE,
      data: { level: 'depleted', threshold: 0, balance: 0 },
    });
    // Signed with another secret, the notifier gets a 401, which it does not retry.
    await expect(
      new WebhookNotifier({ url, secret: 'other' }).send({ ...notification, id: 'x2' }),
    ).rejects.toMatchObject({
      status: 401,
      retryable: false,
    });
  });

  it('delivers a retried event (same id) only once', async () => {
    const e = event('purchase.approved', { data: { purchase: { id: 'pur_1', status: 'approved' } } });
    const before = fired.length;
    const body = JSON.stringify(e);
    expect((await post(body, signed(body))).body).toEqual({ received: true });
    expect((await post(body, signed(body))).body).toEqual({ received: true, ignored: 'duplicate event' });
    expect(fired.length).toBe(before + 1);
  });
});

describe('signature contract', () => {
  it('is sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', 's3cret').update('1700000000.{"a":1}').digest('hex');
    expect(signPayload('s3cret', 1700000000, '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('refuses future-dated timestamps, malformed signatures and an empty secret', () => {
    const body = '{}';
    const now = 1_800_000_000;
    const base = { secret: 'x', rawBody: body, now };
    expect(
      verifySignature({ ...base, timestamp: String(now + 301), signature: signPayload('x', now + 301, body) })
        .ok,
    ).toBe(false);
    expect(verifySignature({ ...base, timestamp: String(now), signature: 'sha256=zz' }).ok).toBe(false);
    expect(
      verifySignature({ ...base, secret: '', timestamp: String(now), signature: signPayload('', now, body) })
        .ok,
    ).toBe(false);
    expect(
      verifySignature({ ...base, timestamp: String(now - 299), signature: signPayload('x', now - 299, body) })
        .ok,
    ).toBe(true);
  });
});
