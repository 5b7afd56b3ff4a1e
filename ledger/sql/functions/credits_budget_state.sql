-- The live budgets of some workspaces as of p_now, by workspace (byte-wise) then id: each with
-- its current period, its limit for that period (the budget's own plus the approved raises of
-- the period), what the period used (debits and captures less reversals) and what active holds
-- of the period keep. Read under the workspaces' row locks by the debit and hold functions.
CREATE OR REPLACE FUNCTION credits_budget_state(p_now timestamptz, p_ws text[])
  RETURNS TABLE (workspace_id text, id text, kind text, subject text, lim bigint, per_debit_max bigint,
                 period_start timestamptz, period_end timestamptz, used bigint, held bigint,
                 alerted smallint)
  LANGUAGE plpgsql STABLE
  -- As in credits_debit_multi: one generic plan per connection (the array's length would make
  -- every call plan again), made of keyed probes whatever the tables looked like at the first call.
  SET plan_cache_mode = force_generic_plan
  SET enable_seqscan = off
  AS $$
BEGIN
  RETURN QUERY
  SELECT b.workspace_id, b.id, b.subject_kind, b.subject,
         b.limit_credits + coalesce((SELECT sum(r.amount) FROM budget_raises r
                                      WHERE r.budget_id = b.id AND r.status = 'approved'
                                        AND r.period_start = p.period_start), 0)::bigint,
         b.per_debit_max, p.period_start, credits_budget_bound(b.period, w.billing_anchor, p_now, 1),
         coalesce(u.used, 0)::bigint,
         coalesce((SELECT sum(h.amount) FROM holds h, jsonb_array_elements(h.budgets) t
                    WHERE h.workspace_id = b.workspace_id AND h.status = 'active' AND h.expires_at > p_now
                      AND h.budgets IS NOT NULL AND t->>'b' = b.id
                      AND (t->>'p')::timestamptz = p.period_start), 0)::bigint,
         coalesce(u.alerted, 0)::smallint
    FROM budgets b
    JOIN workspaces w ON w.id = b.workspace_id
   CROSS JOIN LATERAL (SELECT credits_budget_bound(b.period, w.billing_anchor, p_now, 0) AS period_start) p
    LEFT JOIN budget_usage u ON u.budget_id = b.id AND u.period_start = p.period_start
   WHERE b.workspace_id = ANY (p_ws) AND b.deleted_at IS NULL
   ORDER BY b.workspace_id COLLATE "C", b.id;
END
$$;
