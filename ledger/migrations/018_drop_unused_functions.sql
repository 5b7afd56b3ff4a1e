-- credits_debit_batch (migrations 006 and 007) debited one workspace per call. Since the
-- set-based credits_debit_multi (migration 014) no production code, bench or pgbench script calls
-- it, so it goes instead of being kept and tested. Nothing else was used by it alone:
-- credits_iso, which it called, serves the other functions.
--
-- From here on the functions' current definitions live in ledger/sql/functions/, applied after the
-- numbered migrations (ledger/sql/README.md); numbered migrations hold schema and data changes.
DROP FUNCTION credits_debit_batch(text, timestamptz, jsonb, jsonb);
