import { CreditsError } from '../ledger/errors.js';
import type { AuditedChanges } from '../ledger/stores/audited-changes.js';
import type { Purchase } from '../ledger/stores/purchases.js';
import type { Source } from '../ledger/types.js';
import { authorize, type Channel, type Principal } from './access.js';

export type { Purchase, PurchaseStatus } from '../ledger/stores/purchases.js';
export { PURCHASE_STATUSES } from '../ledger/stores/purchases.js';

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
  /** The workspace's purchases waiting for an owner or admin, oldest first. */
  pending(workspaceId: string): Promise<Purchase[]>;
  /** `channel`: where the decision was taken, recorded with the purchase (`decidedVia`). */
  approve(
    id: string,
    input: { by: string; channel?: string },
    scope: { workspaceId?: string },
  ): Promise<Purchase>;
  reject(
    id: string,
    input: { by: string; reason?: string; channel?: string },
    scope: { workspaceId?: string },
  ): Promise<Purchase>;
  /**
   * The payment provider reported on the purchase's payment (recorded in the payments table
   * first): wakes its flow, which re-reads that table. A flow already finished ignores it.
   */
  paymentSettled?(id: string): Promise<void>;
}

/** Who is recorded as requesting: the key's member or the key itself; only the operator may name someone else. */
export function requesterOf(principal: Principal, named: string | undefined): string | undefined {
  if (principal.kind === 'operator') return named;
  const own =
    principal.kind === 'key' ? (principal.memberId ?? `key:${principal.keyId}`) : principal.memberId;
  if (named !== undefined && named !== own) {
    throw CreditsError.field(
      'requestedBy',
      `only the operator key may request on behalf of another member; this key is ${own}`,
    );
  }
  return own;
}

/**
 * Who decides a purchase when `principal` presses approve or reject: the member bound to the key
 * (or the chat member); only the operator may name another member, and must name one. Nothing in
 * a request body decides who approves.
 */
export function deciderOf(principal: Principal, named: string | undefined): string {
  if (principal.kind === 'operator') {
    if (!named)
      throw CreditsError.field('by', 'is required with the operator key: the owner or admin who decides');
    return named;
  }
  const own = principal.memberId;
  if (!own) {
    throw new CreditsError('forbidden', 'this key is not bound to a member, so it cannot approve or reject', {
      missingScope: 'purchases:approve',
    });
  }
  if (named !== undefined && named !== own) {
    throw new CreditsError(
      'forbidden',
      `only the operator key may decide as another member; this key acts as ${own}`,
      {
        by: named,
      },
    );
  }
  return own;
}

/** Approves or rejects as the principal's member, then records the decision in the audit log. */
export async function decidePurchase(
  deps: { purchases: Purchases; audit: AuditedChanges },
  principal: Principal,
  id: string,
  decision: { approve: boolean; by?: string; reason?: string },
  channel: Channel,
  scope: { workspaceId?: string },
): Promise<Purchase> {
  authorize(principal, { scope: 'purchases:approve' });
  const by = deciderOf(principal, decision.by);
  const before = await deps.purchases.get(id, scope);
  const after = decision.approve
    ? await deps.purchases.approve(id, { by, channel }, scope)
    : await deps.purchases.reject(
        id,
        { by, channel, ...(decision.reason ? { reason: decision.reason } : {}) },
        scope,
      );
  await deps.audit.record({
    workspaceId: after.workspaceId,
    action: decision.approve ? 'purchase.approved' : 'purchase.rejected',
    // A key's decision names the key (it acts as `decidedBy`); a person's names the person.
    actor: principal.kind === 'key' ? `key:${principal.keyId}` : `member:${by}`,
    channel,
    target: id,
    before: { status: before.status },
    after: {
      status: after.status,
      decidedBy: after.decidedBy,
      ...(decision.reason ? { reason: decision.reason } : {}),
    },
  });
  return after;
}
