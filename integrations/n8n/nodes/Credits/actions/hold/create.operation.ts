import type { INodeProperties } from 'n8n-workflow';
import {
  asItemJson,
  creditsApiRequest,
  isSuccess,
  type RequestBody,
  throwApiError,
  workspacePath,
} from '../../transport';
import { idempotencyKeyProperty, onInsufficientCreditsProperty, shownFor } from '../common.description';
import { idempotencyKey, positiveInteger } from '../parameters';
import { insufficientResult } from '../results';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [
  shownFor(['hold'], {
    displayName: 'Amount',
    name: 'amount',
    type: 'number',
    default: 1,
    required: true,
    typeOptions: { minValue: 1, numberPrecision: 0 },
    description: 'Number of credits to hold (reserve)',
  }),
  shownFor(['hold'], {
    displayName: 'Timeout (Seconds)',
    name: 'timeoutSeconds',
    type: 'number',
    default: 900,
    typeOptions: { minValue: 1, numberPrecision: 0 },
    description: 'After this long an uncaptured hold releases itself',
  }),
  idempotencyKeyProperty(['hold']),
  onInsufficientCreditsProperty(['hold']),
];

/** Hold → Create (operation value `hold`): reserve credits until capture, release or timeout. */
export const create: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const body: RequestBody<'createHold'> = {
      amount: positiveInteger(ctx, ctx.getNodeParameter('amount', itemIndex), 'Amount', itemIndex),
      timeoutSeconds: positiveInteger(
        ctx,
        ctx.getNodeParameter('timeoutSeconds', itemIndex, 900),
        'Timeout (Seconds)',
        itemIndex,
      ),
      idempotencyKey: idempotencyKey(ctx, itemIndex, 'hold'),
      source: 'n8n',
    };
    const response = await creditsApiRequest(
      ctx,
      'createHold',
      'POST',
      workspacePath(credentials, '/holds'),
      body,
    );
    if (response.statusCode === 402) return insufficientResult(response);
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
