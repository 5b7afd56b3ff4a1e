import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, throwApiError, workspacePath } from '../../transport';
import { chargeProperties } from '../common.description';
import { chargeSpec } from '../parameters';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = chargeProperties(['check']);

/**
 * Check: would this debit succeed, and what would be left after? One request, nothing charged or
 * reserved: a fixed amount is compared with the balance; a catalog operation is answered by
 * `/estimates`, which prices it against the balance itself (at the expected and at the worst case).
 */
export const check: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const spec = chargeSpec(ctx, itemIndex);
    if ('amount' in spec) {
      const response = await creditsApiRequest(
        ctx,
        'getBalance',
        'GET',
        workspacePath(credentials, '/balance'),
      );
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      // `total` is what is spendable: the API already leaves out what active holds reserve.
      const result = outcome(spec.amount, response.body.total);
      return { kind: 'ok', json: { ...result, balance: asItemJson(response.body) } };
    }

    const response = await creditsApiRequest(
      ctx,
      'createEstimate',
      'POST',
      workspacePath(credentials, '/estimates'),
      { items: [spec] },
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    const estimate = response.body;
    const result: IDataObject = {
      ...outcome(estimate.expected, estimate.balance, estimate.affordableAtExpected),
      min: estimate.min,
      expected: estimate.expected,
      max: estimate.max,
      wouldSucceedAtMax: estimate.affordable,
      estimate: asItemJson(estimate),
      // The estimate carries the spendable total only; Get Balance has the rest.
      balance: { total: estimate.balance },
    };
    return { kind: 'ok', json: result };
  },
};

function outcome(required: number, available: number, wouldSucceed = available >= required): IDataObject {
  return {
    wouldSucceed,
    required,
    available,
    remainingAfter: wouldSucceed ? available - required : available,
    shortfall: wouldSucceed ? 0 : required - available,
  };
}
