-- Who may do what: scoped API keys (bound to a member to approve), expiry, last use; and an
-- append-only audit of every change of keys, members, roles, settings and every decision.

ALTER TABLE api_keys
  ADD COLUMN scopes       text[] NOT NULL DEFAULT ARRAY['balance:read', 'credits:spend'],
  ADD COLUMN member_id    text,
  ADD COLUMN expires_at   timestamptz,
  ADD COLUMN last_used_at timestamptz,
  ADD CONSTRAINT api_keys_member FOREIGN KEY (workspace_id, member_id) REFERENCES members (workspace_id, id),
  ADD CONSTRAINT api_keys_member_needs_workspace CHECK (member_id IS NULL OR workspace_id IS NOT NULL);

CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at);

CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces(id),
  action        text NOT NULL,
  actor         text NOT NULL,
  channel       text NOT NULL,
  target        text,
  before        jsonb,
  after         jsonb,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, id DESC);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION credits_forbid_change();
