import type { INodeProperties } from 'n8n-workflow';
import type { NodeOperation, UsageOperation } from '../types';
import { get } from './get.operation';

export const usageOperations: Record<UsageOperation, NodeOperation> = { get };

export const usageDescription: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'get',
    displayOptions: { show: { resource: ['usage'] } },
    options: [
      {
        name: 'Get',
        value: 'get',
        description: 'Get the credits used, grouped by operation, actor or day',
        action: 'Get usage',
      },
    ],
  },
  ...Object.values(usageOperations).flatMap((op) => op.description),
];
