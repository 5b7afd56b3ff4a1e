-- Credits used per workspace, UTC day, operation and actor, with the number of debits: what the
-- usage reports and the console's chart group by, so a window of whole days reads a few rows per
-- day instead of every journal entry in it. Same rule as usage_daily (013) and the reports: -delta
-- of the debits and reversals; a reversal counts on the day it happened, under the operation and
-- actor of the debit it refunds (the reversal's own operation when that debit names none).
-- `debits` counts entries of kind debit (reversals add none).
CREATE TABLE usage_daily_detail (
  workspace_id  text NOT NULL REFERENCES workspaces(id),
  day           date NOT NULL,
  operation     text,
  actor         text,
  used          bigint NOT NULL,
  debits        bigint NOT NULL,
  CONSTRAINT usage_daily_detail_key UNIQUE NULLS NOT DISTINCT (workspace_id, day, operation, actor)
);

-- Kept by the same statement-level trigger as usage_daily (journal_usage_daily), whose function
-- (ledger/sql/functions/credits_usage_daily_add.sql) now fills both in one statement. No inserts
-- while the backfill reads and until that function is replaced in this same transaction: an entry
-- is counted exactly once.
LOCK TABLE journal IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO usage_daily_detail (workspace_id, day, operation, actor, used, debits)
SELECT j.workspace_id, (j.created_at AT TIME ZONE 'UTC')::date,
       CASE WHEN j.kind = 'reverse' THEN coalesce(o.operation, j.operation) ELSE j.operation END,
       CASE WHEN j.kind = 'reverse' THEN o.actor ELSE j.actor END,
       -sum(j.delta), count(*) FILTER (WHERE j.kind = 'debit')
  FROM journal j LEFT JOIN journal o ON o.id = j.reverses_id
 WHERE j.kind IN ('debit', 'reverse')
 GROUP BY 1, 2, 3, 4;
