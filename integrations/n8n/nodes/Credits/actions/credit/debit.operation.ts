import type { IDataObject, INodeProperties } from 'n8n-workflow';
import {
  asItemJson,
  creditsApiRequest,
  isSuccess,
  type RequestBody,
  throwApiError,
  workspacePath,
} from '../../transport';
import {
  chargeProperties,
  idempotencyKeyProperty,
  onInsufficientCreditsProperty,
  shownFor,
} from '../common.description';
import { actorOf, chargeSpec, idempotencyKey, jsonObjectParam } from '../parameters';
import { insufficientResult } from '../results';
import type { NodeOperation } from '../types';

const description: INodeProperties[] = [
  ...chargeProperties(['debit']),
  shownFor(['debit'], {
    displayName: 'Actor',
    name: 'actor',
    type: 'string',
    default: '',
    placeholder: '={{ $json.userId }}',
    description:
      'Who is consuming the credits (recorded in the journal). Usually an expression on the item. Empty: "n8n:workflow:&lt;workflow ID&gt;".',
  }),
  idempotencyKeyProperty(['debit']),
  onInsufficientCreditsProperty(['debit']),
  shownFor(['debit'], {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [
      {
        displayName: 'Metadata (JSON)',
        name: 'metadata',
        type: 'json',
        default: '{}',
        description:
          'Object stored with the journal entry, e.g. {"orderId": "A-1001"}. Keep it the same on retries: a reused idempotency key with a different body is refused.',
      },
    ],
  }),
];

/** Debit: consume credits, all or nothing (`POST /v1/workspaces/{ws}/debits`). */
export const debit: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const body: RequestBody<'createDebit'> = {
      ...chargeSpec(ctx, itemIndex),
      idempotencyKey: idempotencyKey(ctx, itemIndex, 'debit'),
      actor: actorOf(ctx, itemIndex),
      source: 'n8n',
    };
    const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
    if (options.metadata !== undefined) {
      body.metadata = jsonObjectParam(ctx, options.metadata, 'Metadata (JSON)', itemIndex);
    }
    const response = await creditsApiRequest(
      ctx,
      'createDebit',
      'POST',
      workspacePath(credentials, '/debits'),
      body,
    );
    if (response.statusCode === 402) return insufficientResult(response);
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    return {
      kind: 'ok',
      json: {
        ...asItemJson(response.body),
        idempotencyKey: body.idempotencyKey,
        replayed: response.replayed,
      },
    };
  },
};
