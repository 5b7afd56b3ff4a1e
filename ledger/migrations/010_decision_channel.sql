-- Through which channel a purchase was approved or rejected (api, slack, discord, console, mcp…).
ALTER TABLE purchase_decisions ADD COLUMN channel text NOT NULL DEFAULT 'api';
