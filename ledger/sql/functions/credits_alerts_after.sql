-- alerts.ts evaluateAlerts after a change: writes the crossings to the outbox and answers how
-- many, with the state to keep (the old one when nothing moved, like sameState).
CREATE OR REPLACE FUNCTION credits_alerts_after(p_ws text, p_total bigint, p_settings jsonb, p_state jsonb,
                                                p_defaults jsonb, p_now timestamptz,
                                                OUT events int, OUT state jsonb)
  LANGUAGE plpgsql AS $$
DECLARE
  v_own jsonb := p_settings->'alerts'->'thresholds';
  v_low numeric;
  v_crit numeric;
  v_thresholds jsonb;
  v_state jsonb := coalesce(p_state, '{}');
  v_next jsonb := '{}';
  v_was text;
  v_worst text;
  v_worst_t numeric;
  v_recovered jsonb := '[]';
  lv_level text[] := ARRAY['low', 'critical', 'depleted'];
  lv_t numeric[];
  lv_crossed boolean;
  q int;
BEGIN
  v_low := CASE WHEN jsonb_typeof(v_own->'low') = 'number' THEN (v_own->>'low')::numeric
                ELSE (p_defaults->>'low')::numeric END;
  v_crit := CASE WHEN jsonb_typeof(v_own->'critical') = 'number' THEN (v_own->>'critical')::numeric
                 ELSE (p_defaults->>'critical')::numeric END;
  v_thresholds := jsonb_build_object('low', v_low, 'critical', v_crit);
  lv_t := ARRAY[v_low, v_crit, 0::numeric];
  events := 0;
  FOR q IN 1..3 LOOP
    lv_crossed := CASE WHEN q = 3 THEN p_total <= 0 ELSE p_total < lv_t[q] END;
    v_was := CASE WHEN jsonb_typeof(v_state) = 'object' THEN v_state->>lv_level[q] END;
    IF lv_crossed THEN
      IF v_was = 'armed' THEN
        v_next := v_next || jsonb_build_object(lv_level[q], 'fired');
        v_worst := lv_level[q];
        v_worst_t := lv_t[q];
      ELSIF v_was = 'fired' THEN
        v_next := v_next || jsonb_build_object(lv_level[q], 'fired');
      END IF;
    ELSE
      v_next := v_next || jsonb_build_object(lv_level[q], 'armed');
      IF v_was = 'fired' THEN
        v_recovered := v_recovered || to_jsonb(lv_level[q]);
      END IF;
    END IF;
  END LOOP;
  IF v_worst IS NOT NULL THEN
    INSERT INTO alert_events (workspace_id, type, level, threshold, balance, data, created_at)
    VALUES (p_ws, 'alert.' || v_worst, v_worst, v_worst_t, p_total,
            jsonb_build_object('thresholds', v_thresholds), p_now);
    events := events + 1;
  END IF;
  IF jsonb_array_length(v_recovered) > 0 THEN
    INSERT INTO alert_events (workspace_id, type, level, threshold, balance, data, created_at)
    VALUES (p_ws, 'alert.recovered', NULL, NULL, p_total,
            jsonb_build_object('recovered', v_recovered, 'thresholds', v_thresholds), p_now);
    events := events + 1;
  END IF;
  state := CASE
    WHEN (v_next->>'low') IS NOT DISTINCT FROM (v_state->>'low')
     AND (v_next->>'critical') IS NOT DISTINCT FROM (v_state->>'critical')
     AND (v_next->>'depleted') IS NOT DISTINCT FROM (v_state->>'depleted')
    THEN p_state ELSE v_next END;
END
$$;
