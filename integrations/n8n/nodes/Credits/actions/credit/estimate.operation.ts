import type { INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, throwApiError, workspacePath } from '../../transport';
import { catalogItemProperties } from '../common.description';
import { catalogItem } from '../parameters';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = catalogItemProperties(['estimate'], 'estimate');

/** Estimate: what an operation would cost (min, expected, max) and whether the balance covers it. */
export const estimate: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const response = await creditsApiRequest(
      ctx,
      'createEstimate',
      'POST',
      workspacePath(credentials, '/estimates'),
      { items: [catalogItem(ctx, itemIndex)] },
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
