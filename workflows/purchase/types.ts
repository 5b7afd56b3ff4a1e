import type { Purchase } from '../../application/purchases.js';

export interface PurchaseInput {
  purchase: Purchase;
  validityDays: number | null;
  /** How long approvers have to answer (default 48 h). */
  approvalWindowMs: number;
}

export interface Decision {
  by: string;
  reason?: string;
}
