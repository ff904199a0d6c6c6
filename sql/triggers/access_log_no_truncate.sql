-- access_log is append-only: it is never truncated (varde_reject_change).
CREATE OR REPLACE TRIGGER access_log_no_truncate
    BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION varde_reject_change();
