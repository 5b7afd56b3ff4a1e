import type { INodeProperties } from 'n8n-workflow';
import type { CreditOperation, NodeOperation } from '../types';
import { check } from './check.operation';
import { debit } from './debit.operation';
import { estimate } from './estimate.operation';
import { getBalance } from './getBalance.operation';
import { reverse } from './reverse.operation';

export const creditOperations: Record<CreditOperation, NodeOperation> = {
  check,
  debit,
  estimate,
  getBalance,
  reverse,
};

export const creditDescription: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'debit',
    displayOptions: { show: { resource: ['credit'] } },
    options: [
      {
        name: 'Check',
        value: 'check',
        description: 'Tell whether a debit would succeed and what would be left after, without charging',
        action: 'Check whether a debit would succeed',
      },
      {
        name: 'Debit',
        value: 'debit',
        description: 'Consume credits (a fixed amount, or an operation priced by the catalog)',
        action: 'Debit credits',
      },
      {
        name: 'Estimate',
        value: 'estimate',
        description:
          'Estimate what operations would cost (min, expected, max) and whether they are affordable',
        action: 'Estimate a cost',
      },
      {
        name: 'Get Balance',
        value: 'getBalance',
        description: 'Get the workspace balance by credit type, next expiry and renewal',
        action: 'Get the balance',
      },
      {
        name: 'Reverse',
        value: 'reverse',
        description: 'Refund a debit (fully or partly)',
        action: 'Reverse a debit',
      },
    ],
  },
  ...Object.values(creditOperations).flatMap((op) => op.description),
];
