-- Budgets: limits inside a workspace's shared pool, on a member, an API key, an actor string or
-- an operation, per day, week, month (UTC) or subscription cycle. Enforced by the debit and hold
-- functions under the workspace's row lock, in the same transaction as the balance.

CREATE TABLE budgets (
  id             text PRIMARY KEY CHECK (id ~ '^bud_[0-9a-f]{8,64}$'),
  workspace_id   text NOT NULL REFERENCES workspaces(id),
  subject_kind   text NOT NULL CHECK (subject_kind IN ('member', 'api_key', 'actor', 'operation')),
  subject        text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  period         text NOT NULL CHECK (period IN ('day', 'week', 'month', 'cycle')),
  limit_credits  bigint NOT NULL CHECK (limit_credits > 0),
  per_debit_max  bigint CHECK (per_debit_max > 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz
);
-- One live budget per subject and period; its prefix serves "the workspace's live budgets".
CREATE UNIQUE INDEX budgets_active_subject ON budgets (workspace_id, subject_kind, subject, period)
  WHERE deleted_at IS NULL;

-- A raise adds `amount` to its budget's limit for one period (period_start .. period_end) once
-- approved. Decided like a purchase; the raises flow owns the rows' lifecycle.
CREATE TABLE budget_raises (
  id            text PRIMARY KEY CHECK (id ~ '^raise_[0-9a-f]{8,64}$'),
  workspace_id  text NOT NULL REFERENCES workspaces(id),
  budget_id     text NOT NULL REFERENCES budgets(id),
  amount        bigint NOT NULL CHECK (amount > 0),
  reason        text,
  status        text NOT NULL CHECK (status IN ('pending_approval', 'approved', 'rejected', 'expired')),
  requested_by  text NOT NULL,
  period_start  timestamptz NOT NULL,
  period_end    timestamptz NOT NULL CHECK (period_end > period_start),
  decided_by    text,
  decided_via   text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  decided_at    timestamptz
);
CREATE INDEX budget_raises_approved ON budget_raises (budget_id, period_start) WHERE status = 'approved';
CREATE INDEX budget_raises_workspace ON budget_raises (workspace_id, created_at DESC);

-- What each budget's period has used: debits and captures counted toward it, less their
-- reversals. Active holds count too, but are read from `holds` (they give back by closing).
-- `alerted`: the highest threshold (80, 100 percent) already announced this period.
CREATE TABLE budget_usage (
  budget_id     text NOT NULL REFERENCES budgets(id),
  period_start  timestamptz NOT NULL,
  used          bigint NOT NULL DEFAULT 0 CHECK (used >= 0),
  alerted       smallint NOT NULL DEFAULT 0 CHECK (alerted IN (0, 80, 100)),
  PRIMARY KEY (budget_id, period_start)
);

-- Which budget periods a debit or a hold counted toward: [{ "b": budget id, "p": period start }],
-- null for none. A capture counts toward its hold's, a reversal gives back to its debit's, so
-- budgets created, changed or deleted in between never make a counter drift from the journal.
ALTER TABLE journal ADD COLUMN budgets jsonb;
ALTER TABLE holds ADD COLUMN budgets jsonb;

ALTER TABLE alert_events DROP CONSTRAINT alert_events_type_check;
ALTER TABLE alert_events ADD CONSTRAINT alert_events_type_check
  CHECK (type IN ('alert.low', 'alert.critical', 'alert.depleted', 'alert.recovered', 'budget.threshold'));
