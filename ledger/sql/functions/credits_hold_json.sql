-- queries.ts rowToHold.
CREATE OR REPLACE FUNCTION credits_hold_json(h holds) RETURNS jsonb
  LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', h.id::text, 'workspaceId', h.workspace_id, 'amount', h.amount, 'status', h.status,
    'captured', h.captured, 'captureTransactionId', h.capture_id::text, 'operation', h.operation,
    'actor', h.actor, 'source', h.source, 'metadata', h.metadata, 'createdAt', credits_iso(h.created_at),
    'expiresAt', credits_iso(h.expires_at), 'closedAt', credits_iso(h.closed_at))
$$;
