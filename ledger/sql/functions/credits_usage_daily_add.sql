-- The usage rollups, added by a statement-level trigger on the journal (journal_usage_daily):
-- usage_daily (migration 013), credits used per workspace and UTC day, and usage_daily_detail
-- (migration 024), the same per operation and actor with the number of debits.
--
-- Maintained by a statement-level trigger rather than inside each writer, so every path that
-- appends to the journal (the TypeScript writer, the debit functions, bulk seeds) keeps it exact.
-- One statement per journal insert (one executor start: the data-modifying CTE fills the detail,
-- the outer insert the day totals), each upsert in key order: every writer already holds its
-- workspaces' row locks (taken in id order), and a fixed order means two batches that touch
-- several workspaces' rows can never wait for each other in a cycle.
-- A reversal counts under the operation and actor of the debit it refunds: a lookup by primary
-- key for reversals only, so a batch of debits never reads the journal.
CREATE OR REPLACE FUNCTION credits_usage_daily_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH used AS (
    SELECT workspace_id, day, operation, actor,
           -sum(delta) AS used, count(*) FILTER (WHERE kind = 'debit') AS debits
      FROM (SELECT n.workspace_id, (n.created_at AT TIME ZONE 'UTC')::date AS day, n.kind, n.delta,
                   CASE WHEN n.kind = 'reverse'
                        THEN coalesce((SELECT o.operation FROM journal o WHERE o.id = n.reverses_id), n.operation)
                        ELSE n.operation END AS operation,
                   CASE WHEN n.kind = 'reverse'
                        THEN (SELECT o.actor FROM journal o WHERE o.id = n.reverses_id)
                        ELSE n.actor END AS actor
              FROM new_entries n
             WHERE n.kind IN ('debit', 'reverse')) k
     GROUP BY 1, 2, 3, 4),
  detail AS (
    INSERT INTO usage_daily_detail AS u (workspace_id, day, operation, actor, used, debits)
    SELECT workspace_id, day, operation, actor, used, debits FROM used
     ORDER BY 1, 2, 3, 4
    ON CONFLICT (workspace_id, day, operation, actor)
    DO UPDATE SET used = u.used + excluded.used, debits = u.debits + excluded.debits)
  INSERT INTO usage_daily AS u (workspace_id, day, used)
  SELECT workspace_id, day, sum(used) FROM used
   GROUP BY 1, 2
   ORDER BY 1, 2
  ON CONFLICT (workspace_id, day) DO UPDATE SET used = u.used + excluded.used;
  RETURN NULL;
END $$;
