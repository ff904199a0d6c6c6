-- varde_runtime: the role `varde serve` connects as. What the server and its
-- projector, listener and sweep need, and no more:
--
-- * the log: SELECT on `events`, appends through varde_append only (EXECUTE;
--   a SECURITY DEFINER function, see functions/varde_append.sql), so no
--   INSERT on `events` and no right on its position sequence; SELECT and
--   INSERT on `access_log`. No UPDATE, DELETE, TRUNCATE anywhere on either,
--   and no ownership, so it cannot disable the guard triggers.
-- * the read models and checkpoints, which the projector maintains: SELECT,
--   INSERT, UPDATE, DELETE (no TRUNCATE, no DDL).
-- * `schema_migrations`, read by /readyz; `projection_skips`, read by the
--   projector when an event does not decode.
-- * the web app's sessions and pending sign-ins (016), which the server
--   creates, slides, ends and purges: SELECT, INSERT, UPDATE, DELETE.
-- * TEMPORARY tables (GET /v1/audit/verify?patient= replays into them) come
--   from PostgreSQL's default TEMP grant to PUBLIC on the database.
--
-- When varde_runtime does not exist this file grants nothing (see
-- sql/roles.sql). Re-applied by every `varde migrate`, and written so that
-- applying it makes the grants exactly these on the log.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'varde_runtime') THEN
        RAISE NOTICE 'role varde_runtime does not exist: no grants to it (see sql/roles.sql)';
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO varde_runtime', current_schema());

    REVOKE ALL ON events, access_log, events_position_seq, access_log_id_seq FROM varde_runtime;
    GRANT SELECT ON events TO varde_runtime;
    GRANT SELECT, INSERT ON access_log TO varde_runtime;
    GRANT USAGE ON SEQUENCE access_log_id_seq TO varde_runtime;
    GRANT EXECUTE ON FUNCTION varde_append(jsonb) TO varde_runtime;

    GRANT SELECT, INSERT, UPDATE, DELETE
        ON teams, gateways, gateway_keys, patients, device_bindings, readings, alerts, alert_feed, subscriptions
        TO varde_runtime;
    GRANT SELECT ON schema_migrations, projection_skips TO varde_runtime;
    GRANT SELECT, INSERT, UPDATE, DELETE ON web_sessions, web_logins TO varde_runtime;
END;
$$;
