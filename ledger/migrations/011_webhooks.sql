-- One signed webhook endpoint per workspace (Standard Webhooks), set by the operator. The secret
-- is kept as written (HMAC signing needs it), shown to the operator only when created or rotated.
-- After a rotation the previous secret keeps signing until previous_secret_expires_at, so
-- receivers can switch without losing events.

CREATE TABLE webhook_endpoints (
  workspace_id               text PRIMARY KEY REFERENCES workspaces(id),
  url                        text NOT NULL CHECK (url ~ '^https?://'),
  -- NULL: every event type.
  event_types                text[],
  secret                     text NOT NULL CHECK (secret LIKE 'whsec\_%'),
  previous_secret            text CHECK (previous_secret LIKE 'whsec\_%'),
  previous_secret_expires_at timestamptz,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  rotated_at                 timestamptz,
  CONSTRAINT webhook_previous_secret_expires CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);
