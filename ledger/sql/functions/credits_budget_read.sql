-- The live budgets of a debit call's locked workspaces, as credits_budget_state reads them, in
-- one set of arrays by workspace (byte-wise) then id, from what the caller has already read under
-- the row locks: each workspace's billing anchor and what its active holds keep (p_held). A
-- workspace with no active hold has no hold to count per budget, so its holds are not searched.
-- The lateral's OFFSET 0 keeps each budget's period computed once, not again in every index
-- condition that uses it (measured: a fifth of the read). No SET clauses: it runs with its
-- caller's (credits_debit_multi: generic plans, no sequential scans).
CREATE OR REPLACE FUNCTION credits_budget_read(
  p_now timestamptz, p_ws text[], p_anchor timestamptz[], p_held bigint[],
  OUT g_ws text[], OUT g_id text[], OUT g_kind text[], OUT g_subj text[], OUT g_lim bigint[],
  OUT g_max bigint[], OUT g_start timestamptz[], OUT g_end timestamptz[], OUT g_used bigint[],
  OUT g_held bigint[], OUT g_alerted smallint[])
  LANGUAGE plpgsql STABLE AS $$
BEGIN
  SELECT array_agg(s.workspace_id), array_agg(s.id), array_agg(s.kind), array_agg(s.subject),
         array_agg(s.lim), array_agg(s.per_debit_max), array_agg(s.period_start), array_agg(s.period_end),
         array_agg(s.used), array_agg(s.held), array_agg(s.alerted)
    INTO g_ws, g_id, g_kind, g_subj, g_lim, g_max, g_start, g_end, g_used, g_held, g_alerted
    FROM (SELECT bg.workspace_id, bg.id, bg.subject_kind AS kind, bg.subject,
                 bg.limit_credits + coalesce((SELECT sum(r.amount) FROM budget_raises r
                                               WHERE r.budget_id = bg.id AND r.status = 'approved'
                                                 AND r.period_start = p.period_start), 0)::bigint AS lim,
                 bg.per_debit_max, p.period_start,
                 p.period_end,
                 coalesce(u.used, 0)::bigint AS used,
                 CASE WHEN w.held > 0 THEN
                   coalesce((SELECT sum(h.amount) FROM holds h, jsonb_array_elements(h.budgets) t
                              WHERE h.workspace_id = bg.workspace_id AND h.status = 'active'
                                AND h.expires_at > p_now AND h.budgets IS NOT NULL AND t->>'b' = bg.id
                                AND (t->>'p')::timestamptz = p.period_start), 0)
                 ELSE 0 END::bigint AS held,
                 coalesce(u.alerted, 0)::smallint AS alerted
            FROM unnest(p_ws, p_anchor, p_held) AS w(id, anchor, held)
            JOIN budgets bg ON bg.workspace_id = w.id AND bg.deleted_at IS NULL
           CROSS JOIN LATERAL (SELECT credits_budget_bound(bg.period, w.anchor, p_now, 0) AS period_start,
                               credits_budget_bound(bg.period, w.anchor, p_now, 1) AS period_end OFFSET 0) p
            LEFT JOIN budget_usage u ON u.budget_id = bg.id AND u.period_start = p.period_start
           ORDER BY bg.workspace_id COLLATE "C", bg.id) s;
END
$$;
