import type { INodeProperties } from 'n8n-workflow';
import type { BudgetOperation, NodeOperation } from '../types';
import { requestRaise } from './requestRaise.operation';

export const budgetOperations: Record<BudgetOperation, NodeOperation> = { requestRaise };

export const budgetDescription: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'requestRaise',
    displayOptions: { show: { resource: ['budget'] } },
    options: [
      {
        name: 'Request Raise',
        value: 'requestRaise',
        description: 'Ask the owners and admins for more of a budget until its period ends',
        action: 'Request a budget raise',
      },
    ],
  },
  ...Object.values(budgetOperations).flatMap((op) => op.description),
];
