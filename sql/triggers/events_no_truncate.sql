-- events is append-only: it is never truncated (varde_reject_change).
CREATE OR REPLACE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION varde_reject_change();
