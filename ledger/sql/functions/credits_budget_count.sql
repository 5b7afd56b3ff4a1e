-- Counts `p_amount` (negative: gives back) toward the budget periods `p_tags` ([{ b, p }]) of a
-- capture or reversal, then announces the thresholds (80 and 100 percent) the current periods of
-- those budgets reached, each once per period, in the alert outbox as `budget.threshold`.
-- Called under the workspace's row lock. Answers how many alerts it wrote.
CREATE OR REPLACE FUNCTION credits_budget_count(p_ws text, p_now timestamptz, p_tags jsonb, p_amount bigint,
                                                p_balance bigint) RETURNS int
  LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_level smallint;
  v_events int := 0;
BEGIN
  IF p_tags IS NULL OR jsonb_typeof(p_tags) <> 'array' OR jsonb_array_length(p_tags) = 0 THEN
    RETURN 0;
  END IF;
  IF p_amount > 0 THEN
    INSERT INTO budget_usage AS u (budget_id, period_start, used)
    SELECT t->>'b', (t->>'p')::timestamptz, p_amount FROM jsonb_array_elements(p_tags) t
     ORDER BY t->>'b' COLLATE "C"
    ON CONFLICT (budget_id, period_start) DO UPDATE SET used = u.used + EXCLUDED.used;
  ELSIF p_amount < 0 THEN
    -- The counted row exists (the debit wrote it); an INSERT would check its negative used first.
    UPDATE budget_usage u SET used = u.used + p_amount
      FROM jsonb_array_elements(p_tags) t
     WHERE u.budget_id = t->>'b' AND u.period_start = (t->>'p')::timestamptz;
  END IF;
  -- Giving back never crosses a threshold upwards.
  IF p_amount < 0 THEN
    RETURN 0;
  END IF;
  FOR r IN
    SELECT s.* FROM credits_budget_state(p_now, ARRAY[p_ws]) s
     WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(p_tags) t
                    WHERE t->>'b' = s.id AND (t->>'p')::timestamptz = s.period_start)
  LOOP
    v_level := credits_budget_level(r.used + r.held, r.lim);
    CONTINUE WHEN v_level <= r.alerted;
    INSERT INTO alert_events (workspace_id, type, level, threshold, balance, data, created_at)
    SELECT p_ws, 'budget.threshold', NULL, pct, p_balance,
           jsonb_build_object('budgetId', r.id, 'percent', pct, 'used', r.used + r.held, 'limit', r.lim,
                              'periodStart', credits_iso(r.period_start), 'resetsAt', credits_iso(r.period_end)),
           p_now
      FROM unnest(ARRAY[80, 100]) AS pct WHERE pct > r.alerted AND pct <= v_level;
    v_events := v_events + (CASE WHEN r.alerted < 80 AND v_level = 100 THEN 2 ELSE 1 END);
    INSERT INTO budget_usage AS u (budget_id, period_start, alerted) VALUES (r.id, r.period_start, v_level)
    ON CONFLICT (budget_id, period_start) DO UPDATE SET alerted = greatest(u.alerted, EXCLUDED.alerted);
  END LOOP;
  RETURN v_events;
END
$$;
