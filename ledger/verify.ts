import { verifyBudgets } from './budget-verify.js';
import type { Sql } from './db.js';
import { verifyRevenue } from './revenue-verify.js';
import type { Violation } from './violation.js';

export type { Violation };

/**
 * Checks the ledger's invariants over the whole database (or one workspace):
 * - each lot: remaining = amount − consumed − expired + reversed ± adjusted − held by active holds,
 *   i.e. the sum of its journal movements minus its active reservations, and 0 ≤ remaining ≤ amount;
 * - each lot's amount equals the movement of the entry that created it;
 * - each entry's delta equals the sum of its lot movements;
 * - per workspace: lots + active holds = the balance the journal implies (sum of deltas);
 * - lifetime usage equals debits minus their reversals;
 * - the per-day usage rollup (`usage_daily`) equals the journal's debits minus reversals of each UTC day;
 * - the detailed rollup (`usage_daily_detail`) equals them per day, operation and actor, with the debits' count;
 * - debits never consumed more than they recorded, reversals never exceed their debit;
 * - each budget period's counter equals the debits counted toward it less their reversals (budget-verify.ts);
 * - money: every month ties out, and refunds match their entries (revenue-verify.ts).
 */
export async function verifyLedger(sql: Sql, workspaceId?: string): Promise<Violation[]> {
  const ws = workspaceId ?? null;
  const violations: Violation[] = [];

  const lotRows = await sql`
    SELECT * FROM (
      SELECT l.id, l.workspace_id, l.amount, l.remaining,
             coalesce((SELECT sum(delta) FROM journal_lots m WHERE m.lot_id = l.id), 0)::bigint AS moved,
             coalesce((SELECT sum(hl.amount) FROM hold_lots hl JOIN holds ho ON ho.id = hl.hold_id
                        WHERE hl.lot_id = l.id AND ho.status = 'active'), 0)::bigint AS held,
             coalesce((SELECT g.delta FROM journal_lots g
                        WHERE g.entry_id = l.grant_id AND g.lot_id = l.id), 0)::bigint AS created
        FROM lots l
       WHERE ${ws}::text IS NULL OR l.workspace_id = ${ws}) x
     WHERE moved - held <> remaining OR remaining < 0 OR remaining > amount OR created <> amount`;
  for (const r of lotRows) {
    const expected = Number(r.moved) - Number(r.held);
    if (expected !== Number(r.remaining)) {
      violations.push({
        rule: 'lot_remaining',
        workspaceId: r.workspace_id,
        lotId: String(r.id),
        expected,
        actual: Number(r.remaining),
        message: `lot ${r.id}: remaining ${r.remaining} but its journal movements (${r.moved}) minus active holds (${r.held}) give ${expected}`,
      });
    }
    if (Number(r.remaining) < 0 || Number(r.remaining) > Number(r.amount)) {
      violations.push({
        rule: 'lot_bounds',
        workspaceId: r.workspace_id,
        lotId: String(r.id),
        actual: Number(r.remaining),
        message: `lot ${r.id}: remaining ${r.remaining} outside 0..${r.amount}`,
      });
    }
    if (Number(r.created) !== Number(r.amount)) {
      violations.push({
        rule: 'lot_origin',
        workspaceId: r.workspace_id,
        lotId: String(r.id),
        expected: Number(r.amount),
        actual: Number(r.created),
        message: `lot ${r.id}: amount ${r.amount} but the entry that created it credited ${r.created}`,
      });
    }
  }

  const entryRows = await sql`
    SELECT j.id, j.workspace_id, j.delta, coalesce(sum(jl.delta), 0)::bigint AS moved
      FROM journal j LEFT JOIN journal_lots jl ON jl.entry_id = j.id
     WHERE ${ws}::text IS NULL OR j.workspace_id = ${ws}
     GROUP BY j.id HAVING j.delta <> coalesce(sum(jl.delta), 0)`;
  for (const r of entryRows) {
    violations.push({
      rule: 'entry_lots',
      workspaceId: r.workspace_id,
      entryId: String(r.id),
      expected: Number(r.delta),
      actual: Number(r.moved),
      message: `entry ${r.id}: delta ${r.delta} but its lot movements sum to ${r.moved}`,
    });
  }

  const wsRows = await sql`
    SELECT w.id, w.lifetime_used, w.last_entry_id,
           (SELECT max(id) FROM journal j WHERE j.workspace_id = w.id) AS last_id,
           coalesce((SELECT sum(delta) FROM journal j WHERE j.workspace_id = w.id), 0)::bigint AS implied,
           coalesce((SELECT sum(remaining) FROM lots l WHERE l.workspace_id = w.id), 0)::bigint AS in_lots,
           coalesce((SELECT sum(amount) FROM holds h WHERE h.workspace_id = w.id AND h.status = 'active'), 0)::bigint AS held,
           coalesce((SELECT -sum(delta) FROM journal j
                      WHERE j.workspace_id = w.id AND j.kind IN ('debit', 'reverse')), 0)::bigint AS used
      FROM workspaces w WHERE ${ws}::text IS NULL OR w.id = ${ws}`;
  for (const r of wsRows) {
    if (Number(r.implied) !== Number(r.in_lots) + Number(r.held)) {
      violations.push({
        rule: 'workspace_balance',
        workspaceId: r.id,
        expected: Number(r.implied),
        actual: Number(r.in_lots) + Number(r.held),
        message: `workspace ${r.id}: journal implies ${r.implied} but lots hold ${r.in_lots} and active holds ${r.held}`,
      });
    }
    if ((r.last_id ?? null) !== (r.last_entry_id ?? null)) {
      violations.push({
        rule: 'last_entry',
        workspaceId: r.id,
        message: `workspace ${r.id}: last entry recorded as ${r.last_entry_id} but the journal's latest is ${r.last_id}`,
      });
    }
    if (Number(r.used) !== Number(r.lifetime_used)) {
      violations.push({
        rule: 'lifetime_used',
        workspaceId: r.id,
        expected: Number(r.used),
        actual: Number(r.lifetime_used),
        message: `workspace ${r.id}: lifetime used is ${r.lifetime_used} but debits minus reversals give ${r.used}`,
      });
    }
  }

  const dayRows = await sql`
    WITH journal_days AS (
      SELECT workspace_id, (created_at AT TIME ZONE 'UTC')::date AS day, -sum(delta) AS used
        FROM journal
       WHERE kind IN ('debit', 'reverse') AND (${ws}::text IS NULL OR workspace_id = ${ws})
       GROUP BY 1, 2),
    rollup_days AS (
      SELECT workspace_id, day, used FROM usage_daily WHERE ${ws}::text IS NULL OR workspace_id = ${ws})
    SELECT workspace_id, to_char(day, 'YYYY-MM-DD') AS day,
           coalesce(j.used, 0)::bigint AS expected, coalesce(r.used, 0)::bigint AS actual
      FROM journal_days j FULL JOIN rollup_days r USING (workspace_id, day)
     WHERE coalesce(j.used, 0) <> coalesce(r.used, 0)
     ORDER BY 1, 2`;
  for (const r of dayRows) {
    violations.push({
      rule: 'usage_daily',
      workspaceId: r.workspace_id,
      expected: Number(r.expected),
      actual: Number(r.actual),
      message: `workspace ${r.workspace_id}: usage rollup says ${r.actual} used on ${r.day} but the journal's debits minus reversals give ${r.expected}`,
    });
  }

  const detailRows = await sql`
    WITH journal_detail AS (
      SELECT j.workspace_id, (j.created_at AT TIME ZONE 'UTC')::date AS day,
             CASE WHEN j.kind = 'reverse' THEN coalesce(o.operation, j.operation) ELSE j.operation END AS operation,
             CASE WHEN j.kind = 'reverse' THEN o.actor ELSE j.actor END AS actor,
             -sum(j.delta) AS used, count(*) FILTER (WHERE j.kind = 'debit') AS debits
        FROM journal j LEFT JOIN journal o ON o.id = j.reverses_id
       WHERE j.kind IN ('debit', 'reverse') AND (${ws}::text IS NULL OR j.workspace_id = ${ws})
       GROUP BY 1, 2, 3, 4),
    rollup_detail AS (
      SELECT workspace_id, day, operation, actor, used, debits FROM usage_daily_detail
       WHERE ${ws}::text IS NULL OR workspace_id = ${ws})
    SELECT coalesce(j.workspace_id, r.workspace_id) AS workspace_id,
           to_char(coalesce(j.day, r.day), 'YYYY-MM-DD') AS day,
           coalesce(j.operation, r.operation) AS operation, coalesce(j.actor, r.actor) AS actor,
           coalesce(j.used, 0)::bigint AS expected, coalesce(r.used, 0)::bigint AS actual,
           coalesce(j.debits, 0)::bigint AS expected_debits, coalesce(r.debits, 0)::bigint AS actual_debits
      FROM journal_detail j FULL JOIN rollup_detail r
        ON r.workspace_id = j.workspace_id AND r.day = j.day
       -- null and every text spelled apart, with = (a FULL JOIN cannot use IS NOT DISTINCT FROM)
       AND coalesce('o:' || r.operation, 'n') = coalesce('o:' || j.operation, 'n')
       AND coalesce('a:' || r.actor, 'n') = coalesce('a:' || j.actor, 'n')
     WHERE j.workspace_id IS NULL OR r.workspace_id IS NULL
        OR j.used <> r.used OR j.debits <> r.debits
     ORDER BY 1, 2, 3, 4`;
  for (const r of detailRows) {
    violations.push({
      rule: 'usage_daily_detail',
      workspaceId: r.workspace_id,
      expected: Number(r.expected),
      actual: Number(r.actual),
      message: `workspace ${r.workspace_id}: usage rollup says ${r.actual} used in ${r.actual_debits} debits on ${r.day} by operation ${r.operation ?? '(none)'} and actor ${r.actor ?? '(none)'} but the journal gives ${r.expected} in ${r.expected_debits}`,
    });
  }

  const reversalRows = await sql`
    SELECT d.id, d.workspace_id, -d.delta AS debited, sum(r.delta)::bigint AS reversed
      FROM journal r JOIN journal d ON d.id = r.reverses_id
     WHERE r.kind = 'reverse' AND (${ws}::text IS NULL OR d.workspace_id = ${ws})
     GROUP BY d.id HAVING sum(r.delta) > -d.delta OR bool_or(d.kind <> 'debit')`;
  for (const r of reversalRows) {
    violations.push({
      rule: 'reversal_bounds',
      workspaceId: r.workspace_id,
      entryId: String(r.id),
      expected: Number(r.debited),
      actual: Number(r.reversed),
      message: `entry ${r.id}: reversed ${r.reversed} of ${r.debited} (or it is not a debit)`,
    });
  }

  const holdRows = await sql`
    SELECT h.id, h.workspace_id, h.amount, h.status, coalesce(sum(hl.amount), 0)::bigint AS reserved
      FROM holds h LEFT JOIN hold_lots hl ON hl.hold_id = h.id
     WHERE ${ws}::text IS NULL OR h.workspace_id = ${ws}
     GROUP BY h.id HAVING coalesce(sum(hl.amount), 0) <> h.amount OR (h.status = 'captured' AND h.captured > h.amount)`;
  for (const r of holdRows) {
    violations.push({
      rule: 'hold_allocation',
      workspaceId: r.workspace_id,
      expected: Number(r.amount),
      actual: Number(r.reserved),
      message: `hold ${r.id}: amount ${r.amount} but ${r.reserved} reserved from lots`,
    });
  }
  violations.push(...(await verifyBudgets(sql, ws)));
  violations.push(...(await verifyRevenue(sql, ws)));
  return violations;
}
