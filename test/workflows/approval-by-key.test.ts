import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../integrations/api/app.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';

const OPERATOR = 'op_approval_by_key_0123456789';
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('approval-by-key'),
    workflowBundle: temporal.bundle(),
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
});

/**
 * The whole flow on the real dev server, through the API: an automation's key requests, the
 * owner's member-bound key approves, the workflow charges and grants once, and the purchase and
 * the audit log say who decided and through which channel.
 */
describe('a purchase approved by a member-bound key, end to end', () => {
  it('requests with a spend key, is refused to it, approved by the owner’s key, charged and granted once', async () => {
    const app = createApp({ ...ctx, operatorKey: OPERATOR, purchases: running.purchases });
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // biome-ignore lint/suspicious/noExplicitAny: replies are read loosely in tests
      return { status: res.status, body: (await res.json()) as any };
    };
    const ws = uniqueId('approve');
    expect(
      (
        await call('POST', '/v1/workspaces', OPERATOR, {
          id: ws,
          name: ws,
          plan: 'business',
          status: 'active',
        })
      ).status,
    ).toBe(201);
    await call('POST', `/v1/workspaces/${ws}/members`, OPERATOR, {
      id: 'olivia',
      name: 'Olivia',
      role: 'owner',
    });
    const automation = (
      await call('POST', `/v1/workspaces/${ws}/api-keys`, OPERATOR, {
        name: 'n8n',
        scopes: ['balance:read', 'credits:spend', 'purchases:request'],
      })
    ).body.key;
    const owner = (
      await call('POST', `/v1/workspaces/${ws}/api-keys`, OPERATOR, {
        name: 'olivia approves',
        scopes: ['balance:read', 'purchases:approve'],
        memberId: 'olivia',
      })
    ).body.key;

    const requested = await call('POST', `/v1/workspaces/${ws}/purchases`, automation, { package: 'medium' });
    expect(requested.status).toBe(201);
    const id = requested.body.id as string;
    // The automation that asked may not approve its own request, whoever it names.
    const selfApproval = await call('POST', `/v1/purchases/${id}/approve`, automation, { by: 'olivia' });
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.error.details.missingScope).toBe('purchases:approve');

    const approved = await call('POST', `/v1/purchases/${id}/approve`, owner, {});
    expect(approved.status).toBe(200);
    expect(approved.body.decidedBy).toBe('olivia');
    const done = await eventually(async () => {
      const p = await call('GET', `/v1/purchases/${id}`, automation);
      return p.body.status === 'completed' ? p.body : null;
    }, 20_000);
    expect(done).toMatchObject({
      decidedBy: 'olivia',
      decidedVia: 'api',
      requestedBy: expect.stringMatching(/^key:/),
      credits: 5000,
    });
    const balance = await call('GET', `/v1/workspaces/${ws}/balance`, automation);
    expect(balance.body.byType.purchased).toBe(5000);
    const [row] = await sql`SELECT count(*)::int AS invoices FROM invoices WHERE workspace_id = ${ws}`;
    expect(row?.invoices).toBe(1);
    const audit = await call('GET', `/v1/workspaces/${ws}/audit?action=purchase.approved`, OPERATOR);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actor: expect.stringMatching(/^key:key_/),
        channel: 'api',
        target: id,
        after: expect.objectContaining({ decidedBy: 'olivia' }),
      }),
    ]);
  }, 60_000);
});
