import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionStatus } from '../../ledger/types.js';
import { startWorker } from '../../runtime/roles/worker.js';
import { requireTemporalCli } from '../../runtime/temporal.js';
import { createLifecycleHooks, subscriptionWorkflowId } from '../../workflows/client.js';
import type { maintenanceWorkflow } from '../../workflows/expiry/workflows.js';
import { PaymentDeclinedError } from '../../workflows/purchase/payment.js';
import { bundleWorkflows } from '../../workflows/worker.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import {
  eventually,
  historyFromSavedJSON,
  quietRuntime,
  RecordingNotifier,
  startTestTemporal,
  testContext,
} from '../support/temporal.js';

const root = fileURLToPath(new URL('../../workflows/', import.meta.url));
const ideas = ['subscription', 'purchase', 'alerts', 'expiry', 'digest'];
const sql = useTestDatabase();

function savedHistories(): { workflowId: string; file: string; history: unknown }[] {
  const out: { workflowId: string; file: string; history: unknown }[] = [];
  for (const idea of ideas) {
    const dir = join(root, idea, 'histories');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      continue;
    }
    for (const f of files) {
      out.push({
        workflowId: `${idea}/${f}`,
        file: join(dir, f),
        history: historyFromSavedJSON(JSON.parse(readFileSync(join(dir, f), 'utf8'))),
      });
    }
  }
  return out;
}

/**
 * Recorded histories of every workflow replay against today's code without non-determinism.
 * `RECORD_HISTORIES=1 npx vitest run test/workflows/replay.test.ts` records them again from
 * real runs on the dev server (do it when a workflow changes on purpose, with a patch()). Keep
 * the histories of the path before the patch, renamed `before-<patch id>-<name>.json` (e.g. the
 * purchase's `before-terms-from-database-*`), so runs in flight keep replaying; restore the
 * histories of the workflows that did not change (`git checkout` them) to keep the diff honest.
 */
describe('workflow histories', () => {
  beforeAll(async () => {
    if (process.env.RECORD_HISTORIES === '1') await recordAll();
  }, 120_000);

  it('replay without non-determinism errors', async () => {
    quietRuntime();
    const histories = savedHistories();
    for (const idea of ideas) {
      expect(
        histories.some((h) => h.workflowId.startsWith(`${idea}/`)),
        `a recorded history of ${idea}`,
      ).toBe(true);
    }
    const results = Worker.runReplayHistories(
      { workflowBundle: await bundleWorkflows() },
      histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
    );
    const failures: string[] = [];
    let count = 0;
    for await (const r of results) {
      count++;
      if (r.error) failures.push(`${r.workflowId}: ${r.error}`);
    }
    expect(failures).toEqual([]);
    expect(count).toBe(histories.length);
  }, 60_000);
});

let address = '';

