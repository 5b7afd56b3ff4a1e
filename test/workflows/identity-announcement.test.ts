import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification, Notifier } from '../../application/notifications.js';
import { createApp } from '../../integrations/api/app.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';

const OPERATOR = 'op_identity_announce_0123456789';
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const seen: Notification[] = [];
const recorder: Notifier = {
  name: 'recorder',
  async send(n) {
    seen.push(n);
  },
};
let running: RunningWorker;
let taskQueue: string;

beforeAll(async () => {
  taskQueue = uniqueId('identity-announce');
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue,
    workflowBundle: temporal.bundle(),
    maintenanceEveryMs: null,
    dispatchAlerts: false,
    notifiers: [recorder],
  });
});
afterAll(async () => {
  await running?.stop();
});

/**
 * Issue 24, High 1: a change of a member's chat identity is announced in the workspace's linked
 * channels (every notifier: Slack, Discord, the log), so a takeover of an owner's chat account
 * is seen by the workspace, not only in the audit log.
 */
describe('a chat identity change is announced', () => {
  it('relinking a member through the API notifies the workspace, as the audit log recorded it', async () => {
    const app = createApp({ ...ctx, operatorKey: OPERATOR, lifecycle: running.hooks });
    const post = (path: string, body: unknown) =>
      app.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPERATOR}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ws = uniqueId('announce');
    expect((await post('/v1/workspaces', { id: ws, name: ws, plan: 'solo', status: 'active' })).status).toBe(
      201,
    );
    const olga = { id: 'olga', name: 'Olga', role: 'owner', slackUserId: 'UOLGA' };
    expect((await post(`/v1/workspaces/${ws}/members`, olga)).status).toBe(201);
    // The name changes alone: nothing to announce.
    expect((await post(`/v1/workspaces/${ws}/members`, { ...olga, name: 'Olga K' })).status).toBe(201);
    expect((await post(`/v1/workspaces/${ws}/members`, { ...olga, slackUserId: 'UNEW' })).status).toBe(201);
    const announced = await eventually(
      async () => seen.find((n) => n.workspaceId === ws),
      20_000,
      'identity change announced',
    );
    expect(announced).toMatchObject({
      kind: 'member_identity_changed',
      memberId: 'olga',
      actor: 'operator',
      channel: 'api',
      before: { slackUserId: 'UOLGA', discordUserId: null },
      after: { slackUserId: 'UNEW', discordUserId: null },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((n) => n.workspaceId === ws)).toHaveLength(1);
  });

  it('a forged identityChangeWorkflow (no such change in the audit log) announces nothing', async () => {
    const ws = uniqueId('forged-announce');
    await ctx.directory.createWorkspace({ id: ws, name: ws, plan: 'solo', status: 'active' });
    const added = await ctx.ledger.changes.saveMember(
      ws,
      { id: 'mal', name: 'Mal', role: 'member', slackUserId: 'UMAL' },
      { actor: 'operator', channel: 'api' },
    );
    expect(added.identityChange).toBeNull();
    const [entry] = await sql`SELECT id FROM audit_log WHERE workspace_id = ${ws} ORDER BY id DESC LIMIT 1`;
    for (const auditId of ['99999999999', String(entry!.id), 'not-a-number']) {
      await expect(
        temporal.env().client.workflow.execute('identityChangeWorkflow', {
          workflowId: uniqueId('forged'),
          taskQueue,
          args: [{ workspaceId: ws, auditId }],
        }),
      ).rejects.toThrow();
    }
    expect(seen.filter((n) => n.workspaceId === ws)).toEqual([]);
  });
});
