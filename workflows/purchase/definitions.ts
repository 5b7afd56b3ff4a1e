import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Purchase } from '../../application/purchases.js';
import type { Decision } from './types.js';

/** Shared by the workflow and its clients (only definitions: safe to import outside workflows). */
export const approvePurchase = defineUpdate<Purchase, [Decision]>('approvePurchase');
export const rejectPurchase = defineUpdate<Purchase, [Decision]>('rejectPurchase');
export const purchaseState = defineQuery<Purchase>('purchaseState');
