import type { INodeProperties } from 'n8n-workflow';
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

type Query = QueryParams<'getUsage'>;
const forUsage = { resource: ['usage'] };

const description: INodeProperties[] = [
  shownFor(
    ['get'],
    {
      displayName: 'Group By',
      name: 'groupBy',
      type: 'options',
      default: 'operation',
      options: [
        { name: 'Operation', value: 'operation', description: 'Credits used per catalog operation' },
        { name: 'Actor', value: 'actor', description: 'Credits used per actor (member, workflow, …)' },
        { name: 'Day', value: 'day', description: 'Credits used per day (UTC)' },
      ],
    },
    forUsage,
  ),
  shownFor(
    ['get'],
    {
      displayName: 'Output',
      name: 'output',
      type: 'options',
      default: 'summary',
      options: [
        {
          name: 'Summary',
          value: 'summary',
          description: 'One item with the total and the list of groups',
        },
        {
          name: 'One Item per Group',
          value: 'groups',
          description: 'One item per group (key, used, count), e.g. for a sheet or a chart',
        },
      ],
    },
    forUsage,
  ),
  shownFor(
    ['get'],
    {
      displayName: 'Options',
      name: 'usageOptions',
      type: 'collection',
      placeholder: 'Add option',
      default: {},
      options: [
        {
          displayName: 'From',
          name: 'from',
          type: 'dateTime',
          default: '',
          description: 'Count usage at or after this time (UTC)',
        },
        {
          displayName: 'To',
          name: 'to',
          type: 'dateTime',
          default: '',
          description: 'Count usage before this time (UTC)',
        },
      ],
    },
    forUsage,
  ),
];

/** Usage → Get: credits used, grouped by operation, actor or day (`GET /v1/workspaces/{ws}/usage`). */
export const get: NodeOperation = {
  description,
  async execute(ctx, itemIndex, credentials) {
    const options = ctx.getNodeParameter('usageOptions', itemIndex, {}) as { from?: unknown; to?: unknown };
    const query: Query = {
      groupBy: ctx.getNodeParameter('groupBy', itemIndex, 'operation') as Query['groupBy'],
      from: timeParam(ctx, options.from, 'From', itemIndex),
      to: timeParam(ctx, options.to, 'To', itemIndex),
    };
    const response = await creditsApiRequest(
      ctx,
      'getUsage',
      'GET',
      workspacePath(credentials, '/usage'),
      undefined,
      query,
    );
    if (!isSuccess(response)) throwApiError(ctx, response, itemIndex);
    const usage = response.body;
    if (ctx.getNodeParameter('output', itemIndex, 'summary') === 'groups') {
      return {
        kind: 'many',
        items: usage.groups.map((group) => ({
          groupBy: usage.groupBy,
          from: usage.from,
          to: usage.to,
          ...group,
        })),
      };
    }
    return { kind: 'ok', json: asItemJson(usage) };
  },
};
