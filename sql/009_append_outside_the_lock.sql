-- varde_append, second version: the same contract (see 003), less time under
-- the position lock.
--
-- * Everything that does not depend on the position (version checks, the
--   canonical encodings and the hash chain) is computed before the global
--   lock, under the stream locks, which already fix each stream's versions and
--   last hash. `recorded_at` is therefore read before the position lock: it
--   still rises with the version within a stream (the stream lock is held to
--   the end), but across streams it is only approximately in position order.
-- * Under the position lock, only positions are drawn (one block: the lock
--   holder is the only one drawing) and the rows inserted.
-- * The function's statements are planned afresh on each call. A generic plan
--   cached while `events` was small scans the whole table for the idempotency
--   check and keeps doing so as the log grows.
--
-- The caller (PGConnection.append) lets the transaction commit without
-- waiting for the disk and waits for the flush after COMMIT, so the lock is
-- released as soon as the commit is visible rather than after an fsync.
CREATE OR REPLACE FUNCTION varde_append(batch jsonb)
RETURNS TABLE (event_id uuid, stream_id text, version bigint, "position" bigint, duplicate boolean)
LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
DECLARE
    ids uuid[];
    stored integer;
    s jsonb;
    cur bigint;
    prev bytea;
    at timestamptz;
    first bigint;
    total integer;
    canon bytea[];
    s_version bigint[];
    s_id uuid[];
    s_type text[];
    s_schema integer[];
    s_data jsonb[];
    s_meta jsonb[];
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

    at := clock_timestamp();
    FOR s IN SELECT value FROM jsonb_array_elements(batch) WHERE jsonb_array_length(value->'events') > 0 LOOP
        SELECT e.version, e.hash INTO cur, prev FROM events e
        WHERE e.stream_id = s->>'stream' ORDER BY e.version DESC LIMIT 1;
        cur := coalesce(cur, 0);
        prev := coalesce(prev, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
        IF (s->>'expected')::bigint >= 0 AND (s->>'expected')::bigint <> cur THEN
            RAISE EXCEPTION 'stream version conflict'
                USING ERRCODE = 'VAVER',
                      DETAIL = json_build_object('stream', s->>'stream', 'expected', (s->>'expected')::bigint, 'actual', cur)::text;
        END IF;

        SELECT array_agg(cur + e.n ORDER BY e.n),
               array_agg((e.v->>'id')::uuid ORDER BY e.n),
               array_agg(e.v->>'type' ORDER BY e.n),
               array_agg((e.v->>'schemaVersion')::integer ORDER BY e.n),
               array_agg(e.v->'data' ORDER BY e.n),
               array_agg(e.v->'metadata' ORDER BY e.n),
               array_agg(varde_event_canonical(s->>'stream', cur + e.n, (e.v->>'id')::uuid, e.v->>'type',
                         (e.v->>'schemaVersion')::integer, at, e.v->'data', e.v->'metadata') ORDER BY e.n)
        INTO s_version, s_id, s_type, s_schema, s_data, s_meta, canon
        FROM jsonb_array_elements(s->'events') WITH ORDINALITY AS e(v, n);

        FOR i IN 1 .. cardinality(canon) LOOP
            prev := sha256(prev || canon[i]);
            o_hash := o_hash || prev;
        END LOOP;
        o_stream := o_stream || array_fill(s->>'stream', ARRAY[cardinality(canon)]);
        o_version := o_version || s_version;
        o_id := o_id || s_id;
        o_type := o_type || s_type;
        o_schema := o_schema || s_schema;
        o_data := o_data || s_data;
        o_meta := o_meta || s_meta;
    END LOOP;
    total := cardinality(o_id);

    PERFORM pg_advisory_xact_lock(1447121988, 1);  -- 'VARD', the position lock
    first := nextval('events_position_seq');
    IF total > 1 THEN
        PERFORM setval('events_position_seq', first + total - 1);
    END IF;

    INSERT INTO events (position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, hash)
    SELECT first + u.k - 1, u.st, u.v, u.i, u.t, u.sv, u.d, u.m, at, u.h
    FROM unnest(o_stream, o_version, o_id, o_type, o_schema, o_data, o_meta, o_hash)
        WITH ORDINALITY AS u(st, v, i, t, sv, d, m, h, k);

    PERFORM pg_notify('varde_events', (first + total - 1)::text);

    RETURN QUERY SELECT u.i, u.st, u.v, first + u.k - 1, false
        FROM unnest(o_id, o_stream, o_version) WITH ORDINALITY AS u(i, st, v, k);
END;
$$;
