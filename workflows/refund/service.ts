import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { RefundFlows } from '../../application/refunds.js';
import { refundWorkflowId } from './activities.js';
import type { refundWorkflow } from './workflows.js';

/** The RefundFlows port on Temporal: one refund workflow per purchase, started once. */
export class TemporalRefundFlows implements RefundFlows {
  constructor(private readonly options: { client: Client; taskQueue: string }) {}

  async start(purchaseId: string): Promise<void> {
    try {
      await this.options.client.workflow.start<typeof refundWorkflow>('refundWorkflow', {
        workflowId: refundWorkflowId(purchaseId),
        taskQueue: this.options.taskQueue,
        args: [{ purchaseId }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}
