-- Holds, captures and releases of any workspaces in one call, so they share one round trip and
-- one commit the way debits do (credits_debit_multi). The rules are those of the TypeScript path
-- they replaced (WorkspaceTx with lots.ts and alerts.ts), which stays in
-- test/ledger/hold-reference.ts as the reference of the differential property test.
--
-- Unlike credits_debit_multi this works item by item on the tables (a few statements per item):
-- a capture reads its own hold's lots, which are outside the spendable set once expired, and
-- holds are rarer than debits. The round trip and the commit, which dominate, are shared.
--
-- No deadlocks, as in credits_debit_multi: the workspace rows are locked first, by one
-- SELECT … ORDER BY id COLLATE "C" FOR UPDATE, and every other row written here belongs to one of them.
--
-- p_batches: [{ ws, items }], each workspace at most once; an item is
--   { kind: 'hold', key, hash, amount, timeout, operation, actor, source, metadata, member, apiKey }
--   { kind: 'capture', hold, key, hash, amount, actor, source, metadata }
--   { kind: 'release', hold }
-- The answer: per element, in the same order, null when the workspace does not exist, else
-- { ws, before, after, alertEvents, transactionIds, items } with per item one of
--   { s: 'ok', r }, { s: 'replay', r }, { s: 'conflict' }, { s: 'insufficient', required, available },
--   { s: 'not_found' } (no such hold in the workspace), { s: 'not_active', status } (capture of a
--   closed hold), { s: 'captured' } (release of a captured hold), { s: 'exceeds', held },
--   { s: 'budget', budgetId, limit, used, requested, resetsAt, perDebitMax } (credits_budget_check).
-- Budgets: a hold counts toward the budgets it matches while it is active (credits_budget_state
-- reads holds.budgets), so a release or a timeout gives back by closing it; a capture counts what
-- it takes toward its hold's budget periods (never more than was held, so it is never refused).
-- A refusal writes nothing and remembers nothing.
CREATE OR REPLACE FUNCTION credits_hold_multi(
  p_now timestamptz,
  p_batches jsonb,
  p_alert_defaults jsonb
) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  v_res jsonb[];
  v_ids text[];
  b record;
  w record;
  v_prev text;
  it jsonb;
  ii int;
  v_out jsonb[];
  v_before bigint;
  v_total bigint;
  v_used bigint;
  v_changed boolean;
  v_last bigint;
  v_expired bigint;
  v_tx_ids jsonb;
  v_kind text;
  v_key text;
  v_hash text;
  v_amount bigint;
  v_stored record;
  v_hold holds;
  v_id bigint;
  v_left bigint;
  v_take bigint;
  r record;
  u record;
  v_lots jsonb;
  v_consumed jsonb;
  v_tx jsonb;
  v_resp jsonb;
  v_events int;
  v_state jsonb;
  v_check jsonb;
  v_budget_events int;
