import type { Sql } from '../db.js';
import { CreditsError } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import { fromMinor, valueOut } from '../money.js';
import { AuditLog } from '../stores/audit-log.js';
import type { Transaction } from '../types.js';
import type { WorkspaceTx } from '../workspace-tx.js';
import { balanceIn, type CommandContext, idempotentWrite } from './context.js';
import { expireReturned } from './expiry.js';
import type { Actor, Scope, WriteResult } from './types.js';
import { checkActor, checkKey, checkReason, checkText, parseId } from './validation.js';

export interface VoidInput extends Actor {
  reason: string;
  idempotencyKey: string;
  /** Where the request came from, for the audit entry written in the same transaction (default api). */
  channel?: string;
}

export interface RefundInput extends Actor {
  reason?: string;
  idempotencyKey: string;
  channel?: string;
}

/** What left the lot, and what those credits were worth (its cost basis; "0.00" for a free lot). */
export interface TakenOut {
  lotId: string;
  credits: number;
  amount: string;
  currency: string | null;
}

export interface VoidResult extends WriteResult {
  void: TakenOut;
}

export interface RefundResult extends WriteResult {
  refund: TakenOut & { purchaseId: string; status: 'pending' | 'refunded' };
  purchaseStatus: 'refunded' | 'partially_refunded';
}

/** A refusal naming why, with `details.reason` for machines. */
function refused(reason: string, message: string, details: Record<string, unknown> = {}): CreditsError {
  return new CreditsError('conflict', message, { reason, ...details });
}

/**
 * Takes out every credit a lot still holds, as one `refund` or `void` entry, and what they were
 * worth: the value of the lot's next credits out in journal order (ledger/revenue.ts), so the
 * amount recorded here is exactly what the revenue report derives for this entry. Credits past
 * the lot's expiry are expired first (breakage, never refunded); credits reserved by an active
 * hold are refused rather than taken from under it.
 */
async function takeOut(
  w: WorkspaceTx,
  lotId: number,
  entry: {
    kind: 'refund' | 'void';
    actor: string | null;
    source: Actor['source'];
    key: string;
    reason: string | null;
    metadata: Record<string, unknown>;
  },
  label: string,
): Promise<{ taken: TakenOut; transaction: Transaction; minor: bigint }> {
  const basis = await lotBasis(w, lotId, label);
  await w.loadLots([lotId]);
  const lot = w.lots.get(lotId)!;
  const [expired] = await expireReturned(w, [lot], 'expired');
  const [held] = await w.tx`
    SELECT coalesce(sum(hl.amount), 0)::bigint AS held, min(h.id)::text AS hold
      FROM hold_lots hl JOIN holds h ON h.id = hl.hold_id
     WHERE hl.lot_id = ${lotId} AND h.status = 'active'`;
  if (Number(held!.held) > 0) {
    throw refused(
      'credits_held',
      `${held!.held} credits of lot ${lotId} are held (hold ${held!.hold}); capture or release it first`,
      { lotId: String(lotId), held: Number(held!.held) },
    );
  }
  if (lot.remaining === 0) {
    throw refused(
      'nothing_left',
      `lot ${lotId} has no credits left${expired ? ' (its unused credits expired)' : ''}: every one of its ${basis.credits} credits was used or taken out`,
      { lotId: String(lotId) },
    );
  }
  const credits = lot.remaining;
  // Credits out of the lot before this entry in journal order (time, then id): every committed
  // entry up to now, and an expiry just recorded in this transaction.
  const [o] = await w.tx`
    SELECT coalesce(sum(-jl.delta), 0)::text AS out
      FROM journal_lots jl JOIN journal j ON j.id = jl.entry_id JOIN lots l ON l.id = jl.lot_id
     WHERE jl.lot_id = ${lotId} AND jl.entry_id <> l.grant_id AND j.created_at <= ${w.now}`;
  const before = BigInt(o!.out as string) + BigInt(expired ? -(expired.delta as number) : 0);
  const minor =
    valueOut(basis.priceMinor, BigInt(basis.credits), before + BigInt(credits)) -
    valueOut(basis.priceMinor, BigInt(basis.credits), before);
  const taken: TakenOut = {
    lotId: String(lotId),
    credits,
    amount: fromMinor(minor),
    currency: basis.currency,
  };
  const transaction = w.addEntry(await w.nextEntryId(), {
    kind: entry.kind,
    movements: [{ lot, delta: -credits }],
    actor: entry.actor,
    source: entry.source ?? 'api',
    idempotencyKey: entry.key,
    reason: entry.reason,
    metadata: { ...entry.metadata, lotId: taken.lotId, amount: taken.amount, currency: taken.currency },
  });
  return { taken, transaction, minor };
}

interface LotBasis {
  type: string;
  credits: number;
  priceMinor: bigint;
  currency: string | null;
}

async function lotBasis(w: WorkspaceTx, lotId: number, label: string): Promise<LotBasis> {
  const [row] = await w.tx`
    SELECT type, amount, price_minor::text AS price_minor, currency FROM lots
     WHERE id = ${lotId} AND workspace_id = ${w.workspace.id}`;
  if (!row) throw CreditsError.notFound('lot', label);
  return {
    type: row.type as string,
    credits: Number(row.amount),
    priceMinor: BigInt(row.price_minor as string),
    currency: (row.currency as string | null) ?? null,
  };
}

