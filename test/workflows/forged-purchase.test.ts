import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Purchase } from '../../application/purchases.js';
import { InvoiceStore } from '../../ledger/stores/invoices.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import { approvePurchase } from '../../workflows/purchase/definitions.js';
import { InvoicePaymentProvider } from '../../workflows/purchase/payment.js';
import type { purchaseWorkflow } from '../../workflows/purchase/workflows.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { eventually, RecordingNotifier, testContext, useTemporal } from '../support/temporal.js';

// Someone who reaches Temporal's port (but not the database) starts and drives purchase workflows
// directly, with terms of their own. Nothing they send is trusted: only the catalog's terms are
// charged and granted, and only to an approval an activity found to be by a current owner or admin.
const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const payments = new InvoicePaymentProvider(new InvoiceStore(sql));
let running: RunningWorker;

beforeAll(async () => {
  running = await startWorker(ctx, {
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('forged'),
    workflowBundle: temporal.bundle(),
    notifiers: [new RecordingNotifier()],
    payments,
    approvalWindowMs: 60_000,
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
});

async function workspace() {
  const id = uniqueId('ws');
  await ctx.directory.createWorkspace({
    id,
    name: id,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  await ctx.directory.addMember(id, { id: 'olivia', name: 'Olivia', role: 'owner' });
  await ctx.directory.addMember(id, { id: 'mia', name: 'Mia', role: 'member' });
  return id;
}

async function money(ws: string) {
  const [row] = await sql`
    SELECT (SELECT count(*)::int FROM invoices WHERE workspace_id = ${ws}) AS invoices,
           (SELECT coalesce(sum(amount), 0)::float8 FROM invoices WHERE workspace_id = ${ws}) AS charged,
           (SELECT coalesce(sum(amount), 0)::int FROM lots WHERE workspace_id = ${ws} AND type = 'purchased') AS credits`;
  return row as { invoices: number; charged: number; credits: number };
}

function forgedView(ws: string, id: string): Purchase {
  return {
    id,
    workspaceId: ws,
    package: 'small',
    packageName: 'Small',
    credits: 999_999_999,
    price: 0,
    currency: 'USD',
    status: 'approved',
    requestedBy: 'mallory',
    source: 'api',
    decidedBy: 'mallory',
    reason: null,
    createdAt: new Date().toISOString(),
    approvalDeadline: null,
    automatic: true,
  };
}

const start = (workflowId: string, input: Parameters<typeof purchaseWorkflow>[0]) =>
  running.client.workflow.start<typeof purchaseWorkflow>('purchaseWorkflow', {
    workflowId,
    taskQueue: running.taskQueue,
    args: [input],
  });

describe.concurrent('a purchase workflow started or driven directly on Temporal', () => {
  it('with forged terms and no requested purchase behind it: refused, nothing charged or granted', async () => {
    const ws = await workspace();
    const id = `purchase-${ws}-forged`;
    const handle = await start(id, { purchase: forgedView(ws, id), validityDays: null, approvalWindowMs: 1 });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await money(ws)).toEqual({ invoices: 0, charged: 0, credits: 0 });
    expect(await ctx.ledger.purchases.get(id)).toBeNull();
  });

  it("under another id than its purchase's: refused, the real purchase untouched", async () => {
    const ws = await workspace();
    const real = await running.purchases.request(ws, { package: 'small', source: 'api' });
    const handle = await start(uniqueId('purchase'), { purchaseId: real.id });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect((await running.purchases.get(real.id)).status).toBe('pending_approval');
    expect(await money(ws)).toEqual({ invoices: 0, charged: 0, credits: 0 });
  });

  it('approved by a fake approver, a member or an owner’s name without the application’s ticket: refused; an owner’s approval grants the catalog’s terms', async () => {
    const ws = await workspace();
    const p = await running.purchases.request(ws, { package: 'small', source: 'api' });
    const handle = running.client.workflow.getHandle(p.id);
    // A fake approver, a member, and the real owner's id without the application's decision ticket.
    for (const decision of [
      { by: 'mallory' },
      { by: 'mia' },
      { by: 'olivia' },
      { by: 'olivia', ticket: 'dec_0' },
    ]) {
      const err = await handle.executeUpdate(approvePurchase, { args: [decision] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String((err as WorkflowUpdateFailedError).cause?.message)).toMatch(
        /not taken through the application/,
      );
    }
    // A real ticket of the application, replayed by someone else for another approver.
    const ticket = await ctx.ledger.purchases.recordDecision({ purchaseId: p.id, by: 'mia', approved: true });
    const stolen = await handle
      .executeUpdate(approvePurchase, { args: [{ by: 'mia', ticket }] })
      .catch((e: unknown) => e);
    expect(String((stolen as WorkflowUpdateFailedError).cause?.message)).toMatch(/not an owner or admin/);
    const otherName = await handle
      .executeUpdate(approvePurchase, { args: [{ by: 'olivia', ticket }] })
      .catch((e: unknown) => e);
    expect(otherName).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((await running.purchases.get(p.id)).status).toBe('pending_approval');
    expect(await money(ws)).toEqual({ invoices: 0, charged: 0, credits: 0 });
    const approved = await running.purchases.approve(p.id, { by: 'olivia' });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'olivia' });
    await handle.result();
    expect(await money(ws)).toEqual({ invoices: 1, charged: 50, credits: 1000 });

    // A second run for the settled purchase (same id, forged terms again) changes nothing.
    const again = await start(p.id, { purchaseId: p.id, purchase: forgedView(ws, p.id) });
    await expect(again.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await money(ws)).toEqual({ invoices: 1, charged: 50, credits: 1000 });
    expect((await running.purchases.get(p.id)).status).toBe('completed');
  });

  it("for a stored purchase whose terms are not the catalog's: failed, nothing charged", async () => {
    const ws = await workspace();
    const id = `purchase-${ws}-tampered`;
    await ctx.ledger.purchases.insert(forgedView(ws, id), null);
    const handle = await start(id, { purchaseId: id });
    const result = await handle.result();
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/differ from the catalog/);
    expect((await running.purchases.get(id)).status).toBe('failed');
    expect(await money(ws)).toEqual({ invoices: 0, charged: 0, credits: 0 });
  });

  it("a client that debited with the purchase's grant key first does not break the grant", async () => {
    const ws = await workspace();
    await ctx.ledger.grant(ws, { type: 'promotional', amount: 20, reason: 'seed', idempotencyKey: 'seed' });
    const p = await running.purchases.request(ws, { package: 'small', source: 'api' });
    await ctx.ledger.debit(ws, { amount: 5, idempotencyKey: `purchase:${p.id}` });
    await running.purchases.approve(p.id, { by: 'olivia' });
    await eventually(
      async () => (await running.purchases.get(p.id)).status === 'completed',
      15_000,
      'completed',
    );
    expect(await money(ws)).toEqual({ invoices: 1, charged: 50, credits: 1000 });
    expect((await ctx.ledger.balance(ws)).total).toBe(1015);
  });
});
