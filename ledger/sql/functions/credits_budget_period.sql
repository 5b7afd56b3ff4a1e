-- The period of a budget containing p_now (credits_budget_bound): its start and its end.
CREATE OR REPLACE FUNCTION credits_budget_period(p_period text, p_anchor timestamptz, p_now timestamptz,
                                                 OUT period_start timestamptz, OUT period_end timestamptz)
  LANGUAGE sql IMMUTABLE AS $$
  SELECT credits_budget_bound(p_period, p_anchor, p_now, 0), credits_budget_bound(p_period, p_anchor, p_now, 1)
$$;
