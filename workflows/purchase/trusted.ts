import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Purchase, PurchaseStatus } from '../../application/purchases.js';
import { notifyAll } from '../notify/workflow.js';
import { acts, DAY_MS, describeWindow, payment } from './common.js';
import { approvePurchase, purchaseState, rejectPurchase } from './definitions.js';
import type { Decision } from './types.js';

function failureMessage(err: unknown): string {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure
    ? err.cause.message
    : String(err);
}

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

  let paymentId: string;
  try {
    const charged = await payment.chargePurchase(view);
    if (charged.status === 'requires_action') throw new Error('the payment requires the customer to act');
    paymentId = charged.paymentId;
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
  await record('paid', {}, { paymentId });

  const expiresAt = found.validityDays
    ? new Date(Date.now() + found.validityDays * DAY_MS).toISOString()
    : null;
  const { lotId } = await acts.grantPurchase({ view, expiresAt });
  await record('completed', { reason: null }, { lotId });
  await tell('completed');
  return view;

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
      if (!d || typeof d.by !== 'string' || !d.by.trim())
        throw ApplicationFailure.nonRetryable('"by" (a member id) is required', 'Invalid');
      if (d.reason !== undefined && (typeof d.reason !== 'string' || d.reason.length > 500))
        throw ApplicationFailure.nonRetryable(
          '"reason" must be a string of at most 500 characters',
          'Invalid',
        );
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
    setHandler(purchaseState, () => {
      if (!view) throw new Error(`purchase ${purchaseId} is not loaded yet`);
      return view;
    });
  }
}