/** Exports a history the way `temporal workflow show --output json` does (the format replay reads). */
async function save(idea: string, name: string, handle: WorkflowHandle) {
  const dir = join(root, idea, 'histories');
  mkdirSync(dir, { recursive: true });
  const runId = (handle as { runId?: string }).runId ?? (await handle.describe()).runId;
  const json = execFileSync(
    requireTemporalCli(process.env),
    [
      'workflow',
      'show',
      '--address',
      address,
      '--workflow-id',
      handle.workflowId,
      '--run-id',
      runId,
      '--output',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(JSON.parse(json), null, 1)}\n`);
}

async function recordAll() {
  const env = await startTestTemporal();
  address = env.address;
  const period = 1500;
  const ctx = testContext(sql, { cyclePeriodMs: period });
  const notifier = new RecordingNotifier();
  const running = await startWorker(ctx, {
    connection: env.nativeConnection,
    client: env.client,
    taskQueue: uniqueId('record'),
    workflowBundle: await bundleWorkflows(),
    notifiers: [notifier],
    payments: {
      name: 'record',
      charge: async (i) => {
        if (i.workspaceId.startsWith('broke')) throw new PaymentDeclinedError('card declined');
        return { status: 'succeeded', paymentId: `pay_${i.purchaseId}` };
      },
      refund: async (i) => ({ refundId: `re_${i.idempotencyKey}` }),
    },
    approvalWindowMs: 1500,
    timing: { periodMs: period, reminderBeforeMs: 500, cyclesPerRun: 2 },
    maintenanceEveryMs: null,
  });
  ctx.onBalanceChange((c) => running.onBalanceChange(c));
  const client: Client = running.client;
  const hooks = createLifecycleHooks({ client, taskQueue: running.taskQueue });
  const create = async (plan: string, status: SubscriptionStatus, prefix = 'ws') => {
    const id = uniqueId(prefix);
    const ws = await ctx.directory.createWorkspace({ id, name: id, plan, status, billingAnchor: new Date() });
    await ctx.directory.addMember(id, { id: 'olivia', name: 'Olivia', role: 'owner' });
    await hooks.onWorkspaceCreated(ws);
    return id;
  };
  const update = async (id: string, patch: { plan?: string; status?: SubscriptionStatus }) =>
    hooks.onWorkspaceUpdated(await ctx.directory.updateWorkspace(id, patch), patch);
  try {
    // Subscription: cycles, reminder, an immediate plan change, continue-as-new, then cancel.
    const sub = await create('solo', 'active');
    const handle = client.workflow.getHandle(subscriptionWorkflowId(sub));
    const firstRun = (await handle.describe()).runId;
    await new Promise((r) => setTimeout(r, 700));
    await update(sub, { plan: 'pro-now' });
    await eventually(
      async () => (await handle.describe()).runId !== firstRun,
      10_000,
      'continue-as-new',
    ).catch(async (err) => {
      const h = await handle.fetchHistory();
      console.log(
        JSON.stringify(
          h.events?.map((e) => [
            e.eventType,
            e.workflowTaskFailedEventAttributes?.failure?.message ??
              e.activityTaskFailedEventAttributes?.failure?.message ??
              e.workflowExecutionFailedEventAttributes?.failure?.message ??
              '',
          ]),
        ),
      );
      throw err;
    });
    await update(sub, { status: 'past_due' });
    await update(sub, { status: 'canceled' });
    await handle.result();
    await save(
      'subscription',
      'first-run-plan-change-continue-as-new',
      client.workflow.getHandle(handle.workflowId, firstRun),
    );
    await save('subscription', 'second-run-past-due-cancel', handle);
    const trial = await create('trial', 'trialing');
    await new Promise((r) => setTimeout(r, 500));
    await update(trial, { plan: 'solo', status: 'active' });
    await new Promise((r) => setTimeout(r, 500));
    await update(trial, { status: 'canceled' });
    const trialHandle = client.workflow.getHandle(subscriptionWorkflowId(trial));
    await trialHandle.result();
    await save('subscription', 'trial-upgrade-cancel', trialHandle);

    // Purchases: approved, rejected, expired, payment declined.
    const buyer = await create('solo', 'active');
    const ok = await running.purchases.request(buyer, { package: 'day-pass', source: 'api' });
    await running.purchases.approve(ok.id, { by: 'olivia' });
    const no = await running.purchases.request(buyer, { package: 'small', source: 'api' });
    await running.purchases.reject(no.id, { by: 'olivia', reason: 'not now' });
    const late = await running.purchases.request(buyer, { package: 'small', source: 'api' });
    const broke = await create('solo', 'active', 'broke');
    const declined = await running.purchases.request(broke, { package: 'small', source: 'api' });
    await running.purchases.approve(declined.id, { by: 'olivia' });
    // A stored purchase whose terms are not the catalog's (what a forged row would be): refused.
    const tampered = `purchase-${buyer}-tampered`;
    await ctx.ledger.purchases.insert(
      { ...ok, id: tampered, credits: 999_999_999, price: 0, status: 'approved', automatic: true },
      null,
    );
    await client.workflow.start('purchaseWorkflow', {
      workflowId: tampered,
      taskQueue: running.taskQueue,
      args: [{ purchaseId: tampered }],
    });
    for (const [name, id] of [
      ['terms-refused', tampered],
      ['approved-completed', ok.id],
      ['rejected', no.id],
      ['expired', late.id],
      ['payment-declined', declined.id],
    ] as const) {
      const h = client.workflow.getHandle(id);
      await h.result();
      await save('purchase', name, h);
    }

    // Alert (with an auto top-up check).
    await ctx.directory.updateWorkspace(buyer, {
      settings: { autoTopUp: { enabled: true, below: 100, package: 'small', monthlyBudget: 1000 } },
    });
    await ctx.ledger.debit(buyer, {
      amount: (await ctx.ledger.balance(buyer)).total - 50,
      idempotencyKey: 'drain',
    });
    const [event] = await eventually(
      async () => {
        const rows =
          await sql`SELECT id FROM alert_events WHERE workspace_id = ${buyer} AND dispatched_at IS NOT NULL`;
        return rows.length > 0 && rows;
      },
      10_000,
      'alert dispatched',
    );
    const alert = client.workflow.getHandle(`alert-${event!.id}`);
    await alert.result();
    await save('alerts', 'low-with-auto-top-up', alert);

    // Maintenance run (what the schedule starts).
    const m = await client.workflow.start<typeof maintenanceWorkflow>('maintenanceWorkflow', {
      workflowId: uniqueId('maintenance'),
      taskQueue: running.taskQueue,
      args: [],
    });
    await m.result();
    await save('expiry', 'maintenance', m);
  } finally {
    await running.stop();
    await env.teardown();
  }
}
