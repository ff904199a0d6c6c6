-- The guard of the append-only tables (see triggers/): UPDATE, DELETE and
-- TRUNCATE fail for every role. Only the owner of a table (or a superuser)
-- can disable its triggers; the server's role is neither (see privileges/),
-- and `varde verify` finds damage done by anyone who did.
CREATE OR REPLACE FUNCTION varde_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'VAAPP';
END;
$$;
