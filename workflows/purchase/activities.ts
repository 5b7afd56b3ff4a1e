import { ApplicationFailure } from '@temporalio/activity';
import type { Purchase } from '../../application/purchases.js';
import { systemKey } from '../../ledger/ledger.js';
import type { ActivityDeps } from '../deps.js';
import { type ChargeResult, PaymentDeclinedError, type PaymentProvider } from './payment.js';

/** What a purchase workflow may rely on: the stored purchase, checked against the catalog. */
export type LoadedPurchase =
  | { ok: true; purchase: Purchase; validityDays: number | null }
  | { ok: false; reason: string; purchase: Purchase | null };

export interface PurchaseActivities {
  /**
   * The purchase as `TemporalPurchases.request` stored it, refused when there is no such row,
   * when it is no longer in flight, or when its terms differ from the catalog's package.
   */
  loadPurchase(input: { purchaseId: string; workflowId: string }): Promise<LoadedPurchase>;
  /**
   * The approver's member id when the application recorded this decision (its ticket) and `by`
   * is an owner or admin of the purchase's workspace NOW.
   */
  confirmApprover(input: {
    purchaseId: string;
    by: string;
    approved: boolean;
    ticket?: string;
  }): Promise<string>;
  /** Writes the workflow's view of the purchase to the `purchases` table (idempotent). */
  recordPurchase(view: Purchase, extra?: { paymentId?: string; lotId?: string }): Promise<void>;
  /**
   * Charges the stored, catalog-checked price, once the approval still holds (only `view.id` is
   * read). `requires_action`: the customer must pay on the hosted page; the purchase waits.
   */
  chargePurchase(view: Purchase): Promise<ChargeResult>;
  /** Grants the stored, catalog-checked credits of a paid purchase (only `view.id` is read). */
  grantPurchase(input: {
    view: Purchase;
    expiresAt: string | null;
  }): Promise<{ lotId: string; replayed: boolean }>;
}

const APPROVER_ROLES = new Set(['owner', 'admin']);

