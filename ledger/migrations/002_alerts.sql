-- Per-level alert state of each workspace ({"low": "armed" | "fired"}; absent = below the
-- threshold without having alerted, as a new empty workspace is). Kept on the workspace row so
-- it changes under the same lock and in the same transaction as the balance.
ALTER TABLE workspaces ADD COLUMN alert_state jsonb NOT NULL DEFAULT '{}';

-- Outbox: one row per threshold crossing, written in the transaction that crossed it; the
-- worker delivers and marks them. Exactly one row per crossing whatever the concurrency.
CREATE TABLE alert_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id   text NOT NULL REFERENCES workspaces(id),
  type           text NOT NULL CHECK (type IN ('alert.low', 'alert.critical', 'alert.depleted', 'alert.recovered')),
  level          text CHECK (level IN ('low', 'critical', 'depleted')),
  threshold      bigint,
  balance        bigint NOT NULL,
  data           jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  dispatched_at  timestamptz
);
CREATE INDEX alert_events_pending ON alert_events (id) WHERE dispatched_at IS NULL;
CREATE INDEX alert_events_workspace ON alert_events (workspace_id, id DESC);
