import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { asItemJson, creditsApiRequest, isSuccess, type RequestBody, throwApiError } from '../../transport';
import { idempotencyKeyProperty, shownFor } from '../common.description';
import { idempotencyKey, positiveInteger, requiredString } from '../parameters';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [
  shownFor(['reverse'], {
    displayName: 'Transaction ID',
    name: 'transactionId',
    type: 'string',
    default: '',
    required: true,
    placeholder: '={{ $json.transaction.id }}',
    description: 'ID of the debit transaction to reverse',
  }),
  idempotencyKeyProperty(['reverse']),
  shownFor(['reverse'], {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Amount',
        name: 'amount',
        type: 'number',
        default: 1,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        description: 'Refund only part of the debit. Empty: the whole debit.',
      },
      {
        displayName: 'Reason',
        name: 'reason',
        type: 'string',
        default: '',
        description: 'Why the debit is reversed (recorded in the journal)',
      },
    ],
  }),
];

/** Reverse: refund a debit, fully or partly (`POST /v1/transactions/{id}/reverse`). */
export const reverse: NodeOperation = {
  description,
  async execute(ctx, itemIndex) {
    const transactionId = requiredString(ctx, 'transactionId', 'Transaction ID', itemIndex);
    const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
    const body: RequestBody<'reverseTransaction'> = {
      idempotencyKey: idempotencyKey(ctx, itemIndex, 'reverse'),
      source: 'n8n',
    };
    if (options.amount !== undefined && options.amount !== null && options.amount !== '') {
      body.amount = positiveInteger(ctx, options.amount, 'Amount', itemIndex);
    }
    if (options.reason) body.reason = String(options.reason);
    const response = await creditsApiRequest(
      ctx,
      'reverseTransaction',
      'POST',
      `/v1/transactions/${encodeURIComponent(transactionId)}/reverse`,
      body,
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return { kind: 'ok', json: { ...asItemJson(response.body), replayed: response.replayed } };
  },
};
