import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../ledger/db.js';
import { embeddedDatabaseUrl } from '../../runtime/embedded-postgres.js';
import { freePort } from '../../runtime/temporal.js';
import { eventually } from '../support/temporal.js';
import { Service, startEnv, stillRunning, waitGone } from './support.js';

/**
 * The Temporal dev server of `npm start` killed outright (SIGKILL to it alone) while a purchase
 * waits for approval: an approval meanwhile is refused without being recorded, `npm start` still
 * stops on SIGTERM, and started again on the same data folder it finds the purchase where it was;
 * approved then, it is charged once and granted once.
 */
describe('npm start after its Temporal dev server was killed mid-purchase', () => {
  let dataDir = '';
  let service: Service | undefined;
  let sql: Sql | undefined;
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await service?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('completes the purchase once after a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credits-devkill-'));
    const port = await freePort();
    const pgPort = await freePort();
    const operatorKey = 'op_dev_server_kill_key';
    const env = startEnv({
      PORT: String(port),
      CREDITS_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      OPERATOR_API_KEY: operatorKey,
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
      return { status: r.status, body: (await r.json()) as any };
    };

    service = new Service('npm', ['start'], env);
    await service.waitFor('Press Ctrl-C to stop.');
    sql = connect(embeddedDatabaseUrl(pgPort), { max: 2 });
    const ws = 'devkill';
    expect(
      (await call('POST', '/v1/workspaces', { id: ws, name: 'Dev kill', plan: 'solo', status: 'active' }))
        .status,
    ).toBe(201);
    expect(
      (await call('POST', `/v1/workspaces/${ws}/members`, { id: 'olga', name: 'Olga', role: 'owner' }))
        .status,
    ).toBe(201);
    const requested = await call('POST', `/v1/workspaces/${ws}/purchases`, {
      package: 'small',
      requestedBy: 'olga',
    });
    expect(requested.status).toBe(201);
    const purchaseId = requested.body.id as string;
    await eventually(
      async () => (await call('GET', `/v1/purchases/${purchaseId}`)).body.status === 'pending_approval',
      30_000,
      'the purchase waiting for approval',
    );

    const devServer = stillRunning(service.descendants()).find((p) => p.args.includes('server start-dev'));
    expect(devServer).toBeTruthy();
    process.kill(devServer!.pid, 'SIGKILL');
    await waitGone([devServer!.pid], 5000);

    // Temporal is gone: the approval cannot reach the purchase flow, so it is refused and nothing
    // is recorded as decided.
    const whileDown = await call('POST', `/v1/purchases/${purchaseId}/approve`, { by: 'olga' });
    expect(whileDown.status).toBeGreaterThanOrEqual(500);
    expect(whileDown.body.error?.code).toBeTruthy();
    const [row] = await sql`SELECT status FROM purchases WHERE id = ${purchaseId}`;
    expect(row!.status).toBe('pending_approval');

    // npm start still stops cleanly without its Temporal server.
    const children = service.descendants();
    process.kill(service.pid, 'SIGTERM');
    expect((await service.exit()).code).toBe(0);
    await waitGone(children, 30_000);
    sql.end({ timeout: 0 }).catch(() => {});

    service = new Service('npm', ['start'], env);
    await service.waitFor('Press Ctrl-C to stop.');
    sql = connect(embeddedDatabaseUrl(pgPort), { max: 2 });
    expect((await call('GET', `/v1/purchases/${purchaseId}`)).body.status).toBe('pending_approval');
    const approved = await call('POST', `/v1/purchases/${purchaseId}/approve`, { by: 'olga' });
    expect(approved.status).toBe(200);
    await eventually(
      async () => (await call('GET', `/v1/purchases/${purchaseId}`)).body.status === 'completed',
      60_000,
      'the purchase completed',
    );
    const [invoices] = await sql`SELECT count(*)::int AS n FROM invoices WHERE purchase_id = ${purchaseId}`;
    const [grants] = await sql`SELECT count(*)::int AS n FROM journal
      WHERE kind = 'grant' AND idempotency_key = ${`purchase:${purchaseId}`}`;
    expect({ invoices: invoices!.n, grants: grants!.n }).toEqual({ invoices: 1, grants: 1 });

    const after = service.descendants();
    process.kill(service.pid, 'SIGTERM');
    expect((await service.exit()).code).toBe(0);
    await waitGone(after, 10_000);
    service = undefined;
  }, 400_000);
});
