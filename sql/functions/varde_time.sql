-- Instants in JSON the server builds: RFC 3339, UTC, milliseconds, the same
-- form as event bodies (2026-11-23T08:00:00.000Z).
CREATE OR REPLACE FUNCTION varde_time(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
