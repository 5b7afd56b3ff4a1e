import type { ApiResponse } from '../transport';
import { apiErrorOf, insufficientMessage } from '../transport';
import type { OperationResult } from './types';

/** A 402 answer as the item that goes to the "Insufficient Credits" output (or fails it). */
export function insufficientResult(response: ApiResponse<unknown>): OperationResult {
  const error = apiErrorOf(response);
  const details = error.details ?? {};
  if (error.code === 'budget_exceeded') {
    // A budget refused it: the same output, with what the budget says, so a workflow can ask for a raise.
    const message = insufficientMessage(error);
    return {
      kind: 'insufficient',
      message,
      details: {
        code: error.code,
        message,
        budgetId: details.budgetId,
        limit: details.limit,
        used: details.used,
        requested: details.requested,
        resetsAt: details.resetsAt,
      },
    };
  }
  return {
    kind: 'insufficient',
    message: insufficientMessage(error),
    details: {
      code: error.code,
      message: insufficientMessage(error),
      required: details.required,
      available: details.available,
    },
  };
}
