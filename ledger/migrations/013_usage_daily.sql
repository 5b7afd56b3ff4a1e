-- Credits used per workspace and UTC day, kept with the journal so a burn rate reads at most ~31
-- rows instead of summing every entry of the window. `used` is exactly what usage reports sum:
-- -delta of the entries of kind debit or reverse (captures are debits; a reversal's refund counts
-- on the day it happened), so a day of refunds alone can be negative.
CREATE TABLE usage_daily (
  workspace_id  text NOT NULL REFERENCES workspaces(id),
  day           date NOT NULL,
  used          bigint NOT NULL,
  PRIMARY KEY (workspace_id, day)
);

-- Maintained by a statement-level trigger rather than inside each writer, so every path that
-- appends to the journal (the TypeScript writer, the debit functions, bulk seeds) keeps it exact.
-- One upsert per statement, in (workspace_id, day) order: every writer already holds its
-- workspaces' row locks (taken in id order), and a fixed order means two batches that touch
-- several workspaces' rows can never wait for each other in a cycle.
CREATE FUNCTION credits_usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_daily AS u (workspace_id, day, used)
  SELECT n.workspace_id, (n.created_at AT TIME ZONE 'UTC')::date, -sum(n.delta)
    FROM new_entries n
   WHERE n.kind IN ('debit', 'reverse')
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT (workspace_id, day) DO UPDATE SET used = u.used + excluded.used;
  RETURN NULL;
END $$;

-- No inserts while the trigger appears and the backfill reads: an entry is counted by exactly one.
LOCK TABLE journal IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER journal_usage_daily AFTER INSERT ON journal
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION credits_usage_daily_add();

INSERT INTO usage_daily (workspace_id, day, used)
SELECT workspace_id, (created_at AT TIME ZONE 'UTC')::date, -sum(delta)
  FROM journal
 WHERE kind IN ('debit', 'reverse')
 GROUP BY 1, 2;

-- The burn rate's "since the first grant" is an index lookup, not a pass over the workspace's lots.
CREATE INDEX lots_first_grant ON lots (workspace_id, granted_at);
