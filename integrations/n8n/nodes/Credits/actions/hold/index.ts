import type { INodeProperties } from 'n8n-workflow';
import type { HoldOperation, NodeOperation } from '../types';
import { capture } from './capture.operation';
import { create } from './create.operation';
import { release } from './release.operation';

/** `hold` is the value of Create (kept from the first version, so saved workflows keep working). */
export const holdOperations: Record<HoldOperation, NodeOperation> = {
  capture,
  hold: create,
  release,
};

export const holdDescription: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'hold',
    displayOptions: { show: { resource: ['hold'] } },
    options: [
      {
        name: 'Capture',
        value: 'capture',
        description: 'Charge up to the held amount of a hold; the rest returns to the balance',
        action: 'Capture a hold',
      },
      {
        name: 'Create',
        value: 'hold',
        description: 'Reserve credits for a step whose exact cost is known only afterwards',
        action: 'Hold credits',
      },
      {
        name: 'Release',
        value: 'release',
        description: 'Release a hold without charging anything',
        action: 'Release a hold',
      },
    ],
  },
  ...Object.values(holdOperations).flatMap((op) => op.description),
];
