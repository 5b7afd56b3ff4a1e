import type { INodeProperties } from 'n8n-workflow';
import { budgetDescription } from './budget';
import { creditDescription } from './credit';
import { holdDescription } from './hold';
import { purchaseDescription } from './purchase';
import { transactionDescription } from './transaction';
import { usageDescription } from './usage';

/**
 * The node has one output, or two ("Success", "Insufficient Credits") when the user chose to route
 * insufficient credits instead of failing. n8n evaluates this expression against the node's parameters.
 */
export const OUTPUTS_EXPRESSION = `={{ ${[
  '["debit", "hold"].includes($parameter["operation"]) && $parameter["onInsufficientCredits"] === "route"',
  '? [{ "type": "main", "displayName": "Success" }, { "type": "main", "displayName": "Insufficient Credits" }]',
  ': [{ "type": "main" }]',
].join(' ')} }}` as const;

/** Resource, then each resource's Operation and the parameters of each operation (from its own file). */
export const properties: INodeProperties[] = [
  {
    displayName: 'Resource',
    name: 'resource',
    type: 'options',
    noDataExpression: true,
    default: 'credit',
    options: [
      { name: 'Budget', value: 'budget' },
      { name: 'Credit', value: 'credit' },
      { name: 'Hold', value: 'hold' },
      { name: 'Purchase', value: 'purchase' },
      { name: 'Transaction', value: 'transaction' },
      { name: 'Usage', value: 'usage' },
    ],
  },
  ...budgetDescription,
  ...creditDescription,
  ...holdDescription,
  ...purchaseDescription,
  ...transactionDescription,
  ...usageDescription,
];
