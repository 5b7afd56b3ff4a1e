import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { afterAll, expect, inject } from 'vitest';
import { type CreatedApp, createApp } from '../../integrations/api/app.js';
import type { ApiContext } from '../../integrations/api/context.js';
import { type ApiServer, startApiServer } from '../../integrations/api/server.js';
import type { Sql } from '../../ledger/db.js';
import { createContext } from '../../runtime/context.js';
import { uniqueId } from '../support/db.js';
import { ContractValidator } from './contract-validator.js';

// biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  /** Sent as-is instead of JSON.stringify(body). */
  raw?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

export interface Api {
  /** The API's context, plus the connection the tests inspect the database with. */
  ctx: ApiContext & { sql: Sql };
  operatorKey: string;
  app: CreatedApp;
  /** Checks every reply of `call` against the served /openapi.json; a reply that does not match fails the call. */
  contract: ContractValidator;
  /** Base URL when served over HTTP, else null (requests go through app.request()). */
  url: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
  /** A workspace with a plan, a workspace API key and optional starting credits. */
  workspace(opts?: { credits?: number; plan?: string }): Promise<{ id: string; key: string }>;
}

/** The API over the run's test database with the real default catalog; closed after the file. */
export async function useApi(
  opts: { http?: boolean; ctx?: Partial<ApiContext>; poolMax?: number } = {},
): Promise<Api> {
  const operatorKey = `op_${randomBytes(16).toString('hex')}`;
  const base = createContext({ databaseUrl: inject('databaseUrl'), poolMax: opts.poolMax });
  const ctx: ApiContext & { sql: Sql } = { ...base, operatorKey, ...opts.ctx };
  const app = createApp(ctx);
  let server: ApiServer | null = null;
  const testFile = basename(expect.getState().testPath ?? 'unknown');
  let contract: ContractValidator | undefined;
  // Registered before the first await: a suite that calls useApi() without awaiting it still closes.
  afterAll(async () => {
    if (contract) {
      console.log(
        `[contract] ${testFile}: ${contract.counts.validated} responses validated against /openapi.json (${contract.counts.outside} outside it)`,
      );
    }
    await server?.close();
    await base.close();
  });
  if (opts.http) server = await startApiServer({ ctx, port: 0, host: '127.0.0.1' });
  contract = new ContractValidator(await (await app.request('/openapi.json')).json());
  const validator = contract;

  const call = async <T>(method: string, path: string, o: CallOptions = {}): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? operatorKey : o.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && o.contentType !== null)
      headers['content-type'] = o.contentType ?? 'application/json';
    const init = { method, headers, body };
    const res = server ? await fetch(`${server.url}${path}`, init) : await app.request(path, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics)
    }
    const problems = validator.check({
      method,
      path,
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: parsed,
      text,
    });
    if (problems.length > 0)
      throw new Error(`response does not match /openapi.json:\n  ${problems.join('\n  ')}`);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };

  const api: Api = {
    ctx,
    operatorKey,
    app,
    contract: validator,
    url: server?.url ?? null,
    call,
    async workspace(w = {}) {
      const id = uniqueId('api');
      const created = await call('POST', '/v1/workspaces', {
        body: {
          id,
          name: `Test ${id}`,
          plan: w.plan ?? 'solo',
          status: 'active',
          billingAnchor: '2026-01-01T00:00:00Z',
        },
      });
      if (created.status !== 201) throw new Error(`workspace: ${created.status} ${created.text}`);
      if (w.credits) {
        const g = await call('POST', `/v1/workspaces/${id}/grants`, {
          body: { type: 'purchased', amount: w.credits, reason: 'test credits', idempotencyKey: 'seed' },
        });
        if (g.status !== 201) throw new Error(`grant: ${g.status} ${g.text}`);
      }
      const k = await call<{ key: string }>('POST', `/v1/workspaces/${id}/api-keys`, {
        body: { name: 'test' },
      });
      if (k.status !== 201) throw new Error(`key: ${k.status} ${k.text}`);
      return { id, key: k.body.key };
    },
  };
  return api;
}

/**
 * Row counts of the given workspaces that any write would change, for "the database is unchanged"
 * checks (scoped, because other test files write to the same database at the same time).
 */
export async function snapshot(sql: Sql, workspaces: string[]): Promise<Record<string, number>> {
  const [row] = await sql`
    SELECT (SELECT count(*) FROM journal WHERE workspace_id = ANY(${workspaces}))::int AS journal,
           (SELECT count(*) FROM journal_lots jl JOIN journal j ON j.id = jl.entry_id
             WHERE j.workspace_id = ANY(${workspaces}))::int AS journal_lots,
           (SELECT count(*) FROM lots WHERE workspace_id = ANY(${workspaces}))::int AS lots,
           (SELECT coalesce(sum(remaining), 0) FROM lots WHERE workspace_id = ANY(${workspaces}))::bigint AS remaining,
           (SELECT count(*) FROM holds WHERE workspace_id = ANY(${workspaces}))::int AS holds,
           (SELECT count(*) FROM idempotency_keys WHERE workspace_id = ANY(${workspaces}))::int AS idempotency_keys,
           (SELECT count(*) FROM workspaces WHERE id = ANY(${workspaces}))::int AS workspaces,
           (SELECT count(*) FROM members WHERE workspace_id = ANY(${workspaces}))::int AS members,
           (SELECT count(*) FROM api_keys WHERE workspace_id = ANY(${workspaces}))::int AS api_keys,
           (SELECT count(*) FROM chat_links WHERE workspace_id = ANY(${workspaces}))::int AS chat_links,
           (SELECT md5(coalesce(string_agg(settings::text || plan || status || name, ',' ORDER BY id), ''))
              FROM workspaces WHERE id = ANY(${workspaces})) AS workspace_rows`;
  return row as Record<string, number>;
}

/** Field names of a 400's `details.fields`. */
export function fields(reply: Reply): string[] {
  return ((reply.body?.error?.details?.fields ?? []) as { field: string }[]).map((f) => f.field);
}
