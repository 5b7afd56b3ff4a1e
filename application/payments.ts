import type { Ledger } from '../ledger/ledger.js';
import { toMinorUnits } from '../ledger/minor-units.js';
import type { Purchases } from './purchases.js';

/** A Stripe event whose signature was verified (the adapter did `stripe.webhooks.constructEvent`). */
export interface VerifiedStripeEvent {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

export type StripeEventOutcome =
  | { handled: true; purchaseId: string; status: 'succeeded' | 'failed' }
  | { handled: false; ignored: string };

/** The events this service acts on; Stripe may send others, which are acknowledged and ignored. */
export const STRIPE_EVENTS = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
] as const;

const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Success or failure of a purchase's payment, as the event says it; null when it says neither. */
function readEvent(event: VerifiedStripeEvent): {
  paymentId: string;
  status: 'succeeded' | 'failed';
  amount: number | null;
  currency: string | null;
  reason: string | null;
  objectId: string;
} | null {
  const o = event.data.object;
  const objectId = text(o.id) ?? '';
  const currency = text(o.currency);
  if (event.type === 'payment_intent.succeeded') {
    const amount = typeof o.amount_received === 'number' ? o.amount_received : (o.amount as number);
    return { paymentId: objectId, status: 'succeeded', amount, currency, reason: null, objectId };
  }
  if (event.type === 'payment_intent.payment_failed') {
    const error = (o.last_payment_error ?? {}) as Record<string, unknown>;
    const code = text(error.decline_code) ?? text(error.code);
    const reason = `Stripe: ${text(error.message) ?? 'the payment failed'}${code ? ` (${code})` : ''}`;
    return { paymentId: objectId, status: 'failed', amount: null, currency, reason, objectId };
  }
  if (
    event.type === 'checkout.session.completed' ||
    event.type === 'checkout.session.async_payment_succeeded'
  ) {
    if (o.payment_status !== 'paid') return null; // an async method still clearing: its own event follows
    const intent = o.payment_intent;
    const paymentId = text(intent) ?? text((intent as Record<string, unknown> | null)?.id) ?? objectId;
    return {
      paymentId,
      status: 'succeeded',
      amount: o.amount_total as number,
      currency,
      reason: null,
      objectId,
    };
  }
  if (event.type === 'checkout.session.async_payment_failed' || event.type === 'checkout.session.expired') {
    const reason =
      event.type === 'checkout.session.expired'
        ? 'Stripe: the payment page expired unpaid'
        : 'Stripe: the payment on the payment page failed';
    return { paymentId: objectId, status: 'failed', amount: null, currency, reason, objectId };
  }
  return null;
}

/**
 * Applies a verified Stripe event to the purchase it names (metadata `purchase_id`, which only this
 * service sets): records the success or failure in the payments table, then wakes the purchase's
 * flow, which grants or fails from that table. Whichever comes first, this or the charge's own
 * answer, decides; the other finds it done. An event seen before (Stripe's retries, a replay) is
 * acknowledged and changes nothing. A success for another amount or currency than the purchase's,
 * or a failure of a payment that is not the purchase's current one, is ignored.
 */
export async function applyStripeEvent(
  deps: { ledger: Ledger; purchases?: Purchases },
  event: VerifiedStripeEvent,
): Promise<StripeEventOutcome> {
  if (!(STRIPE_EVENTS as readonly string[]).includes(event.type))
    return { handled: false, ignored: `event type ${event.type} is not used` };
  const metadata = (event.data.object.metadata ?? {}) as Record<string, unknown>;
  const purchaseId = text(metadata.purchase_id);
  if (!purchaseId) return { handled: false, ignored: 'not a credits purchase (no purchase_id in metadata)' };
  const purchase = await deps.ledger.purchases.get(purchaseId);
  if (!purchase) return { handled: false, ignored: `no purchase ${purchaseId}` };
  const said = readEvent(event);
  if (!said) return { handled: false, ignored: 'the event reports no final outcome' };
  const payments = deps.ledger.payments;
  if (said.status === 'succeeded') {
    const due = toMinorUnits((await payments.amountDue(purchaseId))!, purchase.currency);
    if (
      said.amount === null ||
      BigInt(said.amount) !== due ||
      said.currency !== purchase.currency.toLowerCase()
    ) {
      return { handled: false, ignored: `the amount paid differs from purchase ${purchaseId}'s price` };
    }
  } else {
    const current = await payments.forPurchase(purchaseId);
    if (current?.paymentId !== said.objectId) {
      return { handled: false, ignored: `not the current payment of purchase ${purchaseId}` };
    }
  }
  if (!(await payments.firstDelivery({ id: event.id, type: event.type, purchaseId }))) {
    return { handled: false, ignored: `event ${event.id} was already handled` };
  }
  try {
    await payments.settle({
      purchaseId,
      provider: 'stripe',
      paymentId: said.paymentId,
      status: said.status,
      failureReason: said.reason,
    });
    await deps.purchases?.paymentSettled?.(purchaseId);
  } catch (err) {
    // Stripe delivers it again (it retries on an error answer): it must be handled then.
    await payments.forgetDelivery(event.id);
    throw err;
  }
  return { handled: true, purchaseId, status: said.status };
}
