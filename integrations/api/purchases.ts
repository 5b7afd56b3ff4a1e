import type { Source } from '../../ledger/types.js';
import type { PURCHASE_STATUSES } from './schemas.js';

export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

/** The public view of a purchase (body of `GET /v1/purchases/{id}`). */
export interface Purchase {
  id: string;
  status: PurchaseStatus;
  /** Package key from the catalog. */
  package: string;
  workspaceId?: string;
  requestedBy?: string | null;
  /** Member who approved or rejected. */
  decidedBy?: string | null;
  reason?: string | null;
  credits?: number;
  price?: number;
  currency?: string;
  /** The purchased lot once granted. */
  lotId?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/**
 * Purchases run as durable Temporal workflows; the worker's side plugs an implementation into the
 * API (`ApiContext.purchases`). Without one, the purchase endpoints answer 503 `unavailable`.
 * Implementations throw LedgerError for refusals: `not_found` (also for another workspace's id when
 * `scope.workspaceId` is set), `forbidden` (not an approver), `conflict` (already decided, trial
 * workspace…), `invalid_request` naming the field (unknown package).
 */
export interface PurchaseService {
  request(
    workspaceId: string,
    input: { package: string; requestedBy?: string; source: Source },
  ): Promise<Purchase>;
  get(id: string, scope: { workspaceId?: string }): Promise<Purchase>;
  approve(id: string, input: { by: string }, scope: { workspaceId?: string }): Promise<Purchase>;
  reject(
    id: string,
    input: { by: string; reason?: string },
    scope: { workspaceId?: string },
  ): Promise<Purchase>;
}
