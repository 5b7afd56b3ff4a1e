-- The usage rollup (usage_daily, migration 013): credits used per workspace and UTC day, added
-- by a statement-level trigger on the journal.
--
-- Maintained by a statement-level trigger rather than inside each writer, so every path that
-- appends to the journal (the TypeScript writer, the debit functions, bulk seeds) keeps it exact.
-- One upsert per statement, in (workspace_id, day) order: every writer already holds its
-- workspaces' row locks (taken in id order), and a fixed order means two batches that touch
-- several workspaces' rows can never wait for each other in a cycle.
CREATE OR REPLACE FUNCTION credits_usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
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
