import { ApplicationFailure } from '@temporalio/activity';
import type { Purchase } from '../../application/purchases.js';
import type { ActivityDeps } from '../deps.js';
import type { PaymentProvider } from './payment.js';

export interface PurchaseActivities {
  /** Writes the workflow's view of the purchase to the `purchases` table (idempotent). */
  recordPurchase(view: Purchase, extra?: { paymentId?: string; lotId?: string }): Promise<void>;
  chargePurchase(view: Purchase): Promise<{ paymentId: string }>;
  grantPurchase(input: {
    view: Purchase;
    expiresAt: string | null;
  }): Promise<{ lotId: string; replayed: boolean }>;
}

export function purchaseActivities(deps: ActivityDeps, payments: PaymentProvider): PurchaseActivities {
  const { ledger } = deps;
  return {
    async recordPurchase(view, extra = {}) {
      await ledger.purchases.record(view, extra);
    },

    async chargePurchase(view) {
      try {
        return await payments.charge({
          purchaseId: view.id,
          workspaceId: view.workspaceId,
          amount: view.price,
          currency: view.currency,
          idempotencyKey: `purchase:${view.id}`,
        });
      } catch (err) {
        if ((err as { retryable?: boolean }).retryable === false) {
          throw ApplicationFailure.nonRetryable((err as Error).message, 'PaymentDeclined');
        }
        throw err;
      }
    },

    async grantPurchase({ view, expiresAt }) {
      const result = await ledger.grant(view.workspaceId, {
        type: 'purchased',
        amount: view.credits,
        expiresAt,
        reason: `purchase ${view.id}: ${view.packageName} package`,
        idempotencyKey: `purchase:${view.id}`,
        origin: { kind: 'purchase', purchaseId: view.id, package: view.package },
        actor: view.decidedBy ?? view.requestedBy ?? 'workflow:purchase',
        source: 'workflow',
      });
      return { lotId: result.lot.id, replayed: result.replayed };
    },
  };
}