export function purchaseActivities(deps: ActivityDeps, payments: PaymentProvider): PurchaseActivities {
  const { ledger, catalog, directory } = deps;

  /** The stored purchase and its terms, refused (non-retryable) unless they are the catalog's. */
  async function trusted(purchaseId: string) {
    const stored = await ledger.purchases.terms(purchaseId);
    if (!stored) {
      throw ApplicationFailure.nonRetryable(`no purchase ${purchaseId} was requested`, 'UnknownPurchase');
    }
    const { paymentId, validityDays, ...purchase } = stored;
    const pkg = catalog.packages.find((p) => p.key === purchase.package);
    const differences = !pkg
      ? [`package ${JSON.stringify(purchase.package)} is not in the catalog`]
      : [
          pkg.credits !== purchase.credits && `${purchase.credits} credits instead of ${pkg.credits}`,
          pkg.price !== purchase.price && `a price of ${purchase.price} instead of ${pkg.price}`,
          catalog.currency !== purchase.currency && `${purchase.currency} instead of ${catalog.currency}`,
          (pkg.validityDays ?? null) !== validityDays &&
            `validity ${validityDays ?? 'none'} instead of ${pkg.validityDays ?? 'none'}`,
        ].filter((d): d is string => typeof d === 'string');
    return { purchase, paymentId, validityDays, differences };
  }

  async function isApprover(workspaceId: string, by: string | null): Promise<string | null> {
    if (!by) return null;
    const member = await directory.member(workspaceId, by);
    return member && APPROVER_ROLES.has(member.role) ? member.id : null;
  }

  return {
    async loadPurchase({ purchaseId, workflowId }) {
      if (purchaseId !== workflowId) {
        return {
          ok: false,
          reason: `a purchase workflow must run under its purchase's id, not ${JSON.stringify(workflowId)}`,
          purchase: null,
        };
      }
      const stored = await ledger.purchases.terms(purchaseId);
      if (!stored) return { ok: false, reason: `no purchase ${purchaseId} was requested`, purchase: null };
      const { purchase, validityDays, differences } = await trusted(purchaseId);
      if (purchase.status !== 'pending_approval' && purchase.status !== 'approved') {
        // Already paid or final: a second run for this id must not touch it.
        return { ok: false, reason: `purchase ${purchaseId} is already ${purchase.status}`, purchase: null };
      }
      if (differences.length > 0) {
        return {
          ok: false,
          reason: `the purchase's terms differ from the catalog's package (${differences.join('; ')}); nothing was charged`,
          purchase,
        };
      }
      return { ok: true, purchase, validityDays };
    },

    async confirmApprover({ purchaseId, by, approved, ticket }) {
      const stored = await ledger.purchases.get(purchaseId);
      if (!stored) {
        throw ApplicationFailure.nonRetryable(`no purchase ${purchaseId} was requested`, 'UnknownPurchase');
      }
      const recorded = typeof ticket === 'string' ? await ledger.purchases.decision(ticket) : null;
      if (
        !recorded ||
        recorded.purchaseId !== purchaseId ||
        recorded.by !== by ||
        recorded.approved !== approved
      ) {
        throw ApplicationFailure.nonRetryable(
          `this decision on ${purchaseId} was not taken through the application (no matching decision ticket); approve or reject through the API or chat`,
          'NotApprover',
        );
      }
      const member = await isApprover(stored.workspaceId, typeof by === 'string' ? by.trim() : null);
      if (!member) {
        throw ApplicationFailure.nonRetryable(
          `${by} is not an owner or admin of ${stored.workspaceId}; only owners and admins can decide on purchases`,
          'NotApprover',
        );
      }
      return member;
    },

    async recordPurchase(view, extra = {}) {
      await ledger.purchases.record(view, extra);
    },

    async chargePurchase(view) {
      const { purchase, paymentId, differences } = await trusted(view.id);
      if (paymentId) return { status: 'succeeded', paymentId };
      // The webhook may have said so first.
      const known = await ledger.payments.forPurchase(view.id);
      if (known?.status === 'succeeded') return { status: 'succeeded', paymentId: known.paymentId };
      if (differences.length > 0) {
        throw ApplicationFailure.nonRetryable(
          `the purchase's terms differ from the catalog's package (${differences.join('; ')})`,
          'TermsRefused',
        );
      }
      // Approved automatically when requested (auto top-up), or by someone who is an approver now.
      const approvedBy = purchase.automatic
        ? purchase.decidedBy
        : await isApprover(purchase.workspaceId, purchase.decidedBy);
      if (purchase.status !== 'approved' || !approvedBy) {
        throw ApplicationFailure.nonRetryable(
          `purchase ${purchase.id} is not approved by a current owner or admin (status ${purchase.status}, decided by ${purchase.decidedBy ?? 'nobody'})`,
          'NotApproved',
        );
      }
      const charge = {
        purchaseId: purchase.id,
        workspaceId: purchase.workspaceId,
        amount: (await ledger.payments.amountDue(purchase.id))!,
        currency: purchase.currency,
        idempotencyKey: `purchase:${purchase.id}`,
      };
      const payment = { ...charge, provider: payments.name, hostedUrl: null };
      try {
        const result = await payments.charge(charge);
        const recorded = await ledger.payments.record({
          ...payment,
          paymentId: result.paymentId,
          status: result.status,
          hostedUrl: result.status === 'requires_action' ? result.hostedUrl : null,
        });
        // A webhook that recorded success meanwhile wins over a stale `requires_action`.
        return recorded.status === 'succeeded'
          ? { status: 'succeeded', paymentId: result.paymentId }
          : result;
      } catch (err) {
        if (err instanceof PaymentDeclinedError || (err as { retryable?: boolean }).retryable === false) {
          throw ApplicationFailure.nonRetryable((err as Error).message, 'PaymentDeclined');
        }
        throw err;
      }
    },

    async grantPurchase({ view, expiresAt }) {
      const { purchase, paymentId, differences } = await trusted(view.id);
      if (!paymentId || differences.length > 0) {
        throw ApplicationFailure.nonRetryable(
          `purchase ${purchase.id} is not paid at the catalog's terms; nothing is granted`,
          'NotPaid',
        );
      }
      const result = await ledger.grant(purchase.workspaceId, {
        type: 'purchased',
        amount: purchase.credits,
        expiresAt,
        reason: `purchase ${purchase.id}: ${purchase.packageName} package`,
        idempotencyKey: systemKey('purchase', purchase.id),
        origin: { kind: 'purchase', purchaseId: purchase.id, package: purchase.package },
        actor: purchase.decidedBy ?? purchase.requestedBy ?? 'workflow:purchase',
        source: 'workflow',
      });
      return { lotId: result.lot.id, replayed: result.replayed };
    },
  };
}
