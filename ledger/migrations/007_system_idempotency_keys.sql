-- System idempotency keys in their own namespace. The lifecycle's keys (purchase:<id>, cycle:…,
-- rollover:…, trial:…) used to share one namespace with the keys clients send, so a client that
-- debited with `purchase:<id>` made that purchase's grant an idempotency conflict forever. Now a
-- key is unique per (workspace, namespace, key); clients always write `client`, and only the
-- ledger's SystemKey (which no request body can produce) writes `system`.
--
-- Upgrade: the rows the system wrote before are the grants the workflows made (journal source
-- `workflow`, kind `grant`) under one of the system prefixes; they move to `system`, so the same
-- operation is recognised after the upgrade and never granted twice. Everything else stays `client`.

ALTER TABLE idempotency_keys
  ADD COLUMN namespace text NOT NULL DEFAULT 'client' CHECK (namespace IN ('client', 'system'));

UPDATE idempotency_keys k
   SET namespace = 'system'
 WHERE k.key ~ '^(purchase|cycle|rollover|trial):'
   AND EXISTS (SELECT 1 FROM journal j
                WHERE j.workspace_id = k.workspace_id AND j.idempotency_key = k.key
                  AND j.kind = 'grant' AND j.source = 'workflow');

ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (workspace_id, namespace, key);

