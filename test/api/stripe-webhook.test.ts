import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { Purchases } from '../../application/purchases.js';
import { uniqueId } from '../support/db.js';
import { useApi } from './support.js';

const secret = `whsec_${randomBytes(16).toString('hex')}`;
const woken: string[] = [];
const purchases = { paymentSettled: async (id: string) => void woken.push(id) } as unknown as Purchases;
const api = await useApi({ ctx: { stripeWebhookSecret: secret, purchases } });

/** A purchase of the Small package (50.00 USD) waiting for its payment. */
async function purchase() {
  const { id: ws } = await api.workspace();
  const id = uniqueId('purchase');
  await api.ctx.ledger.purchases.insert(
    {
      id,
      workspaceId: ws,
      package: 'small',
      packageName: 'Small',
      credits: 1000,
      price: 50,
      currency: 'USD',
      status: 'awaiting_payment',
      requestedBy: null,
      source: 'api',
      decidedBy: 'olivia',
      reason: null,
      createdAt: new Date().toISOString(),
      approvalDeadline: null,
      automatic: false,
    },
    null,
  );
  return { ws, id };
}

function event(type: string, object: Record<string, unknown>, id = `evt_${randomBytes(8).toString('hex')}`) {
  return { id, object: 'event', type, data: { object } };
}

function deliver(body: object, options: { secret?: string; timestamp?: number; header?: string } = {}) {
  const payload = JSON.stringify(body);
  const header =
    options.header ??
    Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? secret,
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    });
  return api.call('POST', '/webhooks/stripe', {
    key: null,
    raw: payload,
    headers: { 'stripe-signature': header },
  });
}

const payments = (purchaseId: string) =>
  api.ctx
    .sql`SELECT payment_id, status, amount::text AS amount FROM payments WHERE purchase_id = ${purchaseId}`;

const succeeded = (purchaseId: string, amount = 5000, pi = `pi_${randomBytes(6).toString('hex')}`) =>
  event('payment_intent.succeeded', {
    id: pi,
    object: 'payment_intent',
    amount,
    amount_received: amount,
    currency: 'usd',
    status: 'succeeded',
    metadata: { purchase_id: purchaseId },
  });

describe('POST /webhooks/stripe', () => {
  it('records a verified success once, wakes the purchase, and acknowledges a repeat without acting', async () => {
    const { ws, id } = await purchase();
    const e = succeeded(id, 5000, 'pi_first');
    const first = await deliver(e);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, handled: true, purchaseId: id, status: 'succeeded' });
    expect(await payments(id)).toEqual([{ payment_id: 'pi_first', status: 'succeeded', amount: '50.00' }]);
    expect(woken.filter((w) => w === id)).toHaveLength(1);

    // Stripe's retry, or someone replaying a captured delivery within the signature's 5 minutes.
    const again = await deliver(e);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ handled: false, ignored: `event ${e.id} was already handled` });
    // A later failure of the same purchase never takes a success back.
    const late = await deliver(
      event('payment_intent.payment_failed', {
        id: 'pi_first',
        object: 'payment_intent',
        currency: 'usd',
        last_payment_error: { message: 'Your card was declined.', decline_code: 'generic_decline' },
        metadata: { purchase_id: id },
      }),
    );
    expect(late.status).toBe(200);
    expect(await payments(id)).toEqual([{ payment_id: 'pi_first', status: 'succeeded', amount: '50.00' }]);
    expect(woken.filter((w) => w === id).length).toBeLessThanOrEqual(2);
    expect(ws).toBeTruthy();
  });

  it('refuses a bad, forged, altered or stale signature with 400 and changes nothing', async () => {
    const { id } = await purchase();
    const e = succeeded(id);
    const cases = [
      await deliver(e, { header: 'garbage' }),
      await deliver(e, { header: '' }),
      await deliver(e, { secret: `whsec_${randomBytes(16).toString('hex')}` }),
      await deliver(e, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ];
    const payload = JSON.stringify(e);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    const altered = JSON.stringify({ ...e, data: { object: { ...e.data.object, amount: 1 } } });
    cases.push(
      await api.call('POST', '/webhooks/stripe', {
        key: null,
        raw: altered,
        headers: { 'stripe-signature': header },
      }),
    );
    for (const reply of cases) {
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'invalid_request' });
      expect(reply.body.error.details.fields[0].field).toBe('Stripe-Signature');
    }
    expect(await payments(id)).toEqual([]);
    expect(woken).not.toContain(id);
  });

  it('acknowledges an unknown event type (200) and ignores it', async () => {
    const { id } = await purchase();
    const reply = await deliver(
      event('customer.created', { id: 'cus_1', object: 'customer', metadata: { purchase_id: id } }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      received: true,
      handled: false,
      ignored: 'event type customer.created is not used',
    });
    expect(await payments(id)).toEqual([]);
  });

  it('ignores a success for another amount, and events of no purchase of ours', async () => {
    const { id } = await purchase();
    const wrong = await deliver(succeeded(id, 4999));
    expect(wrong.body).toMatchObject({
      handled: false,
      ignored: `the amount paid differs from purchase ${id}'s price`,
    });
    const foreign = await deliver(
      event('payment_intent.succeeded', {
        id: 'pi_x',
        object: 'payment_intent',
        amount: 5000,
        currency: 'usd',
        metadata: {},
      }),
    );
    expect(foreign.body).toMatchObject({ handled: false });
    expect(await payments(id)).toEqual([]);
  });

  it('records a Checkout payment under its PaymentIntent, ready for refunds', async () => {
    const { id } = await purchase();
    const reply = await deliver(
      event('checkout.session.completed', {
        id: 'cs_test_1',
        object: 'checkout.session',
        amount_total: 5000,
        currency: 'usd',
        payment_status: 'paid',
        payment_intent: 'pi_from_checkout',
        metadata: { purchase_id: id },
      }),
    );
    expect(reply.body).toMatchObject({ handled: true, status: 'succeeded' });
    expect(await payments(id)).toEqual([
      { payment_id: 'pi_from_checkout', status: 'succeeded', amount: '50.00' },
    ]);
  });
});

describe('PATCH /v1/workspaces/{ws} stripeCustomerId', () => {
  it('links and unlinks a Stripe customer (operator only), refusing what is not a customer id', async () => {
    const { id: ws, key } = await api.workspace();
    const linked = await api.call('PATCH', `/v1/workspaces/${ws}`, {
      body: { stripeCustomerId: 'cus_Q1w2E3' },
    });
    expect(linked.status).toBe(200);
    expect(linked.body.stripeCustomerId).toBe('cus_Q1w2E3');
    expect(await api.ctx.ledger.payments.stripeCustomer(ws)).toBe('cus_Q1w2E3');

    const bad = await api.call('PATCH', `/v1/workspaces/${ws}`, { body: { stripeCustomerId: 'acct_123' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe('stripeCustomerId');
    const byWorkspaceKey = await api.call('PATCH', `/v1/workspaces/${ws}`, {
      key,
      body: { stripeCustomerId: 'cus_mine' },
    });
    expect(byWorkspaceKey.status).toBe(403);
    expect(await api.ctx.ledger.payments.stripeCustomer(ws)).toBe('cus_Q1w2E3');

    const unlinked = await api.call('PATCH', `/v1/workspaces/${ws}`, { body: { stripeCustomerId: null } });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.stripeCustomerId).toBeUndefined();
    expect(await api.ctx.ledger.payments.stripeCustomer(ws)).toBeNull();
  });
});
