import type { LotState } from '../lots.js';
import type { Transaction } from '../types.js';
import type { WorkspaceTx } from '../workspace-tx.js';
import { balanceIn, type CommandContext, onWorkspace } from './context.js';
import type { ExpiryResult } from './types.js';

/**
 * Writes `expire` entries for lots past their date that still hold credits, and releases holds
 * past their timeout. Balances were already right before (expired lots are never counted); this
 * makes the journal say so. Safe to run concurrently and repeatedly: each workspace is locked
 * and only what is still unexpired at that moment is expired.
 */
export async function expireDue(
  ctx: CommandContext,
  opts: { workspaceId?: string; now?: Date } = {},
): Promise<ExpiryResult[]> {
  const now = opts.now ?? ctx.now();
  const workspaces = opts.workspaceId
    ? [opts.workspaceId]
    : (
        await ctx.sql`
          SELECT workspace_id FROM lots WHERE remaining > 0 AND expires_at <= ${now}
          UNION
          SELECT workspace_id FROM holds WHERE status = 'active' AND expires_at <= ${now}`
      ).map((r) => r.workspace_id as string);
  const results: ExpiryResult[] = [];
  for (const workspaceId of workspaces) {
    const result = await onWorkspace(ctx, workspaceId, now, {}, async (w) => {
      const due = await w.tx`
        SELECT id FROM lots WHERE workspace_id = ${workspaceId} AND remaining > 0 AND expires_at <= ${now}`;
      await w.loadLots(due.map((r) => Number(r.id)));
      const transactions = await expireReturned(
        w,
        due.map((r) => w.lots.get(Number(r.id))!),
        'expired',
      );
      const last = transactions.at(-1) ?? null;
      return {
        value: { workspaceId, transactions, balance: balanceIn(ctx, w, last) },
        changed: transactions.length > 0,
        transactionIds: transactions.map((t) => t.id),
      };
    });
    results.push(result);
  }
  return results;
}

/**
 * Expires, in one entry per lot, whatever the given lots hold past their date: credits coming
 * back to an expired lot (a refund, a released hold) are expired again at once.
 */
export async function expireReturned(
  w: WorkspaceTx,
  lots: LotState[],
  reason: string,
): Promise<Transaction[]> {
  const out: Transaction[] = [];
  const seen = new Set<number>();
  for (const lot of lots) {
    if (seen.has(lot.id)) continue;
    seen.add(lot.id);
    if (lot.remaining === 0 || lot.expiresAt === null || lot.expiresAt.getTime() > w.now.getTime()) continue;
    out.push(
      w.addEntry(await w.nextEntryId(), {
        kind: 'expire',
        movements: [{ lot, delta: -lot.remaining }],
        actor: 'system:expiry',
        source: 'workflow',
        reason,
        metadata: { lotType: lot.type, expiredAt: lot.expiresAt.toISOString() },
      }),
    );
  }
  return out;
}
