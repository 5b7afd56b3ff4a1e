import type { INodeProperties } from 'n8n-workflow';
import type { BudgetOperation, NodeOperation } from '../types';
import { getAll } from './getAll.operation';
import { requestRaise } from './requestRaise.operation';

export const budgetOperations: Record<BudgetOperation, NodeOperation> = { getAll, requestRaise };

export const budgetDescription: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'getAll',
    displayOptions: { show: { resource: ['budget'] } },
    options: [
      {
        name: 'Get Many',
        value: 'getAll',
        description: "Get the workspace's budgets with what each used this period and when it resets",
        action: 'Get budgets',
      },
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
