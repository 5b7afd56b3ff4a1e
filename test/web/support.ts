import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { type RunningRole, runRole } from '../../runtime/roles.js';
import { uniqueId } from '../support/db.js';

export const OPERATOR = 'op_web_console_test_key_0123456789';

/** A page server on its own origin (a host product's page, or an attacker's). */
export async function pageServer(
  body: (origin: string) => string,
): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body(origin));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Console {
  base: string;
  role: RunningRole;
  // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
  call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any }>;
  /** A workspace with an owner, a member and a viewer, credits and some usage. */
  workspace(): Promise<{ id: string }>;
  loginLink(ws: string, memberId: string): Promise<string>;
  stop(): Promise<void>;
}

/** `credits start`'s composition on the test database and the Temporal dev server: API, worker, console. */
export async function startConsole(temporalAddress: string, embedOrigins: string[]): Promise<Console> {
  const dataDir = await mkdtemp(join(tmpdir(), 'credits-web-'));
  const role = await runRole(
    'start',
    loadConfig({
      DATABASE_URL: inject('databaseUrl'),
      OPERATOR_API_KEY: OPERATOR,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: `web-${uniqueId()}`,
      PORT: '0',
      CREDITS_DATA_DIR: dataDir,
      EMBED_ORIGINS: embedOrigins.join(','),
      MAINTENANCE_INTERVAL_SECONDS: '3600',
    }),
    { log: () => {} },
  );
  const base = role.api!.url;
  const call: Console['call'] = async (method, path, body, key = OPERATOR) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const must = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    base,
    role,
    call,
    async workspace() {
      const id = uniqueId('web');
      await must('POST', '/v1/workspaces', {
        id,
        name: `Studio ${id.slice(-4)}`,
        plan: 'business',
        status: 'active',
        billingAnchor: new Date().toISOString(),
      });
      for (const [mid, name, r] of [
        ['olga', 'Olga Owner', 'owner'],
        ['sam', 'Sam Member', 'member'],
        ['vic', 'Vic Viewer', 'viewer'],
      ]) {
        await must('POST', `/v1/workspaces/${id}/members`, { id: mid, name, role: r });
      }
      await must('POST', `/v1/workspaces/${id}/grants`, {
        type: 'promotional',
        amount: 500,
        expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        reason: 'launch promo',
        idempotencyKey: `promo-${id}`,
      });
      const operations = ['background-removal', 'outline'];
      for (let i = 0; i < 4; i++) {
        await must('POST', `/v1/workspaces/${id}/debits`, {
          operation: operations[i % 2],
          idempotencyKey: `use-${id}-${i}`,
          actor: i % 2 ? 'member:sam' : 'member:olga',
        });
      }
      return { id };
    },
    async loginLink(ws, memberId) {
      const r = await must('POST', `/v1/workspaces/${ws}/login-links`, { memberId });
      return r.url as string;
    },
    async stop() {
      await role.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
