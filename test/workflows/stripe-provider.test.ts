import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentDeclinedError } from '../../workflows/purchase/payment.js';
import { StripePaymentProvider } from '../../workflows/purchase/stripe.js';
import { uniqueId, useTestDatabase } from '../support/db.js';
import { testLedger } from '../support/ledger.js';
import { type RunningStripeMock, startStripeMock } from '../support/stripe-mock.js';

/**
 * The provider's requests straight to stripe-mock, which refuses any request Stripe's API would
 * refuse (unknown parameter, wrong type, missing field). Its answers are fixtures: a
 * PaymentIntent that still needs a payment method, so the charge ends on a Checkout page.
 */
const sql = useTestDatabase();
const t = testLedger(sql);
let mock: RunningStripeMock;
let stripe: StripePaymentProvider;

beforeAll(async () => {
  mock = await startStripeMock();
  stripe = new StripePaymentProvider(
    {
      STRIPE_SECRET_KEY: 'sk_test_credits',
      STRIPE_API_BASE: mock.base,
      STRIPE_RETURN_URL: 'https://credits.example.org/app',
    },
    t.ledger.payments,
  );
}, 600_000);
afterAll(() => mock?.stop());

const charge = (workspaceId: string, amount = '50.00') => ({
  purchaseId: uniqueId('purchase'),
  workspaceId,
  amount,
  currency: 'USD',
  idempotencyKey: `purchase:${uniqueId('p')}`,
});

describe('StripePaymentProvider against stripe-mock', () => {
  it('sends requests Stripe accepts, and answers the hosted page when the card needs the customer', async () => {
    const ws = await t.workspace();
    await t.ledger.payments.linkStripeCustomer(ws, 'cus_credits');
    const result = await stripe.charge(charge(ws));
    expect(result.status).toBe('requires_action');
    expect(result.paymentId).toMatch(/^cs_/);
    expect(result.status === 'requires_action' && result.hostedUrl).toMatch(
      /^https:\/\/checkout\.stripe\.com\//,
    );
  });

  it('refuses to charge a workspace with no Stripe customer, naming how to link one', async () => {
    const ws = await t.workspace();
    const err = await stripe.charge(charge(ws)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentDeclinedError);
    expect(err).toMatchObject({ reason: 'no_customer', retryable: false });
    expect((err as Error).message).toMatch(new RegExp(`PATCH /v1/workspaces/${ws} \\{"stripeCustomerId"`));
  });

  it('refunds through Stripe with the idempotency key, in minor units', async () => {
    const ws = await t.workspace();
    const refund = await stripe.refund({
      purchaseId: uniqueId('purchase'),
      workspaceId: ws,
      paymentId: 'pi_credits',
      amount: '35.01',
      currency: 'USD',
      idempotencyKey: 'refund:1',
    });
    expect(refund.refundId).toMatch(/^re_/);
  });

  it('refuses an amount it cannot charge exactly, before asking Stripe', async () => {
    const ws = await t.workspace();
    await t.ledger.payments.linkStripeCustomer(ws, 'cus_credits');
    await expect(stripe.charge(charge(ws, '10.001'))).rejects.toThrow(/more decimals than USD/);
    await expect(stripe.charge(charge(ws, '10.5'))).resolves.toMatchObject({ status: 'requires_action' });
  });

  it('a network failure stays retryable (the activity retries it with the same key)', async () => {
    const ws = await t.workspace();
    await t.ledger.payments.linkStripeCustomer(ws, 'cus_credits');
    const offline = new StripePaymentProvider(
      {
        STRIPE_SECRET_KEY: 'sk_test_credits',
        STRIPE_API_BASE: 'http://127.0.0.1:9',
        STRIPE_TIMEOUT_MS: 1000,
      },
      t.ledger.payments,
    );
    const err = await offline.charge(charge(ws)).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(PaymentDeclinedError);
    expect((err as { type?: string }).type).toBe('StripeConnectionError');
  });
});
