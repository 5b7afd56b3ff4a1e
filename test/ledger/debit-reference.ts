import type { CommandContext } from '../../ledger/commands/context.js';
import type { PreparedDebit } from '../../ledger/commands/types.js';
import type { WritePaths } from '../../ledger/commands/write-paths.js';
import type { Sql } from '../../ledger/db.js';
import { insufficient, type WriteResult } from '../../ledger/ledger.js';
import { summarizeBalance } from '../../ledger/queries.js';
import type { Transaction } from '../../ledger/types.js';
import type { WorkspaceTx } from '../../ledger/workspace-tx.js';
import { eachWorkspace } from './reference-batch.js';

/** The TypeScript reference path for debits and the normalisation the differential tests compare with. */

/**
 * The debit path as it was before the SQL function, in TypeScript over WorkspaceTx (lock, read,
 * allocate with lots.ts, one flush with alerts.ts): the reference credits_debit_multi must match.
 */
export const referenceDebits: WritePaths['debits'] = (ctx, queued) =>
  eachWorkspace(
    ctx,
    queued,
    (items) => ({ keys: items.map((q) => q.debit.input.idempotencyKey), reserveEntries: items.length }),
    (w, { debit }) => debitOne(ctx, w, debit),
  );

async function debitOne(ctx: CommandContext, w: WorkspaceTx, item: PreparedDebit): Promise<WriteResult> {
  const replay = w.lookupKey(item.input.idempotencyKey, item.hash);
  if (replay) return { ...(replay.replay as WriteResult), replayed: true };
  const allocations = w.allocate(item.amount);
  if (!allocations) throw insufficient(item.amount, w.spendable());
  const transaction = w.addEntry(await w.nextEntryId(), {
    kind: 'debit',
    movements: allocations.map((a) => ({ lot: a.lot, delta: -a.amount })),
    operation: item.input.operation ?? null,
    quantity: item.quantity,
    actor: item.input.actor ?? null,
    source: item.input.source ?? 'api',
    idempotencyKey: item.input.idempotencyKey,
    metadata: item.input.metadata ?? {},
    usage: item.amount,
  });
  const response = {
    transaction,
    balance: summarizeBalance({
      workspace: w.workspace,
      lots: w.spendableLots(),
      held: w.held,
      lifetimeUsed: w.lifetimeUsed,
      lastTransaction: transaction,
      now: w.now,
      renewal: ctx.renewal(w.workspace, w.now),
    }),
    replayed: false,
  };
  w.rememberKey(item.input.idempotencyKey, item.hash, response);
  return response;
}

/** Ids differ between two workspaces: lots become their rank, entries disappear. */
export async function lotRanks(sql: Sql, ws: string): Promise<Map<string, number>> {
  const rows = await sql`SELECT id FROM lots WHERE workspace_id = ${ws} ORDER BY id`;
  return new Map(rows.map((r, i) => [String(r.id), i]));
}

/** Without ids: lots become their rank in the workspace, and so do holds when `holds` is given. */
export function normTx(t: Transaction | null, ranks: Map<string, number>, holds?: Map<string, number>) {
  if (!t) return null;
  const { id: _id, workspaceId: _ws, lots, consumed, ...rest } = t;
  return {
    ...rest,
    holdId: t.holdId !== null && holds ? holds.get(t.holdId) : t.holdId,
    lots: lots.map((l) => ({ ...l, lotId: ranks.get(l.lotId) })),
    consumed: consumed?.map((l) => ({ ...l, lotId: ranks.get(l.lotId) })),
  };
}

export function normResult(
  r: PromiseSettledResult<WriteResult>,
  ranks: Map<string, number>,
  holds?: Map<string, number>,
) {
  if (r.status === 'rejected') {
    const e = r.reason as { code?: string; message?: string; details?: unknown };
    return { error: e.code ?? String(r.reason), message: e.message, details: e.details };
  }
  const { transaction, balance, replayed } = r.value;
  const { workspaceId: _ws, lastTransaction, nextExpiry, ...b } = balance;
  return {
    replayed,
    transaction: normTx(transaction, ranks, holds),
    // Which type a tie of expiry dates is reported under was never defined: compare the rest.
    balance: {
      ...b,
      nextExpiry: nextExpiry && { amount: nextExpiry.amount, at: nextExpiry.at },
      lastTransaction: normTx(lastTransaction, ranks, holds),
    },
  };
}

export async function snapshot(sql: Sql, ws: string) {
  const ranks = await lotRanks(sql, ws);
  const rank = (id: unknown) => ranks.get(String(id));
  const holdIds = await sql`SELECT id FROM holds WHERE workspace_id = ${ws} ORDER BY id`;
  const holdRanks = new Map(holdIds.map((r, i) => [String(r.id), i]));
  const lots =
    await sql`SELECT type, amount, remaining, priority, expires_at FROM lots WHERE workspace_id = ${ws} ORDER BY id`;
  const journal = await sql`
    SELECT j.kind, j.delta, j.balance_after, j.operation, j.quantity, j.actor, j.source, j.idempotency_key,
           j.metadata, j.created_at, j.reason,
           (SELECT json_agg(json_build_object('lot', jl.lot_id, 'delta', jl.delta) ORDER BY jl.lot_id)
              FROM journal_lots jl WHERE jl.entry_id = j.id) AS lots
      FROM journal j WHERE j.workspace_id = ${ws} ORDER BY j.id`;
  const keys = await sql`
    SELECT key, request_hash, response FROM idempotency_keys WHERE workspace_id = ${ws} ORDER BY key`;
  const alerts = await sql`
    SELECT type, level, threshold, balance, data, created_at FROM alert_events WHERE workspace_id = ${ws} ORDER BY id`;
  const [w] = await sql`SELECT lifetime_used, alert_state,
                               (SELECT kind FROM journal WHERE id = last_entry_id) AS last_kind,
                               (SELECT balance_after FROM journal WHERE id = last_entry_id) AS last_balance
                          FROM workspaces WHERE id = ${ws}`;
  const holds = await sql`SELECT amount, status, closed_at FROM holds WHERE workspace_id = ${ws} ORDER BY id`;
  const holdLots = await sql`
    SELECT hl.lot_id, hl.amount FROM hold_lots hl JOIN holds h ON h.id = hl.hold_id
     WHERE h.workspace_id = ${ws} ORDER BY h.id, hl.lot_id`;
  return {
    lots,
    journal: journal.map((j) => ({
      ...j,
      lots: (j.lots as { lot: number; delta: number }[] | null)?.map((l) => ({
        lot: rank(l.lot),
        delta: l.delta,
      })),
    })),
    keys: keys.map((k) => {
      const r = k.response as WriteResult & { hold?: { id: string } };
      if (r.transaction?.kind !== 'debit') return { key: k.key, hash: k.request_hash }; // grants, holds: same TS path
      return {
        key: k.key,
        // A capture's fingerprint names its hold, whose id differs between two workspaces.
        hash: r.hold ? holdRanks.get(r.hold.id) : k.request_hash,
        response: normResult(
          { status: 'fulfilled', value: { ...r, balance: { ...r.balance, renewal: null } } },
          ranks,
          holdRanks,
        ),
      };
    }),
    alerts,
    workspace: w,
    holds,
    holdLots: holdLots.map((h) => ({ lot: rank(h.lot_id), amount: h.amount })),
  };
}
