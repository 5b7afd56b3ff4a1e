import { balanceIn, type CommandContext } from '../../ledger/commands/context.js';
import { expireReturned } from '../../ledger/commands/expiry.js';
import type { PreparedHoldOp } from '../../ledger/commands/types.js';
import type { WritePaths } from '../../ledger/commands/write-paths.js';
import { CreditsError } from '../../ledger/errors.js';
import { type CaptureResult, type HoldResult, insufficient } from '../../ledger/ledger.js';
import { consumptionOrder, type LotState } from '../../ledger/lots.js';
import { rowToHold } from '../../ledger/queries.js';
import type { WorkspaceTx } from '../../ledger/workspace-tx.js';
import { eachWorkspace } from './reference-batch.js';

/**
 * Holds, captures and releases as they were in TypeScript before the SQL function, over WorkspaceTx
 * (lock, read, allocate with lots.ts, give back, expire what came back past its date, one flush
 * with alerts.ts): the reference credits_hold_multi must match. Each workspace's items of a batch
 * run in order in one transaction, so alerts are evaluated once per workspace per batch as the
 * SQL function does.
 */
export const referenceHoldOps: WritePaths['holdOps'] = (ctx, queued) =>
  eachWorkspace(
    ctx,
    queued,
    (items) => ({ keys: items.flatMap(({ op }) => (op.kind === 'release' ? [] : [op.key])) }),
    (w, { op }) => runOne(ctx, w, op),
  );

async function runOne(
  ctx: CommandContext,
  w: WorkspaceTx,
  op: PreparedHoldOp,
): Promise<HoldResult | CaptureResult> {
  if (op.kind === 'release') return release(ctx, w, op.holdId, op.raw);
  const replay = w.lookupKey(op.key, op.hash);
  if (replay) return { ...(replay.replay as HoldResult), replayed: true };
  const response = op.kind === 'hold' ? await place(ctx, w, op) : await capture(ctx, w, op);
  w.rememberKey(op.key, op.hash, response);
  return response;
}

async function place(
  ctx: CommandContext,
  w: WorkspaceTx,
  op: Extract<PreparedHoldOp, { kind: 'hold' }>,
): Promise<HoldResult> {
  const allocations = w.allocate(op.amount);
  if (!allocations) throw insufficient(op.amount, w.spendable());
  const input = op.input;
  const expiresAt = new Date(w.now.getTime() + op.timeout * 1000);
  const [row] = await w.tx`
    INSERT INTO holds (workspace_id, amount, status, actor, source, operation, metadata, created_at, expires_at)
    VALUES (${w.workspace.id}, ${op.amount}, 'active', ${input.actor ?? null}, ${input.source ?? 'api'},
            ${input.operation ?? null}, ${JSON.stringify(input.metadata ?? {})}::text::jsonb, ${w.now}, ${expiresAt})
    RETURNING *`;
  for (const a of allocations) {
    await w.tx`INSERT INTO hold_lots (hold_id, lot_id, amount) VALUES (${row!.id}, ${a.lot.id}, ${a.amount})`;
    w.moveHeld(a.lot, -a.amount);
  }
  return { hold: rowToHold(row!), balance: balanceIn(ctx, w, null), replayed: false };
}

async function capture(
  ctx: CommandContext,
  w: WorkspaceTx,
  op: Extract<PreparedHoldOp, { kind: 'capture' }>,
): Promise<CaptureResult> {
  const current = await holdIn(w, op.holdId, op.raw);
  const hold = rowToHold(current);
  if (hold.status !== 'active') {
    throw new CreditsError('hold_not_active', `hold ${op.raw} is ${hold.status}`, {
      holdId: op.raw,
      status: hold.status,
    });
  }
  if (op.amount > hold.amount) {
    throw CreditsError.field('amount', `${op.amount} exceeds the held amount ${hold.amount}`);
  }
  const lots = await giveBack(w, op.holdId);
  let left = op.amount;
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
    actor: op.input.actor ?? hold.actor,
    source: op.input.source ?? hold.source,
    idempotencyKey: op.key,
    holdId: op.holdId,
    metadata: { ...hold.metadata, ...op.input.metadata },
    usage: op.amount,
  });
  const [row] = await w.tx`
    UPDATE holds SET status = 'captured', captured = ${op.amount}, capture_id = ${Number(transaction.id)},
                     closed_at = ${w.now}
     WHERE id = ${op.holdId} RETURNING *`;
  await expireReturned(
    w,
    lots.map((l) => l.lot),
    'expired while held',
  );
  return { hold: rowToHold(row!), transaction, balance: balanceIn(ctx, w, transaction), replayed: false };
}

async function release(ctx: CommandContext, w: WorkspaceTx, id: number, raw: string): Promise<HoldResult> {
  const current = await holdIn(w, id, raw);
  if (current.status === 'released' || current.status === 'expired') {
    return { hold: rowToHold(current), balance: balanceIn(ctx, w, null), replayed: true };
  }
  if (current.status === 'captured') {
    throw new CreditsError('hold_not_active', `hold ${raw} was already captured`, {
      holdId: raw,
      status: 'captured',
    });
  }
  const lots = await giveBack(w, id);
  const [row] =
    await w.tx`UPDATE holds SET status = 'released', closed_at = ${w.now} WHERE id = ${id} RETURNING *`;
  await expireReturned(
    w,
    lots.map((l) => l.lot),
    'expired while held',
  );
  return { hold: rowToHold(row!), balance: balanceIn(ctx, w, null), replayed: false };
}

/** The ledger looked the owner up before the batch; a hold of another workspace is not found. */
async function holdIn(w: WorkspaceTx, id: number, raw: string): Promise<Record<string, unknown>> {
  const [row] = await w.tx`SELECT * FROM holds WHERE id = ${id} AND workspace_id = ${w.workspace.id}`;
  if (!row) throw CreditsError.notFound('hold', raw);
  return row;
}

/** Returns a hold's reserved credits to their lots; lots come back in consumption order. */
async function giveBack(w: WorkspaceTx, id: number): Promise<{ lot: LotState; held: number }[]> {
  const rows = await w.tx`SELECT lot_id, amount FROM hold_lots WHERE hold_id = ${id}`;
  await w.loadLots(rows.map((r) => Number(r.lot_id)));
  const lots = rows
    .map((r) => ({ lot: w.lots.get(Number(r.lot_id))!, held: Number(r.amount) }))
    .sort((a, b) => consumptionOrder(a.lot, b.lot));
  for (const l of lots) w.moveHeld(l.lot, l.held);
  return lots;
}
