import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
  asItemJson,
  creditsApiRequest,
  isSuccess,
  type QueryParams,
  throwApiError,
  workspacePath,
} from '../../transport';
import { shownFor } from '../common.description';
import { timeParam } from '../parameters';
import type { NodeOperation } from '../types';

type Query = QueryParams<'listTransactions'>;

/** The API's largest page (`limit` maximum in contract/openapi.json). */
const PAGE_SIZE = 200;

const KINDS: NonNullable<Query['kind']>[] = ['grant', 'debit', 'expire', 'reverse', 'adjust'];
const SOURCES: NonNullable<Query['source']>[] = ['api', 'cli', 'discord', 'n8n', 'slack', 'workflow'];
const title = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);
const forTransactions = { resource: ['transaction'] };

const description: INodeProperties[] = [
  shownFor(
    ['getAll'],
    {
      displayName: 'Return All',
      name: 'returnAll',
      type: 'boolean',
      default: false,
      description: 'Whether to return all results or only up to a given limit',
    },
    forTransactions,
  ),
  shownFor(
    ['getAll'],
    {
      displayName: 'Limit',
      name: 'limit',
      type: 'number',
      default: 50,
      typeOptions: { minValue: 1 },
      description: 'Max number of results to return',
    },
    { ...forTransactions, returnAll: [false] },
  ),
  shownFor(
    ['getAll'],
    {
      displayName: 'Filters',
      name: 'filters',
      type: 'collection',
      placeholder: 'Add Filter',
      default: {},
      options: [
        {
          displayName: 'Actor',
          name: 'actor',
          type: 'string',
          default: '',
          description: 'Only entries by this actor (as recorded with the debit)',
        },
        {
          displayName: 'From',
          name: 'from',
          type: 'dateTime',
          default: '',
          description: 'Only entries at or after this time (UTC)',
        },
        {
          displayName: 'Kind',
          name: 'kind',
          type: 'options',
          default: 'debit',
          options: KINDS.map((kind) => ({ name: title(kind), value: kind })),
          description: 'Only entries of this kind',
        },
        {
          displayName: 'Operation',
          name: 'operation',
          type: 'string',
          default: '',
          placeholder: 'image',
          description: 'Only debits of this catalog operation',
        },
        {
          displayName: 'Source',
          name: 'source',
          type: 'options',
          default: 'n8n',
          options: SOURCES.map((source) => ({
            name: source === 'cli' ? 'CLI' : title(source),
            value: source,
          })),
          description: 'Only entries made through this channel',
        },
        {
          displayName: 'To',
          name: 'to',
          type: 'dateTime',
          default: '',
          description: 'Only entries before this time (UTC)',
        },
      ],
    },
    forTransactions,
  ),
];

function limitOf(ctx: IExecuteFunctions, itemIndex: number): number {
  const value = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
  const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new NodeOperationError(
      ctx.getNode(),
      `"Limit" must be a whole number of at least 1, got ${JSON.stringify(value)}`,
      { itemIndex },
    );
  }
  return limit;
}

/** The API's filters from the Filters collection; anything unknown or malformed is named. */
function filtersOf(ctx: IExecuteFunctions, itemIndex: number): Query {
  const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
  const query: Query = {};
  const text = (name: string) => {
    const value = filters[name];
    return value === undefined || value === null || String(value).trim() === ''
      ? undefined
      : String(value).trim();
  };
  const kind = text('kind');
  if (kind !== undefined) {
    if (!KINDS.includes(kind as never)) {
      throw new NodeOperationError(
        ctx.getNode(),
        `Filter "Kind" must be one of ${KINDS.join(', ')}, got "${kind}"`,
        {
          itemIndex,
        },
      );
    }
    query.kind = kind as Query['kind'];
  }
  const source = text('source');
  if (source !== undefined) {
    if (!SOURCES.includes(source as never)) {
      throw new NodeOperationError(
        ctx.getNode(),
        `Filter "Source" must be one of ${SOURCES.join(', ')}, got "${source}"`,
        { itemIndex },
      );
    }
    query.source = source as Query['source'];
  }
  query.operation = text('operation');
  query.actor = text('actor');
  query.from = timeParam(ctx, filters.from, 'From', itemIndex);
  query.to = timeParam(ctx, filters.to, 'To', itemIndex);
  return query;
}

/**
 * Transaction → Get Many: journal entries, newest first (`GET /v1/workspaces/{ws}/transactions`),
 * following the API's `nextCursor` until every entry is read (Return All) or Limit is reached.
 */
export const getAll: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
    const limit = returnAll ? Number.POSITIVE_INFINITY : limitOf(ctx, itemIndex);
    const filters = filtersOf(ctx, itemIndex);
    const entries: IDataObject[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const response = await creditsApiRequest(
        ctx,
        'listTransactions',
        'GET',
        workspacePath(credentials, '/transactions'),
        undefined,
        { ...filters, cursor, limit: Math.min(PAGE_SIZE, limit - entries.length) },
      );
      if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
      for (const entry of response.body.items) entries.push(asItemJson(entry));
      const next = response.body.nextCursor ?? undefined;
      if (next !== undefined && seen.has(next)) {
        throw new NodeOperationError(ctx.getNode(), `The Credits API returned the cursor "${next}" twice`, {
          itemIndex,
        });
      }
      if (next !== undefined) seen.add(next);
      cursor = next;
    } while (cursor !== undefined && entries.length < limit);
    return { kind: 'many', items: entries.slice(0, limit) };
  },
};
