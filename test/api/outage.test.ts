import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../integrations/api/context.js';
import { startApiServer } from '../../integrations/api/server.js';
import type { Sql } from '../../ledger/db.js';
import { verifyLedger } from '../../ledger/verify.js';
import { createContext } from '../../runtime/context.js';
import { useTestDatabase } from '../support/db.js';
import { type Api, useApi } from './support.js';

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

describe('connections killed', () => {
  /** The app's single pooled connection (a killed one fails the first query that meets it). */
  const pidOf = async (sql: Sql): Promise<number> => {
    for (;;) {
      try {
        return (await sql`SELECT pg_backend_pid() AS pid`)[0]!.pid as number;
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  const debitUntilDone = async (api: Api, ws: string, key: string, idem: string) => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await api.call('POST', `/v1/workspaces/${ws}/debits`, {
        key,
        body: { amount: 7, idempotencyKey: idem },
      });
      statuses.push(r.status);
      if (r.status !== 503) break;
      expect(r.body.error.code).toBe('unavailable');
    }
    return statuses;
  };

  it('between requests: the next request succeeds or 503s; a retry with the same key lands exactly once', async () => {
    const api = await useApi({ http: true, poolMax: 1 });
    const { id, key } = await api.workspace({ credits: 10_000 });
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      await admin`SELECT pg_terminate_backend(${await pidOf(api.ctx.sql)})`;
      const statuses = await debitUntilDone(api, id, key, `between-${i}`);
      expect(statuses.at(-1)).toBe(201);
      expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
      seen.push(...statuses);
    }
    expect(seen).toContain(503); // the kills were felt, and answered 503 rather than 500
    const [row] = await admin`
      SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys
        FROM journal WHERE workspace_id = ${id} AND kind = 'debit'`;
    expect(row).toEqual({ n: 10, keys: 10 });
    expect((await api.call('GET', `/v1/workspaces/${id}/balance`, { key })).body.total).toBe(10_000 - 10 * 7);
    expect(await verifyLedger(admin, id)).toEqual([]);
  });
});
