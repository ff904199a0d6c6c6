-- access_log is append-only: no row is ever updated or deleted (varde_reject_change).
CREATE OR REPLACE TRIGGER access_log_no_update_delete
    BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION varde_reject_change();
