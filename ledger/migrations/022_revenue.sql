-- Money: refunds, voids and what each credit cost (issue 28, docs/revenue.md).

-- Two new journal kinds. `refund`: a purchase's unused credits taken out of its lot because the
-- money for them goes back; `void`: what remains of a lot taken out by the operator, money kept.
ALTER TABLE journal DROP CONSTRAINT journal_kind_check;
ALTER TABLE journal ADD CONSTRAINT journal_kind_check
  CHECK (kind IN ('grant', 'debit', 'expire', 'reverse', 'adjust', 'refund', 'void'));

-- A refunded purchase: `refunded` when none of its credits had been used, `partially_refunded`
-- when only the unused part was. (Migration 023 replaces this constraint again, keeping these.)
ALTER TABLE purchases DROP CONSTRAINT purchases_status_check;
ALTER TABLE purchases ADD CONSTRAINT purchases_status_check
  CHECK (status IN ('pending_approval', 'approved', 'paid', 'completed',
                    'rejected', 'expired', 'failed', 'refunded', 'partially_refunded'));

-- Each lot's cost basis, fixed when it is granted: what the workspace paid for the whole lot, in
-- minor units (cents) of `currency`. Promotional, trial and adjustment lots cost 0. The money one
-- movement carries is derived from this and journal_lots (ledger/revenue.ts): the first c credits
-- out of a lot are worth floor(price_minor * c / amount) minor units, so a movement is worth the
-- difference of that function before and after it, and all of a lot's movements add up to its
-- price exactly. cost_per_credit is that basis as a decimal, for reading; sums never use it.
ALTER TABLE lots
  ADD COLUMN price_minor bigint NOT NULL DEFAULT 0 CHECK (price_minor >= 0),
  ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
  ADD CONSTRAINT lots_priced_in_a_currency CHECK (price_minor = 0 OR currency IS NOT NULL);
ALTER TABLE lots
  ADD COLUMN cost_per_credit numeric GENERATED ALWAYS AS (round(price_minor::numeric / 100 / amount, 12)) STORED;

-- Lots of purchases granted before this migration get the price their purchase recorded.
UPDATE lots l
   SET price_minor = round(p.price * 100)::bigint, currency = p.currency
  FROM purchases p
 WHERE p.lot_id = l.id AND p.workspace_id = l.workspace_id AND l.type = 'purchased';

-- The basis is history: a later catalog price never rewrites what a lot cost.
CREATE FUNCTION credits_lot_basis_fixed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER lots_basis_fixed BEFORE UPDATE OF amount, price_minor, currency ON lots
  FOR EACH ROW EXECUTE FUNCTION credits_lot_basis_fixed();

-- One refund per purchase (a refund takes every unused credit, so there is never a second). The
-- ledger part (entry_id: the `refund` entry, the purchase's new status) commits in one
-- transaction with this row as `pending`; the refund workflow then asks the payment provider
-- (idempotency key `refund:<purchase id>`) and marks it `refunded` with the provider's id.
CREATE TABLE refunds (
  purchase_id         text PRIMARY KEY REFERENCES purchases(id),
  workspace_id        text NOT NULL REFERENCES workspaces(id),
  lot_id              bigint NOT NULL REFERENCES lots(id),
  -- Deferred: the refund entry is written by the same transaction, after this row.
  entry_id            bigint NOT NULL REFERENCES journal(id) DEFERRABLE INITIALLY DEFERRED,
  credits             bigint NOT NULL CHECK (credits > 0),
  amount_minor        bigint NOT NULL CHECK (amount_minor >= 0),
  currency            text NOT NULL,
  status              text NOT NULL CHECK (status IN ('pending', 'refunded')),
  provider_refund_id  text,
  reason              text,
  requested_by        text,
  created_at          timestamptz NOT NULL,
  completed_at        timestamptz,
  CONSTRAINT refunds_done_has_provider_id CHECK ((status = 'refunded') = (provider_refund_id IS NOT NULL))
);
CREATE INDEX refunds_pending ON refunds (created_at) WHERE status = 'pending';
CREATE INDEX refunds_workspace ON refunds (workspace_id, created_at);

-- The revenue report reads movements by time.
CREATE INDEX journal_created ON journal (created_at);
