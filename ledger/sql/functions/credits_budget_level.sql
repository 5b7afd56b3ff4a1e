-- The alert threshold (percent of the period's limit) a budget has reached: 0, 80 or 100.
CREATE OR REPLACE FUNCTION credits_budget_level(p_used bigint, p_limit bigint) RETURNS smallint
  LANGUAGE sql IMMUTABLE AS $$
  SELECT (CASE WHEN p_used >= p_limit THEN 100 WHEN p_used * 5 >= p_limit * 4 THEN 80 ELSE 0 END)::smallint
$$;
