import { CreditsError } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import { consumptionOrder, type LotState } from '../lots.js';
import { balanceIn, type CommandContext, idempotentWrite } from './context.js';
import { expireReturned } from './expiry.js';
import type { ReverseInput, Scope, WriteResult } from './types.js';
import { checkActor, checkAmount, checkKey, checkText, parseId } from './validation.js';

/**
 * Refunds a debit (all of it, or part) into the lots it came from, most valuable first (the
 * reverse of consumption order). Credits going back to a lot that has expired meanwhile are
 * expired again at once, so a refund never revives expired credits.
 */
export async function reverse(
  ctx: CommandContext,
  transactionId: string,
  input: ReverseInput,
  scope: Scope = {},
): Promise<WriteResult> {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  if (typeof input.reason === 'string') checkText('reason', input.reason);
  const entryId = parseId(transactionId, 'transaction');
  if (input.amount !== undefined) checkAmount('amount', input.amount);
  const [target] =
    // `budgets` read through to_jsonb: a journal from before migration 021 has no such column, and
    // the ledger still writes on such a schema (the migration tests build old data with it).
    await ctx.sql`SELECT workspace_id, kind, operation, to_jsonb(j) -> 'budgets' AS budgets
                    FROM journal j WHERE id = ${entryId}`;
  if (!target || (scope.workspaceId && target.workspace_id !== scope.workspaceId)) {
    throw CreditsError.notFound('transaction', transactionId);
  }
  const hash = fingerprint({
    op: 'reverse',
    transactionId: String(entryId),
    amount: input.amount,
    reason: input.reason,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return idempotentWrite(ctx, target.workspace_id as string, key, hash, async (w) => {
    if (target.kind !== 'debit') {
      throw new CreditsError(
        'conflict',
        `transaction ${transactionId} is a ${target.kind}; only debits can be reversed`,
        { transactionId, kind: target.kind },
      );
    }
    const rows = await w.tx`
      SELECT jl.lot_id,
             -jl.delta AS consumed,
             coalesce((SELECT sum(rl.delta) FROM journal r JOIN journal_lots rl ON rl.entry_id = r.id
                        WHERE r.reverses_id = ${entryId} AND r.kind = 'reverse' AND rl.lot_id = jl.lot_id), 0)::bigint AS reversed
        FROM journal_lots jl WHERE jl.entry_id = ${entryId} AND jl.delta < 0`;
    await w.loadLots(rows.map((r) => Number(r.lot_id)));
    const reversible = rows
      .map((r) => ({ lot: w.lots.get(Number(r.lot_id))!, left: Number(r.consumed) - Number(r.reversed) }))
      .filter((r) => r.left > 0)
      .sort((a, b) => consumptionOrder(b.lot, a.lot));
    const available = reversible.reduce((s, r) => s + r.left, 0);
    const amount = input.amount ?? available;
    if (available === 0 || amount > available) {
      throw new CreditsError(
        'conflict',
        available === 0
          ? `transaction ${transactionId} has nothing left to reverse`
          : `only ${available} credits of transaction ${transactionId} can still be reversed`,
        { transactionId, requested: amount, reversible: available },
      );
    }
    const movements: { lot: LotState; delta: number }[] = [];
    let left = amount;
    for (const r of reversible) {
      if (left === 0) break;
      const back = Math.min(r.left, left);
      movements.push({ lot: r.lot, delta: back });
      left -= back;
    }
    const transaction = w.addEntry(await w.nextEntryId(), {
      kind: 'reverse',
      movements,
      operation: (target.operation as string | null) ?? null,
      actor: input.actor ?? null,
      source: input.source ?? 'api',
      idempotencyKey: key,
      reversesId: entryId,
      reason: input.reason ?? null,
      metadata: input.metadata ?? {},
      usage: -amount,
    });
    // A refund gives back to the budget periods the debit counted toward (journal.budgets).
    if (target.budgets) {
      await w.tx`SELECT credits_budget_count(${w.workspace.id}, ${w.now}, ${w.tx.json(target.budgets)}, ${-amount}, 0)`;
    }
    await expireReturned(
      w,
      movements.map((m) => m.lot),
      'expired before the refund',
    );
    return { transaction, balance: balanceIn(ctx, w, transaction) };
  });
}
