import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { RefundActivities } from './activities.js';

const acts = proxyActivities<RefundActivities>({
  startToCloseTimeout: '1 minute',
  // The money is owed: keep asking (same idempotency key) until the provider answers.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Pays back a refund the ledger already recorded (workflow id `refund-<purchase id>`, input the
 * purchase id only; amount, currency and payment are read from the database). The ledger part
 * (credits voided, purchase refunded) committed before this starts, so a crash anywhere here only
 * delays the provider's refund, which is asked once per purchase whatever the retries.
 */
export async function refundWorkflow(input: {
  purchaseId: string;
}): Promise<{ purchaseId: string; refundId: string }> {
  const purchaseId = String(input?.purchaseId ?? '');
  const { refundId } = await acts.refundPayment({ purchaseId, workflowId: workflowInfo().workflowId });
  await acts.completeRefund({ purchaseId, refundId });
  return { purchaseId, refundId };
}

/**
 * Starts the refund workflow of every refund still pending a minute after it was recorded (the
 * API process died between the ledger's commit and starting the workflow); one already running
 * is left alone. Called by the maintenance workflow.
 */
export async function restartPendingRefunds(): Promise<number> {
  const pending = await acts.pendingRefunds({ olderThanMs: 60_000 });
  let started = 0;
  for (const purchaseId of pending) {
    try {
      await startChild(refundWorkflow, {
        workflowId: `refund-${purchaseId}`,
        args: [{ purchaseId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      started += 1;
    } catch (err) {
      // (@temporalio/workflow does not export the class; the error keeps its name.)
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    }
  }
  return started;
}
