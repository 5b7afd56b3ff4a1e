import type { INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, type RequestBody, throwApiError } from '../../transport';
import { holdIdProperty, idempotencyKeyProperty, shownFor } from '../common.description';
import { idempotencyKey, positiveInteger, requiredString } from '../parameters';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [
  holdIdProperty(['capture']),
  shownFor(['capture'], {
    displayName: 'Amount',
    name: 'amount',
    type: 'number',
    default: 1,
    required: true,
    typeOptions: { minValue: 1, numberPrecision: 0 },
    description: 'Credits to charge, at most the held amount; the rest returns to the balance',
  }),
  idempotencyKeyProperty(['capture']),
];

/** Hold → Capture: charge up to the held amount; the rest returns to the balance. */
export const capture: NodeOperation = {
  description,
  async execute(ctx, itemIndex) {
    const holdId = requiredString(ctx, 'holdId', 'Hold ID', itemIndex);
    const body: RequestBody<'captureHold'> = {
      amount: positiveInteger(ctx, ctx.getNodeParameter('amount', itemIndex), 'Amount', itemIndex),
      idempotencyKey: idempotencyKey(ctx, itemIndex, 'capture'),
      source: 'n8n',
    };
    const response = await creditsApiRequest(
      ctx,
      'captureHold',
      'POST',
      `/v1/holds/${encodeURIComponent(holdId)}/capture`,
      body,
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
