import type { Sql } from '../ledger/db.js';

/**
 * The budgets case of `bench:ledger`: the spread debits again, each matching three budgets of its
 * workspace (its actor's, its API key's, its member's; limits far above what the run spends), so
 * the debit function reads, checks and counts three budgets per debit. The budgets exist in every
 * bench workspace but are live only during this case, so every other case runs without any.
 */

export const BUDGET_CASE = 'in-process, spread, 3 budgets';

/** What each debit of the budgets case carries, so that all three budgets match it. */
export const BUDGETED_DEBIT = {
  actor: 'agent:bench',
  spender: { apiKeyId: 'key_bench', memberId: 'bench' },
} as const;

/** Three budgets per workspace of the bench (ids `<prefix>NNNNN`), soft-deleted until the case runs. */
export async function seedBenchBudgets(sql: Sql, prefix: string): Promise<void> {
  await sql`
    INSERT INTO budgets (id, workspace_id, subject_kind, subject, period, limit_credits, deleted_at)
    SELECT 'bud_' || md5(w.id || s.kind), w.id, s.kind, s.subject, s.period, 1000000000000, now()
      FROM workspaces w
     CROSS JOIN (VALUES ('actor', ${BUDGETED_DEBIT.actor}, 'month'),
                        ('api_key', ${BUDGETED_DEBIT.spender.apiKeyId}, 'day'),
                        ('member', ${BUDGETED_DEBIT.spender.memberId}, 'cycle')) AS s(kind, subject, period)
     WHERE w.id LIKE ${`${prefix}%`}`;
  await sql`VACUUM (ANALYZE) budgets`;
}

/**
 * Runs `fn` with the bench budgets live, and takes them down again whatever happens. The table is
 * vacuumed and checkpointed after each switch, so neither case pays for the other's dead rows.
 */
export async function withBudgets<T>(sql: Sql, fn: () => Promise<T>): Promise<T> {
  await sql`UPDATE budgets SET deleted_at = NULL WHERE id LIKE 'bud\\_%' AND deleted_at IS NOT NULL`;
  await sql`VACUUM (ANALYZE) budgets`;
  await sql`CHECKPOINT`;
  try {
    return await fn();
  } finally {
    await sql`UPDATE budgets SET deleted_at = now() WHERE deleted_at IS NULL`;
    await sql`VACUUM (ANALYZE) budgets`;
  }
}
