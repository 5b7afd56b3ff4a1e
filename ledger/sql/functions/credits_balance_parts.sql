-- Everything the balances of a set of workspaces need, in one call (ledger/balance-reads.ts groups
-- concurrent reads into it). As a plain statement with `w.id = ANY($1)` PostgreSQL never settled
-- on a generic plan: it priced the generic one for ten ids against a custom one for the few it
-- was given, so it planned every call afresh, 0.46 ms of planning against 0.17 ms of execution
-- for one workspace (EXPLAIN ANALYZE, 10,000 workspaces, 1,000,000 entries). Here the plans are
-- made once per connection and kept (psql, 8 workspaces a call: 0.28 ms against 0.66 ms). Unlike
-- the debit (credits_debit_multi), sequential scans are not forbidden: with enable_seqscan off the
-- same call took 0.49 ms; a plan made on a near-empty holds table is made again when autovacuum
-- analyses it.
-- Lots past their date are left out even if no sweep has written their expiry yet, and credits of
-- holds past their timeout count as free again even before a writer has released them.
CREATE OR REPLACE FUNCTION credits_balance_parts(p_ids text[], p_now timestamptz)
RETURNS TABLE (id text, name text, plan text, status text, billing_anchor timestamptz,
               lifetime_used bigint, settings jsonb, lots json, held bigint, last json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  RETURN QUERY
  SELECT w.id, w.name, w.plan, w.status, w.billing_anchor, w.lifetime_used, w.settings,
    (SELECT coalesce(json_agg(json_build_object(
              'id', l.id, 'type', l.type, 'priority', l.priority, 'grantedAt', l.granted_at,
              'expiresAt', l.expires_at,
              'remaining', l.remaining + coalesce((
                 SELECT sum(hl.amount) FROM hold_lots hl JOIN holds h ON h.id = hl.hold_id
                  WHERE hl.lot_id = l.id AND h.workspace_id = w.id AND h.status = 'active'
                    AND h.expires_at <= p_now), 0))), '[]'::json)
       FROM lots l
      WHERE l.id IN (SELECT sl.id FROM lots sl WHERE sl.workspace_id = w.id AND sl.remaining > 0
                     UNION
                     SELECT hl.lot_id FROM hold_lots hl JOIN holds h ON h.id = hl.hold_id
                      WHERE h.workspace_id = w.id AND h.status = 'active' AND h.expires_at <= p_now)
        AND (l.expires_at IS NULL OR l.expires_at > p_now)),
    (SELECT coalesce(sum(h.amount), 0)::bigint FROM holds h
      WHERE h.workspace_id = w.id AND h.status = 'active' AND h.expires_at > p_now),
    (SELECT row_to_json(t) FROM (
       SELECT j.id, j.workspace_id, j.kind, j.delta, j.balance_after, j.operation, j.quantity, j.actor,
              j.source, j.idempotency_key, j.reverses_id, j.hold_id, j.reason, j.metadata, j.created_at,
              (SELECT coalesce(json_agg(json_build_object('lotId', jl.lot_id::text, 'type', ll.type,
                                                          'delta', jl.delta)
                                        ORDER BY ll.priority, ll.expires_at NULLS LAST, ll.granted_at, ll.id),
                               '[]'::json)
                 FROM journal_lots jl JOIN lots ll ON ll.id = jl.lot_id WHERE jl.entry_id = j.id) AS lots
         FROM journal j WHERE j.id = w.last_entry_id) t)
    FROM workspaces w WHERE w.id = ANY(p_ids);
END
$$;
