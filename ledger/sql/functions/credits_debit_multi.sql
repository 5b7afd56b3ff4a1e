-- Debits of any workspaces in one call: one round trip, one commit (ledger/commands/debit.ts
-- runDebitBatch). The rules are those of the TypeScript path it replaced (WorkspaceTx with lots.ts
-- and alerts.ts), kept in test/ledger/debit-reference.ts as the reference of the differential
-- property tests. Set-based: a fixed number of statements per call, not about ten per workspace;
-- measured, per-workspace statements inside the one backend were the cost of a cross-workspace
-- batch, not the round trip or the commit.
--
-- Per call: one statement locks and reads every workspace; one reads their active holds (and one
-- more releases the timed-out ones, only if there are any); one reads every spendable lot; one
-- reads the stored idempotency keys; then everything is worked out in memory, item by item in
-- order of arrival; then one INSERT or UPDATE per table (one journal INSERT, so the usage rollup
-- trigger, credits_usage_daily_add, fires once per call).
--
-- No deadlocks: the workspace rows are locked by one SELECT … ORDER BY id COLLATE "C" FOR UPDATE.
-- The row locks are taken as the sorted rows come out of the sort (LockRows sits above Sort), so
-- in ascending byte-wise id order, independent of the database's collation. When a row was
-- updated concurrently, EvalPlanQual re-reads its latest version and re-checks the WHERE clause; a
-- workspace id never changes, so the row still qualifies and keeps its place in the order. Every
-- other row written here (holds, lots, journal, keys, alert events, usage) belongs to one of these
-- workspaces and is only ever written under that workspace's row lock, so the order in which one
-- statement reaches those rows cannot close a cycle.
--
-- Budgets (credits_budget_state, one statement per call) are checked after the balance, under the
-- same locks: an item that would take any budget it matches (credits_budget_matches) past its
-- period's limit, or over its cap per debit, is refused whole ({ s: 'budget', … }); an accepted one
-- counts toward every budget it matches, recorded on its journal entry (journal.budgets).
--
-- p_batches: [{ ws, items }], each workspace at most once (runDebitBatch groups by workspace); an
-- item is { key, hash, amount, operation, quantity, actor, source, metadata, member, apiKey }
-- (member and apiKey: who spends, from the caller's credentials, for budgets).
-- The answer: per element, in the same order, null when the workspace does not exist, else
--   { ws: { plan, status, billingAnchor }, before, after, alertEvents,
--     items: [ { s: 'ok', r } | { s: 'replay', r } | { s: 'insufficient', required, available }
--            | { s: 'conflict' } | { s: 'budget', budgetId, limit, used, requested, resetsAt, perDebitMax } ] }
-- where r is the stored response { transaction, balance, replayed: false }. Its balance.renewal is
-- null: the renewal depends on the catalog, so the caller fills it in.
CREATE OR REPLACE FUNCTION credits_debit_multi(
  p_now timestamptz,
  p_batches jsonb,
  p_alert_defaults jsonb
) RETURNS jsonb
  LANGUAGE plpgsql
  -- The statements take arrays, and a custom plan sees their length where a generic one guesses
  -- 10, so PL/pgSQL's plan cache kept choosing custom plans: every statement planned again on
  -- every call, which cost more than the statements themselves for small batches. The generic
  -- plans are the same index lookups and nested loops whatever the batch's size.
  SET plan_cache_mode = force_generic_plan
  -- Those generic plans are made once per connection, from the table statistics of its first
  -- call. On a new database the idempotency keys table is empty then, so the key lookup was
  -- planned as a sequential scan and stayed one as the table grew, until autovacuum analysed it:
  -- measured on a freshly seeded ledger, 5,255 debits read 13.8 million key rows and ran at
  -- 657/s, against 883/s with the index once analysed. Every statement here is a keyed probe by
  -- design, so the plans are made not to depend on how big a table looked at the first call.
  SET enable_seqscan = off
  AS $$
DECLARE
  v_res jsonb[];
  v_ids text[];
  -- The locked workspaces, in byte-wise id order.
  w_id text[];
  w_plan text[];
  w_status text[];
  w_anchor timestamptz[];
  w_used bigint[];
  w_settings jsonb[];
  w_alert jsonb[];
  w_held bigint[];
  v_stale boolean;
  n_ws int;
  wi int := 1;
  -- Every spendable lot of the batch, by workspace then in consumption order (lots.ts).
  l_ws text[];
  l_id bigint[];
  l_type text[];
  l_rem bigint[];
  l_start bigint[];
  l_exp timestamptz[];
  n_lots int;
  lp int := 1;
  lo int;
  hi int;
  -- Stored idempotency keys of the batch's items, by workspace.
  ka_ws text[];
  ka_key text[];
  ka_hash text[];
  ka_resp jsonb[];
  n_keys int;
  kp int := 1;
  klo int;
  -- One workspace's keys: the stored ones, then the batch's own.
  k_key text[];
  k_hash text[];
  k_resp jsonb[];
  -- What the call writes, all workspaces together.
  e_id bigint[] := '{}';
  e_ws text[] := '{}';
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
  nk_ws text[] := '{}';
  nk_key text[] := '{}';
  nk_hash text[] := '{}';
  nk_resp jsonb[] := '{}';
  a_ws text[] := '{}';
  a_type text[] := '{}';
  a_level text[] := '{}';
  a_threshold numeric[] := '{}';
  a_balance bigint[] := '{}';
  a_data jsonb[] := '{}';
  u_id text[] := '{}';
  u_used bigint[] := '{}';
  u_state jsonb[] := '{}';
  u_last bigint[] := '{}';
  e_budgets jsonb[] := '{}';
  -- The live budgets of the batch's workspaces, by workspace (credits_budget_state).
  g_ws text[];
  g_id text[];
  g_kind text[];
  g_subj text[];
  g_lim bigint[];
  g_max bigint[];
  g_start timestamptz[];
  g_end timestamptz[];
  g_used bigint[];
  g_held bigint[];
  g_alerted smallint[];
  g_add bigint[];
  n_g int := 0;
  gp int := 1;
  glo int;
  ghi int;
  g_match int[];
  g_prev_match int[];
  g_prev_tags jsonb;
  v_refusal jsonb;
  v_tags jsonb;
  v_level smallint;
  ug_id text[] := '{}';
  ug_start timestamptz[] := '{}';
  ug_add bigint[] := '{}';
  ug_alerted smallint[] := '{}';
  -- Per workspace.
  b record;
  v_prev text;
  v_ws jsonb;
  v_out jsonb[];
  v_total bigint;
  v_before bigint;
  v_sub bigint;
  v_promo bigint;
  v_trial bigint;
  v_purch bigint;
  v_held bigint;
  v_used bigint;
  v_last bigint;
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
  v_next jsonb;
  v_was text;
  v_worst text;
  v_worst_t numeric;
  v_recovered jsonb;
  v_events int;
  lv_level text[] := ARRAY['low', 'critical', 'depleted'];
  lv_t numeric[];
  lv_crossed boolean;
  q int;
  ii int;
BEGIN
  v_res := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_batches)]);
  SELECT array_agg(e.value->>'ws') INTO v_ids FROM jsonb_array_elements(p_batches) AS e;
  IF v_ids IS NULL THEN
    RETURN to_jsonb(v_res);
  END IF;

  SELECT array_agg(x.id), array_agg(x.plan), array_agg(x.status), array_agg(x.billing_anchor),
         array_agg(x.lifetime_used), array_agg(x.settings), array_agg(x.alert_state)
    INTO w_id, w_plan, w_status, w_anchor, w_used, w_settings, w_alert
    FROM (SELECT ws.id, ws.plan, ws.status, ws.billing_anchor, ws.lifetime_used, ws.settings, ws.alert_state
            FROM workspaces ws WHERE ws.id = ANY (v_ids)
           ORDER BY ws.id COLLATE "C" FOR UPDATE) x;
  n_ws := coalesce(array_length(w_id, 1), 0);

  IF n_ws > 0 THEN
    -- A hold that times out releases itself (workspace-tx.ts releaseTimedOutHolds).
    SELECT array_agg(coalesce(h.held, 0)::bigint ORDER BY u.ord), coalesce(bool_or(h.stale), false)
      INTO w_held, v_stale
      FROM unnest(w_id) WITH ORDINALITY AS u(id, ord)
      LEFT JOIN LATERAL (
        SELECT bool_or(hh.expires_at <= p_now) AS stale,
               sum(hh.amount) FILTER (WHERE hh.expires_at > p_now) AS held
          FROM holds hh WHERE hh.workspace_id = u.id AND hh.status = 'active') h ON true;
    IF v_stale THEN
      WITH timed_out AS (
        UPDATE holds SET status = 'expired', closed_at = p_now
         WHERE workspace_id = ANY (w_id) AND status = 'active' AND expires_at <= p_now
        RETURNING id),
      give_back AS (
        SELECT hl.lot_id, sum(hl.amount)::bigint AS amount
          FROM hold_lots hl JOIN timed_out t ON t.id = hl.hold_id GROUP BY hl.lot_id)
      UPDATE lots SET remaining = lots.remaining + g.amount
        FROM give_back g WHERE lots.id = g.lot_id;
    END IF;

    SELECT array_agg(x.workspace_id), array_agg(x.id), array_agg(x.type), array_agg(x.remaining),
           array_agg(x.expires_at)
      INTO l_ws, l_id, l_type, l_rem, l_exp
      FROM (SELECT l.workspace_id, l.id, l.type, l.remaining, l.expires_at
              FROM lots l
             WHERE l.workspace_id = ANY (w_id) AND l.remaining > 0
               AND (l.expires_at IS NULL OR l.expires_at > p_now)
             ORDER BY l.workspace_id COLLATE "C", l.priority, l.expires_at NULLS LAST, l.granted_at, l.id) x;
    n_lots := coalesce(array_length(l_id, 1), 0);
    l_start := l_rem;

    SELECT array_agg(x.workspace_id), array_agg(x.key), array_agg(x.request_hash), array_agg(x.response)
      INTO ka_ws, ka_key, ka_hash, ka_resp
      FROM (SELECT k.workspace_id, k.key, k.request_hash, k.response
              FROM (SELECT DISTINCT e.value->>'ws' AS ws, i.value->>'key' AS key
                      FROM jsonb_array_elements(p_batches) AS e,
                           jsonb_array_elements(e.value->'items') AS i) p
              -- One primary-key probe per item. Without the LIMIT (harmless: the key is unique) the
              -- planner flattens the subquery into a hash join over every client key of the table
              -- (the estimate for the items is 10,000 rows), which grows with the table.
              CROSS JOIN LATERAL (
                SELECT kk.workspace_id, kk.key, kk.request_hash, kk.response
                  FROM idempotency_keys kk
                 WHERE kk.workspace_id = p.ws AND kk.namespace = 'client' AND kk.key = p.key
                 LIMIT 1) k
             ORDER BY k.workspace_id COLLATE "C") x;
    n_keys := coalesce(array_length(ka_key, 1), 0);

    SELECT array_agg(s.workspace_id ORDER BY s.ord), array_agg(s.id ORDER BY s.ord),
           array_agg(s.kind ORDER BY s.ord), array_agg(s.subject ORDER BY s.ord),
           array_agg(s.lim ORDER BY s.ord), array_agg(s.per_debit_max ORDER BY s.ord),
           array_agg(s.period_start ORDER BY s.ord), array_agg(s.period_end ORDER BY s.ord),
           array_agg(s.used ORDER BY s.ord), array_agg(s.held ORDER BY s.ord),
           array_agg(s.alerted ORDER BY s.ord)
      INTO g_ws, g_id, g_kind, g_subj, g_lim, g_max, g_start, g_end, g_used, g_held, g_alerted
      FROM credits_budget_state(p_now, w_id) WITH ORDINALITY
           AS s(workspace_id, id, kind, subject, lim, per_debit_max, period_start, period_end, used, held, alerted, ord);
    n_g := coalesce(array_length(g_id, 1), 0);
    IF n_g > 0 THEN
      g_add := array_fill(0::bigint, ARRAY[n_g]);
    END IF;
  END IF;

  FOR b IN
    SELECT e.value->>'ws' AS ws, e.value->'items' AS items, e.ord::int AS ord
      FROM jsonb_array_elements(p_batches) WITH ORDINALITY AS e(value, ord)
     ORDER BY e.value->>'ws' COLLATE "C", e.ord
  LOOP
    IF b.ws = v_prev THEN
      RAISE EXCEPTION 'credits_debit_multi: workspace % appears twice in one call', b.ws;
    END IF;
    v_prev := b.ws;
    -- Both are in byte-wise order, so the next locked workspace is this one or it does not exist.
    CONTINUE WHEN wi > n_ws OR w_id[wi] IS DISTINCT FROM b.ws;

    v_ws := jsonb_build_object('plan', w_plan[wi], 'status', w_status[wi],
                               'billingAnchor', credits_iso(w_anchor[wi]));
    v_held := w_held[wi];
    lo := lp;
    WHILE lp <= n_lots AND l_ws[lp] = b.ws LOOP
      lp := lp + 1;
    END LOOP;
    hi := lp - 1;
    glo := gp;
    WHILE gp <= n_g AND g_ws[gp] = b.ws LOOP
      gp := gp + 1;
    END LOOP;
    ghi := gp - 1;
    klo := kp;
    WHILE kp <= n_keys AND ka_ws[kp] = b.ws LOOP
      kp := kp + 1;
    END LOOP;
    IF kp > klo THEN
      k_key := ka_key[klo:kp - 1];
      k_hash := ka_hash[klo:kp - 1];
      k_resp := ka_resp[klo:kp - 1];
    ELSE
      k_key := '{}';
      k_hash := '{}';
      k_resp := '{}';
    END IF;

    v_total := 0;
    v_sub := 0;
    v_promo := 0;
    v_trial := 0;
    v_purch := 0;
    FOR j IN lo..hi LOOP
      v_total := v_total + l_rem[j];
      CASE l_type[j]
        WHEN 'subscription' THEN v_sub := v_sub + l_rem[j];
        WHEN 'promotional' THEN v_promo := v_promo + l_rem[j];
        WHEN 'trial' THEN v_trial := v_trial + l_rem[j];
        ELSE v_purch := v_purch + l_rem[j];
      END CASE;
    END LOOP;
    v_before := v_total;
    v_used := 0;
    v_last := NULL;
    v_out := '{}';

    -- By index, not FOR … IN SELECT: no query per workspace.
    FOR ii IN 0..jsonb_array_length(b.items) - 1 LOOP
      it := b.items->ii;
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
      v_tags := NULL;
      IF ghi >= glo THEN
        v_refusal := NULL;
        g_match := '{}';
        FOR j IN glo..ghi LOOP
          CONTINUE WHEN NOT credits_budget_matches(g_kind[j], g_subj[j], it->>'actor', it->>'member',
                                                   it->>'apiKey', it->>'operation');
          IF v_amount > g_max[j] OR g_used[j] + g_held[j] + v_amount > g_lim[j] THEN
            v_refusal := jsonb_build_object('s', 'budget', 'budgetId', g_id[j], 'limit', g_lim[j],
                                            'used', g_used[j] + g_held[j], 'requested', v_amount,
                                            'resetsAt', credits_iso(g_end[j]), 'perDebitMax', g_max[j]);
            EXIT;
          END IF;
          g_match := g_match || j;
        END LOOP;
        IF v_refusal IS NOT NULL THEN
          v_out := v_out || v_refusal;
          CONTINUE;
        END IF;
        FOREACH j IN ARRAY g_match LOOP
          g_used[j] := g_used[j] + v_amount;
          g_add[j] := g_add[j] + v_amount;
        END LOOP;
        -- The items of a workspace mostly match the same budgets: their tags are built once.
        IF g_match IS NOT DISTINCT FROM g_prev_match THEN
          v_tags := g_prev_tags;
        ELSE
          FOREACH j IN ARRAY g_match LOOP
            v_tags := coalesce(v_tags, '[]') || jsonb_build_array(jsonb_build_object('b', g_id[j], 'p', g_start[j]));
          END LOOP;
          g_prev_match := g_match;
          g_prev_tags := v_tags;
        END IF;
      END IF;

      v_id := nextval('journal_id_seq');
      v_left := v_amount;
      v_lots := '[]';
      v_consumed := '[]';
      FOR j IN lo..hi LOOP
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
        'id', v_id::text, 'workspaceId', b.ws, 'kind', 'debit', 'amount', v_amount, 'delta', -v_amount,
        'balanceAfter', v_total, 'operation', it->'operation', 'quantity', it->'quantity', 'actor', it->'actor',
        'source', it->'source', 'idempotencyKey', v_key, 'reversesId', NULL, 'holdId', NULL, 'reason', NULL,
        'metadata', coalesce(it->'metadata', '{}'), 'createdAt', credits_iso(p_now),
        'lots', v_lots, 'consumed', v_consumed);
      -- queries.ts summarizeBalance: the soonest expiry among the lots still spendable.
      v_nx_at := NULL;
      v_nx_amt := 0;
      v_nx_type := NULL;
      FOR j IN lo..hi LOOP
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
          'workspaceId', b.ws, 'total', v_total,
          'byType', jsonb_build_object('subscription', v_sub, 'promotional', v_promo, 'trial', v_trial,
                                       'purchased', v_purch),
          'held', v_held,
          'nextExpiry', CASE WHEN v_nx_at IS NULL THEN NULL
                             ELSE jsonb_build_object('amount', v_nx_amt, 'at', credits_iso(v_nx_at), 'type', v_nx_type) END,
          'renewal', NULL, 'lifetimeUsed', w_used[wi] + v_used, 'lastTransaction', v_tx),
        'replayed', false);

      e_id := e_id || v_id;
      e_ws := e_ws || b.ws;
      e_delta := e_delta || (-v_amount);
      e_after := e_after || v_total;
      e_op := e_op || (it->>'operation');
      e_qty := e_qty || (it->>'quantity')::bigint;
      e_actor := e_actor || (it->>'actor');
      e_source := e_source || (it->>'source');
      e_key := e_key || v_key;
      e_meta := e_meta || coalesce(it->'metadata', '{}');
      e_budgets := e_budgets || v_tags;
      k_key := k_key || v_key;
      k_hash := k_hash || v_hash;
      k_resp := k_resp || v_resp;
      nk_ws := nk_ws || b.ws;
      nk_key := nk_key || v_key;
      nk_hash := nk_hash || v_hash;
      nk_resp := nk_resp || v_resp;
      v_out := v_out || jsonb_build_object('s', 'ok', 'r', v_resp);
    END LOOP;

    v_events := 0;
    IF v_last IS NOT NULL THEN
      -- Alerts: thresholds from settings.alerts.thresholds over the defaults (alerts.ts thresholdsFor).
      v_own := w_settings[wi]->'alerts'->'thresholds';
      v_low := CASE WHEN jsonb_typeof(v_own->'low') = 'number' THEN (v_own->>'low')::numeric
                    ELSE (p_alert_defaults->>'low')::numeric END;
      v_crit := CASE WHEN jsonb_typeof(v_own->'critical') = 'number' THEN (v_own->>'critical')::numeric
                     ELSE (p_alert_defaults->>'critical')::numeric END;
      v_thresholds := jsonb_build_object('low', v_low, 'critical', v_crit);
      v_state := coalesce(w_alert[wi], '{}');
      v_next := '{}';
      v_worst := NULL;
      v_worst_t := NULL;
      v_recovered := '[]';
      lv_t := ARRAY[v_low, v_crit, 0::numeric];
      FOR q IN 1..3 LOOP
        lv_crossed := CASE WHEN q = 3 THEN v_total <= 0 ELSE v_total < lv_t[q] END;
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
        a_ws := a_ws || b.ws;
        a_type := a_type || ('alert.' || v_worst);
        a_level := a_level || v_worst;
        a_threshold := a_threshold || v_worst_t;
        a_balance := a_balance || v_total;
        a_data := a_data || jsonb_build_object('thresholds', v_thresholds);
        v_events := v_events + 1;
      END IF;
      IF jsonb_array_length(v_recovered) > 0 THEN
        a_ws := a_ws || b.ws;
        a_type := a_type || 'alert.recovered'::text;
        a_level := a_level || NULL::text;
        a_threshold := a_threshold || NULL::numeric;
        a_balance := a_balance || v_total;
        a_data := a_data || jsonb_build_object('recovered', v_recovered, 'thresholds', v_thresholds);
        v_events := v_events + 1;
      END IF;

      -- Budget thresholds (80 and 100 percent of the period's limit), each announced once a period.
      FOR j IN glo..ghi LOOP
        CONTINUE WHEN g_add[j] = 0;
        v_level := credits_budget_level(g_used[j] + g_held[j], g_lim[j]);
        FOREACH q IN ARRAY ARRAY[80, 100] LOOP
          CONTINUE WHEN q <= g_alerted[j] OR q > v_level;
          a_ws := a_ws || b.ws;
          a_type := a_type || 'budget.threshold'::text;
          a_level := a_level || NULL::text;
          a_threshold := a_threshold || q::numeric;
          a_balance := a_balance || v_total;
          a_data := a_data || jsonb_build_object('budgetId', g_id[j], 'percent', q, 'used', g_used[j] + g_held[j],
                                                 'limit', g_lim[j], 'periodStart', credits_iso(g_start[j]),
                                                 'resetsAt', credits_iso(g_end[j]));
          v_events := v_events + 1;
        END LOOP;
        ug_id := ug_id || g_id[j];
        ug_start := ug_start || g_start[j];
        ug_add := ug_add || g_add[j];
        ug_alerted := ug_alerted || greatest(g_alerted[j], v_level);
      END LOOP;

      u_id := u_id || b.ws;
      u_used := u_used || v_used;
      u_state := u_state || CASE
        WHEN (v_next->>'low') IS NOT DISTINCT FROM (v_state->>'low')
         AND (v_next->>'critical') IS NOT DISTINCT FROM (v_state->>'critical')
         AND (v_next->>'depleted') IS NOT DISTINCT FROM (v_state->>'depleted')
        THEN w_alert[wi] ELSE v_next END;
      u_last := u_last || v_last;
    END IF;
    -- Only replays and refusals: nothing is written for this workspace (an empty WorkspaceTx.flush).

    v_res[b.ord] := jsonb_build_object('ws', v_ws, 'before', v_before, 'after', v_total,
                                       'alertEvents', v_events, 'items', to_jsonb(v_out));
    wi := wi + 1;
  END LOOP;

  IF array_length(u_id, 1) IS NULL THEN
    RETURN to_jsonb(v_res);
  END IF;

  -- One statement per table, rows in workspace order (and entry order within a workspace).
  INSERT INTO journal (id, workspace_id, kind, delta, balance_after, operation, quantity, actor, source,
                       idempotency_key, metadata, budgets, created_at)
  SELECT u.id, u.ws, 'debit', u.delta, u.after, u.op, u.qty, u.actor, u.source, u.key, u.meta, u.budgets, p_now
    FROM unnest(e_id, e_ws, e_delta, e_after, e_op, e_qty, e_actor, e_source, e_key, e_meta, e_budgets)
         WITH ORDINALITY AS u(id, ws, delta, after, op, qty, actor, source, key, meta, budgets, ord)
   ORDER BY u.ord;
  IF array_length(ug_id, 1) IS NOT NULL THEN
    INSERT INTO budget_usage AS bu (budget_id, period_start, used, alerted)
    SELECT u.id, u.start, u.add, u.alerted FROM unnest(ug_id, ug_start, ug_add, ug_alerted) AS u(id, start, add, alerted)
    ON CONFLICT (budget_id, period_start)
      DO UPDATE SET used = bu.used + EXCLUDED.used, alerted = greatest(bu.alerted, EXCLUDED.alerted);
  END IF;
  INSERT INTO journal_lots (entry_id, lot_id, delta)
  SELECT u.entry_id, u.lot_id, u.delta
    FROM unnest(jl_entry, jl_lot, jl_delta) WITH ORDINALITY AS u(entry_id, lot_id, delta, ord)
   ORDER BY u.ord;
  UPDATE lots SET remaining = lots.remaining + (u.rem - u.start)
    FROM unnest(l_id, l_ws, l_rem, l_start) AS u(id, ws, rem, start)
   WHERE lots.id = u.id AND lots.workspace_id = u.ws AND u.rem <> u.start;
  INSERT INTO idempotency_keys (workspace_id, key, request_hash, response, created_at)
  SELECT u.ws, u.key, u.hash, u.resp, p_now
    FROM unnest(nk_ws, nk_key, nk_hash, nk_resp) WITH ORDINALITY AS u(ws, key, hash, resp, ord)
   ORDER BY u.ord;
  IF array_length(a_ws, 1) IS NOT NULL THEN
    INSERT INTO alert_events (workspace_id, type, level, threshold, balance, data, created_at)
    SELECT u.ws, u.type, u.level, u.threshold, u.balance, u.data, p_now
      FROM unnest(a_ws, a_type, a_level, a_threshold, a_balance, a_data)
           WITH ORDINALITY AS u(ws, type, level, threshold, balance, data, ord)
     ORDER BY u.ord;
  END IF;
  UPDATE workspaces
     SET lifetime_used = workspaces.lifetime_used + u.used,
         alert_state = u.state,
         last_entry_id = u.last,
         updated_at = p_now
    FROM unnest(u_id, u_used, u_state, u_last) AS u(id, used, state, last)
   WHERE workspaces.id = u.id;

  RETURN to_jsonb(v_res);
END
$$;
