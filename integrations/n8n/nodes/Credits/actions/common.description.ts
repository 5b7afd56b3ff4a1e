import type { INodeProperties } from 'n8n-workflow';
import type { Operation } from './types';

/** Operations that can answer `insufficient_credits` and therefore may route to the second output. */
export const ROUTABLE: Operation[] = ['debit', 'hold'];

/** Shows a property for the given operations (and any further conditions), as n8n evaluates it. */
export function shownFor(
  operations: Operation[],
  property: INodeProperties,
  more: Record<string, Array<string | boolean>> = {},
): INodeProperties {
  return { ...property, displayOptions: { show: { operation: operations, ...more } } };
}

/** Charge By + Amount, or Catalog Operation + Quantity + Parameters: what Debit and Check charge. */
export function chargeProperties(operations: Operation[]): INodeProperties[] {
  const byOperation = { chargeBy: ['operation'] };
  return [
    shownFor(operations, {
      displayName: 'Charge By',
      name: 'chargeBy',
      type: 'options',
      default: 'amount',
      options: [
        { name: 'Fixed Amount', value: 'amount', description: 'A whole number of credits' },
        {
          name: 'Catalog Operation',
          value: 'operation',
          description: 'An operation (e.g. an image model) priced by the catalog',
        },
      ],
    }),
    shownFor(
      operations,
      {
        displayName: 'Amount',
        name: 'amount',
        type: 'number',
        default: 1,
        required: true,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        description: 'Number of credits to debit (a positive whole number)',
      },
      { chargeBy: ['amount'] },
    ),
    ...catalogItemProperties(operations, 'price', byOperation),
  ];
}

/** Catalog Operation, Quantity and Parameters (JSON): one item the catalog prices. */
export function catalogItemProperties(
  operations: Operation[],
  verb: 'price' | 'estimate',
  more: Record<string, string[]> = {},
): INodeProperties[] {
  return [
    shownFor(
      operations,
      {
        displayName: 'Catalog Operation Name or ID',
        name: 'catalogOperation',
        type: 'options',
        typeOptions: { loadOptionsMethod: 'getCatalogOperations' },
        default: '',
        required: true,
        description: `The operation to ${verb}, as keyed in the catalog. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
      },
      more,
    ),
    shownFor(
      operations,
      {
        displayName: 'Quantity',
        name: 'quantity',
        type: 'number',
        default: 1,
        typeOptions: { minValue: 1, numberPrecision: 0 },
        description: 'How many units (images, posts, seconds, …) of the operation',
      },
      more,
    ),
    shownFor(
      operations,
      {
        displayName: 'Parameters (JSON)',
        name: 'params',
        type: 'json',
        default: '{}',
        description: 'Parameters the catalog uses to price the operation, e.g. {"model": "flux-2-pro"}',
      },
      more,
    ),
  ];
}

export function idempotencyKeyProperty(operations: Operation[]): INodeProperties {
  return shownFor(operations, {
    displayName: 'Idempotency Key',
    name: 'idempotencyKey',
    type: 'string',
    default: '',
    placeholder: '={{ $json.orderId }}',
    description:
      'A request with a key already used returns the first result and charges nothing. Empty: derived from the execution ID, this node and the item index, so retries within one execution never charge twice. Set it from your data (e.g. an order ID) so that re-running the workflow does not charge again.',
  });
}

export function onInsufficientCreditsProperty(operations: Operation[]): INodeProperties {
  return shownFor(operations, {
    displayName: 'On Insufficient Credits',
    name: 'onInsufficientCredits',
    type: 'options',
    default: 'fail',
    options: [
      {
        name: 'Fail the Item',
        value: 'fail',
        description:
          'Stop with an error saying how many credits were needed and available (or which budget refused)',
      },
      {
        name: 'Route to "Insufficient Credits" Output',
        value: 'route',
        description:
          'Send the item to a second output so the workflow can branch; a budget_exceeded refusal goes there too, with insufficientCredits.budgetId for Budget → Request Raise',
      },
    ],
  });
}

export function holdIdProperty(operations: Operation[]): INodeProperties {
  return shownFor(operations, {
    displayName: 'Hold ID',
    name: 'holdId',
    type: 'string',
    default: '',
    required: true,
    placeholder: '={{ $json.id }}',
    description: 'ID of the hold, as returned by the Hold operation',
  });
}
