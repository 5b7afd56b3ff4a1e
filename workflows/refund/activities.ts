import { ApplicationFailure } from '@temporalio/activity';
import type { RefundRecord } from '../../ledger/stores/refunds.js';
import type { ActivityDeps } from '../deps.js';
import type { PaymentProvider } from '../purchase/payment.js';

/** The id recorded when nothing was owed back (a refund worth 0.00): no provider call is made. */
export const NOTHING_TO_PAY_BACK = 'none:zero-amount';

export interface RefundActivities {
  /**
   * Asks the payment provider to pay back the refund recorded for this purchase (what the ledger
   * wrote with the `refund` entry: amount, currency, payment), once per purchase: the provider's
   * idempotency key is `refund:<purchase id>`, so a retry or a second run never refunds twice.
   */
  refundPayment(input: { purchaseId: string; workflowId: string }): Promise<{ refundId: string }>;
  /** Marks the recorded refund done with the provider's id (idempotent). */
  completeRefund(input: { purchaseId: string; refundId: string }): Promise<RefundRecord>;
  /** Purchases whose refund the provider has not confirmed, recorded more than `olderThanMs` ago. */
  pendingRefunds(input: { olderThanMs: number }): Promise<string[]>;
}

export function refundWorkflowId(purchaseId: string): string {
  return `refund-${purchaseId}`;
}

export function refundActivities(deps: ActivityDeps, payments: PaymentProvider): RefundActivities {
  const { ledger } = deps;
  return {
    async refundPayment({ purchaseId, workflowId }) {
      if (workflowId !== refundWorkflowId(purchaseId)) {
        throw ApplicationFailure.nonRetryable(
          `a refund workflow must run as ${refundWorkflowId(purchaseId)}, not ${JSON.stringify(workflowId)}`,
          'UnknownRefund',
        );
      }
      const refund = await ledger.refunds.get(purchaseId);
      if (!refund) {
        throw ApplicationFailure.nonRetryable(
          `no refund of purchase ${purchaseId} is recorded`,
          'UnknownRefund',
        );
      }
      if (refund.providerRefundId) return { refundId: refund.providerRefundId };
      if (refund.amount === '0.00') return { refundId: NOTHING_TO_PAY_BACK };
      const purchase = await ledger.purchases.get(purchaseId);
      if (!purchase?.paymentId) {
        throw ApplicationFailure.nonRetryable(`purchase ${purchaseId} has no payment to refund`, 'NoPayment');
      }
      try {
        return await payments.refund({
          purchaseId,
          workspaceId: refund.workspaceId,
          paymentId: purchase.paymentId,
          amount: refund.amount,
          currency: refund.currency,
          idempotencyKey: `refund:${purchaseId}`,
        });
      } catch (err) {
        if ((err as { retryable?: boolean }).retryable === false) {
          throw ApplicationFailure.nonRetryable((err as Error).message, 'RefundRefused');
        }
        throw err;
      }
    },

    async completeRefund({ purchaseId, refundId }) {
      const done = await ledger.refunds.markRefunded(purchaseId, refundId, ledger.now());
      if (!done)
        throw ApplicationFailure.nonRetryable(
          `no refund of purchase ${purchaseId} is recorded`,
          'UnknownRefund',
        );
      return done;
    },

    async pendingRefunds({ olderThanMs }) {
      const rows = await ledger.refunds.pending(new Date(ledger.now().getTime() - olderThanMs));
      return rows.map((r) => r.purchaseId);
    },
  };
}
