-- JavaScript's Date.prototype.toISOString() for a timestamptz (millisecond precision, UTC).
CREATE OR REPLACE FUNCTION credits_iso(t timestamptz) RETURNS text
  LANGUAGE sql STABLE STRICT AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
