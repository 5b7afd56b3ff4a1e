-- The period of a budget containing p_now: day, ISO week (from Monday) and month in UTC, or the
-- subscription cycle: calendar months from the billing anchor, clamped to shorter months and
-- back to the anchor's day when a month has it (billing.ts addMonthsClamped, cycleAt).
CREATE OR REPLACE FUNCTION credits_budget_period(p_period text, p_anchor timestamptz, p_now timestamptz,
                                                 OUT period_start timestamptz, OUT period_end timestamptz)
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_utc timestamp := p_now AT TIME ZONE 'UTC';
  v_anchor timestamp := p_anchor AT TIME ZONE 'UTC';
  v_months int;
BEGIN
  CASE p_period
    WHEN 'day' THEN
      period_start := date_trunc('day', v_utc) AT TIME ZONE 'UTC';
      period_end := period_start + interval '1 day';
    WHEN 'week' THEN
      period_start := date_trunc('week', v_utc) AT TIME ZONE 'UTC';
      period_end := period_start + interval '7 days';
    WHEN 'month' THEN
      period_start := date_trunc('month', v_utc) AT TIME ZONE 'UTC';
      period_end := (date_trunc('month', v_utc) + interval '1 month') AT TIME ZONE 'UTC';
    WHEN 'cycle' THEN
      v_months := greatest(0, (extract(year FROM v_utc) - extract(year FROM v_anchor))::int * 12
                              + (extract(month FROM v_utc) - extract(month FROM v_anchor))::int - 1);
      WHILE v_anchor + make_interval(months => v_months + 1) <= v_utc LOOP
        v_months := v_months + 1;
      END LOOP;
      period_start := (v_anchor + make_interval(months => v_months)) AT TIME ZONE 'UTC';
      period_end := (v_anchor + make_interval(months => v_months + 1)) AT TIME ZONE 'UTC';
    ELSE
      RAISE EXCEPTION 'credits_budget_period: unknown period %', p_period;
  END CASE;
END
$$;
