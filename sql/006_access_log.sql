-- Who looked at or changed what ("Normen" requires that access to health data
-- is logged and can be reviewed). Append-only like the events. Reads write
-- their entry before the data is returned; changes write it in the same
-- transaction as their events.
CREATE TABLE access_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    request_id  text NOT NULL,
    subject     text NOT NULL,
    role        text NOT NULL,
    teams       uuid[] NOT NULL,
    patient_id  uuid,
    action      text NOT NULL,
    route       text NOT NULL
);
CREATE INDEX access_log_patient_at ON access_log (patient_id, at);
CREATE INDEX access_log_subject_at ON access_log (subject, at);
CREATE INDEX access_log_at ON access_log (at);

CREATE TRIGGER access_log_no_update_delete
    BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION varde_reject_change();

CREATE TRIGGER access_log_no_truncate
    BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION varde_reject_change();

REVOKE UPDATE, DELETE, TRUNCATE ON access_log FROM PUBLIC;
