-- The canonical encoding an event's hash covers. `varde verify` recomputes the
-- same bytes in Swift from the stored row (jsonb's text form is deterministic).
CREATE FUNCTION varde_event_canonical(
    stream_id text, version bigint, event_id uuid, type text, schema_version integer,
    recorded_at timestamptz, data jsonb, metadata jsonb
) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT convert_to(
        stream_id || E'\n' || version || E'\n' || event_id || E'\n' || type || E'\n' ||
        schema_version || E'\n' || (extract(epoch FROM recorded_at) * 1000000)::bigint || E'\n' ||
        data::text || E'\n' || metadata::text,
        'UTF8')
$$;

-- Appends a batch of events to one or more streams, atomically.
--
-- batch: [{"stream": text, "expected": -1 (any) | 0 (no stream) | n (exact),
--          "events": [{"id", "type", "schemaVersion", "data", "metadata"}]}]
--
-- 1. Idempotency: when every event id of the batch is already stored, the
--    original rows are returned (duplicate = true) and nothing is written. A
--    batch mixing stored and new ids is refused (SQLSTATE VADUP).
-- 2. Stream locks are taken in sorted order (no deadlocks between batches), then
--    each stream's version is checked (SQLSTATE VAVER on mismatch).
-- 3. Ordering: a global transaction-scoped advisory lock is taken *last*, and
--    positions are drawn from the sequence under it. The lock is held until the
--    transaction ends, and PostgreSQL makes a commit visible before it releases
--    locks, so a transaction can only draw positions after every transaction
--    holding lower positions has committed (or aborted, leaving a gap). A reader
--    following `position` in order therefore never skips an event. The caller
--    must make this the last statement before COMMIT to keep the lock short.
CREATE FUNCTION varde_append(batch jsonb)
RETURNS TABLE (event_id uuid, stream_id text, version bigint, "position" bigint, duplicate boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    ids uuid[];
    stored integer;
    s jsonb;
    ev jsonb;
    cur bigint;
    expected bigint;
    prev bytea;
    at timestamptz;
    pos bigint;
    canon bytea;
    o_pos bigint[] := '{}';
    o_stream text[] := '{}';
    o_version bigint[] := '{}';
    o_id uuid[] := '{}';
    o_type text[] := '{}';
    o_schema integer[] := '{}';
    o_data jsonb[] := '{}';
    o_meta jsonb[] := '{}';
    o_hash bytea[] := '{}';
BEGIN
    SELECT array_agg((e->>'id')::uuid) INTO ids
    FROM jsonb_array_elements(batch) b, jsonb_array_elements(b->'events') e;
    IF ids IS NULL THEN
        RETURN;
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended(x.stream, 0))
    FROM (SELECT DISTINCT b->>'stream' AS stream FROM jsonb_array_elements(batch) b ORDER BY 1) x;

    SELECT count(*) INTO stored FROM events e WHERE e.event_id = ANY (ids);
    IF stored = cardinality(ids) THEN
        RETURN QUERY
            SELECT e.event_id, e.stream_id, e.version, e.position, true
            FROM events e JOIN unnest(ids) WITH ORDINALITY AS u(id, n) ON e.event_id = u.id
            ORDER BY u.n;
        RETURN;
    ELSIF stored > 0 THEN
        RAISE EXCEPTION 'batch mixes % stored event ids with new ones', stored USING ERRCODE = 'VADUP';
    END IF;

    IF (SELECT count(*) <> count(DISTINCT b->>'stream') FROM jsonb_array_elements(batch) b) THEN
        RAISE EXCEPTION 'a stream may appear only once in a batch' USING ERRCODE = '22023';
    END IF;

    -- Check every stream before taking the global lock.
    FOR s IN SELECT value FROM jsonb_array_elements(batch) LOOP
        SELECT e.version INTO cur FROM events e
        WHERE e.stream_id = s->>'stream' ORDER BY e.version DESC LIMIT 1;
        cur := coalesce(cur, 0);
        expected := (s->>'expected')::bigint;
        IF expected >= 0 AND expected <> cur THEN
            RAISE EXCEPTION 'stream version conflict'
                USING ERRCODE = 'VAVER',
                      DETAIL = json_build_object('stream', s->>'stream', 'expected', expected, 'actual', cur)::text;
        END IF;
    END LOOP;

    PERFORM pg_advisory_xact_lock(1447121988, 1);  -- 'VARD', the position lock
    at := clock_timestamp();

    FOR s IN SELECT value FROM jsonb_array_elements(batch) LOOP
        SELECT e.version, e.hash INTO cur, prev FROM events e
        WHERE e.stream_id = s->>'stream' ORDER BY e.version DESC LIMIT 1;
        cur := coalesce(cur, 0);
        prev := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
        FOR ev IN SELECT value FROM jsonb_array_elements(s->'events') LOOP
            cur := cur + 1;
            pos := nextval('events_position_seq');
            canon := varde_event_canonical(s->>'stream', cur, (ev->>'id')::uuid, ev->>'type',
                (ev->>'schemaVersion')::integer, at, ev->'data', ev->'metadata');
            prev := sha256(prev || canon);
            o_pos := o_pos || pos;
            o_stream := o_stream || (s->>'stream');
            o_version := o_version || cur;
            o_id := o_id || (ev->>'id')::uuid;
            o_type := o_type || (ev->>'type');
            o_schema := o_schema || (ev->>'schemaVersion')::integer;
            o_data := o_data || (ev->'data');
            o_meta := o_meta || (ev->'metadata');
            o_hash := o_hash || prev;
        END LOOP;
    END LOOP;

    INSERT INTO events (position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, hash)
    SELECT u.p, u.st, u.v, u.i, u.t, u.sv, u.d, u.m, at, u.h
    FROM unnest(o_pos, o_stream, o_version, o_id, o_type, o_schema, o_data, o_meta, o_hash)
        AS u(p, st, v, i, t, sv, d, m, h);

    PERFORM pg_notify('varde_events', pos::text);

    RETURN QUERY SELECT u.i, u.st, u.v, u.p, false
        FROM unnest(o_id, o_stream, o_version, o_pos) AS u(i, st, v, p);
END;
$$;
