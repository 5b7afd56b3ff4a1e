import type { Settled } from '../../ledger/batcher.js';
import type { CommandContext } from '../../ledger/commands/context.js';
import type { TxSql } from '../../ledger/db.js';
import { isCreditsError } from '../../ledger/errors.js';
import { WorkspaceTx } from '../../ledger/workspace-tx.js';

/**
 * A reference batch: each workspace's items, in their order of arrival, in one transaction of
 * their own over WorkspaceTx (lock, read, the TypeScript rules, one flush), as the SQL function
 * treats each workspace of its call. An unknown workspace fails its own items alone.
 */
export async function eachWorkspace<Q extends { workspaceId: string }, R>(
  ctx: CommandContext,
  queued: Q[],
  opening: (items: Q[]) => { keys: string[]; reserveEntries?: number },
  run: (w: WorkspaceTx, item: Q) => Promise<R>,
): Promise<Settled<R>[]> {
  const groups = new Map<string, number[]>();
  queued.forEach((q, i) => {
    groups.set(q.workspaceId, [...(groups.get(q.workspaceId) ?? []), i]);
  });
  const results: Settled<R>[] = new Array(queued.length);
  for (const [ws, positions] of groups) {
    const items = positions.map((i) => queued[i]!);
    let settled: Settled<R>[];
    try {
      settled = await ctx.sql.begin((tx: TxSql) => oneWorkspace(ctx, tx, ws, items, opening, run));
    } catch (error) {
      if (!isCreditsError(error) || error.code !== 'not_found') throw error;
      settled = positions.map(() => ({ ok: false, error }));
    }
    positions.forEach((at, k) => {
      results[at] = settled[k]!;
    });
  }
  return results;
}

async function oneWorkspace<Q, R>(
  ctx: CommandContext,
  tx: TxSql,
  workspaceId: string,
  items: Q[],
  opening: (items: Q[]) => { keys: string[]; reserveEntries?: number },
  run: (w: WorkspaceTx, item: Q) => Promise<R>,
): Promise<Settled<R>[]> {
  const w = await WorkspaceTx.open(tx, workspaceId, ctx.now(), {
    ...opening(items),
    alertDefaults: ctx.alertDefaults(),
  });
  const out: Settled<R>[] = [];
  for (const item of items) {
    try {
      out.push({ ok: true, value: await run(w, item) });
    } catch (error) {
      if (!isCreditsError(error)) throw error;
      out.push({ ok: false, error });
    }
  }
  await w.flush();
  return out;
}
