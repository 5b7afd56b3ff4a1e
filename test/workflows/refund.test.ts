import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../application/access.js';
import { refundPurchase } from '../../application/refunds.js';
import { InvoiceStore } from '../../ledger/stores/invoices.js';
import { verifyLedger } from '../../ledger/verify.js';
import { type RunningWorker, startWorker } from '../../runtime/roles/worker.js';
import {
  InvoicePaymentProvider,
  type PaymentProvider,
  type RefundInput,
} from '../../workflows/purchase/payment.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { paidPurchase } from '../support/paid-purchase.js';
import { eventually, testContext, useTemporal } from '../support/temporal.js';

const sql = useTestDatabase();
const temporal = useTemporal();
const ctx = testContext(sql);
const invoices = new InvoicePaymentProvider(new InvoiceStore(sql));
const operator: Principal = { kind: 'operator', keyId: null, name: 'operator' };

/** The invoice provider, with scripted failures per workspace: before the refund, or after it was made. */
const calls: RefundInput[] = [];
const failures = new Map<string, { before: number; after: number }>();
const payments: PaymentProvider = {
  name: 'test',
  charge: (input) => invoices.charge(input),
  async refund(input) {
    calls.push(input);
    const f = failures.get(input.workspaceId);
    if (f && f.before > 0) {
      f.before -= 1;
      throw new Error('connection reset before the provider answered');
    }
    const done = await invoices.refund(input);
    if (f && f.after > 0) {
      f.after -= 1;
      throw new Error('the worker died after the provider refunded, before recording it');
    }
    return done;
  },
};
let running: RunningWorker;
/** The operator's webhook: what it received. */
const received: { headers: Record<string, string>; body: string }[] = [];
const SECRET = `whsec_${Buffer.from('revenue-webhook-test-secret-32by').toString('base64')}`;
let hook: Server;

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const port = (hook.address() as { port: number }).port;
  running = await startWorker(ctx, {
    revenueWebhook: { url: `http://127.0.0.1:${port}/revenue`, secret: SECRET },
    connection: temporal.env().nativeConnection,
    client: temporal.env().client,
    taskQueue: uniqueId('refunds'),
    workflowBundle: temporal.bundle(),
    payments,
    maintenanceEveryMs: null,
    dispatchAlerts: false,
  });
});
afterAll(async () => {
  await running?.stop();
  hook?.close();
});

async function paid(failing?: { before: number; after: number }) {
  const ws = uniqueId('rf');
  await ctx.directory.createWorkspace({
    id: ws,
    name: ws,
    plan: 'solo',
    status: 'active',
    billingAnchor: new Date(),
  });
  if (failing) failures.set(ws, { ...failing });
  const purchase = await paidPurchase(sql, ctx.ledger, ws);
  await ctx.ledger.debit(ws, { amount: 300, idempotencyKey: 'use' });
  return { ws, purchase };
}

async function providerRefunds(purchaseId: string) {
  return sql`SELECT amount::text, currency, idempotency_key, refund_id FROM payment_refunds WHERE purchase_id = ${purchaseId}`;
}

const refunded = (purchaseId: string) =>
  eventually(
    async () => {
      const r = await ctx.ledger.refunds.get(purchaseId);
      return r?.status === 'refunded' ? r : null;
    },
    30_000,
    `refund of ${purchaseId} confirmed`,
  );

