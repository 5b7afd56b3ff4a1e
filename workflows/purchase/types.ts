import type { PurchaseView } from '../../application/notifications.js';

export interface PurchaseInput {
  purchase: PurchaseView;
  validityDays: number | null;
  /** How long approvers have to answer (default 48 h). */
  approvalWindowMs: number;
}

export interface Decision {
  by: string;
  reason?: string;
}
