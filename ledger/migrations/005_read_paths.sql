-- The balance shows the last transaction: read it by primary key from the workspace row (kept
-- under the same lock as every write) instead of searching the journal, whose plan could scan far
-- back for a quiet workspace.
ALTER TABLE workspaces ADD COLUMN last_entry_id bigint;
UPDATE workspaces w SET last_entry_id = (SELECT max(id) FROM journal j WHERE j.workspace_id = w.id);

-- Usage over a time window (reports, runway) reads a workspace's recent entries.
CREATE INDEX journal_workspace_time ON journal (workspace_id, created_at);
