-- Gives a hold's credits back to its lots and takes `p_take` of them again, in consumption order
-- (holds.ts giveBackHold, then capture's loop); answers the movements taken.
CREATE OR REPLACE FUNCTION credits_unhold(p_hold bigint, p_take bigint,
                                          OUT lot_ids bigint[], OUT lot_types text[], OUT takes bigint[])
  LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v_left bigint := p_take;
  v_take bigint;
BEGIN
  lot_ids := '{}';
  lot_types := '{}';
  takes := '{}';
  FOR r IN
    SELECT l.id, l.type, hl.amount AS held
      FROM hold_lots hl JOIN lots l ON l.id = hl.lot_id
     WHERE hl.hold_id = p_hold
     ORDER BY l.priority, l.expires_at NULLS LAST, l.granted_at, l.id
  LOOP
    v_take := least(r.held, v_left);
    v_left := v_left - v_take;
    IF v_take < r.held THEN
      UPDATE lots SET remaining = remaining + (r.held - v_take) WHERE id = r.id;
    END IF;
    IF v_take > 0 THEN
      lot_ids := lot_ids || r.id;
      lot_types := lot_types || r.type;
      takes := takes || v_take;
    END IF;
  END LOOP;
END
$$;
