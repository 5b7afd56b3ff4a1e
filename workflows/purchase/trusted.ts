import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Purchase, PurchaseStatus } from '../../application/purchases.js';
import { notifyAll } from '../notify/workflow.js';
import type { PaymentOutcome } from './activities.js';
import {
  acts,
  checkDecisionInput,
  DAY_MS,
  describeWindow,
  failureMessage,
  PAYMENT_WINDOW_MS,
  payment,
} from './common.js';
import { approvePurchase, paymentSettled, purchaseState, rejectPurchase } from './definitions.js';
import type { ChargeResult } from './payment.js';
import type { Decision } from './types.js';

/**
 * The purchase flow that trusts nothing a caller of Temporal can forge: its terms (credits, price,
 * validity, whether it was approved automatically) come from the `purchases` row that
 * `TemporalPurchases.request` wrote from the catalog, checked against the catalog again; an
 * approval or rejection counts only once an activity has found its `by` to be an owner or admin
 * of the workspace at that moment; the payment and grant activities re-read the row (and re-check
 * the approver against the current roles) before charging or granting. A run for an id that was
 * never requested, is already settled, or whose stored terms differ from the catalog is refused
 * with nothing charged.
 */
export async function trustedPurchase(purchaseId: string): Promise<Purchase> {
  let view: Purchase | null = null;
  let loaded = false;
  let deciding = false;
  let decision: (Decision & { approved: boolean }) | null = null;
  let recorded: PurchaseStatus | null = null;
  let settleSignals = 0;

  setHandlers();

  // The id check is the activity's: a replay runs under another workflow id than the original.
  const found = await acts.loadPurchase({ purchaseId, workflowId: workflowInfo().workflowId });
  loaded = true;
  if (!found.ok) {
    if (found.purchase) {
      view = { ...found.purchase, status: 'failed', reason: found.reason };
      await acts.recordPurchase(view);
      await tell('failed');
      return view;
    }
    throw ApplicationFailure.nonRetryable(found.reason, 'Refused');
  }
  view = found.purchase;
  recorded = view.status;
  const automatic = view.status === 'approved' && view.automatic;

  if (!automatic) {
    await notify('approval_request', 'approval');
    const deadline = view.approvalDeadline ? Date.parse(view.approvalDeadline) : Date.now();
    const windowMs = Math.max(0, deadline - Date.parse(view.createdAt));
    const answered = await condition(() => decision !== null, Math.max(1, deadline - Date.now()));
    // A decision being checked when the window closes is waited for.
    if (!answered && deciding) await condition(() => !deciding);
    if (!decision) {
      await record('expired', {
        reason: `no approver answered within ${describeWindow(windowMs)}; nothing was charged`,
      });
      await tell('expired');
      return view;
    }
    const d = decision as Decision & { approved: boolean };
    if (!d.approved) {
      await record('rejected', {
        decidedBy: d.by,
        reason: d.reason ? `rejected by ${d.by}: ${d.reason}` : `rejected by ${d.by}`,
      });
      await tell('rejected');
      return view;
    }
    await record('approved', { decidedBy: d.by });
  }
  await tell('approved');

  let charged: ChargeResult;
  try {
    charged = await payment.chargePurchase(view);
  } catch (err) {
    const cause =
      err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : null;
    const refused = cause?.type === 'NotApproved' || cause?.type === 'TermsRefused';
    await record('failed', {
      reason: refused
        ? `refused: ${cause!.message}; nothing was charged`
        : `payment failed: ${failureMessage(err)}; nothing was granted`,
    });
    await tell('failed');
    return view;
  }
  // Runs recorded before Stripe answered `{ paymentId }` alone: a payment that succeeded.
  let paymentId: string;
  if (charged.status === 'requires_action') {
    const outcome = await awaitPayment(charged.hostedUrl);
    if (outcome.status !== 'succeeded') {
      await record(outcome.status === 'failed' ? 'failed' : 'expired', {
        reason:
          outcome.status === 'failed'
            ? `payment failed: ${outcome.reason}; nothing was granted`
            : `not paid on the payment page within ${describeWindow(PAYMENT_WINDOW_MS)}; nothing was charged`,
      });
      await tell(outcome.status === 'failed' ? 'failed' : 'expired');
      return view;
    }
    paymentId = outcome.paymentId;
  } else {
    paymentId = charged.paymentId;
  }
  await record('paid', {}, { paymentId });

  const expiresAt = found.validityDays
    ? new Date(Date.now() + found.validityDays * DAY_MS).toISOString()
    : null;
  const { lotId } = await acts.grantPurchase({ view, expiresAt });
  await record('completed', { reason: null }, { lotId });
  await tell('completed');
  return view;

  /**
   * The customer must pay on the provider's page: the approver gets its link, and the flow waits
   * for the webhook's word (re-read from the payments table, never taken from the signal) until
   * the window closes.
   */
  async function awaitPayment(hostedUrl: string): Promise<PaymentOutcome | { status: 'expired' }> {
    const deadline = Date.now() + PAYMENT_WINDOW_MS;
    await record('awaiting_payment', {
      reason: `pay on the payment page ${hostedUrl} by ${new Date(deadline).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    });
    await tell('awaiting_payment');
    for (;;) {
      const seen = settleSignals;
      const outcome = await acts.paymentOutcome(purchaseId);
      if (outcome.status !== 'requires_action') return outcome;
      const woken = await condition(() => settleSignals > seen, Math.max(1, deadline - Date.now()));
      if (!woken) {
        const last = await acts.paymentOutcome(purchaseId);
        return last.status === 'requires_action' ? { status: 'expired' } : last;
      }
    }
  }

  async function record(
    status: PurchaseStatus,
    patch: Partial<Purchase> = {},
    extra?: { paymentId?: string; lotId?: string },
  ) {
    view = { ...view!, ...patch, status };
    await acts.recordPurchase(view, extra);
    recorded = status;
  }

  function notify(kind: 'approval_request' | 'purchase_update', step: string) {
    return notifyAll({
      kind,
      id: `purchase:${view!.id}:${step}`,
      workspaceId: view!.workspaceId,
      purchase: view!,
      occurredAt: new Date().toISOString(),
    });
  }

  function tell(step: string) {
    return notify('purchase_update', step);
  }

  function notPending(): ApplicationFailure {
    const status = decision?.approved ? 'approved' : deciding ? 'being decided' : (view?.status ?? 'unknown');
    return ApplicationFailure.nonRetryable(`purchase ${purchaseId} is already ${status}`, 'NotPending');
  }

  function setHandlers() {
    const validate = (d: Decision) => {
      if (loaded && (view?.status !== 'pending_approval' || decision !== null || deciding))
        throw notPending();
      checkDecisionInput(d);
    };
    const decide = (approved: boolean) => async (d: Decision) => {
      await condition(() => loaded);
      if (view?.status !== 'pending_approval' || decision !== null || deciding) throw notPending();
      deciding = true;
      let by: string;
      try {
        by = await acts.confirmApprover({ purchaseId, by: d.by, approved, ticket: d.ticket });
      } catch (err) {
        throw ApplicationFailure.nonRetryable(failureMessage(err), 'NotApprover');
      } finally {
        deciding = false;
      }
      if (recorded !== 'pending_approval' || decision !== null) throw notPending();
      decision = { by, approved, ...(d.reason ? { reason: d.reason } : {}) };
      // Answer once the decision is in the purchases table, so a read right after sees it.
      await condition(() => recorded !== 'pending_approval');
      return view!;
    };
    setHandler(approvePurchase, decide(true), { validator: validate });
    setHandler(rejectPurchase, decide(false), { validator: validate });
    setHandler(paymentSettled, () => {
      settleSignals++;
    });
    setHandler(purchaseState, () => {
      if (!view) throw new Error(`purchase ${purchaseId} is not loaded yet`);
      return view;
    });
  }
}
