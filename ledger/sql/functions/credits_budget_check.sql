-- Whether `p_amount` more may count toward every budget the item matches (credits_budget_matches
-- over the item's actor, member, apiKey and operation), read as of p_now under the workspace's
-- row lock. Answers the first refusal as { s: 'budget', budgetId, limit, used, requested,
-- resetsAt, perDebitMax }, else { tags }: the budget periods to record on the hold or entry
-- ([{ b, p }], null for none).
CREATE OR REPLACE FUNCTION credits_budget_check(p_ws text, p_now timestamptz, p_amount bigint, p_item jsonb)
  RETURNS jsonb
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  r record;
  v_tags jsonb;
BEGIN
  FOR r IN SELECT * FROM credits_budget_state(p_now, ARRAY[p_ws]) LOOP
    CONTINUE WHEN NOT credits_budget_matches(r.kind, r.subject, p_item->>'actor', p_item->>'member',
                                             p_item->>'apiKey', p_item->>'operation');
    IF p_amount > r.per_debit_max OR r.used + r.held + p_amount > r.lim THEN
      RETURN jsonb_build_object('s', 'budget', 'budgetId', r.id, 'limit', r.lim, 'used', r.used + r.held,
                                'requested', p_amount, 'resetsAt', credits_iso(r.period_end),
                                'perDebitMax', r.per_debit_max);
    END IF;
    v_tags := coalesce(v_tags, '[]') || jsonb_build_array(jsonb_build_object('b', r.id, 'p', r.period_start));
  END LOOP;
  RETURN jsonb_build_object('tags', v_tags);
END
$$;
