import type { Notifier } from '../application/notifications.js';
import { type AutoTopUpActivities, autoTopUpActivities } from './auto-top-up/activities.js';
import { type RaiseActivities, raiseActivities } from './budget-raise/activities.js';
import type { ActivityDeps } from './deps.js';
import { type DigestActivities, digestActivities } from './digest/activities.js';
import { type ExpiryActivities, expiryActivities } from './expiry/activities.js';
import { type NotifyActivities, notifyActivities } from './notify/activities.js';
import { type PurchaseActivities, purchaseActivities } from './purchase/activities.js';
import type { PaymentProvider } from './purchase/payment.js';
import type { TemporalPurchases } from './purchase/service.js';
import { type RefundActivities, refundActivities } from './refund/activities.js';
import { type RevenueActivities, type RevenueWebhook, revenueActivities } from './revenue/activities.js';
import { type SubscriptionActivities, subscriptionActivities } from './subscription/activities.js';

export type Activities = NotifyActivities &
  SubscriptionActivities &
  PurchaseActivities &
  RaiseActivities &
  AutoTopUpActivities &
  ExpiryActivities &
  DigestActivities &
  RefundActivities &
  RevenueActivities;

/** Every activity the worker registers, bound to the in-process ledger, the notifiers and the payment provider. */
export function createActivities(
  deps: ActivityDeps,
  services: {
    notifiers: Notifier[];
    payments: PaymentProvider;
    purchases: TemporalPurchases;
    /** The operator's webhook for the monthly revenue CSV; none: nothing is sent. */
    revenueWebhook?: RevenueWebhook;
  },
): Activities {
  return {
    ...notifyActivities(services.notifiers, (ws, id) => deps.ledger.alertOutbox.event(ws, id)),
    ...subscriptionActivities(deps),
    ...purchaseActivities(deps, services.payments),
    ...raiseActivities(deps, deps.ledger.budgetRaises),
    ...autoTopUpActivities(deps, services.purchases),
    ...expiryActivities(deps),
    ...digestActivities(deps),
    ...refundActivities(deps, services.payments),
    ...revenueActivities(deps, services.revenueWebhook),
  };
}
