import { fingerprint } from '../fingerprint.js';
import type { LotState } from '../lots.js';
import { balanceIn, type CommandContext, idempotentWrite } from './context.js';
import type { AdjustInput, WriteResult } from './types.js';
import {
  checkActor,
  checkKey,
  checkLotType,
  checkReason,
  checkSignedAmount,
  insufficient,
  parseExpiry,
} from './validation.js';

/** Operator correction: a positive amount adds a lot, a negative one removes credits in consumption order. */
export async function adjust(
  ctx: CommandContext,
  workspaceId: string,
  input: AdjustInput,
): Promise<WriteResult> {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  const amount = checkSignedAmount('amount', input.amount);
  const reason = checkReason(input.reason);
  const type = checkLotType(input.type ?? 'promotional');
  const expiresAt = parseExpiry(input.expiresAt, ctx.now());
  const hash = fingerprint({
    op: 'adjust',
    amount,
    reason,
    type,
    expiresAt: expiresAt?.toISOString() ?? null,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return idempotentWrite(ctx, workspaceId, key, hash, async (w) => {
    const entryId = await w.nextEntryId();
    let movements: { lot: LotState; delta: number }[];
    if (amount > 0) {
      const lot = await w.newLot(
        {
          type,
          amount,
          priority: ctx.catalog.priority(type),
          expiresAt,
          source: { kind: 'adjustment', reason },
        },
        entryId,
      );
      movements = [{ lot, delta: amount }];
    } else {
      const allocations = w.allocate(-amount);
      if (!allocations) throw insufficient(-amount, w.spendable());
      movements = allocations.map((a) => ({ lot: a.lot, delta: -a.amount }));
    }
    const transaction = w.addEntry(entryId, {
      kind: 'adjust',
      movements,
      actor: input.actor ?? null,
      source: input.source ?? 'cli',
      idempotencyKey: key,
      reason,
      metadata: input.metadata ?? {},
    });
    return { transaction, balance: balanceIn(ctx, w, transaction) };
  });
}
