-- Append-only, enforced by the database: UPDATE, DELETE and TRUNCATE fail for
-- every role that does not first disable the triggers (only the table owner or
-- a superuser can, and `varde verify` will then find the damage).
CREATE FUNCTION varde_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'VAAPP';
END;
$$;

CREATE TRIGGER events_no_update_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION varde_reject_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION varde_reject_change();

REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC;
