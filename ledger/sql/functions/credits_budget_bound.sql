-- A bound of a budget's periods: p_next = 0 the start of the period containing p_now, 1 its end
-- (the next one's start). Day, ISO week (from Monday) and month in UTC; the subscription cycle is
-- calendar months from the billing anchor, clamped to shorter months and back to the anchor's day
-- when a month has it (billing.ts addMonthsClamped, cycleAt; before the anchor: the first cycle).
-- One SQL expression, so the planner inlines it into credits_budget_state's query.
CREATE OR REPLACE FUNCTION credits_budget_bound(p_period text, p_anchor timestamptz, p_now timestamptz,
                                                p_next int) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE AS $$
  SELECT (CASE p_period
            WHEN 'day' THEN date_trunc('day', p_now AT TIME ZONE 'UTC') + make_interval(days => p_next)
            WHEN 'week' THEN date_trunc('week', p_now AT TIME ZONE 'UTC') + make_interval(days => 7 * p_next)
            WHEN 'month' THEN date_trunc('month', p_now AT TIME ZONE 'UTC') + make_interval(months => p_next)
            WHEN 'cycle' THEN (p_anchor AT TIME ZONE 'UTC') + make_interval(months => p_next + greatest(0,
              ((date_part('year', p_now AT TIME ZONE 'UTC') - date_part('year', p_anchor AT TIME ZONE 'UTC')) * 12
               + date_part('month', p_now AT TIME ZONE 'UTC') - date_part('month', p_anchor AT TIME ZONE 'UTC'))::int
              - CASE WHEN (p_anchor AT TIME ZONE 'UTC') + make_interval(months =>
                       ((date_part('year', p_now AT TIME ZONE 'UTC') - date_part('year', p_anchor AT TIME ZONE 'UTC')) * 12
                        + date_part('month', p_now AT TIME ZONE 'UTC') - date_part('month', p_anchor AT TIME ZONE 'UTC'))::int)
                     > p_now AT TIME ZONE 'UTC' THEN 1 ELSE 0 END))
          END) AT TIME ZONE 'UTC'
$$;
