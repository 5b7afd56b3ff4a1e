import { fingerprint } from '../fingerprint.js';
import { splitKey } from '../idempotency.js';
import { balanceIn, type CommandContext, idempotentWrite } from './context.js';
import type { GrantInput, GrantResult } from './types.js';
import {
  checkActor,
  checkAmount,
  checkJsonText,
  checkKey,
  checkLotType,
  checkPriority,
  checkReason,
  parseExpiry,
} from './validation.js';

/** Adds a lot of credits (subscription cycle, purchase, trial, promotion) with one grant entry. */
export async function grant(
  ctx: CommandContext,
  workspaceId: string,
  input: GrantInput,
): Promise<GrantResult> {
  const { name, namespace } = splitKey(input.idempotencyKey);
  const key = checkKey(name);
  checkActor(input);
  checkLotType(input.type);
  if (input.origin !== undefined) checkJsonText('origin', input.origin);
  const amount = checkAmount('amount', input.amount);
  const reason = checkReason(input.reason);
  const expiresAt = parseExpiry(input.expiresAt, ctx.now());
  const priority = checkPriority(input.priority ?? ctx.catalog.priority(input.type));
  const hash = fingerprint({
    op: 'grant',
    type: input.type,
    amount,
    expiresAt: expiresAt?.toISOString() ?? null,
    priority,
    reason,
    origin: input.origin,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return idempotentWrite(
    ctx,
    workspaceId,
    key,
    hash,
    async (w) => {
      const entryId = await w.nextEntryId();
      const lot = await w.newLot(
        {
          type: input.type,
          amount,
          priority,
          expiresAt,
          source: { kind: 'manual', reason, ...input.origin },
        },
        entryId,
      );
      const transaction = w.addEntry(entryId, {
        kind: 'grant',
        movements: [{ lot, delta: amount }],
        actor: input.actor ?? null,
        source: input.source ?? 'api',
        idempotencyKey: key,
        reason,
        metadata: input.metadata ?? {},
      });
      return {
        transaction,
        lot: {
          id: String(lot.id),
          type: lot.type,
          amount,
          remaining: lot.remaining,
          expiresAt: lot.expiresAt?.toISOString() ?? null,
        },
        balance: balanceIn(ctx, w, transaction),
      };
    },
    namespace,
  );
}
