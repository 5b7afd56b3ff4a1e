import type { INodeProperties } from 'n8n-workflow';
import type { NodeOperation, TransactionOperation } from '../types';
import { getAll } from './getAll.operation';

export const transactionOperations: Record<TransactionOperation, NodeOperation> = { getAll };

export const transactionDescription: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'getAll',
    displayOptions: { show: { resource: ['transaction'] } },
    options: [
      {
        name: 'Get Many',
        value: 'getAll',
        description: 'Get journal entries (debits, grants, expiries, reversals), newest first',
        action: 'Get many transactions',
      },
    ],
  },
  ...Object.values(transactionOperations).flatMap((op) => op.description),
];
