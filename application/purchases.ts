import type { Source } from '../ledger/types.js';

/** Every state a purchase flow can be in; `completed`, `rejected`, `expired` and `failed` are final. */
export const PURCHASE_STATUSES = [
  'pending_approval',
  'approved',
  'paid',
  'completed',
  'rejected',
  'expired',
  'failed',
] as const;

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
 * The purchase port: durable flows that request, approve, reject and complete credit-package
 * purchases (implemented on Temporal by workflows/purchase). The API, the bots and the auto top-up
 * all go through it. Without one, purchase endpoints answer 503 `unavailable`.
 * Implementations throw LedgerError for refusals: `not_found` (also for another workspace's id when
 * `scope.workspaceId` is set), `forbidden` (not an approver), `conflict` (already decided, trial
 * workspace…), `invalid_request` naming the field (unknown package).
 */
export interface Purchases {
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
