import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Purchase } from '../../application/purchases.js';
import type { Decision } from './types.js';

/** Shared by the workflow and its clients (only definitions: safe to import outside workflows). */
export const approvePurchase = defineUpdate<Purchase, [Decision]>('approvePurchase');
export const rejectPurchase = defineUpdate<Purchase, [Decision]>('rejectPurchase');
export const purchaseState = defineQuery<Purchase>('purchaseState');
/** The provider reported on the payment (webhook): the flow re-reads the payments table, the only truth. */
export const paymentSettled = defineSignal('paymentSettled');
