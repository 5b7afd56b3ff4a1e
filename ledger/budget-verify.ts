import type { Sql } from './db.js';
import type { Violation } from './violation.js';

/**
 * Budget counters against the journal: each budget period's `budget_usage.used` equals the debits
 * and captures recorded as counting toward it (journal.budgets) less their reversals, and every
 * budget a journal entry or hold names belongs to that entry's workspace. (Active holds are not
 * counted in `budget_usage`: they are read from `holds` each time.)
 */
export async function verifyBudgets(sql: Sql, workspaceId: string | null): Promise<Violation[]> {
  const ws = workspaceId;
  const violations: Violation[] = [];
  const usageRows = await sql`
    WITH counted AS (
      SELECT t->>'b' AS budget_id, (t->>'p')::timestamptz AS period_start, j.workspace_id,
             sum(-j.delta - coalesce((SELECT sum(r.delta) FROM journal r
                                       WHERE r.reverses_id = j.id AND r.kind = 'reverse'), 0))::bigint AS used
        FROM journal j CROSS JOIN LATERAL jsonb_array_elements(j.budgets) t
       WHERE j.budgets IS NOT NULL AND j.kind = 'debit' AND (${ws}::text IS NULL OR j.workspace_id = ${ws})
       GROUP BY 1, 2, 3),
    stored AS (
      SELECT u.budget_id, u.period_start, b.workspace_id, u.used
        FROM budget_usage u JOIN budgets b ON b.id = u.budget_id
       WHERE ${ws}::text IS NULL OR b.workspace_id = ${ws})
    SELECT coalesce(c.workspace_id, s.workspace_id) AS workspace_id,
           coalesce(c.budget_id, s.budget_id) AS budget_id,
           coalesce(c.period_start, s.period_start) AS period_start,
           coalesce(c.used, 0)::bigint AS expected, coalesce(s.used, 0)::bigint AS actual,
           c.workspace_id IS DISTINCT FROM s.workspace_id AND c.budget_id IS NOT NULL AND s.budget_id IS NOT NULL AS foreign
      FROM counted c FULL JOIN stored s ON s.budget_id = c.budget_id AND s.period_start = c.period_start
     WHERE coalesce(c.used, 0) <> coalesce(s.used, 0)
        OR (c.budget_id IS NOT NULL AND s.budget_id IS NOT NULL AND c.workspace_id <> s.workspace_id)`;
  for (const r of usageRows) {
    const period = (r.period_start as Date).toISOString();
    violations.push({
      rule: r.foreign ? 'budget_workspace' : 'budget_usage',
      workspaceId: r.workspace_id,
      expected: Number(r.expected),
      actual: Number(r.actual),
      message: r.foreign
        ? `budget ${r.budget_id}: counted by entries of workspace ${r.workspace_id}, which it does not belong to`
        : `budget ${r.budget_id}, period from ${period}: used ${r.actual} but the journal's debits less reversals give ${r.expected}`,
    });
  }
  const strayRows = await sql`
    SELECT x.workspace_id, x.what, x.id, t->>'b' AS budget_id
      FROM (SELECT workspace_id, 'entry' AS what, id, budgets FROM journal
             WHERE budgets IS NOT NULL AND (${ws}::text IS NULL OR workspace_id = ${ws})
            UNION ALL
            SELECT workspace_id, 'hold', id, budgets FROM holds
             WHERE budgets IS NOT NULL AND (${ws}::text IS NULL OR workspace_id = ${ws})) x
     CROSS JOIN LATERAL jsonb_array_elements(x.budgets) t
     WHERE NOT EXISTS (SELECT 1 FROM budgets b WHERE b.id = t->>'b' AND b.workspace_id = x.workspace_id)`;
  for (const r of strayRows) {
    violations.push({
      rule: 'budget_workspace',
      workspaceId: r.workspace_id,
      ...(r.what === 'entry' ? { entryId: String(r.id) } : {}),
      message: `${r.what} ${r.id} counts toward budget ${r.budget_id}, which is not one of workspace ${r.workspace_id}'s`,
    });
  }
  return violations;
}
