import type { INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, throwApiError, workspacePath } from '../../transport';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [];

/** Get Balance: the workspace balance by credit type, next expiry and renewal. */
export const getBalance: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const response = await creditsApiRequest(
      ctx,
      'getBalance',
      'GET',
      workspacePath(credentials, '/balance'),
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
