-- Who looked at or changed what ("Normen" requires that access to health data
-- is logged and can be reviewed). Append-only like the events: the guards are
-- triggers/access_log_no_*.sql, the grants privileges/. Reads write their
-- entry before the data is returned; changes write it in the same transaction
-- as their events.
--
-- As first applied, this migration also created the two guard triggers and
-- revoked UPDATE, DELETE, TRUNCATE from PUBLIC; those statements moved to
-- triggers/ and privileges/, which `varde migrate` applies after the numbered
-- migrations, so a database that ran the earlier text ends in the same state.
-- The runner accepts that text's checksum for this migration:
-- varde:replaces 6fee16eafdec496d45cc419304e989a4e9a58aa7ef531fda0e0579461874cec8
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
