import type { INodeProperties } from 'n8n-workflow';
import type { NodeOperation, PurchaseOperation } from '../types';
import { get } from './get.operation';
import { request } from './request.operation';

export const purchaseOperations: Record<PurchaseOperation, NodeOperation> = { get, request };

export const purchaseDescription: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    default: 'request',
    displayOptions: { show: { resource: ['purchase'] } },
    options: [
      {
        name: 'Get',
        value: 'get',
        description: 'Get a purchase and its status (pending approval, approved, completed, rejected, …)',
        action: 'Get a purchase',
      },
      {
        name: 'Request',
        value: 'request',
        description: 'Ask for a credit package; an owner or admin approves it before it is paid and granted',
        action: 'Request a purchase',
      },
    ],
  },
  ...Object.values(purchaseOperations).flatMap((op) => op.description),
];
