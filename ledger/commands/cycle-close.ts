import { CreditsError } from '../errors.js';
import type { SubscriptionStatus, Transaction } from '../types.js';
import { idempotencyConflict, type WorkspaceTx } from '../workspace-tx.js';
import { balanceIn, type CommandContext, onWorkspace } from './context.js';
import { expireReturned } from './expiry.js';
import { type PreparedGrant, prepareGrant, writeGrant } from './grant.js';
import type { CycleCloseInput, CycleCloseout, CycleCloseResult } from './types.js';
import { parseId } from './validation.js';

/**
 * A billing cycle's boundary in one transaction on the locked workspace: reads what the ended
 * cycle's lots left unused, makes the grants `input.grants` decides on that (the next allocation,
 * a rollover), then expires what the ended lots still hold. One commit, so a crash or a retry
 * finds all of it or none; the balance is never seen between the grant and the expiry, and alerts
 * are evaluated once, on the balance after both. A grant whose key was used before answers with
 * that earlier lot, whatever its body (the first grant of a cycle wins, even after a plan change).
 */
export async function closeCycle(
  ctx: CommandContext,
  workspaceId: string,
  input: CycleCloseInput,
): Promise<CycleCloseResult> {
  const lotIds = input.lotIds.map((id) => parseId(String(id), 'lot'));
  const end = new Date(input.endsAt);
  if (Number.isNaN(end.getTime())) throw CreditsError.field('endsAt', 'must be an ISO-8601 date-time');
  const clock = ctx.now();
  // The workflow's clock may be a hair ahead of the ledger's at a boundary: expire as of the end.
  const now = clock > end ? clock : end;
  return onWorkspace(
    ctx,
    workspaceId,
    now,
    { namespace: 'system', reserveEntries: 2 + lotIds.length },
    async (w) => {
      await w.loadLots(lotIds);
      const ended = lotIds.map((id) => w.lots.get(id)).filter((lot) => lot !== undefined);
      // What an earlier expiry (the maintenance sweep, or this retried) already wrote off counts too.
      const [written] = await w.tx`
        SELECT coalesce(-sum(jl.delta), 0)::bigint AS expired
          FROM journal_lots jl JOIN journal j ON j.id = jl.entry_id
         WHERE j.kind = 'expire' AND j.workspace_id = ${workspaceId}
           AND jl.lot_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(lotIds)}::text::jsonb)::bigint)`;
      const closeout: CycleCloseout = {
        plan: w.workspace.plan,
        status: w.workspace.status as SubscriptionStatus,
        billingAnchor: w.workspace.billingAnchor,
        unused: ended.reduce((sum, lot) => sum + lot.remaining, 0) + Number(written!.expired),
      };
      const grants = input.grants(closeout).map((g) => prepareGrant(ctx, g, now));
      for (const g of grants) {
        if (g.namespace !== 'system') throw CreditsError.field('idempotencyKey', 'must be a system key');
      }
      await w.loadKeys(grants.map((g) => g.key));
      const transactions: Transaction[] = [];
      const lots: CycleCloseResult['lots'] = [];
      for (const g of grants) lots.push(await grantOnce(ctx, w, g, transactions));
      const expired = await expireReturned(w, ended, 'expired');
      transactions.push(...expired);
      return {
        value: {
          closeout,
          lots,
          expired: expired.reduce((sum, t) => sum - t.delta, 0),
          transactions,
          balance: balanceIn(ctx, w, transactions.at(-1) ?? null),
        },
        changed: transactions.length > 0,
        transactionIds: transactions.map((t) => t.id),
      };
    },
  );
}

async function grantOnce(
  ctx: CommandContext,
  w: WorkspaceTx,
  grant: PreparedGrant,
  transactions: Transaction[],
): Promise<CycleCloseResult['lots'][number]> {
  const earlier = w.storedAnswer(grant.key) as { lot?: { id: string; amount: number } } | undefined;
  if (earlier) {
    if (!earlier.lot) throw idempotencyConflict(grant.key);
    return { id: String(earlier.lot.id), amount: Number(earlier.lot.amount), replayed: true };
  }
  const result = await writeGrant(ctx, w, grant);
  // Stored as `grant` stores it, so a later grant with this key and body replays it.
  w.rememberKey(grant.key, grant.hash, { ...result, replayed: false });
  transactions.push(result.transaction);
  return { id: result.lot.id, amount: result.lot.amount, replayed: false };
}