BEGIN
  v_res := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_batches)]);
  SELECT array_agg(e.value->>'ws') INTO v_ids FROM jsonb_array_elements(p_batches) AS e;
  IF v_ids IS NULL THEN
    RETURN to_jsonb(v_res);
  END IF;
  PERFORM 1 FROM (SELECT ws.id FROM workspaces ws WHERE ws.id = ANY (v_ids)
                   ORDER BY ws.id COLLATE "C" FOR UPDATE) x;
  -- A hold that times out releases itself (workspace-tx.ts releaseTimedOutHolds).
  WITH timed_out AS (
    UPDATE holds SET status = 'expired', closed_at = p_now
     WHERE workspace_id = ANY (v_ids) AND status = 'active' AND expires_at <= p_now
    RETURNING id),
  give_back AS (
    SELECT hl.lot_id, sum(hl.amount)::bigint AS amount
      FROM hold_lots hl JOIN timed_out t ON t.id = hl.hold_id GROUP BY hl.lot_id)
  UPDATE lots SET remaining = lots.remaining + g.amount
    FROM give_back g WHERE lots.id = g.lot_id;

  FOR b IN
    SELECT e.value->>'ws' AS ws, e.value->'items' AS items, e.ord::int AS ord
      FROM jsonb_array_elements(p_batches) WITH ORDINALITY AS e(value, ord)
     ORDER BY e.value->>'ws' COLLATE "C", e.ord
  LOOP
    IF b.ws = v_prev THEN
      RAISE EXCEPTION 'credits_hold_multi: workspace % appears twice in one call', b.ws;
    END IF;
    v_prev := b.ws;
    SELECT * INTO w FROM workspaces WHERE id = b.ws;
    CONTINUE WHEN NOT FOUND;
    v_before := credits_spendable(b.ws, p_now);
    v_used := 0;
    v_last := NULL;
    v_changed := false;
    v_tx_ids := '[]';
    v_out := '{}';
    v_budget_events := 0;

    FOR ii IN 0..jsonb_array_length(b.items) - 1 LOOP
      it := b.items->ii;
      v_kind := it->>'kind';

      IF v_kind = 'release' THEN
        SELECT * INTO v_hold FROM holds WHERE id = (it->>'hold')::bigint AND workspace_id = b.ws;
        IF NOT FOUND THEN
          v_out := v_out || jsonb_build_object('s', 'not_found');
        ELSIF v_hold.status = 'captured' THEN
          v_out := v_out || jsonb_build_object('s', 'captured');
        ELSIF v_hold.status <> 'active' THEN
          -- Released or timed out already: nothing to do, the hold as it is.
          v_out := v_out || jsonb_build_object('s', 'ok', 'r', jsonb_build_object(
            'hold', credits_hold_json(v_hold),
            'balance', credits_balance_json(b.ws, p_now, w.lifetime_used + v_used, NULL),
            'replayed', true));
        ELSE
          PERFORM credits_unhold(v_hold.id, 0);
          UPDATE holds SET status = 'released', closed_at = p_now WHERE id = v_hold.id RETURNING * INTO v_hold;
          v_last := coalesce(credits_expire_held(b.ws, v_hold.id, p_now), v_last);
          v_changed := true;
          v_out := v_out || jsonb_build_object('s', 'ok', 'r', jsonb_build_object(
            'hold', credits_hold_json(v_hold),
            'balance', credits_balance_json(b.ws, p_now, w.lifetime_used + v_used, NULL),
            'replayed', false));
        END IF;
        CONTINUE;
      END IF;

      -- Holds and captures are idempotent: the first answer when the request matches.
      v_key := it->>'key';
      v_hash := it->>'hash';
      SELECT k.request_hash, k.response INTO v_stored
        FROM idempotency_keys k WHERE k.workspace_id = b.ws AND k.namespace = 'client' AND k.key = v_key;
      IF FOUND THEN
        IF v_stored.request_hash = v_hash THEN
          v_out := v_out || jsonb_build_object('s', 'replay', 'r', v_stored.response);
        ELSE
          v_out := v_out || jsonb_build_object('s', 'conflict');
        END IF;
        CONTINUE;
      END IF;
      v_amount := (it->>'amount')::bigint;

      IF v_kind = 'hold' THEN
        v_total := credits_spendable(b.ws, p_now);
        IF v_amount > v_total THEN
          v_out := v_out || jsonb_build_object('s', 'insufficient', 'required', v_amount, 'available', v_total);
          CONTINUE;
        END IF;
        v_check := credits_budget_check(b.ws, p_now, v_amount, it);
        IF v_check->>'s' = 'budget' THEN
          v_out := v_out || v_check;
          CONTINUE;
        END IF;
        INSERT INTO holds (workspace_id, amount, status, actor, source, operation, metadata, created_at, expires_at,
                           budgets)
        VALUES (b.ws, v_amount, 'active', it->>'actor', it->>'source', it->>'operation',
                coalesce(it->'metadata', '{}'), p_now, p_now + (it->>'timeout')::bigint * interval '1 second',
                nullif(v_check->'tags', 'null'))
        RETURNING * INTO v_hold;
        v_left := v_amount;
        FOR r IN
          SELECT l.id, l.remaining FROM lots l
           WHERE l.workspace_id = b.ws AND l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > p_now)
           ORDER BY l.priority, l.expires_at NULLS LAST, l.granted_at, l.id
        LOOP
          EXIT WHEN v_left = 0;
          v_take := least(r.remaining, v_left);
          v_left := v_left - v_take;
          UPDATE lots SET remaining = remaining - v_take WHERE id = r.id;
          INSERT INTO hold_lots (hold_id, lot_id, amount) VALUES (v_hold.id, r.id, v_take);
        END LOOP;
        v_budget_events := v_budget_events
          + credits_budget_count(b.ws, p_now, v_hold.budgets, 0, credits_spendable(b.ws, p_now));
        v_resp := jsonb_build_object(
          'hold', credits_hold_json(v_hold),
          'balance', credits_balance_json(b.ws, p_now, w.lifetime_used + v_used, NULL),
          'replayed', false);
      ELSE
        SELECT * INTO v_hold FROM holds WHERE id = (it->>'hold')::bigint AND workspace_id = b.ws;
        IF NOT FOUND THEN
          v_out := v_out || jsonb_build_object('s', 'not_found');
          CONTINUE;
        ELSIF v_hold.status <> 'active' THEN
          v_out := v_out || jsonb_build_object('s', 'not_active', 'status', v_hold.status);
          CONTINUE;
        ELSIF v_amount > v_hold.amount THEN
          v_out := v_out || jsonb_build_object('s', 'exceeds', 'held', v_hold.amount);
          CONTINUE;
        END IF;
        v_id := nextval('journal_id_seq');
        SELECT * INTO u FROM credits_unhold(v_hold.id, v_amount);
        v_lots := '[]';
        v_consumed := '[]';
        FOR ii2 IN 1..coalesce(array_length(u.lot_ids, 1), 0) LOOP
          v_lots := v_lots || jsonb_build_array(jsonb_build_object(
            'lotId', u.lot_ids[ii2]::text, 'type', u.lot_types[ii2], 'delta', -u.takes[ii2]));
          v_consumed := v_consumed || jsonb_build_array(jsonb_build_object(
            'lotId', u.lot_ids[ii2]::text, 'type', u.lot_types[ii2], 'amount', u.takes[ii2]));
        END LOOP;
        v_total := credits_spendable(b.ws, p_now);
        v_tx := jsonb_build_object(
          'id', v_id::text, 'workspaceId', b.ws, 'kind', 'debit', 'amount', v_amount, 'delta', -v_amount,
          'balanceAfter', v_total, 'operation', v_hold.operation, 'quantity', NULL,
          'actor', coalesce(it->>'actor', v_hold.actor), 'source', coalesce(it->>'source', v_hold.source),
          'idempotencyKey', v_key, 'reversesId', NULL, 'holdId', v_hold.id::text, 'reason', NULL,
          'metadata', v_hold.metadata || coalesce(it->'metadata', '{}'), 'createdAt', credits_iso(p_now),
          'lots', v_lots, 'consumed', v_consumed);
        INSERT INTO journal (id, workspace_id, kind, delta, balance_after, operation, actor, source,
                             idempotency_key, hold_id, metadata, budgets, created_at)
        VALUES (v_id, b.ws, 'debit', -v_amount, v_total, v_hold.operation, v_tx->>'actor', v_tx->>'source',
                v_key, v_hold.id, v_tx->'metadata', v_hold.budgets, p_now);
        INSERT INTO journal_lots (entry_id, lot_id, delta)
        SELECT v_id, m.lot, -m.take FROM unnest(u.lot_ids, u.takes) AS m(lot, take);
        UPDATE holds SET status = 'captured', captured = v_amount, capture_id = v_id, closed_at = p_now
         WHERE id = v_hold.id RETURNING * INTO v_hold;
        v_used := v_used + v_amount;
        v_last := v_id;
        v_budget_events := v_budget_events + credits_budget_count(b.ws, p_now, v_hold.budgets, v_amount, v_total);
        v_expired := credits_expire_held(b.ws, v_hold.id, p_now);
        v_last := coalesce(v_expired, v_last);
        v_tx_ids := v_tx_ids || to_jsonb(v_id::text);
        v_resp := jsonb_build_object(
          'hold', credits_hold_json(v_hold),
          'transaction', v_tx,
          'balance', credits_balance_json(b.ws, p_now, w.lifetime_used + v_used, v_tx),
          'replayed', false);
      END IF;
      INSERT INTO idempotency_keys (workspace_id, namespace, key, request_hash, response, created_at)
      VALUES (b.ws, 'client', v_key, v_hash, v_resp, p_now);
      v_changed := true;
      v_out := v_out || jsonb_build_object('s', 'ok', 'r', v_resp);
    END LOOP;

    v_total := credits_spendable(b.ws, p_now);
    v_events := 0;
    IF v_changed THEN
      SELECT a.events, a.state INTO v_events, v_state
        FROM credits_alerts_after(b.ws, v_total, w.settings, w.alert_state, p_alert_defaults, p_now) a;
      v_events := v_events + v_budget_events;
      UPDATE workspaces
         SET lifetime_used = lifetime_used + v_used,
             alert_state = v_state,
             last_entry_id = coalesce(v_last, last_entry_id),
             updated_at = p_now
       WHERE id = b.ws;
    END IF;
    v_res[b.ord] := jsonb_build_object(
      'ws', jsonb_build_object('plan', w.plan, 'status', w.status, 'billingAnchor', credits_iso(w.billing_anchor)),
      'before', v_before, 'after', v_total, 'changed', v_changed,
      'alertEvents', v_events, 'transactionIds', v_tx_ids, 'items', to_jsonb(v_out));
  END LOOP;
  RETURN to_jsonb(v_res);
END
$$;
