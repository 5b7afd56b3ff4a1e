-- Issue 24, Low 8 and 9.
--
-- A chat user id is only unique within its Slack team or Discord guild: a member's chat identity
-- is (team, user). A member without a team (made before this) is recognised only while the
-- workspace is linked to one team of that platform; linking a second team binds such members to
-- the first (ledger/stores/chat-links.ts).
ALTER TABLE members
  ADD COLUMN slack_team_id    text,
  ADD COLUMN discord_guild_id text;

-- A purchase request may carry an idempotency key: the same key answers the first purchase
-- (same package and requester) or 409 (another one). One key per workspace.
ALTER TABLE purchases
  ADD COLUMN request_key text;
CREATE UNIQUE INDEX purchases_request_key ON purchases (workspace_id, request_key)
  WHERE request_key IS NOT NULL;
-- What the pending-purchase limits count (one per package, a cap per workspace).
CREATE INDEX purchases_pending ON purchases (workspace_id, package) WHERE status = 'pending_approval';

-- Slack requests already handled (event id, or the trigger id of a command or button press): a
-- retry (`X-Slack-Retry-Num`) or a replay of the same signed request is answered once. Rows older
-- than a day are pruned as new ones come (Slack signs requests for 5 minutes). Unlogged: no WAL
-- and no fsync on the chat's hot path; after a crash it starts empty, which only reopens the
-- replay window of requests already answered.
CREATE UNLOGGED TABLE chat_requests_seen (
  platform   text NOT NULL,
  request_id text NOT NULL,
  seen_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, request_id)
);
CREATE INDEX chat_requests_seen_at ON chat_requests_seen (seen_at);
