import { DEFAULT_ALERT_THRESHOLDS, type Thresholds } from '../alerts.js';
import { cycleAt } from '../billing.js';
import type { Sql, TxSql } from '../db.js';
import type { KeyNamespace } from '../idempotency.js';
import { summarizeBalance } from '../queries.js';
import type { Balance, Transaction } from '../types.js';
import type { WorkspaceRow } from '../workspace-rows.js';
import { WorkspaceTx } from '../workspace-tx.js';
import type { BalanceChange, LedgerCatalog } from './types.js';

export type Renewal = { amount: number; at: string } | null;
export type RenewalBasis = Pick<WorkspaceRow, 'plan' | 'status' | 'billingAnchor'>;

/** What every command needs from the ledger that runs it. */
export interface CommandContext {
  readonly sql: Sql;
  readonly catalog: LedgerCatalog;
  now(): Date;
  renewal(workspace: RenewalBasis, now: Date): Renewal;
  alertDefaults(): Thresholds;
  /** Reports a committed balance change; never throws. */
  notify(change: BalanceChange): void;
}

/** The next subscription allocation, when the workspace's plan renews. */
export function renewalOf(
  catalog: LedgerCatalog,
  cyclePeriodMs: number | undefined,
  workspace: RenewalBasis,
  now: Date,
): Renewal {
  const plan = catalog.plan(workspace.plan);
  if (plan?.kind !== 'subscription') return null;
  if (workspace.status !== 'active' && workspace.status !== 'trialing') return null;
  const cycle = cycleAt(workspace.billingAnchor, now, cyclePeriodMs);
  return { amount: plan.credits, at: cycle.end.toISOString() };
}

export function alertDefaultsOf(catalog: LedgerCatalog): Thresholds {
  return catalog.alertThresholds?.() ?? DEFAULT_ALERT_THRESHOLDS;
}

export function notifySafely(listener: ((change: BalanceChange) => void) | undefined, change: BalanceChange) {
  if (!listener) return;
  try {
    listener(change);
  } catch {
    // A listener's failure must not turn a committed write into an error for the caller.
  }
}

export function openWorkspaceTx(
  ctx: CommandContext,
  tx: TxSql,
  workspaceId: string,
  now: Date,
  opts: { keys?: string[]; namespace?: KeyNamespace; reserveEntries?: number } = {},
): Promise<WorkspaceTx> {
  return WorkspaceTx.open(tx, workspaceId, now, { ...opts, alertDefaults: ctx.alertDefaults() });
}

/**
 * One transaction on a locked workspace: `body` works on it, everything it recorded is flushed
 * in one statement, and once committed a change of balance is reported (alerts wake up).
 */
export async function onWorkspace<V>(
  ctx: CommandContext,
  workspaceId: string,
  now: Date,
  opts: { keys?: string[]; namespace?: KeyNamespace; reserveEntries?: number },
  body: (w: WorkspaceTx) => Promise<{ value: V; changed: boolean; transactionIds?: string[] }>,
): Promise<V> {
  const committed: { change?: BalanceChange } = {};
  const value = await ctx.sql.begin(async (tx) => {
    const w = await openWorkspaceTx(ctx, tx, workspaceId, now, opts);
    const before = w.spendable();
    const out = await body(w);
    await w.flush();
    if (out.changed) {
      committed.change = {
        workspaceId,
        before,
        after: w.spendable(),
        transactionIds: out.transactionIds ?? [],
        alertEvents: w.alertEvents.length,
      };
    }
    return out.value;
  });
  if (committed.change) ctx.notify(committed.change);
  return value as V;
}

/** Runs one idempotent write on a locked workspace: a repeated key with the same request replays its answer. */
export function idempotentWrite<R extends { transaction: Transaction; balance: Balance }>(
  ctx: CommandContext,
  workspaceId: string,
  key: string,
  hash: string,
  body: (w: WorkspaceTx) => Promise<R>,
  namespace: KeyNamespace = 'client',
): Promise<R & { replayed: boolean }> {
  return onWorkspace<R & { replayed: boolean }>(
    ctx,
    workspaceId,
    ctx.now(),
    { keys: [key], namespace, reserveEntries: 1 },
    async (w) => {
      const replay = w.lookupKey(key, hash);
      if (replay) return { value: { ...(replay.replay as R), replayed: true }, changed: false };
      const response = { ...(await body(w)), replayed: false };
      w.rememberKey(key, hash, response);
      return { value: response, changed: true, transactionIds: [response.transaction.id] };
    },
  );
}

/** The balance as the open transaction sees it (what a write answers). */
export function balanceIn(ctx: CommandContext, w: WorkspaceTx, last: Transaction | null): Balance {
  return summarizeBalance({
    workspace: w.workspace,
    lots: w.spendableLots(),
    held: w.held,
    lifetimeUsed: w.lifetimeUsed,
    lastTransaction: last,
    now: w.now,
    renewal: ctx.renewal(w.workspace, w.now),
  });
}
