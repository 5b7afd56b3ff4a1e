import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BudgetRaise } from '../../application/budget-raises.js';

/** What a raise workflow's updates carry: who decided, and the application's ticket for that decision. */
export interface RaiseDecision {
  by: string;
  reason?: string;
  ticket?: string;
}

/** Shared by the workflow and its clients (only definitions: safe to import outside workflows). */
export const approveRaise = defineUpdate<BudgetRaise, [RaiseDecision]>('approveRaise');
export const rejectRaise = defineUpdate<BudgetRaise, [RaiseDecision]>('rejectRaise');
export const raiseState = defineQuery<BudgetRaise>('raiseState');
