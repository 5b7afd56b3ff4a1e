import { CreditsError } from '../errors.js';
import { fingerprint } from '../fingerprint.js';
import { consumptionOrder, type LotState } from '../lots.js';
import { rowToHold } from '../queries.js';
import type { Hold } from '../types.js';
import type { WorkspaceTx } from '../workspace-tx.js';
import { balanceIn, type CommandContext, idempotentWrite, onWorkspace } from './context.js';
import { expireReturned } from './expiry.js';
import {
  type CaptureInput,
  type CaptureResult,
  DEFAULT_HOLD_TIMEOUT_SECONDS,
  type HoldInput,
  type HoldResult,
  type Scope,
} from './types.js';
import {
  checkActor,
  checkAmount,
  checkHoldTimeout,
  checkKey,
  checkText,
  insufficient,
  parseId,
} from './validation.js';

/** Reserves credits from the lots a debit would use now; nobody else can spend them until capture or release. */
export async function placeHold(
  ctx: CommandContext,
  workspaceId: string,
  input: HoldInput,
): Promise<HoldResult> {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  if (typeof input.operation === 'string') checkText('operation', input.operation);
  const amount = checkAmount('amount', input.amount);
  const timeout = checkHoldTimeout(input.timeoutSeconds ?? DEFAULT_HOLD_TIMEOUT_SECONDS);
  const hash = fingerprint({
    op: 'hold',
    amount,
    timeout,
    operation: input.operation,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return onWorkspace<HoldResult>(ctx, workspaceId, ctx.now(), { keys: [key] }, async (w) => {
    const tx = w.tx;
    const replay = w.lookupKey(key, hash);
    if (replay) return { value: { ...(replay.replay as HoldResult), replayed: true }, changed: false };
    const allocations = w.allocate(amount);
    if (!allocations) throw insufficient(amount, w.spendable());
    const expiresAt = new Date(w.now.getTime() + timeout * 1000);
    const [row] = await tx`
      INSERT INTO holds (workspace_id, amount, status, actor, source, operation, metadata, created_at, expires_at)
      VALUES (${workspaceId}, ${amount}, 'active', ${input.actor ?? null}, ${input.source ?? 'api'},
              ${input.operation ?? null}, ${JSON.stringify(input.metadata ?? {})}::text::jsonb, ${w.now}, ${expiresAt})
      RETURNING *`;
    await tx`
      INSERT INTO hold_lots (hold_id, lot_id, amount)
      SELECT ${row!.id}, x.lot_id, x.amount
        FROM jsonb_to_recordset(${JSON.stringify(allocations.map((a) => ({ lot_id: a.lot.id, amount: a.amount })))}::text::jsonb)
             AS x(lot_id bigint, amount bigint)`;
    for (const a of allocations) w.moveHeld(a.lot, -a.amount);
    const response: HoldResult = { hold: rowToHold(row!), balance: balanceIn(ctx, w, null), replayed: false };
    w.rememberKey(key, hash, response);
    return { value: response, changed: true };
  });
}

/** Debits up to the held amount from the held lots; whatever is not captured goes back. */
export async function capture(
  ctx: CommandContext,
  holdId: string,
  input: CaptureInput,
  scope: Scope = {},
): Promise<CaptureResult> {
  const key = checkKey(input.idempotencyKey);
  checkActor(input);
  const amount = checkAmount('amount', input.amount);
  const id = parseId(holdId, 'hold');
  const owner = await holdOwner(ctx, id, holdId, scope);
  const hash = fingerprint({
    op: 'capture',
    holdId: String(id),
    amount,
    actor: input.actor,
    source: input.source,
    metadata: input.metadata,
  });
  return idempotentWrite(ctx, owner, key, hash, async (w) => {
    const hold = await activeHold(w, id, holdId);
    if (amount > hold.amount) {
      throw CreditsError.field('amount', `${amount} exceeds the held amount ${hold.amount}`);
    }
    const lots = await giveBackHold(w, id);
    let left = amount;
    const movements: { lot: LotState; delta: number }[] = [];
    for (const lot of lots) {
      if (left === 0) break;
      const take = Math.min(lot.held, left);
      movements.push({ lot: lot.lot, delta: -take });
      left -= take;
    }
    const transaction = w.addEntry(await w.nextEntryId(), {
      kind: 'debit',
      movements,
      operation: hold.operation,
      actor: input.actor ?? hold.actor,
      source: input.source ?? hold.source,
      idempotencyKey: key,
      holdId: id,
      metadata: { ...hold.metadata, ...input.metadata },
      usage: amount,
    });
    const [row] = await w.tx`
      UPDATE holds SET status = 'captured', captured = ${amount}, capture_id = ${Number(transaction.id)},
                       closed_at = ${w.now}
       WHERE id = ${id} RETURNING *`;
    await expireReturned(
      w,
      lots.map((l) => l.lot),
      'expired while held',
    );
    return { hold: rowToHold(row!), transaction, balance: balanceIn(ctx, w, transaction) };
  });
}

/** Gives every held credit back. Releasing a released or timed-out hold is a no-op; a captured one is refused. */
export async function release(ctx: CommandContext, holdId: string, scope: Scope = {}): Promise<HoldResult> {
  const id = parseId(holdId, 'hold');
  const owner = await holdOwner(ctx, id, holdId, scope);
  return onWorkspace<HoldResult>(ctx, owner, ctx.now(), {}, async (w) => {
    const [current] = await w.tx`SELECT * FROM holds WHERE id = ${id}`;
    if (current!.status === 'released' || current!.status === 'expired') {
      return {
        value: { hold: rowToHold(current!), balance: balanceIn(ctx, w, null), replayed: true },
        changed: false,
      };
    }
    if (current!.status === 'captured') {
      throw new CreditsError('hold_not_active', `hold ${holdId} was already captured`, {
        holdId,
        status: 'captured',
      });
    }
    const lots = await giveBackHold(w, id);
    const [row] =
      await w.tx`UPDATE holds SET status = 'released', closed_at = ${w.now} WHERE id = ${id} RETURNING *`;
    await expireReturned(
      w,
      lots.map((l) => l.lot),
      'expired while held',
    );
    return {
      value: { hold: rowToHold(row!), balance: balanceIn(ctx, w, null), replayed: false },
      changed: true,
    };
  });
}

async function holdOwner(ctx: CommandContext, id: number, raw: string, scope: Scope): Promise<string> {
  const [row] = await ctx.sql`SELECT workspace_id FROM holds WHERE id = ${id}`;
  if (!row || (scope.workspaceId && row.workspace_id !== scope.workspaceId))
    throw CreditsError.notFound('hold', raw);
  return row.workspace_id as string;
}

async function activeHold(w: WorkspaceTx, id: number, raw: string): Promise<Hold> {
  const [row] = await w.tx`SELECT * FROM holds WHERE id = ${id}`;
  const hold = rowToHold(row!);
  if (hold.status !== 'active') {
    throw new CreditsError('hold_not_active', `hold ${raw} is ${hold.status}`, {
      holdId: raw,
      status: hold.status,
    });
  }
  return hold;
}

/** Returns a hold's reserved credits to their lots (in memory and on flush); lots come back in consumption order. */
async function giveBackHold(w: WorkspaceTx, id: number): Promise<{ lot: LotState; held: number }[]> {
  const rows = await w.tx`SELECT lot_id, amount FROM hold_lots WHERE hold_id = ${id}`;
  await w.loadLots(rows.map((r) => Number(r.lot_id)));
  const lots = rows
    .map((r) => ({ lot: w.lots.get(Number(r.lot_id))!, held: Number(r.amount) }))
    .sort((a, b) => consumptionOrder(a.lot, b.lot));
  for (const l of lots) w.moveHeld(l.lot, l.held);
  return lots;
}
