-- Chat notifications delivered by the Slack and Discord bots. A notification id is delivered at
-- most once per channel: a retried notification finds its row and posts nothing. A row in state
-- 'sending' is a claim; one older than its lease is taken over (the sender crashed mid-post).
CREATE TABLE bot_deliveries (
  notification_id  text NOT NULL,
  platform         text NOT NULL CHECK (platform IN ('slack', 'discord')),
  channel          text NOT NULL,
  state            text NOT NULL CHECK (state IN ('sending', 'sent')),
  message_id       text,
  claimed_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  PRIMARY KEY (notification_id, platform, channel)
);

-- The chat message that shows a purchase's approval request, so later updates (approved, paid,
-- completed, rejected…) edit that message instead of posting a new one.
CREATE TABLE bot_purchase_messages (
  purchase_id   text NOT NULL,
  platform      text NOT NULL CHECK (platform IN ('slack', 'discord')),
  channel       text NOT NULL,
  message_id    text NOT NULL,
  workspace_id  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (purchase_id, platform, channel)
);
