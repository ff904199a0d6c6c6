-- events is append-only: no row is ever updated or deleted (varde_reject_change).
CREATE OR REPLACE TRIGGER events_no_update_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION varde_reject_change();
