import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CreditsError } from '../../ledger/errors.js';

/**
 * Sends an approval's decision (a purchase's or a budget raise's update) and turns what the flow
 * answers into the API's errors: the approver refused by the flow → 403 naming `by`; a flow that
 * is no longer pending or is gone → what `notPending` says (409 with the current status).
 */
export async function sendDecision<T>(
  update: () => Promise<T>,
  by: string | undefined,
  notPending: () => Promise<CreditsError>,
): Promise<T> {
  try {
    return await update();
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : null;
    if (cause instanceof ApplicationFailure && cause.type === 'NotApprover') {
      throw new CreditsError('forbidden', cause.message, { by });
    }
    if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) {
      throw await notPending();
    }
    throw err;
  }
}
