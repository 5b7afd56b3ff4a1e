import type { Purchase } from '../ledger/purchases.js';
import type { Source } from '../ledger/types.js';

export type { Purchase, PurchaseStatus } from '../ledger/purchases.js';
export { PURCHASE_STATUSES } from '../ledger/purchases.js';

/**
 * The purchase port: durable flows that request, approve, reject and complete credit-package
 * purchases (implemented on Temporal by workflows/purchase). The API, the bots and the auto top-up
 * all go through it. Without one, purchase endpoints answer 503 `unavailable`.
 * Implementations throw CreditsError for refusals: `not_found` (also for another workspace's id when
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
