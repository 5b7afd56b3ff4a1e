-- PL/pgSQL rather than SQL functions, here and below: PL/pgSQL keeps its statements' plans for
-- the session, where an SQL function with a FROM clause is planned again at every call.
CREATE OR REPLACE FUNCTION credits_spendable(p_ws text, p_now timestamptz) RETURNS bigint
  LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT coalesce(sum(remaining), 0)::bigint FROM lots
           WHERE workspace_id = p_ws AND remaining > 0 AND (expires_at IS NULL OR expires_at > p_now));
END
$$;
