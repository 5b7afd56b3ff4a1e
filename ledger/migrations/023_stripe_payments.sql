-- Stripe: a workspace's Stripe customer, the purchase state that waits for the customer to pay on a
-- Stripe-hosted page, what each provider answered for a purchase, the refunds providers recorded,
-- and the Stripe events already handled (a replayed event changes nothing).
ALTER TABLE workspaces ADD COLUMN stripe_customer_id text;

-- Every purchase status: the first ones, 'awaiting_payment' (a charge the customer must complete),
-- and 'refunded' / 'partially_refunded' (refunds, also added by 022 under whatever name: every
-- earlier CHECK on status is replaced by this one).
DO $$
DECLARE c text;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
            WHERE conrelid = 'purchases'::regclass AND contype = 'c'
              AND pg_get_constraintdef(oid) LIKE '%status%'
  LOOP
    EXECUTE format('ALTER TABLE purchases DROP CONSTRAINT %I', c);
  END LOOP;
END $$;
ALTER TABLE purchases ADD CONSTRAINT purchases_status_check
  CHECK (status IN ('pending_approval', 'approved', 'awaiting_payment', 'paid', 'completed', 'rejected',
                    'expired', 'failed', 'refunded', 'partially_refunded'));

-- A purchase awaiting payment is still in flight: a second auto top-up finds it.
DROP INDEX purchases_auto_top_up_in_flight;
CREATE UNIQUE INDEX purchases_auto_top_up_in_flight ON purchases (workspace_id)
  WHERE source = 'auto_top_up' AND status IN ('pending_approval', 'approved', 'awaiting_payment', 'paid');

-- One payment per purchase: the provider's id (a PaymentIntent for Stripe), what it last said, and
-- the hosted page the customer was sent to. The webhook finds the purchase by payment_id.
CREATE TABLE payments (
  purchase_id     text PRIMARY KEY REFERENCES purchases(id),
  workspace_id    text NOT NULL REFERENCES workspaces(id),
  provider        text NOT NULL,
  payment_id      text NOT NULL UNIQUE,
  amount          numeric(14, 2) NOT NULL CHECK (amount >= 0),
  currency        text NOT NULL,
  status          text NOT NULL CHECK (status IN ('requires_action', 'succeeded', 'failed')),
  hosted_url      text,
  failure_reason  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What a provider refunded (a credit note for an invoice, a Stripe refund): one per key.
CREATE TABLE payment_refunds (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  purchase_id      text NOT NULL REFERENCES purchases(id),
  workspace_id     text NOT NULL REFERENCES workspaces(id),
  provider         text NOT NULL,
  payment_id       text NOT NULL,
  amount           numeric(14, 2) NOT NULL CHECK (amount > 0),
  currency         text NOT NULL,
  idempotency_key  text NOT NULL UNIQUE,
  refund_id        text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_refunds_purchase ON payment_refunds (purchase_id);

-- Stripe events handled, by event id: the same event delivered again is acknowledged, not redone.
CREATE TABLE stripe_events (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  purchase_id  text,
  received_at  timestamptz NOT NULL DEFAULT now()
);
