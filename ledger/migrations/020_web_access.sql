-- The web console's sign-in: single-use login links, sessions, and the widget's embed tokens.
-- Only SHA-256 digests of the secrets are stored: a copy of this table signs nobody in.

CREATE TABLE web_login_links (
  token_hash    bytea PRIMARY KEY,
  workspace_id  text NOT NULL,
  member_id     text NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz,
  FOREIGN KEY (workspace_id, member_id) REFERENCES members (workspace_id, id)
);
CREATE INDEX web_login_links_expiry ON web_login_links (expires_at);

CREATE TABLE web_sessions (
  token_hash    bytea PRIMARY KEY,
  workspace_id  text NOT NULL,
  member_id     text NOT NULL,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  ended_at      timestamptz,
  FOREIGN KEY (workspace_id, member_id) REFERENCES members (workspace_id, id)
);
CREATE INDEX web_sessions_last_seen ON web_sessions (last_seen_at);

CREATE TABLE embed_tokens (
  token_hash    bytea PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces(id),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX embed_tokens_expiry ON embed_tokens (expires_at);
