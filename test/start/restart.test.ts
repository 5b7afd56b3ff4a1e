import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../ledger/db.js';
import { embeddedDatabaseUrl } from '../../runtime/embedded-postgres.js';
import { freePort } from '../../runtime/temporal.js';
import { eventually } from '../support/temporal.js';
import { Service, startEnv, stillRunning, waitGone } from './support.js';

const PERIOD_S = 4;

/**
 * `npm start` killed outright (SIGKILL to its process group: npm, node, the embedded PostgreSQL)
 * while a purchase waits for approval and renewals fall due, then started again on the same
 * data folder: the dev server (its own group) died with it, PostgreSQL recovers from its stale pid
 * file, the Temporal history in .data/temporal survives, the purchase completes once when
 * approved, and the renewal that fell due while it was down is granted once.
 */
describe('npm start picks up where it left off after SIGKILL', () => {
  let dataDir = '';
  let service: Service | undefined;
  let sql: Sql | undefined;
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await service?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('approves the waiting purchase once and grants the missed renewal once', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'credits-restart-'));
    const port = await freePort();
    const pgPort = await freePort();
    const operatorKey = 'op_restart_test_key';
    const env = startEnv({
      PORT: String(port),
      CREDITS_DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      OPERATOR_API_KEY: operatorKey,
      SUBSCRIPTION_PERIOD_SECONDS: String(PERIOD_S),
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
    const ws = 'restart';
    expect(
      (await call('POST', '/v1/workspaces', { id: ws, name: 'Restart', plan: 'solo', status: 'active' }))
        .status,
    ).toBe(201);
    expect(
      (await call('POST', `/v1/workspaces/${ws}/members`, { id: 'olga', name: 'Olga', role: 'owner' }))
        .status,
    ).toBe(201);
    const cycles = async () =>
      (
        await sql!`SELECT idempotency_key AS key FROM journal
          WHERE workspace_id = ${ws} AND kind = 'grant' AND idempotency_key LIKE 'cycle:%'`
      ).map((r) => Number(String(r.key).split(':').at(-1)));
    // The subscription runs: its first renewal has happened before the kill.
    await eventually(async () => (await cycles()).length >= 2, 30_000, 'a renewal before the kill');

    const requested = await call('POST', `/v1/workspaces/${ws}/purchases`, {
      package: 'small',
      requestedBy: 'olga',
    });
    expect(requested.status).toBe(201);
    const purchaseId = requested.body.id as string;
    await eventually(
      async () => (await call('GET', `/v1/purchases/${purchaseId}`)).body.status === 'pending_approval',
      20_000,
      'the purchase waiting for approval',
    );

    const before = service.descendants();
    const table = stillRunning(before);
    const devServer = table.find((p) => p.args.includes('server start-dev'))!;
    const postgres = table.find((p) => /bin\/postgres -D/.test(p.args))!;
    expect(devServer && postgres).toBeTruthy();
    const temporalDb = join(dataDir, 'temporal', 'temporal.db');
    const dbSize = statSync(temporalDb).size;

    // Killed outright. PostgreSQL dies with the group; the dev server, in a group of its own, with
    // its parent: left running, it would route the next tasks to the dead worker's sticky queue.
    process.kill(-service.pid, 'SIGKILL');
    await service.exit();
    const killedAt = Date.now();
    sql.end({ timeout: 0 }).catch(() => {});
    sql = undefined;
    await waitGone([postgres.pid, devServer.pid], 5000);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);
    // Down for more than two periods: renewals fall due meanwhile.
    await new Promise((r) => setTimeout(r, 2.5 * PERIOD_S * 1000));

    service = new Service('npm', ['start'], env);
    await service.waitFor('Press Ctrl-C to stop.');
    expect(service.output).not.toContain('Stopping the Temporal dev server');
    expect(statSync(temporalDb).size).toBeGreaterThanOrEqual(dbSize);
    sql = connect(embeddedDatabaseUrl(pgPort), { max: 2 });

    // The purchase workflow survived in .data/temporal: it still waits, and completes once.
    expect((await call('GET', `/v1/purchases/${purchaseId}`)).body.status).toBe('pending_approval');
    const approved = await call('POST', `/v1/purchases/${purchaseId}/approve`, { by: 'olga' });
    expect(approved.status).toBe(200);
    await eventually(
      async () => (await call('GET', `/v1/purchases/${purchaseId}`)).body.status === 'completed',
      30_000,
      'the purchase completed',
    );
    const [invoices] = await sql`SELECT count(*)::int AS n FROM invoices WHERE purchase_id = ${purchaseId}`;
    const [purchased] =
      await sql`SELECT count(*)::int AS n FROM lots WHERE workspace_id = ${ws} AND type = 'purchased'`;
    expect({ invoices: invoices!.n, lots: purchased!.n }).toEqual({ invoices: 1, lots: 1 });

    // The renewal due while it was down: the cycle running now is granted, once, and every cycle
    // at most once (a renewal grants the current cycle; the ones missed entirely are skipped).
    const [{ anchor }] =
      (await sql`SELECT billing_anchor AS anchor FROM workspaces WHERE id = ${ws}`) as unknown as [
        { anchor: Date },
      ];
    const indexAt = (t: number) => Math.floor((t - anchor.getTime()) / (PERIOD_S * 1000));
    const restartedIndex = indexAt(Date.now());
    const granted = await eventually(
      async () => {
        const c = await cycles();
        return c.some((i) => i >= restartedIndex) ? c : null;
      },
      30_000,
      'the renewal after the restart',
    );
    expect(new Set(granted).size).toBe(granted.length);
    expect(granted.some((i) => i > indexAt(killedAt))).toBe(true);
    const [subscriptionLots] = await sql`SELECT count(*)::int AS n FROM lots
      WHERE workspace_id = ${ws} AND type = 'subscription'`;
    expect(subscriptionLots!.n).toBe(granted.length);

    const children = service.descendants();
    process.kill(service.pid, 'SIGTERM');
    expect((await service.exit()).code).toBe(0);
    await waitGone(children, 10_000);
    service = undefined;
  }, 300_000);
});
