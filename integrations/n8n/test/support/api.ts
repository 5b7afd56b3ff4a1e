/**
 * The real Credits HTTP API on a real PostgreSQL, for the node's tests: a throw-away database
 * (credits_n8n_test_<random>), migrated, served in-process on a free port, dropped afterwards.
 * With `{ temporal: true }` it also starts a Temporal dev server and the worker, so purchases run
 * their real approval → payment → grant flow; without it the API answers purchases with 503.
 */
import { randomBytes } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { connect } from '../../../../ledger/db.js';
import { migrate } from '../../../../ledger/migrate.js';
import { createContext } from '../../../../runtime/context.js';
import { type RunningWorker, startWorker } from '../../../../runtime/roles/worker.js';
import { provisionTemporalCli } from '../../../../runtime/temporal-provision.js';
import { ContractValidator } from '../../../../test/api/contract-validator.js';
import { quietRuntime } from '../../../../test/support/temporal.js';
import { bundleWorkflows } from '../../../../workflows/worker.js';
import { type ApiServer, startApiServer } from '../../../api/server.js';

/** What every workspace key of these tests may do (the node's operations need these). */
export const NODE_SCOPES = ['balance:read', 'credits:spend', 'credits:reverse', 'purchases:request'];

export interface TestApi {
  url: string;
  databaseUrl: string;
  operatorKey: string;
  operator<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /**
   * A new active workspace with `credits` promotional credits, an owner member `owner`, and a
   * workspace API key with `scopes` (default NODE_SCOPES).
   */
  workspace(credits: number, scopes?: string[]): Promise<{ workspaceId: string; apiKey: string }>;
  close(): Promise<void>;
}

export async function startTestApi(options: { temporal?: boolean } = {}): Promise<TestApi> {
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `credits_n8n_test_${randomBytes(4).toString('hex')}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();

  const adminSql = connect(admin, { max: 1 });
  await adminSql.unsafe(`CREATE DATABASE ${name}`);
  const migrateSql = connect(databaseUrl, { max: 1 });
  await migrate(migrateSql);
  await migrateSql.end();

  const operatorKey = `op_${randomBytes(12).toString('hex')}`;
  const ctx = createContext({ databaseUrl, poolMax: 5 });
  let temporal: TestWorkflowEnvironment | undefined;
  let worker: RunningWorker | undefined;
  if (options.temporal) {
    const [env, workflowBundle] = await Promise.all([startTemporal(), bundleWorkflows()]);
    temporal = env;
    worker = await startWorker(ctx, {
      connection: env.nativeConnection,
      client: env.client,
      taskQueue: `n8n-${randomBytes(4).toString('hex')}`,
      workflowBundle,
      maintenanceEveryMs: null,
      dispatchAlerts: false,
    });
  }
  // Every answer the node gets is checked against the API's /openapi.json (as a Prism proxy would);
  // close() fails the file when one did not match.
  let contract: ContractValidator | undefined;
  const problems: string[] = [];
  const validated = getRequestListener(async (request) => {
    const response = await server.app.fetch(request);
    contract ??= new ContractValidator(await (await server.app.request('/openapi.json')).json());
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    const url = new URL(request.url);
    problems.push(
      ...contract.check({
        method: request.method,
        path: url.pathname,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body,
        text,
      }),
    );
    return response;
  });
  const server: ApiServer = await startApiServer({
    ctx: { ...ctx, operatorKey, purchases: worker?.purchases },
    port: 0,
    host: '127.0.0.1',
    mounts: [{ path: '/', listener: (req, res) => void validated(req, res) }],
  });

  async function operator<T>(method: string, path: string, body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  return {
    url: server.url,
    databaseUrl,
    operatorKey,
    operator,
    async workspace(credits: number, scopes = NODE_SCOPES) {
      const workspaceId = `n8n-${randomBytes(4).toString('hex')}`;
      const created = await operator('POST', '/v1/workspaces', {
        id: workspaceId,
        name: workspaceId,
        plan: 'solo',
        status: 'active',
        billingAnchor: '2026-11-01T00:00:00Z',
      });
      if (created.status !== 201) throw new Error(`create workspace: ${JSON.stringify(created)}`);
      const owner = await operator('POST', `/v1/workspaces/${workspaceId}/members`, {
        id: 'owner',
        name: 'Owner',
        role: 'owner',
      });
      if (owner.status !== 201) throw new Error(`owner: ${JSON.stringify(owner)}`);
      if (credits > 0) {
        const grant = await operator('POST', `/v1/workspaces/${workspaceId}/grants`, {
          type: 'promotional',
          amount: credits,
          reason: 'n8n node tests',
          idempotencyKey: `grant-${workspaceId}`,
        });
        if (grant.status !== 201) throw new Error(`grant: ${JSON.stringify(grant)}`);
      }
      // The scopes the node's operations need (a key made without scopes could not reverse).
      const key = await operator<{ key: string }>('POST', `/v1/workspaces/${workspaceId}/api-keys`, {
        name: 'n8n',
        scopes,
      });
      if (key.status !== 201) throw new Error(`api key: ${JSON.stringify(key)}`);
      return { workspaceId, apiKey: key.body.key };
    },
    async close() {
      console.log(
        `[contract] n8n: ${contract?.counts.validated ?? 0} responses validated against /openapi.json (${contract?.counts.outside ?? 0} outside it)`,
      );
      await server.close();
      await worker?.stop();
      await temporal?.teardown();
      await ctx.close();
      await adminSql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminSql.end();
      if (problems.length > 0) {
        throw new Error(`responses that do not match /openapi.json:\n  ${problems.join('\n  ')}`);
      }
    },
  };
}

/** A Temporal dev server from the same CLI `npm start` uses (TEMPORAL_CLI or .tools/bin). */
async function startTemporal(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: await provisionTemporalCli({ env: process.env }) },
      ip: '127.0.0.1',
      log: { format: 'pretty', level: 'error' },
    },
  });
}
