import { ActivityFailure, ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import type { Purchase, PurchaseStatus } from '../../application/purchases.js';
import { notifyAll } from '../notify/workflow.js';
import { acts, DAY_MS, describeWindow, payment } from './common.js';
import { approvePurchase, purchaseState, rejectPurchase } from './definitions.js';
import { trustedPurchase } from './trusted.js';
import type { Decision, PurchaseInput } from './types.js';

/**
 * A purchase of a credit package (workflow id = purchase id). Runs started since
 * `purchase-terms-from-database` trust nothing of their start input but the id: see trusted.ts.
 */
export async function purchaseWorkflow(input: PurchaseInput): Promise<Purchase> {
  if (patched('purchase-terms-from-database')) {
    return trustedPurchase(input?.purchaseId ?? input?.purchase?.id ?? '');
  }
  return legacyPurchase(input);
}

/**
 * The path of runs started before `purchase-terms-from-database`: kept as it was so that they
 * (and the recorded histories) replay. Its activities read the terms from the database all the same.
 *
 * A purchase of a credit package (workflow id = purchase id): approval by an owner or admin
 * (`approvePurchase` / `rejectPurchase` updates) within the approval window, unless approved
 * automatically; then payment, then the purchased lot, then a confirmation. Each step's activity
 * is idempotent on the purchase id (one invoice per purchase, grant key `purchase:<id>`), so a
 * crash anywhere neither charges twice nor grants twice.
 */
async function legacyPurchase(input: PurchaseInput): Promise<Purchase> {
  let view: Purchase = { ...input.purchase! };
  let decision: (Decision & { approved: boolean }) | null =
    view.status === 'approved' ? { by: view.decidedBy ?? 'policy', approved: true } : null;
  let recorded: PurchaseStatus = view.status;

  setHandlers();

  const record = async (
    status: PurchaseStatus,
    patch: Partial<Purchase> = {},
    extra?: { paymentId?: string; lotId?: string },
  ) => {
    view = { ...view, ...patch, status };
    await acts.recordPurchase(view, extra);
    recorded = status;
  };
  const tell = (step: string) =>
    notifyAll({
      kind: 'purchase_update',
      id: `purchase:${view.id}:${step}`,
      workspaceId: view.workspaceId,
      purchase: view,
      occurredAt: new Date().toISOString(),
    });

  if (!view.automatic) {
    await notifyAll({
      kind: 'approval_request',
      id: `purchase:${view.id}:approval`,
      workspaceId: view.workspaceId,
      purchase: view,
      occurredAt: new Date().toISOString(),
    });
    const answered = await condition(() => decision !== null, input.approvalWindowMs!);
    if (!answered) {
      await record('expired', {
        reason: `no approver answered within ${describeWindow(input.approvalWindowMs!)}; nothing was charged`,
      });
      await tell('expired');
      return view;
    }
    if (!decision!.approved) {
      await record('rejected', {
        decidedBy: decision!.by,
        reason: decision!.reason
          ? `rejected by ${decision!.by}: ${decision!.reason}`
          : `rejected by ${decision!.by}`,
      });
      await tell('rejected');
      return view;
    }
    await record('approved', { decidedBy: decision!.by });
  }
  await tell('approved');

  let paymentId: string;
  try {
    const charged = await payment.chargePurchase(view);
    if (charged.status === 'requires_action') throw new Error('the payment requires the customer to act');
    paymentId = charged.paymentId;
  } catch (err) {
    const cause =
      err instanceof ActivityFailure && err.cause instanceof ApplicationFailure
        ? err.cause.message
        : String(err);
    await record('failed', { reason: `payment failed: ${cause}; nothing was granted` });
    await tell('failed');
    return view;
  }
  await record('paid', {}, { paymentId });

  const expiresAt = input.validityDays
    ? new Date(Date.now() + input.validityDays * DAY_MS).toISOString()
    : null;
  const { lotId } = await acts.grantPurchase({ view, expiresAt });
  await record('completed', { reason: null }, { lotId });
  await tell('completed');
  return view;

  function setHandlers() {
    const validate = (d: Decision) => {
      if (view.status !== 'pending_approval' || decision !== null) {
        throw ApplicationFailure.nonRetryable(
          `purchase ${view.id} is already ${decision?.approved ? 'approved' : view.status}`,
          'NotPending',
        );
      }
      if (!d || typeof d.by !== 'string' || !d.by)
        throw ApplicationFailure.nonRetryable('"by" (a member id) is required', 'Invalid');
    };
    const decide = (approved: boolean) => async (d: Decision) => {
      decision = { ...d, approved };
      // Answer once the decision is in the purchases table, so a read right after sees it.
      await condition(() => recorded !== 'pending_approval');
      return view;
    };
    setHandler(approvePurchase, decide(true), { validator: validate });
    setHandler(rejectPurchase, decide(false), { validator: validate });
    setHandler(purchaseState, () => view);
  }
}
