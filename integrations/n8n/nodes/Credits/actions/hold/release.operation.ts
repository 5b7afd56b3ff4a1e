import type { INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, throwApiError } from '../../transport';
import { holdIdProperty } from '../common.description';
import { requiredString } from '../parameters';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [holdIdProperty(['release'])];

/** Hold → Release: give every held credit back without charging anything. */
export const release: NodeOperation = {
  description,
  async execute(ctx, itemIndex) {
    const holdId = requiredString(ctx, 'holdId', 'Hold ID', itemIndex);
    const response = await creditsApiRequest(
      ctx,
      'releaseHold',
      'POST',
      `/v1/holds/${encodeURIComponent(holdId)}/release`,
      {},
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
