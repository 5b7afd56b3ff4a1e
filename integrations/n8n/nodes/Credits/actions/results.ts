import type { ApiResponse } from '../transport';
import { apiErrorOf, insufficientMessage } from '../transport';
import type { OperationResult } from './types';

/** A 402 answer as the item that goes to the "Insufficient Credits" output (or fails it). */
export function insufficientResult(response: ApiResponse<unknown>): OperationResult {
  const error = apiErrorOf(response);
  const details = error.details ?? {};
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
