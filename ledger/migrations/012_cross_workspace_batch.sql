-- Group commit across workspaces: one call (one round trip, one commit) debits several
-- workspaces at once, so debits spread over many workspaces share a commit the way debits of one
-- hot workspace already did.
--
-- p_batches is a JSON array of {"ws": <workspace id>, "items": [<credits_debit_batch items>]}.
-- The answer is a JSON array in the same order: for each element, what credits_debit_batch answers
-- for it, or null when the workspace does not exist (its items alone are not found; the other
-- workspaces go through).
--
-- No deadlocks between concurrent calls: the workspaces are worked on in one total order (their
-- ids compared byte-wise, COLLATE "C", independent of the database's collation), and each
-- credits_debit_batch takes its workspace's row lock first, before touching anything else of it,
-- and keeps it to commit. Every transaction thus acquires its workspace locks in ascending id
-- order, so no two can wait on each other in a cycle. The other writers (WorkspaceTx, the audited
-- settings changes, webhooks) lock one workspace each, which cannot close a cycle either. All the
-- rows a debit touches besides the workspace (lots, holds, keys, alert state) belong to that
-- workspace and are only written under its lock.
CREATE FUNCTION credits_debit_multi(
  p_now timestamptz,
  p_batches jsonb,
  p_alert_defaults jsonb
) RETURNS jsonb
  LANGUAGE plpgsql AS $$
DECLARE
  v_out jsonb[];
  b record;
BEGIN
  v_out := array_fill(NULL::jsonb, ARRAY[jsonb_array_length(p_batches)]);
  FOR b IN
    SELECT e.value->>'ws' AS ws, e.value->'items' AS items, e.ord::int AS ord
      FROM jsonb_array_elements(p_batches) WITH ORDINALITY AS e(value, ord)
     ORDER BY e.value->>'ws' COLLATE "C", e.ord
  LOOP
    v_out[b.ord] := credits_debit_batch(b.ws, p_now, b.items, p_alert_defaults);
  END LOOP;
  RETURN to_jsonb(v_out);
END
$$;
