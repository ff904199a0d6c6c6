-- varde_operator: the role of the operator's commands that rebuild or check
-- what is derived from the log, `varde projections rebuild` and `varde verify`
-- (which create a scratch schema, load the read models into it, and swap them
-- in or compare), and of `varde export`, `varde gateway …`.
--
-- * It owns the read-model tables (they are derived; a rebuild drops them and
--   moves its own in), with CREATE on the schema (to move them in) and on the
--   database (for the scratch schema), where the migrating role may grant it.
-- * On the log it may read, and append only as the server does: through
--   varde_append, and an access-log entry of its own (export writes one). It
--   owns neither `events` nor `access_log`, so it cannot disable their guards.
--
-- Roles are the cluster's (sql/roles.sql creates them); when varde_operator
-- does not exist this file grants nothing. The migrating role must be a member
-- of varde_operator (sql/roles.sql: GRANT varde_operator TO varde_owner) to
-- hand it the read models. Re-applied by every `varde migrate`.
DO $$
DECLARE
    t text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'varde_operator') THEN
        RAISE NOTICE 'role varde_operator does not exist: no grants to it (see sql/roles.sql)';
        RETURN;
    END IF;
    IF NOT pg_has_role(current_user, 'varde_operator', 'MEMBER') THEN
        RAISE EXCEPTION '% must be a member of varde_operator to give it the read models', current_user
            USING HINT = 'GRANT varde_operator TO ' || quote_ident(current_user);
    END IF;
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO varde_operator', current_schema());
    IF has_database_privilege(current_database(), 'CREATE WITH GRANT OPTION') THEN
        EXECUTE format('GRANT CREATE ON DATABASE %I TO varde_operator', current_database());
    END IF;

    REVOKE ALL ON events, access_log, events_position_seq, access_log_id_seq FROM varde_operator;
    GRANT SELECT ON events TO varde_operator;
    GRANT SELECT, INSERT ON access_log TO varde_operator;
    GRANT USAGE ON SEQUENCE access_log_id_seq TO varde_operator;
    GRANT EXECUTE ON FUNCTION varde_append(jsonb) TO varde_operator;
    GRANT SELECT, INSERT, UPDATE, DELETE ON subscriptions TO varde_operator;
    GRANT SELECT ON schema_migrations, schema_objects TO varde_operator;
    GRANT SELECT, INSERT, DELETE ON projection_skips TO varde_operator;

    FOREACH t IN ARRAY ARRAY['teams', 'gateways', 'gateway_keys', 'patients', 'device_bindings', 'readings', 'alerts', 'alert_feed'] LOOP
        EXECUTE format('ALTER TABLE %I OWNER TO varde_operator', t);
    END LOOP;
END;
$$;
