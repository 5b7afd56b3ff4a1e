import Stripe from 'stripe';
import type { PaymentStore } from '../../ledger/stores/payments.js';
import {
  type ChargeInput,
  type ChargeResult,
  PaymentDeclinedError,
  type PaymentProvider,
  type RefundInput,
  toMinorUnits,
} from './payment.js';

export interface StripeSettings {
  STRIPE_SECRET_KEY: string;
  /** Another Stripe API (stripe-mock in the tests): `http://127.0.0.1:12111`. */
  STRIPE_API_BASE?: string | undefined;
  /** Where the hosted payment page sends the customer back. */
  STRIPE_RETURN_URL?: string | undefined;
  /** Per request; a timeout is retried by the activity with the same idempotency key. */
  STRIPE_TIMEOUT_MS?: number | undefined;
}

/** The SDK client for these settings (also used by the webhook to verify signatures). */
export function stripeClient(settings: StripeSettings): Stripe {
  const base = settings.STRIPE_API_BASE ? new URL(settings.STRIPE_API_BASE) : null;
  return new Stripe(settings.STRIPE_SECRET_KEY, {
    // Our idempotency key makes a retry safe; Temporal retries the activity, so the SDK does not.
    maxNetworkRetries: 0,
    timeout: settings.STRIPE_TIMEOUT_MS ?? 30_000,
    appInfo: { name: 'credits' },
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

/**
 * Charges the workspace's Stripe customer off-session on its default card (or its first saved
 * card), with the purchase id in the idempotency key and the metadata. When the customer must act
 * (authentication required, no card saved, the card needs replacing) the answer is a Stripe
 * Checkout page for the same amount, whose payment the webhook reports.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  private readonly stripe: Stripe;

  constructor(
    settings: StripeSettings,
    private readonly payments: PaymentStore,
    private readonly returnUrl = settings.STRIPE_RETURN_URL ?? 'https://dashboard.stripe.com/',
  ) {
    this.stripe = stripeClient(settings);
  }

  async charge(input: ChargeInput): Promise<ChargeResult> {
    const customer = await this.payments.stripeCustomer(input.workspaceId);
    if (!customer) {
      throw new PaymentDeclinedError(
        `workspace ${input.workspaceId} has no Stripe customer; link one with PATCH /v1/workspaces/${input.workspaceId} {"stripeCustomerId": "cus_…"}`,
        'no_customer',
      );
    }
    const amount = Number(toMinorUnits(input.amount, input.currency));
    const currency = input.currency.toLowerCase();
    const metadata = { purchase_id: input.purchaseId, workspace_id: input.workspaceId };
    return this.call(async () => {
      const card = await this.savedCard(customer);
      if (card) {
        try {
          const intent = await this.stripe.paymentIntents.create(
            {
              amount,
              currency,
              customer,
              payment_method: card,
              off_session: true,
              confirm: true,
              metadata,
              description: `Credits purchase ${input.purchaseId}`,
            },
            { idempotencyKey: `${input.idempotencyKey}:intent` },
          );
          if (intent.status === 'succeeded') return { status: 'succeeded', paymentId: intent.id };
        } catch (err) {
          // An off-session payment the bank wants the customer to authenticate: send them to pay.
          if (!(err instanceof Stripe.errors.StripeCardError && err.code === 'authentication_required'))
            throw err;
        }
      }
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          customer,
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency,
                unit_amount: amount,
                product_data: { name: `Credits purchase ${input.purchaseId}` },
              },
            },
          ],
          // The card used here is saved for the next purchases, charged off-session.
          payment_intent_data: { metadata, setup_future_usage: 'off_session' },
          metadata,
          client_reference_id: input.purchaseId,
          success_url: this.returnUrl,
        },
        { idempotencyKey: `${input.idempotencyKey}:checkout` },
      );
      return { status: 'requires_action', paymentId: session.id, hostedUrl: session.url ?? '' };
    });
  }

  refund(input: RefundInput): Promise<{ refundId: string }> {
    const amount = Number(toMinorUnits(input.amount, input.currency));
    return this.call(async () => {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: input.paymentId,
          amount,
          metadata: { purchase_id: input.purchaseId, workspace_id: input.workspaceId },
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return { refundId: refund.id };
    });
  }

  /** The customer's default card, else the first card saved on it, else null. */
  private async savedCard(customer: string): Promise<string | null> {
    const found = await this.stripe.customers.retrieve(customer);
    if ('deleted' in found && found.deleted) {
      throw new PaymentDeclinedError(`the Stripe customer ${customer} was deleted`, 'customer_deleted');
    }
    const method = (found as Stripe.Customer).invoice_settings?.default_payment_method;
    if (method) return typeof method === 'string' ? method : method.id;
    const cards = await this.stripe.customers.listPaymentMethods(customer, { type: 'card', limit: 1 });
    return cards.data[0]?.id ?? null;
  }

  /**
   * Declines and refusals that a retry cannot change become PaymentDeclinedError with Stripe's
   * words; network errors, timeouts, rate limits and Stripe's 5xx stay retryable.
   */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // Stripe's own words, without the request id the SDK puts in front of them.
      const words = (e: InstanceType<typeof Stripe.errors.StripeError>) =>
        (e.raw as { message?: string } | undefined)?.message ?? e.message;
      if (err instanceof Stripe.errors.StripeCardError) {
        const code = err.decline_code ?? err.code ?? 'card_declined';
        throw new PaymentDeclinedError(`Stripe declined the card: ${words(err)} (${code})`, code);
      }
      if (
        err instanceof Stripe.errors.StripeInvalidRequestError ||
        err instanceof Stripe.errors.StripeAuthenticationError ||
        err instanceof Stripe.errors.StripePermissionError
      ) {
        throw new PaymentDeclinedError(`Stripe refused the request: ${words(err)}`, err.code ?? err.type);
      }
      throw err;
    }
  }
}
