-- A decision on a purchase as the application took it (who, approve or reject), under a random
-- ticket that the Temporal update then carries. The purchase workflow counts an update only when
-- its ticket is here and matches, so someone who reaches Temporal but not the database cannot
-- approve or reject in anyone's name (naming a real owner in `by` is not enough).
CREATE TABLE purchase_decisions (
  ticket       text PRIMARY KEY,
  purchase_id  text NOT NULL REFERENCES purchases(id),
  decided_by   text NOT NULL,
  approved     boolean NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX purchase_decisions_purchase ON purchase_decisions (purchase_id);
