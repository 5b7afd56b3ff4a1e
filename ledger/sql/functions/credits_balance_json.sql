-- queries.ts summarizeBalance over the workspace's rows as they are now (renewal is the caller's).
CREATE OR REPLACE FUNCTION credits_balance_json(p_ws text, p_now timestamptz, p_lifetime_used bigint,
                                                p_last jsonb) RETURNS jsonb
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_total bigint;
  v_sub bigint;
  v_promo bigint;
  v_trial bigint;
  v_purch bigint;
  v_next timestamptz;
  v_next_amount bigint;
  v_next_type text;
  v_held bigint;
BEGIN
  SELECT coalesce(sum(remaining), 0), coalesce(sum(remaining) FILTER (WHERE type = 'subscription'), 0),
         coalesce(sum(remaining) FILTER (WHERE type = 'promotional'), 0),
         coalesce(sum(remaining) FILTER (WHERE type = 'trial'), 0),
         coalesce(sum(remaining) FILTER (WHERE type = 'purchased'), 0), min(expires_at)
    INTO v_total, v_sub, v_promo, v_trial, v_purch, v_next
    FROM lots
   WHERE workspace_id = p_ws AND remaining > 0 AND (expires_at IS NULL OR expires_at > p_now);
  IF v_next IS NOT NULL THEN
    SELECT sum(remaining), (array_agg(type ORDER BY id))[1] INTO v_next_amount, v_next_type
      FROM lots WHERE workspace_id = p_ws AND remaining > 0 AND expires_at = v_next;
  END IF;
  SELECT coalesce(sum(amount), 0) INTO v_held FROM holds WHERE workspace_id = p_ws AND status = 'active';
  RETURN jsonb_build_object(
    'workspaceId', p_ws, 'total', v_total,
    'byType', jsonb_build_object('subscription', v_sub, 'promotional', v_promo, 'trial', v_trial,
                                 'purchased', v_purch),
    'held', v_held,
    'nextExpiry', CASE WHEN v_next IS NULL THEN NULL
                       ELSE jsonb_build_object('amount', v_next_amount, 'at', credits_iso(v_next), 'type', v_next_type) END,
    'renewal', NULL, 'lifetimeUsed', p_lifetime_used, 'lastTransaction', p_last);
END
$$;
