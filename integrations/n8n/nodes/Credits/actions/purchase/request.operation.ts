import type { INodeProperties } from 'n8n-workflow';
import {
  asItemJson,
  creditsApiRequest,
  isSuccess,
  type RequestBody,
  throwApiError,
  workspacePath,
} from '../../transport';
import { shownFor } from '../common.description';
import { requiredString } from '../parameters';

import type { NodeOperation } from '../types';

const description: INodeProperties[] = [
  shownFor(
    ['request'],
    {
      displayName: 'Package Name or ID',
      name: 'package',
      type: 'options',
      typeOptions: { loadOptionsMethod: 'getCatalogPackages' },
      default: '',
      required: true,
      description:
        'The credit package to buy, as keyed in the catalog. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
    },
    { resource: ['purchase'] },
  ),
];

/**
 * Purchase → Request: asks for a credit package (`POST /v1/workspaces/{ws}/purchases`). The purchase
 * then waits for an owner or admin to approve it; the answer carries its ID and status.
 */
export const request: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const body: RequestBody<'createPurchase'> = {
      package: requiredString(ctx, 'package', 'Package', itemIndex),
      source: 'n8n',
    };
    const response = await creditsApiRequest(
      ctx,
      'createPurchase',
      'POST',
      workspacePath(credentials, '/purchases'),
      body,
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: asItemJson(response.body) };
  },
};
