import { CreditsError } from '../ledger/errors.js';
import type { Ledger, RefundResult, VoidResult } from '../ledger/ledger.js';
import type { Purchase } from '../ledger/stores/purchases.js';
import type { Source } from '../ledger/types.js';
import type { Channel, Principal } from './access.js';

/**
 * The refund flow port: pays back a refund the ledger has recorded (implemented on Temporal by
 * workflows/refund, one workflow per purchase). Starting one twice is a no-op. Without it the
 * ledger part still commits and the maintenance schedule starts the flow within a minute.
 */
export interface RefundFlows {
  start(purchaseId: string): Promise<void>;
}

export interface RefundDeps {
  ledger: Ledger;
  flows?: RefundFlows;
}

/** Who the journal and the audit name for a refund or void (as the API's defaultActor does). */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'operator') return 'operator';
  if (principal.kind === 'key') return `key:${principal.keyId}`;
  return `member:${principal.memberId}`;
}

/**
 * Refunds a purchase's unused credits (POST /v1/purchases/{id}/refund, chat "refund purchase-…"):
 * the ledger voids them, records the money owed back and marks the purchase in one transaction,
 * with its audit entry, then the refund flow asks the payment provider. A replay (same idempotency
 * key and body) answers as the first call did and makes sure the flow runs.
 */
export async function refundPurchase(
  deps: RefundDeps,
  principal: Principal,
  purchaseId: string,
  input: { idempotencyKey: string; reason?: string },
  channel: Channel,
  scope: { workspaceId?: string },
): Promise<{
  purchase: Purchase;
  refund: { credits: number; amount: string; currency: string };
  result: RefundResult;
}> {
  const result = await deps.ledger.refundPurchase(
    purchaseId,
    {
      idempotencyKey: input.idempotencyKey,
      reason: input.reason,
      actor: actorOf(principal),
      source: sourceOf(channel),
      channel,
    },
    scope,
  );
  await deps.flows?.start(purchaseId).catch((err: unknown) => {
    // The ledger part is committed; the maintenance schedule starts the flow for a pending refund.
    console.warn(
      `[refunds] refund flow of ${purchaseId} not started now (${(err as Error).message}); the sweep will`,
    );
  });
  const purchase = await deps.ledger.purchases.get(purchaseId);
  if (!purchase) throw CreditsError.notFound('purchase', purchaseId);
  const { paymentId: _hidden, ...visible } = purchase;
  return {
    purchase: visible,
    refund: {
      credits: result.refund.credits,
      amount: result.refund.amount,
      currency: result.refund.currency!,
    },
    result,
  };
}

/** Voids what remains of a lot (POST /v1/lots/{id}/void, operator), audited in the same transaction. */
export async function voidLot(
  deps: Pick<RefundDeps, 'ledger'>,
  principal: Principal,
  lotId: string,
  input: { idempotencyKey: string; reason: string },
  channel: Channel,
): Promise<VoidResult> {
  const result = await deps.ledger.voidLot(lotId, {
    idempotencyKey: input.idempotencyKey,
    reason: input.reason,
    actor: actorOf(principal),
    source: sourceOf(channel),
    channel,
  });
  return result;
}

/** The journal's source for a channel (the console and MCP are API clients). */
function sourceOf(channel: Channel): Source {
  return channel === 'console' || channel === 'mcp' || channel === 'web' ? 'api' : channel;
}
