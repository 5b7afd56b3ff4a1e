-- A lot's size and cost basis never change once granted (migration 022): the revenue report
-- derives every movement's money from them, so changing one would rewrite history.
CREATE OR REPLACE FUNCTION credits_lot_basis_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.amount IS DISTINCT FROM OLD.amount OR NEW.price_minor IS DISTINCT FROM OLD.price_minor
     OR NEW.currency IS DISTINCT FROM OLD.currency THEN
    RAISE EXCEPTION 'lot %: its amount and cost basis are fixed when granted', OLD.id;
  END IF;
  RETURN NEW;
END $$;
