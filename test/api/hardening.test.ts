import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../integrations/api/server.js';
import { isPrivateAddress } from '../../integrations/webhook/destination.js';
import { WebhookNotifier } from '../../integrations/webhook/sender.js';
import { loadConfig } from '../../runtime/config.js';
import { createContext } from '../../runtime/context.js';
import { apiFor } from '../../runtime/roles/api.js';
import { StopStack } from '../../runtime/stop-stack.js';
import { useApi } from './support.js';

/** Issue 24, Low 11: what an outsider reaching the port could do with the server's defaults. */
describe('hardening of the HTTP server (issue 24, Low 11)', async () => {
  const api = await useApi();
  const stops = new StopStack();
  afterAll(() => stops.stop());
  const serve = async (extra: Record<string, unknown> = {}) => {
    const server = await startApiServer({
      ctx: { ...api.ctx, operatorKey: api.operatorKey, ...extra },
      port: 0,
      host: '127.0.0.1',
    });
    stops.push('server', () => server.close());
    return server;
  };

  it('the Host header never reaches /openapi.json’s servers', async () => {
    const server = await serve();
    const served = await (
      await fetch(`${server.url}/openapi.json`, { headers: { host: 'evil.example' } })
    ).json();
    expect(served.servers).toEqual([{ url: server.url, description: 'This Credits API' }]);
  });

  it('npm start listens on 127.0.0.1 unless HOST says otherwise; a container role on every address', async () => {
    const ctx = createContext({ databaseUrl: 'postgres://unused@127.0.0.1:9/never-connected' });
    stops.push('pool', () => ctx.close());
    const local = await apiFor(ctx, loadConfig({ PORT: '0' }), { defaultHost: '127.0.0.1' }, stops);
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const set = await apiFor(
      ctx,
      loadConfig({ PORT: '0', HOST: '::1' }),
      { defaultHost: '127.0.0.1' },
      stops,
    );
    expect(set.url).toMatch(/^http:\/\/\[::1\]:/);
  });

  it('unknown keys are answered from memory after the first lookup, and an address past its failure budget gets 429', async () => {
    let lookups = 0;
    const store = api.ctx.ledger.apiKeys;
    const original = store.authenticate.bind(store);
    store.authenticate = (...args: Parameters<typeof original>) => {
      lookups++;
      return original(...args);
    };
    try {
      const server = await serve({ authFailureLimit: { points: 5, durationSeconds: 60 } });
      const bad = `ck_${randomBytes(16).toString('hex')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await fetch(`${server.url}/v1/workspaces/x/balance`, {
          headers: { authorization: `Bearer ${bad}` },
        });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      expect(lookups).toBe(1);
    } finally {
      store.authenticate = original;
    }
  });

  it('a client trickling its headers is cut off; connections beyond the cap are refused', async () => {
    const server = await startApiServer({
      ctx: { ...api.ctx, operatorKey: api.operatorKey },
      port: 0,
      host: '127.0.0.1',
      maxConnections: 2,
    });
    stops.push('server', () => server.close());
    const node = server.server;
    expect(node.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(node.requestTimeout).toBeLessThanOrEqual(30_000);
    const open = () =>
      new Promise<import('node:net').Socket>((resolve) => {
        const s = connect(server.port, '127.0.0.1', () => resolve(s));
        s.on('error', () => {});
      });
    const held = [await open(), await open()];
    held[0]!.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const third = await open();
    const closed = await new Promise<boolean>((resolve) => {
      third.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 2000);
    });
    expect(closed).toBe(true);
    for (const s of held) s.destroy();
  });

  it('webhooks refuse private, loopback and link-local destinations unless WEBHOOK_ALLOW_PRIVATE', async () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '192.168.1.1',
      '::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['93.184.216.34', '2606:2800:220:1::1']) expect(isPrivateAddress(a), a).toBe(false);
    let posted = 0;
    const endpoints = {
      signingEndpoint: async () => ({
        url: 'http://169.254.169.254/latest/meta-data/',
        events: null,
        secrets: [`whsec_${randomBytes(24).toString('base64')}`],
      }),
    };
    const fetchSpy = (async () => {
      posted++;
      return new Response('ok');
    }) as unknown as typeof fetch;
    const alert = {
      kind: 'alert' as const,
      id: 'evt_1',
      workspaceId: 'w',
      type: 'alert.low' as const,
      level: 'low' as const,
      threshold: 10,
      balance: 5,
      occurredAt: new Date().toISOString(),
    };
    const refused = new WebhookNotifier({ endpoints, fetch: fetchSpy }).send(alert);
    await expect(refused).rejects.toMatchObject({ retryable: false });
    await expect(refused).rejects.toThrow(/link-local|private/);
    expect(posted).toBe(0);
    await new WebhookNotifier({ endpoints, fetch: fetchSpy, allowPrivate: true }).send(alert);
    expect(posted).toBe(1);
    expect(loadConfig({}).WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE).toBe(true);
  });
});