describe('the refund workflow on the dev server', () => {
  it('pays back the recorded amount once, with the refund:<purchase> key', async () => {
    const { ws, purchase } = await paid();
    const out = await refundPurchase(
      { ledger: ctx.ledger, flows: running.refundFlows },
      operator,
      purchase.id,
      { idempotencyKey: 'r' },
      'api',
      {},
    );
    expect(out.refund).toEqual({ credits: 700, amount: '35.00', currency: 'USD' });
    const done = await refunded(purchase.id);
    const made = await providerRefunds(purchase.id);
    expect(made).toEqual([
      {
        amount: '35.00',
        currency: 'USD',
        idempotency_key: `refund:${purchase.id}`,
        refund_id: done.providerRefundId,
      },
    ]);
    // Asking again (same request) replays and starting the flow again changes nothing.
    await refundPurchase(
      { ledger: ctx.ledger, flows: running.refundFlows },
      operator,
      purchase.id,
      { idempotencyKey: 'r' },
      'api',
      {},
    );
    expect(await providerRefunds(purchase.id)).toHaveLength(1);
    expect(await verifyLedger(sql, ws)).toEqual([]);
  });

  it('a provider that fails before and after refunding: retried with the same key, refunded once', async () => {
    const { purchase } = await paid({ before: 2, after: 1 });
    await refundPurchase(
      { ledger: ctx.ledger, flows: running.refundFlows },
      operator,
      purchase.id,
      { idempotencyKey: 'r' },
      'api',
      {},
    );
    const done = await refunded(purchase.id);
    const attempts = calls.filter((c) => c.purchaseId === purchase.id);
    expect(attempts.length).toBe(4);
    expect(new Set(attempts.map((a) => a.idempotencyKey))).toEqual(new Set([`refund:${purchase.id}`]));
    const made = await providerRefunds(purchase.id);
    expect(made).toHaveLength(1);
    expect(made[0]!.refund_id).toBe(done.providerRefundId);
  });

  it('the API dies between the ledger and the flow: the maintenance sweep starts it, refunded once', async () => {
    const { purchase } = await paid();
    // The ledger part commits; no flow is started (the process died right after the commit).
    await refundPurchase({ ledger: ctx.ledger }, operator, purchase.id, { idempotencyKey: 'r' }, 'api', {});
    expect((await ctx.ledger.refunds.get(purchase.id))!.status).toBe('pending');
    expect(await providerRefunds(purchase.id)).toHaveLength(0);
    await sql`UPDATE refunds SET created_at = created_at - interval '2 minutes' WHERE purchase_id = ${purchase.id}`;
    await temporal.env().client.workflow.execute('maintenanceWorkflow', {
      workflowId: uniqueId('maintenance'),
      taskQueue: running.taskQueue,
    });
    await refunded(purchase.id);
    expect(await providerRefunds(purchase.id)).toHaveLength(1);
  });

  it('a run started under another id refunds nothing', async () => {
    const { purchase } = await paid();
    await refundPurchase({ ledger: ctx.ledger }, operator, purchase.id, { idempotencyKey: 'r' }, 'api', {});
    await expect(
      temporal.env().client.workflow.execute('refundWorkflow', {
        workflowId: uniqueId('forged'),
        taskQueue: running.taskQueue,
        args: [{ purchaseId: purchase.id }],
      }),
    ).rejects.toThrow();
    expect(await providerRefunds(purchase.id)).toHaveLength(0);
  });

  it("posts last month's revenue CSV to the operator's webhook, signed (Standard Webhooks)", async () => {
    const sent = await temporal.env().client.workflow.execute('monthlyRevenueWorkflow', {
      workflowId: uniqueId('revenue'),
      taskQueue: running.taskQueue,
    });
    const now = new Date();
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
      .toISOString()
      .slice(0, 7);
    expect(sent).toMatchObject({ month });
    const [delivery] = received;
    expect(delivery!.headers['content-type']).toMatch(/^text\/csv/);
    expect(delivery!.headers['webhook-id']).toBe(`revenue-${month}`);
    // (Webhook.verify parses JSON; the signature is the same HMAC over id.timestamp.body.)
    const at = new Date(Number(delivery!.headers['webhook-timestamp']) * 1000);
    expect(delivery!.headers['webhook-signature']).toBe(
      new Webhook(SECRET).sign(delivery!.headers['webhook-id']!, at, delivery!.body),
    );
    const lines = delivery!.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'currency,from,to,workspaceId,openingDeferred,sold,recognized,breakage,refunded,closingDeferred',
    );
    expect(lines.at(-1)).toMatch(new RegExp(`^USD,${month}-01T00:00:00.000Z,.*,total,`));
  });
});
