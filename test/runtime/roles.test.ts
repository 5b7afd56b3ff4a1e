import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { type RunningRole, runRole } from '../../runtime/roles.js';
import { uniqueId } from '../support/db.js';
import { useTemporal } from '../support/temporal.js';

/**
 * Every role is built by the one composition root, so a setting means the same wherever the
 * request arrives. The approval window used to be read by the worker process alone: purchases
 * requested through `npm start` or an API replica got 48 h whatever it said.
 */
describe('the composition root wires every role from the same settings', () => {
  const temporal = useTemporal();
  const running: RunningRole[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const r of running.reverse()) await r.stop();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function role(name: 'start' | 'api', taskQueue: string): Promise<RunningRole> {
    const dataDir = await mkdtemp(join(tmpdir(), 'credits-roles-'));
    dirs.push(dataDir);
    const r = await runRole(
      name,
      loadConfig({
        DATABASE_URL: inject('databaseUrl'),
        OPERATOR_API_KEY: 'op_roles_test_key_0123456789',
        TEMPORAL_ADDRESS: temporal.env().address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        PORT: '0',
        CREDITS_DATA_DIR: dataDir,
        PURCHASE_APPROVAL_WINDOW_SECONDS: '120',
        MAINTENANCE_INTERVAL_SECONDS: '3600',
      }),
      { log: () => {} },
    );
    running.push(r);
    return r;
  }

  async function requestPurchase(r: RunningRole): Promise<{ createdAt: string; approvalDeadline: string }> {
    const base = r.api!.url;
    const headers = {
      authorization: 'Bearer op_roles_test_key_0123456789',
      'content-type': 'application/json',
    };
    const id = uniqueId('roles');
    const created = await fetch(`${base}/v1/workspaces`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        id,
        name: id,
        plan: 'business',
        status: 'active',
        billingAnchor: '2026-11-01T00:00:00Z',
      }),
    });
    expect(created.status).toBe(201);
    const requested = await fetch(`${base}/v1/workspaces/${id}/purchases`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ package: 'small' }),
    });
    expect(requested.status).toBe(201);
    const { id: purchaseId } = (await requested.json()) as { id: string };
    const read = await fetch(`${base}/v1/purchases/${purchaseId}`, { headers });
    return (await read.json()) as { createdAt: string; approvalDeadline: string };
  }

  const windowOf = (p: { createdAt: string; approvalDeadline: string }) =>
    (Date.parse(p.approvalDeadline) - Date.parse(p.createdAt)) / 1000;

  it('serve api: a purchase requested through an API replica gets PURCHASE_APPROVAL_WINDOW_SECONDS', async () => {
    const api = await role('api', `roles-api-${uniqueId()}`);
    expect(api.worker).toBeUndefined();
    expect(windowOf(await requestPurchase(api))).toBe(120);
  }, 60_000);

  it('npm start: the same setting holds for purchases started in the all-in-one process', async () => {
    const start = await role('start', `roles-start-${uniqueId()}`);
    expect(start.worker?.taskQueue).toMatch(/^roles-start-/);
    expect(windowOf(await requestPurchase(start))).toBe(120);
  }, 90_000);
});
