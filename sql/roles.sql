-- The database roles, created once per cluster by a superuser (or a role with
-- CREATEROLE) before the first `varde migrate`; not applied by `varde migrate`
-- itself, which only grants to them (privileges/). Idempotent:
--
--   psql -v ON_ERROR_STOP=1 -d postgres -f sql/roles.sql
--
-- varde_owner     owns the schema's tables and functions; `varde migrate`
--                 connects as it. Use it for nothing else.
-- varde_operator  `varde projections rebuild`, `varde verify`, `varde export`,
--                 `varde gateway …`: owns the read models, reads the log.
-- varde_runtime   `varde serve`: reads the log, appends through varde_append,
--                 maintains the read models; cannot change or remove events.
--
-- In production give each a password (ALTER ROLE … PASSWORD) or certificate
-- authentication in pg_hba.conf, then create the database owned by the owner:
--
--   CREATE DATABASE varde OWNER varde_owner;
--
-- (deploy/postgres.sh runs this file for the development clusters, whose
-- migrations run as the cluster's superuser instead of varde_owner.)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'varde_owner') THEN
        CREATE ROLE varde_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'varde_operator') THEN
        CREATE ROLE varde_operator LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'varde_runtime') THEN
        CREATE ROLE varde_runtime LOGIN;
    END IF;
END;
$$;
-- The owner hands the operator the read models (privileges/varde_operator.sql)
-- and may act on them as it does. Not the other way round: the operator is not
-- a member of the owner.
GRANT varde_operator TO varde_owner;
