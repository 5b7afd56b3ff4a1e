import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, RecordingNotifier, testContext, useTemporal } from '../support/temporal.js';

// Someone who reaches Temporal's port starts subscription and alert workflows with the `temporal`
// CLI, with input of their own (issue 24, Medium 4). Workflows act only on what the ledger backs.
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const recorder = new RecordingNotifier();
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('forged-lifecycle'),
    workflowBundle: temporal.bundle(),
    notifiers: [recorder],
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
});

/** `temporal workflow start` against the test's dev server, as an outsider would run it. */
function cliStart(type: string, workflowId: string, input: unknown): void {
  const run = spawnSync(
    inject('temporalCli'),
    [
      'workflow',
      'start',
      '--address',
      temporal.env().address,
      '--task-queue',
      running.taskQueue,
      '--type',
      type,
      '--workflow-id',
      workflowId,
      '--input',
      JSON.stringify(input),
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
}

async function failed(workflowId: string): Promise<string> {
  const handle = running.client.workflow.getHandle(workflowId);
  return eventually(async () => {
    const d = await handle.describe();
    return d.status.name === 'FAILED' ? d.status.name : null;
  }, 30_000);
}

async function workspace(): Promise<string> {
  const id = uniqueId('victim');
  await ctx.directory.createWorkspace({
    id,
    name: id,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  return id;
}

const credits = async (ws: string) => (await ctx.ledger.balance(ws)).total;

describe.concurrent('lifecycle workflows started directly on Temporal', () => {
  it('a subscription flow with a cycle index the billing anchor does not back grants nothing', async () => {
    const ws = await workspace();
    const id = uniqueId('forged-subscription');
    cliStart('subscriptionWorkflow', id, { workspaceId: ws, nextIndex: 40 });
    expect(await failed(id)).toBe('FAILED');
    expect(await credits(ws)).toBe(0);
  });

  it('a subscription flow handed a made-up cycle to renew grants nothing', async () => {
    const ws = await workspace();
    const id = uniqueId('forged-renewal');
    const start = new Date(Date.now() - 40 * 86_400_000);
    const cycle = {
      index: 0,
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 86_400_000).toISOString(),
      plan: 'solo',
      granted: 0,
      lotIds: ['lot_nothing'],
      reminderAt: null,
    };
    cliStart('subscriptionWorkflow', id, { workspaceId: ws, nextIndex: 0, cycle });
    expect(await failed(id)).toBe('FAILED');
    expect(await credits(ws)).toBe(0);
  });

  it('an alert the ledger never recorded is not delivered', async () => {
    const ws = await workspace();
    const id = uniqueId('forged-alert');
    cliStart('alertWorkflow', id, {
      id: '999999999',
      workspaceId: ws,
      type: 'alert.depleted',
      level: 'depleted',
      threshold: 0,
      balance: 0,
      createdAt: new Date().toISOString(),
    });
    // The workflow logs an undelivered notification and ends; nothing reaches a notifier.
    const handle = running.client.workflow.getHandle(id);
    await handle.result().catch(() => {});
    expect(recorder.of('alert', ws)).toEqual([]);
  });
});
