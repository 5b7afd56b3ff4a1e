-- What the raise approval flow needs beside 021's `budget_raises`: the approval deadline and where
-- the request came from (written when it is requested: the workflow reads them, never its input),
-- a note on the outcome (why it was rejected or expired), and the decisions the application took,
-- each under a random ticket that the Temporal update carries. As for purchases (009), the
-- workflow counts an update only when its ticket is here and matches, so someone who reaches
-- Temporal but not the database cannot decide in an owner's name.
ALTER TABLE budget_raises
  ADD COLUMN approval_deadline timestamptz,
  ADD COLUMN source text NOT NULL DEFAULT 'api',
  ADD COLUMN outcome text;

CREATE INDEX budget_raises_pending ON budget_raises (workspace_id, created_at)
  WHERE status = 'pending_approval';

CREATE TABLE budget_raise_decisions (
  ticket       text PRIMARY KEY,
  raise_id     text NOT NULL REFERENCES budget_raises(id),
  decided_by   text NOT NULL,
  approved     boolean NOT NULL,
  channel      text NOT NULL DEFAULT 'api',
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX budget_raise_decisions_raise ON budget_raise_decisions (raise_id);