-- credits_debit_batch (migration 006) again, unchanged but for one line: debits are clients'
-- requests, so their keys are looked up in the `client` namespace only (the insert takes the
-- column's default).
CREATE OR REPLACE FUNCTION credits_debit_batch(
  p_workspace text,
  p_now timestamptz,
  p_items jsonb,
  p_alert_defaults jsonb
) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  w record;
  v_stale boolean;
  v_held bigint;
  -- Spendable lots in consumption order (lots.ts consumptionOrder), worked on in memory.
  l_id bigint[];
  l_type text[];
  l_rem bigint[];
  l_start bigint[];
  l_exp timestamptz[];
  n_lots int;
  v_total bigint := 0;
  v_before bigint;
  v_sub bigint := 0;
  v_promo bigint := 0;
  v_trial bigint := 0;
  v_purch bigint := 0;
  -- Idempotency records: stored ones for the batch's keys, then the batch's own.
  v_keys text[];
  k_key text[];
  k_hash text[];
  k_resp jsonb[];
  -- What the batch writes.
  e_id bigint[] := '{}';
  e_delta bigint[] := '{}';
  e_after bigint[] := '{}';
  e_op text[] := '{}';
  e_qty bigint[] := '{}';
  e_actor text[] := '{}';
  e_source text[] := '{}';
  e_key text[] := '{}';
  e_meta jsonb[] := '{}';
  jl_entry bigint[] := '{}';
  jl_lot bigint[] := '{}';
  jl_delta bigint[] := '{}';
  nk_key text[] := '{}';
  nk_hash text[] := '{}';
  nk_resp jsonb[] := '{}';
  v_used bigint := 0;
  v_last bigint;
  v_out jsonb[] := '{}';
  -- Per item.
  it jsonb;
  v_key text;
  v_hash text;
  v_amount bigint;
  v_id bigint;
  v_left bigint;
  v_take bigint;
  v_lots jsonb;
  v_consumed jsonb;
  v_tx jsonb;
  v_resp jsonb;
  v_nx_at timestamptz;
  v_nx_amt bigint;
  v_nx_type text;
  ki int;
  j int;
  -- Alerts (alerts.ts evaluateAlerts).
  v_own jsonb;
  v_low numeric;
  v_crit numeric;
  v_thresholds jsonb;
  v_state jsonb;
  v_next jsonb := '{}';
  v_was text;
  v_worst text;
  v_worst_t numeric;
  v_recovered jsonb := '[]';
  v_events int := 0;
  lv record;
  v_ws jsonb;
BEGIN
  SELECT ws.id, ws.plan, ws.status, ws.billing_anchor, ws.lifetime_used, ws.settings, ws.alert_state
    INTO w FROM workspaces ws WHERE ws.id = p_workspace FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  v_ws := jsonb_build_object('plan', w.plan, 'status', w.status, 'billingAnchor', credits_iso(w.billing_anchor));

  -- A hold that times out releases itself (workspace-tx.ts releaseTimedOutHolds).
  SELECT coalesce(bool_or(h.expires_at <= p_now), false),
         coalesce(sum(h.amount) FILTER (WHERE h.expires_at > p_now), 0)::bigint
    INTO v_stale, v_held
    FROM holds h WHERE h.workspace_id = p_workspace AND h.status = 'active';
  IF v_stale THEN
    WITH timed_out AS (
      UPDATE holds SET status = 'expired', closed_at = p_now
       WHERE workspace_id = p_workspace AND status = 'active' AND expires_at <= p_now
      RETURNING id),
    give_back AS (
      SELECT hl.lot_id, sum(hl.amount)::bigint AS amount
        FROM hold_lots hl JOIN timed_out t ON t.id = hl.hold_id GROUP BY hl.lot_id)
    UPDATE lots SET remaining = lots.remaining + g.amount
      FROM give_back g WHERE lots.id = g.lot_id;
  END IF;

  SELECT array_agg(x.id), array_agg(x.type), array_agg(x.remaining), array_agg(x.expires_at)
    INTO l_id, l_type, l_rem, l_exp
    FROM (SELECT l.id, l.type, l.remaining, l.expires_at
            FROM lots l
           WHERE l.workspace_id = p_workspace AND l.remaining > 0
             AND (l.expires_at IS NULL OR l.expires_at > p_now)
           ORDER BY l.priority, l.expires_at NULLS LAST, l.granted_at, l.id) x;
  n_lots := coalesce(array_length(l_id, 1), 0);
  l_start := l_rem;
  FOR j IN 1..n_lots LOOP
    v_total := v_total + l_rem[j];
    CASE l_type[j]
      WHEN 'subscription' THEN v_sub := v_sub + l_rem[j];
      WHEN 'promotional' THEN v_promo := v_promo + l_rem[j];
      WHEN 'trial' THEN v_trial := v_trial + l_rem[j];
      ELSE v_purch := v_purch + l_rem[j];
    END CASE;
  END LOOP;
  v_before := v_total;

  SELECT array_agg(e.value->>'key') INTO v_keys FROM jsonb_array_elements(p_items) AS e;
  SELECT coalesce(array_agg(k.key), '{}'), coalesce(array_agg(k.request_hash), '{}'),
         coalesce(array_agg(k.response), '{}')
    INTO k_key, k_hash, k_resp
    FROM idempotency_keys k
   WHERE k.workspace_id = p_workspace AND k.namespace = 'client' AND k.key = ANY (v_keys);

  FOR it IN SELECT e.value FROM jsonb_array_elements(p_items) AS e LOOP
    v_key := it->>'key';
    v_hash := it->>'hash';
    v_amount := (it->>'amount')::bigint;
    -- Same key: the first answer when the request matches, a conflict otherwise.
    ki := array_position(k_key, v_key);
    IF ki IS NOT NULL THEN
      IF k_hash[ki] = v_hash THEN
        v_out := v_out || jsonb_build_object('s', 'replay', 'r', k_resp[ki]);
      ELSE
        v_out := v_out || jsonb_build_object('s', 'conflict');
      END IF;
      CONTINUE;
    END IF;
    -- All or nothing: a refusal writes nothing and is not remembered.
    IF v_amount > v_total THEN
      v_out := v_out || jsonb_build_object('s', 'insufficient', 'required', v_amount, 'available', v_total);
      CONTINUE;
    END IF;

    v_id := nextval('journal_id_seq');
    v_left := v_amount;
    v_lots := '[]';
    v_consumed := '[]';
    FOR j IN 1..n_lots LOOP
      EXIT WHEN v_left = 0;
      CONTINUE WHEN l_rem[j] = 0;
      v_take := least(l_rem[j], v_left);
      l_rem[j] := l_rem[j] - v_take;
      v_left := v_left - v_take;
      CASE l_type[j]
        WHEN 'subscription' THEN v_sub := v_sub - v_take;
        WHEN 'promotional' THEN v_promo := v_promo - v_take;
        WHEN 'trial' THEN v_trial := v_trial - v_take;
        ELSE v_purch := v_purch - v_take;
      END CASE;
      jl_entry := jl_entry || v_id;
      jl_lot := jl_lot || l_id[j];
      jl_delta := jl_delta || (-v_take);
      v_lots := v_lots || jsonb_build_array(jsonb_build_object('lotId', l_id[j]::text, 'type', l_type[j], 'delta', -v_take));
      v_consumed := v_consumed || jsonb_build_array(jsonb_build_object('lotId', l_id[j]::text, 'type', l_type[j], 'amount', v_take));
    END LOOP;
    v_total := v_total - v_amount;
    v_used := v_used + v_amount;
    v_last := v_id;

    v_tx := jsonb_build_object(
      'id', v_id::text, 'workspaceId', p_workspace, 'kind', 'debit', 'amount', v_amount, 'delta', -v_amount,
      'balanceAfter', v_total, 'operation', it->'operation', 'quantity', it->'quantity', 'actor', it->'actor',
      'source', it->'source', 'idempotencyKey', v_key, 'reversesId', NULL, 'holdId', NULL, 'reason', NULL,
      'metadata', coalesce(it->'metadata', '{}'), 'createdAt', credits_iso(p_now),
      'lots', v_lots, 'consumed', v_consumed);
    -- queries.ts summarizeBalance: the soonest expiry among the lots still spendable.
    v_nx_at := NULL;
    v_nx_amt := 0;
    v_nx_type := NULL;
    FOR j IN 1..n_lots LOOP
      IF l_rem[j] > 0 AND l_exp[j] IS NOT NULL THEN
        IF v_nx_at IS NULL OR l_exp[j] < v_nx_at THEN
          v_nx_at := l_exp[j];
          v_nx_amt := l_rem[j];
          v_nx_type := l_type[j];
        ELSIF l_exp[j] = v_nx_at THEN
          v_nx_amt := v_nx_amt + l_rem[j];
        END IF;
      END IF;
    END LOOP;
    v_resp := jsonb_build_object(
      'transaction', v_tx,
      'balance', jsonb_build_object(
        'workspaceId', p_workspace, 'total', v_total,
        'byType', jsonb_build_object('subscription', v_sub, 'promotional', v_promo, 'trial', v_trial,
                                     'purchased', v_purch),
        'held', v_held,
        'nextExpiry', CASE WHEN v_nx_at IS NULL THEN NULL
                           ELSE jsonb_build_object('amount', v_nx_amt, 'at', credits_iso(v_nx_at), 'type', v_nx_type) END,
        'renewal', NULL, 'lifetimeUsed', w.lifetime_used + v_used, 'lastTransaction', v_tx),
      'replayed', false);

    e_id := e_id || v_id;
    e_delta := e_delta || (-v_amount);
    e_after := e_after || v_total;
    e_op := e_op || (it->>'operation');
    e_qty := e_qty || (it->>'quantity')::bigint;
    e_actor := e_actor || (it->>'actor');
    e_source := e_source || (it->>'source');
    e_key := e_key || v_key;
    e_meta := e_meta || coalesce(it->'metadata', '{}');
    k_key := k_key || v_key;
    k_hash := k_hash || v_hash;
    k_resp := k_resp || v_resp;
    nk_key := nk_key || v_key;
    nk_hash := nk_hash || v_hash;
    nk_resp := nk_resp || v_resp;
    v_out := v_out || jsonb_build_object('s', 'ok', 'r', v_resp);
  END LOOP;

  IF v_last IS NULL THEN
    -- Only replays and refusals: nothing to write (like an empty WorkspaceTx.flush).
    RETURN jsonb_build_object('ws', v_ws, 'before', v_before, 'after', v_total, 'alertEvents', 0,
                              'items', to_jsonb(v_out));
  END IF;

  INSERT INTO journal (id, workspace_id, kind, delta, balance_after, operation, quantity, actor, source,
                       idempotency_key, metadata, created_at)
  SELECT u.id, p_workspace, 'debit', u.delta, u.after, u.op, u.qty, u.actor, u.source, u.key, u.meta, p_now
    FROM unnest(e_id, e_delta, e_after, e_op, e_qty, e_actor, e_source, e_key, e_meta)
         AS u(id, delta, after, op, qty, actor, source, key, meta);
  INSERT INTO journal_lots (entry_id, lot_id, delta)
  SELECT u.entry_id, u.lot_id, u.delta FROM unnest(jl_entry, jl_lot, jl_delta) AS u(entry_id, lot_id, delta);
  UPDATE lots SET remaining = lots.remaining + (u.rem - u.start)
    FROM unnest(l_id, l_rem, l_start) AS u(id, rem, start)
   WHERE lots.id = u.id AND lots.workspace_id = p_workspace AND u.rem <> u.start;
  INSERT INTO idempotency_keys (workspace_id, key, request_hash, response, created_at)
  SELECT p_workspace, u.key, u.hash, u.resp, p_now FROM unnest(nk_key, nk_hash, nk_resp) AS u(key, hash, resp);

  -- Alerts: thresholds from settings.alerts.thresholds over the defaults (alerts.ts thresholdsFor).
  v_own := w.settings->'alerts'->'thresholds';
  v_low := CASE WHEN jsonb_typeof(v_own->'low') = 'number' THEN (v_own->>'low')::numeric
                ELSE (p_alert_defaults->>'low')::numeric END;
  v_crit := CASE WHEN jsonb_typeof(v_own->'critical') = 'number' THEN (v_own->>'critical')::numeric
                 ELSE (p_alert_defaults->>'critical')::numeric END;
  v_thresholds := jsonb_build_object('low', v_low, 'critical', v_crit);
  v_state := coalesce(w.alert_state, '{}');
  FOR lv IN
    SELECT * FROM (VALUES (1, 'low', v_low, v_total < v_low),
                          (2, 'critical', v_crit, v_total < v_crit),
                          (3, 'depleted', 0::numeric, v_total <= 0)) AS t(ord, level, threshold, crossed)
     ORDER BY ord
  LOOP
    v_was := CASE WHEN jsonb_typeof(v_state) = 'object' THEN v_state->>lv.level END;
    IF lv.crossed THEN
      IF v_was = 'armed' THEN
        v_next := v_next || jsonb_build_object(lv.level, 'fired');
        v_worst := lv.level;
        v_worst_t := lv.threshold;
      ELSIF v_was = 'fired' THEN
        v_next := v_next || jsonb_build_object(lv.level, 'fired');
      END IF;
    ELSE
      v_next := v_next || jsonb_build_object(lv.level, 'armed');
      IF v_was = 'fired' THEN
        v_recovered := v_recovered || to_jsonb(lv.level);
      END IF;
    END IF;
  END LOOP;
  IF v_worst IS NOT NULL THEN
    INSERT INTO alert_events (workspace_id, type, level, threshold, balance, data, created_at)
    VALUES (p_workspace, 'alert.' || v_worst, v_worst, v_worst_t, v_total,
            jsonb_build_object('thresholds', v_thresholds), p_now);
    v_events := v_events + 1;
  END IF;
  IF jsonb_array_length(v_recovered) > 0 THEN
    INSERT INTO alert_events (workspace_id, type, level, threshold, balance, data, created_at)
    VALUES (p_workspace, 'alert.recovered', NULL, NULL, v_total,
            jsonb_build_object('recovered', v_recovered, 'thresholds', v_thresholds), p_now);
    v_events := v_events + 1;
  END IF;

  UPDATE workspaces
     SET lifetime_used = lifetime_used + v_used,
         alert_state = CASE
           WHEN (v_next->>'low') IS NOT DISTINCT FROM (v_state->>'low')
            AND (v_next->>'critical') IS NOT DISTINCT FROM (v_state->>'critical')
            AND (v_next->>'depleted') IS NOT DISTINCT FROM (v_state->>'depleted')
           THEN alert_state ELSE v_next END,
         last_entry_id = v_last,
         updated_at = p_now
   WHERE id = p_workspace;

  RETURN jsonb_build_object('ws', v_ws, 'before', v_before, 'after', v_total, 'alertEvents', v_events,
                            'items', to_jsonb(v_out));
END
$$;
