-- Purchases of credit packages. The purchase workflow (id = purchases.id) drives the status and
-- writes every transition here, so reads never need the worker and the history of a purchase
-- outlives Temporal's retention.
CREATE TABLE purchases (
  id                 text PRIMARY KEY,
  workspace_id       text NOT NULL REFERENCES workspaces(id),
  package            text NOT NULL,
  package_name       text NOT NULL,
  credits            bigint NOT NULL CHECK (credits > 0),
  price              numeric(14, 2) NOT NULL CHECK (price >= 0),
  currency           text NOT NULL,
  validity_days      integer,
  status             text NOT NULL CHECK (status IN ('pending_approval', 'approved', 'paid', 'completed',
                                                     'rejected', 'expired', 'failed')),
  requested_by       text,
  -- Where the request came from: api, slack, discord, n8n, cli, auto_top_up.
  source             text NOT NULL,
  -- Approved by policy (auto top-up within its monthly budget) rather than by a person.
  automatic          boolean NOT NULL DEFAULT false,
  decided_by         text,
  reason             text,
  approval_deadline  timestamptz,
  payment_id         text,
  lot_id             bigint,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX purchases_workspace ON purchases (workspace_id, created_at DESC);
-- At most one auto top-up in flight per workspace: a second trigger finds this one instead.
CREATE UNIQUE INDEX purchases_auto_top_up_in_flight ON purchases (workspace_id)
  WHERE source = 'auto_top_up' AND status IN ('pending_approval', 'approved', 'paid');

-- What the default payment provider records. One invoice per purchase: a retried charge finds
-- the first one instead of charging again.
CREATE TABLE invoices (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  purchase_id      text NOT NULL UNIQUE REFERENCES purchases(id),
  workspace_id     text NOT NULL REFERENCES workspaces(id),
  amount           numeric(14, 2) NOT NULL,
  currency         text NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,
  payment_id       text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now()
);
