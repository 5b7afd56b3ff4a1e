import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../integrations/api/context.js';
import { startApiServer } from '../../integrations/api/server.js';
import { verifyLedger } from '../../ledger/verify.js';
import { createContext } from '../../runtime/context.js';
import { useTestDatabase } from '../support/db.js';
import { useApi } from './support.js';

const admin = useTestDatabase(2);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('PostgreSQL unreachable', () => {
  it('answers 503 unavailable (not 500, not a hang) on reads, writes, auth and /healthz', async () => {
    const port = await closedPort();
    const base = createContext({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/credits`, poolMax: 2 });
    const ctx: ApiContext = { ...base, operatorKey: 'operator-secret-0123456789' };
    const server = await startApiServer({ ctx, port: 0, host: '127.0.0.1' });
    afterAll(async () => {
      await server.close();
      await base.close();
    });
    const call = (method: string, path: string, key: string, body?: unknown) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const started = Date.now();
    const cases = [
      await call('GET', '/v1/workspaces/acme/balance', ctx.operatorKey!),
      await call('POST', '/v1/workspaces/acme/debits', ctx.operatorKey!, { amount: 5, idempotencyKey: 'k' }),
      await call('POST', '/v1/workspaces/acme/grants', ctx.operatorKey!, {
        type: 'purchased',
        amount: 5,
        reason: 'r',
        idempotencyKey: 'k',
      }),
      // A workspace key cannot even be checked without the database: 503, not 401.
      await call('GET', '/v1/workspaces/acme/balance', 'cr_ws_some-workspace-key'),
    ];
    for (const res of cases) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.json()).toMatchObject({ error: { code: 'unavailable', message: expect.any(String) } });
    }
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('connections killed mid-flight', () => {
  it('each debit either commits (201) or fails whole (503); retries with the same keys land exactly once', async () => {
    const api = await useApi({ http: true, poolMax: 1 });
    const { id, key } = await api.workspace({ credits: 10_000 });
    const pidOf = async () => (await api.ctx.sql`SELECT pg_backend_pid() AS pid`)[0]!.pid as number;

    // An idle pooled connection killed between requests: the next request succeeds or 503s, never 500.
    await admin`SELECT pg_terminate_backend(${await pidOf()})`;
    const next = await api.call('GET', `/v1/workspaces/${id}/balance`, { key });
    expect([200, 503]).toContain(next.status);

    const statuses: number[] = [];
    const keys = Array.from({ length: 30 }, (_, i) => `outage-${i}`);
    for (let round = 0; round < 3; round++) {
      const pid = await pidOf();
      const batch = keys.slice(round * 10, round * 10 + 10);
      const inFlight = batch.map((k) =>
        api.call('POST', `/v1/workspaces/${id}/debits`, { key, body: { amount: 7, idempotencyKey: k } }),
      );
      await new Promise((r) => setTimeout(r, round * 3));
      await admin`SELECT pg_terminate_backend(${pid})`;
      const replies = await Promise.all(inFlight);
      for (const r of replies) {
        statuses.push(r.status);
        if (r.status !== 201) expect(r.body.error.code).toBe('unavailable');
      }
    }
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
    expect(statuses).toContain(503); // the kills did hit requests in flight

    // Once the database answers again, retrying every key commits each debit exactly once.
    for (const k of keys) {
      let reply = await api.call('POST', `/v1/workspaces/${id}/debits`, {
        key,
        body: { amount: 7, idempotencyKey: k },
      });
      for (let attempt = 0; reply.status === 503 && attempt < 5; attempt++) {
        reply = await api.call('POST', `/v1/workspaces/${id}/debits`, {
          key,
          body: { amount: 7, idempotencyKey: k },
        });
      }
      expect(reply.status).toBe(201);
    }
    const [row] = await admin`
      SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys
        FROM journal WHERE workspace_id = ${id} AND kind = 'debit'`;
    expect(row).toEqual({ n: 30, keys: 30 });
    expect((await api.call('GET', `/v1/workspaces/${id}/balance`, { key })).body.total).toBe(10_000 - 30 * 7);
    expect(await verifyLedger(admin, id)).toEqual([]);
  });
});
