import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { PurchaseActivities } from './activities.js';

/** What both paths of the purchase workflow share (workflow code: deterministic only). */

export const acts = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
export const payment = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '2 minutes',
  // A payment that keeps failing for a day fails the purchase instead of waiting forever.
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const DAY_MS = 24 * 3600 * 1000;

/**
 * How long a purchase waits for the customer on the payment page: a little longer than a Stripe
 * Checkout Session lives (24 h from its creation, which is before the wait starts), so a payment
 * can never succeed after the purchase stopped waiting.
 */
export const PAYMENT_WINDOW_MS = DAY_MS + 10 * 60 * 1000;

export function describeWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** An activity's refusal as the person should read it (its ApplicationFailure's message). */
export function failureMessage(err: unknown): string {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure
    ? err.cause.message
    : String(err);
}

/** The shape of an approval's update (purchases and budget raises): who decides, and why. */
export function checkDecisionInput(d: { by?: unknown; reason?: unknown } | null | undefined): void {
  if (!d || typeof d.by !== 'string' || !d.by.trim())
    throw ApplicationFailure.nonRetryable('"by" (a member id) is required', 'Invalid');
  if (d.reason !== undefined && (typeof d.reason !== 'string' || d.reason.length > 500))
    throw ApplicationFailure.nonRetryable('"reason" must be a string of at most 500 characters', 'Invalid');
}
