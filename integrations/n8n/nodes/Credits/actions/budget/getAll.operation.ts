import type { IDataObject } from 'n8n-workflow';
import { creditsApiRequest, isSuccess, throwApiError, workspacePath } from '../../transport';
import type { NodeOperation } from '../types';

/**
 * Budget → Get Many: the workspace's budgets, one item each, with what its current period used,
 * what remains and when it resets (`GET /v1/workspaces/{ws}/budgets`).
 */
export const getAll: NodeOperation = {
  description: [],
  async execute(ctx, itemIndex, credentials) {
    const response = await creditsApiRequest(
      ctx,
      'listBudgets',
      'GET',
      workspacePath(credentials, '/budgets'),
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'many', items: response.body.items as unknown as IDataObject[] };
  },
};
