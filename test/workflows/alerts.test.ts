import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../application/notifications.js';
import { AlertOutbox } from '../../ledger/stores/alert-outbox.js';
import { verifyLedger } from '../../ledger/verify.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { AlertDispatcher } from '../../workflows/alerts/dispatcher.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, RecordingNotifier, testContext, useTemporal } from '../support/temporal.js';

const sql = useTestDatabase(40);
const temporal = useTemporal();
const ctx = testContext(sql);
const notifier = new RecordingNotifier();
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('alerts'),
    workflowBundle: temporal.bundle(),
    notifiers: [notifier],
    maintenanceEveryMs: null,
    alertPollMs: 1000,
  });
  ctx.onBalanceChange((c) => running.onBalanceChange(c));
});
afterAll(async () => {
  await running?.stop();
});

async function workspace(balance: number, settings: Record<string, unknown> = {}) {
  const id = uniqueId();
  await ctx.directory.createWorkspace({
    id,
    name: id,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  await ctx.directory.addMember(id, { id: 'olivia', name: 'Olivia', role: 'owner' });
  if (Object.keys(settings).length) await ctx.directory.updateWorkspace(id, { settings });
  await ctx.ledger.grant(id, {
    type: 'promotional',
    amount: balance,
    reason: 'start',
    idempotencyKey: 'start',
  });
  return id;
}

const alertsOf = (ws: string) => notifier.of('alert', ws);
const eventsOf = async (ws: string) =>
  sql`SELECT id, type, balance, dispatched_at FROM alert_events WHERE workspace_id = ${ws} ORDER BY id`;

describe.concurrent('threshold alerts and auto top-up', () => {
  it('delivers exactly one alert for 100 concurrent debits crossing the low threshold; re-arms and recovers after a purchase', async () => {
    const ws = await workspace(150);
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => ctx.ledger.debit(ws, { amount: 1, idempotencyKey: `d${i}` })),
    );
    const low = await eventually(async () => alertsOf(ws)[0], 10_000, 'low alert');
    const latency = Date.now() - t0;
    expect(low).toMatchObject({ type: 'alert.low', level: 'low', threshold: 100 });
    // Debits are committed in batches: the balance recorded is the one after the crossing batch.
    expect(low.balance).toBeGreaterThanOrEqual(50);
    expect(low.balance).toBeLessThan(100);
    await new Promise((r) => setTimeout(r, 1500)); // another dispatcher pass: still one
    expect(alertsOf(ws)).toHaveLength(1);
    const events = await eventsOf(ws);
    expect(events.map((e) => e.type)).toEqual(['alert.low']);
    expect(low.id).toBe(`evt_${events[0]!.id}`);
    expect(events[0]!.dispatched_at).not.toBeNull();
    console.log(`alert delivered ${latency} ms after 100 concurrent debits began`);

    const p = await running.purchases.request(ws, { package: 'small', source: 'api' });
    await running.purchases.approve(p.id, { by: 'olivia' });
    const recovered = await eventually(
      async () => alertsOf(ws).find((a) => a.type === 'alert.recovered'),
      15_000,
      'recovered',
    );
    expect(recovered).toMatchObject({ balance: 1050, recovered: ['low'], level: null });
    // Re-armed: the next downward crossing alerts again.
    await ctx.ledger.debit(ws, { amount: 1000, idempotencyKey: 'big' });
    await eventually(
      async () => alertsOf(ws).filter((a) => a.type === 'alert.low').length === 2,
      10_000,
      'second low',
    );
    expect(alertsOf(ws).map((a: AlertNotification) => a.type)).toEqual([
      'alert.low',
      'alert.recovered',
      'alert.low',
    ]);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  }, 40_000);

  it('auto top-up within the monthly budget buys without asking anyone', async () => {
    const ws = await workspace(150, {
      autoTopUp: { enabled: true, below: 100, package: 'small', monthlyBudget: 100 },
    });
    await ctx.ledger.debit(ws, { amount: 60, idempotencyKey: 'use' });
    const done = await eventually(
      async () => {
        const [row] = await sql`SELECT * FROM purchases WHERE workspace_id = ${ws}`;
        return row?.status === 'completed' && row;
      },
      15_000,
      'automatic purchase',
    );
    expect(done).toMatchObject({ source: 'auto_top_up', automatic: true, decided_by: 'policy:auto-top-up' });
    expect(notifier.of('approval_request', ws)).toEqual([]);
    expect((await ctx.ledger.balance(ws)).total).toBe(1090);
  }, 30_000);

  it('auto top-up above the monthly budget asks the approvers, and never runs twice at once', async () => {
    const ws = await workspace(150, {
      autoTopUp: { enabled: true, below: 100, package: 'small', monthlyBudget: 40 },
    });
    await ctx.ledger.debit(ws, { amount: 60, idempotencyKey: 'use' });
    const ask = await eventually(
      async () => notifier.of('approval_request', ws)[0],
      15_000,
      'approval request',
    );
    expect(ask.purchase).toMatchObject({
      source: 'auto_top_up',
      automatic: false,
      status: 'pending_approval',
      package: 'small',
    });
    // Crossing the critical threshold triggers another check: the pending one is found, no second purchase.
    await ctx.ledger.debit(ws, { amount: 85, idempotencyKey: 'more' });
    await eventually(
      async () => alertsOf(ws).some((a) => a.type === 'alert.critical'),
      10_000,
      'critical alert',
    );
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await sql`SELECT id, status FROM purchases WHERE workspace_id = ${ws}`;
    expect(rows).toHaveLength(1);
    await running.purchases.approve(rows[0]!.id, { by: 'olivia' });
    await eventually(async () => (await ctx.ledger.balance(ws)).total === 1005, 15_000, 'top-up granted');
  }, 30_000);

  it('replicas and re-dispatches after a crash never deliver an event twice', async () => {
    const ws = await workspace(500);
    const [row] = await sql`
      INSERT INTO alert_events (workspace_id, type, level, threshold, balance, created_at)
      VALUES (${ws}, 'alert.critical', 'critical', 10, 7, now()) RETURNING id`;
    const replicas = Array.from(
      { length: 3 },
      () =>
        new AlertDispatcher({
          outbox: new AlertOutbox(sql),
          client: running.client,
          taskQueue: running.taskQueue,
        }),
    );
    await Promise.all(replicas.map((d) => d.dispatchOnce()));
    // A replica that started the workflow but died before marking the row: the row comes back.
    await sql`UPDATE alert_events SET dispatched_at = NULL WHERE id = ${row!.id}`;
    await replicas[0]!.dispatchOnce();
    await eventually(async () => alertsOf(ws).length > 0, 30_000, 'delivery');
    await new Promise((r) => setTimeout(r, 1000));
    expect(alertsOf(ws).map((a) => a.id)).toEqual([`evt_${row!.id}`]);
  }, 60_000);
});