/** The operator takes out what remains of a lot, with a reason; the money stays (breakage). */
export async function voidLot(
  ctx: CommandContext,
  lotId: string,
  input: VoidInput,
  scope: Scope = {},
): Promise<VoidResult> {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  const reason = checkReason(input.reason);
  const id = parseId(lotId, 'lot');
  const [lot] = await ctx.sql`SELECT workspace_id FROM lots WHERE id = ${id}`;
  if (!lot || (scope.workspaceId && lot.workspace_id !== scope.workspaceId))
    throw CreditsError.notFound('lot', lotId);
  const hash = fingerprint({
    op: 'void',
    lotId: String(id),
    reason,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return idempotentWrite(ctx, lot.workspace_id as string, key, hash, async (w) => {
    const { taken, transaction } = await takeOut(
      w,
      id,
      {
        kind: 'void',
        actor: input.actor ?? null,
        source: input.source,
        key,
        reason,
        metadata: input.metadata ?? {},
      },
      lotId,
    );
    await new AuditLog(ctx.sql).record(
      {
        workspaceId: w.workspace.id,
        action: 'lot.voided',
        actor: input.actor ?? 'operator',
        channel: input.channel ?? 'api',
        target: taken.lotId,
        before: { remaining: taken.credits },
        after: { remaining: 0, credits: taken.credits, amount: taken.amount, reason },
      },
      w.tx as unknown as Sql,
    );
    return { void: taken, transaction, balance: balanceIn(ctx, w, transaction) };
  });
}

/**
 * Refunds a completed purchase: its lot's unused credits are taken out (a `refund` entry), the
 * purchase becomes `refunded` (none had been used) or `partially_refunded`, and a `pending`
 * refunds row records the money owed back, all in one transaction. The refund workflow then asks
 * the payment provider. A second refund of the purchase is refused; a repeat of the same
 * request (same idempotency key and body) replays the first answer.
 */
export async function refundPurchase(
  ctx: CommandContext,
  purchaseId: string,
  input: RefundInput,
  scope: Scope = {},
): Promise<RefundResult> {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  const reason = input.reason === undefined ? null : checkText('reason', input.reason);
  const [found] = await ctx.sql`SELECT workspace_id FROM purchases WHERE id = ${purchaseId}`;
  if (!found || (scope.workspaceId && found.workspace_id !== scope.workspaceId)) {
    throw CreditsError.notFound('purchase', purchaseId);
  }
  const hash = fingerprint({
    op: 'refund',
    purchaseId,
    reason,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return idempotentWrite(ctx, found.workspace_id as string, key, hash, async (w) => {
    const [p] = await w.tx`
      SELECT status, lot_id, credits, package_name FROM purchases WHERE id = ${purchaseId} FOR UPDATE`;
    const status = p!.status as string;
    if (status === 'refunded' || status === 'partially_refunded') {
      throw refused('already_refunded', `purchase ${purchaseId} is already ${status.replace('_', ' ')}`, {
        purchaseId,
        status,
      });
    }
    if (status !== 'completed' || p!.lot_id == null) {
      throw refused(
        'not_paid',
        `purchase ${purchaseId} is ${status}, not completed: it was never paid and granted, so there is nothing to refund`,
        { purchaseId, status },
      );
    }
    const lotId = Number(p!.lot_id);
    const basis = await lotBasis(w, lotId, String(lotId));
    if (basis.type !== 'purchased' || basis.priceMinor === 0n) {
      throw refused(
        'not_refundable',
        `lot ${lotId} of purchase ${purchaseId} is ${basis.type === 'purchased' ? 'free' : basis.type}: nothing was paid for it, so there is nothing to refund (an operator can void it)`,
        { purchaseId, lotId: String(lotId), lotType: basis.type },
      );
    }
    const { taken, transaction, minor } = await takeOut(
      w,
      lotId,
      {
        kind: 'refund',
        actor: input.actor ?? null,
        source: input.source,
        key,
        reason: reason ?? `refund of purchase ${purchaseId}`,
        metadata: { ...input.metadata, purchaseId },
      },
      String(lotId),
    ).catch((err) => {
      if (err instanceof CreditsError && err.details.reason === 'nothing_left') {
        throw refused('nothing_to_refund', `purchase ${purchaseId}: ${err.message}`, {
          purchaseId,
          lotId: String(lotId),
        });
      }
      throw err;
    });
    const purchaseStatus = taken.credits === basis.credits ? 'refunded' : 'partially_refunded';
    await w.tx`
      INSERT INTO refunds (purchase_id, workspace_id, lot_id, entry_id, credits, amount_minor, currency, status,
                           reason, requested_by, created_at)
      VALUES (${purchaseId}, ${w.workspace.id}, ${lotId}, ${Number(transaction.id)}, ${taken.credits},
              ${minor.toString()}, ${taken.currency!}, 'pending', ${reason}, ${input.actor ?? null}, ${w.now})`;
    await w.tx`UPDATE purchases SET status = ${purchaseStatus}, updated_at = ${w.now} WHERE id = ${purchaseId}`;
    await new AuditLog(ctx.sql).record(
      {
        workspaceId: w.workspace.id,
        action: 'purchase.refunded',
        actor: input.actor ?? 'operator',
        channel: input.channel ?? 'api',
        target: purchaseId,
        before: { status },
        after: {
          status: purchaseStatus,
          credits: taken.credits,
          amount: taken.amount,
          currency: taken.currency,
          reason,
        },
      },
      w.tx as unknown as Sql,
    );
    return {
      refund: { ...taken, purchaseId, status: 'pending' as const },
      purchaseStatus,
      transaction,
      balance: balanceIn(ctx, w, transaction),
    };
  });
}
