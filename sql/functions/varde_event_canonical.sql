-- The canonical encoding an event's hash covers, defined once:
--   hash = sha256(previous hash in the stream || varde_event_canonical(...))
-- the first event of a stream chaining from 32 zero bytes (see varde_append).
-- The fields are joined by newlines; `recorded_at` as microseconds since the
-- epoch, `data` and `metadata` in jsonb's text form (which PostgreSQL prints
-- deterministically). `varde verify` recomputes the same bytes in Swift from
-- the stored row (Sources/VardeStore/EventLog/HashChain.swift), independently
-- of this function, and a test holds the two equal.
--
-- STABLE, not IMMUTABLE: convert_to() is STABLE. Declared so, with every
-- operand cast to text, PostgreSQL inlines the body into the calling
-- statement (an IMMUTABLE declaration over a STABLE body cannot be inlined,
-- and was then planned once per event).
CREATE OR REPLACE FUNCTION varde_event_canonical(
    stream_id text, version bigint, event_id uuid, type text, schema_version integer,
    recorded_at timestamptz, data jsonb, metadata jsonb
) RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT convert_to(
        stream_id || E'\n' || version::text || E'\n' || event_id::text || E'\n' || type || E'\n' ||
        schema_version::text || E'\n' || ((extract(epoch FROM recorded_at) * 1000000)::bigint)::text || E'\n' ||
        data::text || E'\n' || metadata::text,
        'UTF8')
$$;
