import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../integrations/api/app.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { testContext, useTemporal } from '../support/temporal.js';

const OPERATOR = 'op_purchase_requests_0123456789';
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('purchase-requests'),
    workflowBundle: temporal.bundle(),
    maintenanceEveryMs: null,
    dispatchAlerts: false,
    purchasePendingLimit: 2,
  });
});
afterAll(async () => {
  await running?.stop();
});

/**
 * Issue 24, Low 9: a key with purchases:request made 40 pending purchases in 2.5 s, and a replayed
 * request made another each time. Now: one pending purchase per package, a cap per workspace, and
 * an idempotency key that answers the first purchase.
 */
describe('purchase requests: one pending per package, a cap, idempotency', () => {
  const app = () => createApp({ ...ctx, operatorKey: OPERATOR, purchases: running.purchases });
  async function call(path: string, key: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await app().request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  }
  async function workspace() {
    const ws = uniqueId('requests');
    const made = await call('/v1/workspaces', OPERATOR, {
      id: ws,
      name: ws,
      plan: 'business',
      status: 'active',
    });
    expect(made.status).toBe(201);
    const key = (
      await call(`/v1/workspaces/${ws}/api-keys`, OPERATOR, { name: 'n8n', scopes: ['purchases:request'] })
    ).body.key as string;
    const pending = async () =>
      Number(
        (
          await sql`SELECT count(*)::int AS n FROM purchases WHERE workspace_id = ${ws} AND status = 'pending_approval'`
        )[0]!.n,
      );
    return {
      ws,
      key,
      pending,
      request: (body: unknown, h?: Record<string, string>) =>
        call(`/v1/workspaces/${ws}/purchases`, key, body, h),
    };
  }

  it('a second pending request of a package is a 409 naming the first, also when sent at once', async () => {
    const { request, pending } = await workspace();
    const first = await request({ package: 'small' });
    expect(first.status).toBe(201);
    const again = await request({ package: 'small' });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ reason: 'purchase_pending', id: first.body.id });
    const burst = await Promise.all(Array.from({ length: 8 }, () => request({ package: 'medium' })));
    expect(burst.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await pending()).toBe(2);
  });

  it('past the cap (PURCHASE_PENDING_LIMIT, 2 here) a request is a 409 saying how many wait', async () => {
    const { request, pending } = await workspace();
    expect((await request({ package: 'small' })).status).toBe(201);
    expect((await request({ package: 'medium' })).status).toBe(201);
    const third = await request({ package: 'large' });
    expect(third.status).toBe(409);
    expect(third.body.error.details).toMatchObject({ reason: 'too_many_pending_purchases', pending: 2 });
    expect(await pending()).toBe(2);
  });

  it('an Idempotency-Key (or body idempotencyKey) answers the first purchase; another request with it is a 409', async () => {
    const { request, pending } = await workspace();
    const first = await request({ package: 'small' }, { 'Idempotency-Key': 'topup-1' });
    expect(first.status).toBe(201);
    const replay = await request({ package: 'small' }, { 'Idempotency-Key': 'topup-1' });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    const inBody = await request({ package: 'small', idempotencyKey: 'topup-1' });
    expect(inBody.status).toBe(200);
    expect(inBody.body.id).toBe(first.body.id);
    const reused = await request({ package: 'medium', idempotencyKey: 'topup-1' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.details.reason).toBe('idempotency_key_reused');
    const mismatch = await request({ package: 'small', idempotencyKey: 'a' }, { 'Idempotency-Key': 'b' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.details.fields[0].field).toBe('idempotencyKey');
    expect(await pending()).toBe(1);
  });
});
