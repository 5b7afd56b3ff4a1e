import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookNotifier } from '../../integrations/webhook/sender.js';
import { baseNotifiers, type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { useReceiver, webhookHeaders } from '../integrations/receiver.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';

// The real path: a debit crosses a threshold, the alert dispatcher starts the workflow, the notify
// activity posts through the WebhookNotifier the composition root wires, to the workspace's own
// endpoint, retried with backoff by Temporal when the receiver fails.
const sql = useTestDatabase(20);
const temporal = useTemporal();
const ctx = testContext(sql);
const receiver = useReceiver();
const by = { actor: 'operator', channel: 'api' as const };
let running: RunningWorker;

beforeAll(async () => {
  const notifiers = baseNotifiers(ctx, { allowPrivate: true });
  expect(notifiers.some((n) => n instanceof WebhookNotifier)).toBe(true);
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('webhooks'),
    workflowBundle: temporal.bundle(),
    notifiers,
    maintenanceEveryMs: null,
    alertPollMs: 1000,
  });
  ctx.onBalanceChange((c) => running.onBalanceChange(c));
});
afterAll(async () => {
  await running?.stop();
});

async function workspace(balance: number): Promise<string> {
  const id = uniqueId();
  await ctx.directory.createWorkspace({
    id,
    name: id,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  await ctx.ledger.grant(id, {
    type: 'promotional',
    amount: balance,
    reason: 'start',
    idempotencyKey: 'start',
  });
  return id;
}

describe('webhook delivery through the worker', () => {
  it("delivers a workspace's alert to its own endpoint, signed with its secret, retrying a failing receiver", async () => {
    const [a, b] = [await workspace(150), await workspace(150)];
    const { secret: secretA } = await ctx.ledger.webhooks.put(a, { url: receiver.url(`/${a}`) }, by);
    const { secret: secretB } = await ctx.ledger.webhooks.put(
      b,
      { url: receiver.url(`/${b}`), events: ['alert.depleted'] },
      by,
    );
    receiver.statuses.push(503, 503); // the first two attempts fail: Temporal retries (1 s, then 2 s)
    const t0 = Date.now();
    await ctx.ledger.debit(a, { amount: 60, idempotencyKey: 'd1' });
    await ctx.ledger.debit(b, { amount: 60, idempotencyKey: 'd1' });

    const delivered = await eventually(async () => receiver.at(`/${a}`)[2], 30_000, 'third attempt');
    const attempts = receiver.at(`/${a}`);
    expect(attempts).toHaveLength(3);
    // Every attempt carries the same webhook-id, so the receiver can drop repeats.
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const event = new Webhook(secretA!).verify(delivered.body, webhookHeaders(delivered)) as Record<
      string,
      unknown
    >;
    expect(event).toMatchObject({
      type: 'alert.low',
      workspaceId: a,
      data: { level: 'low', threshold: 100 },
    });
    expect(() => new Webhook(secretB!).verify(delivered.body, webhookHeaders(delivered))).toThrow();
    console.log(`webhook delivered on the 3rd attempt ${Date.now() - t0} ms after the debit`);

    // b only wants alert.depleted: its low alert is not posted; once depleted, it is, with b's secret.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.at(`/${b}`)).toEqual([]);
    await ctx.ledger.debit(b, { amount: 90, idempotencyKey: 'd2' });
    const depleted = await eventually(async () => receiver.at(`/${b}`)[0], 20_000, 'depleted alert');
    expect(new Webhook(secretB!).verify(depleted.body, webhookHeaders(depleted))).toMatchObject({
      type: 'alert.depleted',
      workspaceId: b,
    });
  });

  it('sends nothing for a workspace without an endpoint', async () => {
    const ws = await workspace(150);
    const before = receiver.received.length;
    await ctx.ledger.debit(ws, { amount: 60, idempotencyKey: 'd1' });
    await eventually(
      async () =>
        (await sql`SELECT dispatched_at FROM alert_events WHERE workspace_id = ${ws}`)[0]?.dispatched_at,
      20_000,
      'alert dispatched',
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received.slice(before).filter((r) => r.body.includes(ws))).toEqual([]);
  });
});
