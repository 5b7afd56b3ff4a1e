-- Which key made a key (null when the operator or a person in the console did). A key made by a
-- key lives no longer than its maker: revoking the maker, or its member losing the approver
-- role, revokes what it made (ledger/api-keys.ts), and authentication refuses a key whose chain
-- of makers is no longer alive.
ALTER TABLE api_keys ADD COLUMN created_by_key text REFERENCES api_keys (id);
CREATE INDEX api_keys_created_by_key ON api_keys (created_by_key) WHERE created_by_key IS NOT NULL;
