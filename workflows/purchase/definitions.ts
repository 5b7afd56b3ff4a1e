import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { PurchaseView } from '../../application/notifications.js';
import type { Decision } from './types.js';

/** Shared by the workflow and its clients (only definitions: safe to import outside workflows). */
export const approvePurchase = defineUpdate<PurchaseView, [Decision]>('approvePurchase');
export const rejectPurchase = defineUpdate<PurchaseView, [Decision]>('rejectPurchase');
export const purchaseState = defineQuery<PurchaseView>('purchaseState');
