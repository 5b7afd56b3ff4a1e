import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { requireTemporalCli } from '../../runtime/temporal.js';
import type { weeklyDigestWorkflow } from '../../workflows/digest/workflows.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { RecordingNotifier, testContext, useTemporal } from '../support/temporal.js';

const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const notifier = new RecordingNotifier();
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('digest'),
    workflowBundle: temporal.bundle(),
    notifiers: [notifier],
    maintenanceEveryMs: null,
    digestCron: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
});

async function workspace(linkedChannel: boolean) {
  const id = uniqueId();
  await ctx.directory.createWorkspace({
    id,
    name: id,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  await ctx.directory.addMember(id, { id: 'ana', name: 'Ana', role: 'admin' });
  if (linkedChannel)
    await ctx.directory.linkChat(id, { platform: 'slack', team: `T-${id}`, channel: 'C-credits' });
  await ctx.ledger.grant(id, {
    type: 'subscription',
    amount: 500,
    expiresAt: new Date(Date.now() + 5 * 24 * 3600 * 1000),
    reason: 'cycle',
    idempotencyKey: 'g',
  });
  await ctx.ledger.debit(id, {
    operation: 'image',
    params: { model: 'flux-2-dev' },
    idempotencyKey: 'd1',
    actor: 'member:ana',
  });
  await ctx.ledger.debit(id, { operation: 'article-normal', idempotencyKey: 'd2', actor: 'automation:n8n' });
  return id;
}

describe('weekly digest', () => {
  it('posts each linked workspace its week (spent by member and operation, what expires soon), once per week', async () => {
    const linked = await workspace(true);
    const unlinked = await workspace(false);
    const at = new Date().toISOString();
    const handle = await running.client.workflow.start<typeof weeklyDigestWorkflow>('weeklyDigestWorkflow', {
      taskQueue: running.taskQueue,
      workflowId: uniqueId('digest-run'),
      args: [{ at }],
    });
    await handle.result();
    const digests = notifier.of('digest', linked);
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest.digest.spent).toBe(60);
    expect(digest.digest.byOperation.map((o) => o.used).sort((a, b) => a - b)).toEqual([10, 50]);
    expect(digest.digest.byOperation.find((o) => o.used === 50)?.key).toMatch(/image/i);
    expect(digest.digest.byMember.map((m) => m.used).sort((a, b) => a - b)).toEqual([10, 50]);
    expect(digest.digest.expiringSoon).toEqual([
      expect.objectContaining({ amount: 440, type: 'subscription' }),
    ]);
    expect(notifier.of('digest', unlinked)).toEqual([]);

    // A second run in the same week produces the same notification id (notifiers drop repeats).
    const again = await running.client.workflow.execute<typeof weeklyDigestWorkflow>('weeklyDigestWorkflow', {
      taskQueue: running.taskQueue,
      workflowId: uniqueId('digest-run'),
      args: [{ at }],
    });
    expect(again).toBeGreaterThanOrEqual(1);
    const ids = notifier.of('digest', linked).map((d) => d.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);

    // Its history replays against the current code; RECORD_HISTORIES=1 saves it for the replay suite.
    await Worker.runReplayHistory({ workflowBundle: temporal.bundle() }, await handle.fetchHistory());
    if (process.env.RECORD_HISTORIES === '1') {
      const dir = fileURLToPath(new URL('../../workflows/digest/histories/', import.meta.url));
      mkdirSync(dir, { recursive: true });
      const json = execFileSync(
        requireTemporalCli(process.env),
        [
          'workflow',
          'show',
          '--address',
          temporal.env().address,
          '--workflow-id',
          handle.workflowId,
          '--output',
          'json',
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      writeFileSync(`${dir}weekly.json`, `${JSON.stringify(JSON.parse(json), null, 1)}\n`);
    }
  });
});
