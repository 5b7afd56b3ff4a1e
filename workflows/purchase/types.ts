import type { Purchase } from '../../application/purchases.js';

/**
 * What a purchase workflow is started with: only the purchase's id (= the workflow id); its terms
 * and approval state are read from the database and checked against the catalog. The other
 * fields are those of workflows started before that (the recorded histories, runs in flight),
 * which replay on their own path; a new run ignores them.
 */
export interface PurchaseInput {
  purchaseId?: string;
  /** @deprecated the start input of runs before `purchase-terms-from-database`. */
  purchase?: Purchase;
  validityDays?: number | null;
  /** How long approvers have to answer (default 48 h). */
  approvalWindowMs?: number;
}

export interface Decision {
  by: string;
  reason?: string;
  /** The application's record of this decision (`purchases.recordDecision`); required since `purchase-terms-from-database`. */
  ticket?: string;
}
