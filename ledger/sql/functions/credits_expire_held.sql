-- expiry.ts expireReturned for a closed hold's lots: whatever came back to a lot past its date is
-- expired at once, one entry per lot. Answers the last entry written, or null.
CREATE OR REPLACE FUNCTION credits_expire_held(p_ws text, p_hold bigint, p_now timestamptz) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_id bigint;
  v_balance bigint;
BEGIN
  FOR r IN
    SELECT l.id, l.type, l.remaining, l.expires_at
      FROM hold_lots hl JOIN lots l ON l.id = hl.lot_id
     WHERE hl.hold_id = p_hold AND l.remaining > 0 AND l.expires_at <= p_now
     ORDER BY l.priority, l.expires_at NULLS LAST, l.granted_at, l.id
  LOOP
    -- An expired lot is not spendable, so expiring it leaves the balance as it is.
    v_balance := coalesce(v_balance, credits_spendable(p_ws, p_now));
    v_id := nextval('journal_id_seq');
    UPDATE lots SET remaining = 0 WHERE id = r.id;
    INSERT INTO journal (id, workspace_id, kind, delta, balance_after, actor, source, reason, metadata, created_at)
    VALUES (v_id, p_ws, 'expire', -r.remaining, v_balance, 'system:expiry', 'workflow', 'expired while held',
            jsonb_build_object('lotType', r.type, 'expiredAt', credits_iso(r.expires_at)), p_now);
    INSERT INTO journal_lots (entry_id, lot_id, delta) VALUES (v_id, r.id, -r.remaining);
  END LOOP;
  RETURN v_id;
END
$$;
