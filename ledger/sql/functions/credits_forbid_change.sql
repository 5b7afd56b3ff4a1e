-- The journal is append-only: corrections are new entries (reverse, adjust), never edits.
-- Runs before every UPDATE or DELETE on journal, journal_lots and the audit log (migrations 001, 008).
CREATE OR REPLACE FUNCTION credits_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END $$;
