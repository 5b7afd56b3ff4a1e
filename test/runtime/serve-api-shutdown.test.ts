import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { connect, type Sql } from '../../ledger/db.js';
import { freePort } from '../../runtime/temporal.js';
import { Service, waitGone } from '../start/support.js';
import { uniqueId } from '../support/db.js';

/**
 * `serve api` (the image's command) on a signal (SIGTERM, SIGINT, SIGHUP): stops accepting at once, answers the requests in
 * flight, exits 0 within 10 s; a second signal forces the exit. The requests are kept in flight
 * by a lock the test holds on their workspace row (every debit takes it), released after the signal.
 */
describe('serve api under load stops without cutting requests', () => {
  const sql: Sql = connect(inject('databaseUrl'), { max: 4 });
  const operatorKey = `op_${randomBytes(12).toString('hex')}`;
  let service: Service | undefined;

  afterEach(async () => {
    await service?.destroy();
    service = undefined;
  });
  afterAll(async () => {
    await sql.end({ timeout: 1 });
  });

  async function serveApi() {
    const port = await freePort();
    service = new Service(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', 'api'], {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      OPERATOR_API_KEY: operatorKey,
      PORT: String(port),
      TEMPORAL_ADDRESS: '',
    });
    await service.waitFor('Credits API listening', 60_000);
    const base = `http://127.0.0.1:${port}`;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const ws = uniqueId('shutdown');
    expect(
      (await call('POST', '/v1/workspaces', { id: ws, name: ws, plan: 'solo', status: 'active' })).status,
    ).toBe(201);
    const grant = await call('POST', `/v1/workspaces/${ws}/grants`, {
      type: 'purchased',
      amount: 1000,
      reason: 'test',
      idempotencyKey: 'grant',
    });
    expect(`${grant.status} ${await grant.text()}`).toMatch(/^201 /);
    return { base, call, ws };
  }

  /** Starts `n` debits that wait on the workspace's row lock, held in a transaction until `release`. */
  async function inFlightDebits(api: Awaited<ReturnType<typeof serveApi>>, n: number) {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = sql.begin(async (tx) => {
      await tx`SELECT id FROM workspaces WHERE id = ${api.ws} FOR UPDATE`;
      locked();
      await released;
    });
    await isLocked;
    const requests = Array.from({ length: n }, (_, i) =>
      api.call('POST', `/v1/workspaces/${api.ws}/debits`, { amount: 1, idempotencyKey: `k${i}` }).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (e: unknown) => ({ status: 0, body: String((e as Error).cause ?? e) }),
      ),
    );
    // The API batches a workspace's debits: one statement waits for the lock inside PostgreSQL,
    // the other requests wait for it in the API.
    const deadline = Date.now() + 20_000;
    for (let waiting = 0; waiting < 1; ) {
      const rows = await sql`SELECT wait_event_type, state, left(query, 60) AS query FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`;
      waiting = rows.filter((r) => r.wait_event_type === 'Lock').length;
      if (Date.now() > deadline) throw new Error(`no debit waits for the lock: ${JSON.stringify(rows)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    return { requests, release, holder };
  }

  // SIGHUP: the terminal it was started from closed.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`${signal}: in-flight requests get their 201, new connections are refused, exit 0 within 10 s`, async () => {
      const api = await serveApi();
      const children = service!.descendants();
      const load = await inFlightDebits(api, 12);
      const sent = Date.now();
      process.kill(service!.pid, signal);
      await service!.waitFor(`${signal}: shutting down`, 5000);
      await new Promise((r) => setTimeout(r, 300));
      const refused = await fetch(`${api.base}/healthz`).then(
        () => 'answered',
        () => 'refused',
      );
      load.release();
      await load.holder;
      const answers = await Promise.all(load.requests);
      const { code } = await service!.exit();
      const tookMs = Date.now() - sent;
      await waitGone(children, 2000);
      expect(refused).toBe('refused');
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
      expect({ code, within10s: tookMs < 10_000 }).toEqual({ code: 0, within10s: true });
      const [row] =
        await sql`SELECT count(*)::int AS n FROM journal WHERE workspace_id = ${api.ws} AND kind = 'debit'`;
      expect(row!.n).toBe(12);
    }, 60_000);
  }

  it('a second signal forces the exit while a request is still stuck', async () => {
    const api = await serveApi();
    const load = await inFlightDebits(api, 1);
    process.kill(service!.pid, 'SIGTERM');
    await service!.waitFor('SIGTERM: shutting down', 5000);
    // A duplicate arriving at once (npm forwarding the terminal's Ctrl-C) does not force.
    process.kill(service!.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 1200));
    expect(service!.running).toBe(true);
    const sent = Date.now();
    process.kill(service!.pid, 'SIGTERM');
    const { code } = await service!.exit();
    expect({ code, fast: Date.now() - sent < 3000 }).toEqual({ code: 1, fast: true });
    expect(service!.output).toContain('forcing the exit');
    load.release();
    await load.holder;
    await Promise.all(load.requests);
  }, 60_000);
});
