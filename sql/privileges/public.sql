-- PUBLIC (every role) gets nothing on the log beyond PostgreSQL's defaults:
-- no UPDATE, DELETE, TRUNCATE on the append-only tables (PostgreSQL never
-- grants them to PUBLIC; revoked here so the files say so), and no EXECUTE on
-- varde_append, which PostgreSQL grants to PUBLIC on creation: only the roles
-- of varde_runtime.sql and varde_operator.sql may append.
REVOKE UPDATE, DELETE, TRUNCATE ON events, access_log FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION varde_append(jsonb) FROM PUBLIC;
