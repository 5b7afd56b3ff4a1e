import type { INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, throwApiError } from '../../transport';
import { shownFor } from '../common.description';
import { requiredString } from '../parameters';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [
  shownFor(
    ['get'],
    {
      displayName: 'Purchase ID',
      name: 'purchaseId',
      type: 'string',
      default: '',
      required: true,
      placeholder: '={{ $json.id }}',
      description: 'ID of the purchase, as returned by Request Purchase',
    },
    { resource: ['purchase'] },
  ),
];

/** Purchase → Get: one purchase and its status (`GET /v1/purchases/{id}`). */
export const get: NodeOperation = {
  description,
  async execute(ctx, itemIndex) {
    const id = requiredString(ctx, 'purchaseId', 'Purchase ID', itemIndex);
    const response = await creditsApiRequest(
      ctx,
      'getPurchase',
      'GET',
      `/v1/purchases/${encodeURIComponent(id)}`,
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
