-- Appends a batch of events to one or more streams, atomically.
--
-- batch: [{"stream": text, "expected": -1 (any) | 0 (no stream) | n (exact),
--          "events": [{"id", "type", "schemaVersion", "data", "metadata"}]}]
-- returns one row per event: (event_id, stream_id, version, position, duplicate).
--
-- 1. Idempotency: when every event id of the batch is already stored, the
--    original rows are returned (duplicate = true) and nothing is written. A
--    batch mixing stored and new ids is refused (SQLSTATE VADUP). A stream may
--    appear only once in a batch (22023).
-- 2. Stream locks are taken in sorted order (no deadlocks between batches), then
--    each stream's version is checked (SQLSTATE VAVER on mismatch, with the
--    stream, expected and actual version as JSON in DETAIL).
-- 3. Everything that does not depend on the position (version checks, the
--    canonical encodings of varde_event_canonical, the hash chain) is computed
--    under the stream locks, which fix each stream's versions and last hash;
--    `recorded_at` is read there too, so it rises with the version within a
--    stream but across streams is only approximately in position order.
-- 4. Ordering: a global transaction-scoped advisory lock is taken *last*, and
--    positions are drawn from the sequence under it, as one block. The lock is
--    held until the transaction ends, and PostgreSQL makes a commit visible
--    before it releases locks, so a transaction can only draw positions after
--    every transaction holding lower positions has committed (or aborted,
--    leaving a gap). A reader following `position` in order therefore never
--    skips an event. The caller (PGConnection.append) makes this the last
--    statement before COMMIT, lets the commit not wait for the disk and waits
--    for the flush after it, so the lock is held only until the commit is
--    visible.
--
-- Work per call (measured with pg_stat_statements on `varde-bench ingest`):
-- every stream's tail, versions and encodings come from two set-based
-- statements for the whole batch, whatever the number of streams; the hashes
-- are chained in one loop over plain arrays; PostgreSQL caches the plans of
-- the statements, except the idempotency check, whose plan depends on the size
-- of `events` and on the ids: it is planned on each call (EXECUTE), so it never
-- goes stale as the log grows. The tail lookup follows the (stream_id, version)
-- index.
--
-- SECURITY DEFINER: the function runs as the owner of `events`, so the
-- server's role (varde_runtime) appends only through it: it has EXECUTE on
-- this function and SELECT on `events`, but neither INSERT on `events` nor
-- any right on `events_position_seq` (see privileges/). Rows can enter the log
-- only with a version, position and hash computed here, under the locks. The
-- function's search_path is pinned to the schema it was created in, pg_temp
-- last, so no caller can substitute a table or function of its own.
CREATE OR REPLACE FUNCTION varde_append(batch jsonb)
RETURNS TABLE (event_id uuid, stream_id text, version bigint, "position" bigint, duplicate boolean)
LANGUAGE plpgsql
SECURITY DEFINER
SET plan_cache_mode = auto
AS $$
#variable_conflict use_column
DECLARE
    ids uuid[];
    stored integer;
    at timestamptz;
    first bigint;
    total integer;
    t_stream text[];
    t_expected bigint[];
    t_current bigint[];
    t_head bytea[];
    t_events jsonb[];
    o_stream text[];
    o_version bigint[];
    o_id uuid[];
    o_type text[];
    o_schema integer[];
    o_data jsonb[];
    o_meta jsonb[];
    o_head bytea[];
    o_canon bytea[];
    o_hash bytea[];
    prev bytea;
BEGIN
    SELECT array_agg((e->>'id')::uuid) INTO ids
    FROM jsonb_array_elements(batch) b, jsonb_array_elements(b->'events') e;
    IF ids IS NULL THEN
        RETURN;
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended(x.stream, 0))
    FROM (SELECT DISTINCT b->>'stream' AS stream FROM jsonb_array_elements(batch) b ORDER BY 1) x;

    EXECUTE 'SELECT count(*) FROM events WHERE event_id = ANY ($1)' INTO stored USING ids;
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

    -- Each stream with events: its expectation, current version and last hash.
    SELECT array_agg(b.v->>'stream' ORDER BY b.n),
           array_agg((b.v->>'expected')::bigint ORDER BY b.n),
           array_agg(coalesce(t.version, 0) ORDER BY b.n),
           array_agg(coalesce(t.hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) ORDER BY b.n),
           array_agg(b.v->'events' ORDER BY b.n)
    INTO t_stream, t_expected, t_current, t_head, t_events
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS b(v, n)
    LEFT JOIN LATERAL (
        SELECT e.version, e.hash FROM events e
        WHERE e.stream_id = b.v->>'stream' ORDER BY e.version DESC LIMIT 1
    ) t ON true
    WHERE jsonb_array_length(b.v->'events') > 0;

    FOR i IN 1 .. cardinality(t_stream) LOOP
        IF t_expected[i] >= 0 AND t_expected[i] <> t_current[i] THEN
            RAISE EXCEPTION 'stream version conflict'
                USING ERRCODE = 'VAVER',
                      DETAIL = json_build_object('stream', t_stream[i], 'expected', t_expected[i], 'actual', t_current[i])::text;
        END IF;
    END LOOP;

    -- Every event of the batch, streams in batch order: its version, columns
    -- and canonical encoding (varde_event_canonical, inlined by the planner),
    -- and for the first
    -- event of each stream the hash it chains from. Sorted once, below, and
    -- aggregated in that order (rather than one sort per aggregate).
    SELECT array_agg(x.stream), array_agg(x.version), array_agg(x.id), array_agg(x.type), array_agg(x.schema),
           array_agg(x.data), array_agg(x.meta), array_agg(x.head),
           array_agg(varde_event_canonical(x.stream, x.version, x.id, x.type, x.schema, at, x.data, x.meta))
    INTO o_stream, o_version, o_id, o_type, o_schema, o_data, o_meta, o_head, o_canon
    FROM (
        SELECT s.stream, s.cur + e.k AS version, (e.v->>'id')::uuid AS id, e.v->>'type' AS type,
               (e.v->>'schemaVersion')::integer AS schema, e.v->'data' AS data, e.v->'metadata' AS meta,
               CASE WHEN e.k = 1 THEN s.head END AS head
        FROM unnest(t_stream, t_current, t_head, t_events) WITH ORDINALITY AS s(stream, cur, head, events, n),
             jsonb_array_elements(s.events) WITH ORDINALITY AS e(v, k)
        ORDER BY s.n, e.k
    ) x;
    total := cardinality(o_id);

    o_hash := o_canon;
    FOR i IN 1 .. total LOOP
        IF o_head[i] IS NOT NULL THEN
            prev := o_head[i];
        END IF;
        prev := sha256(prev || o_canon[i]);
        o_hash[i] := prev;
    END LOOP;

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

-- The search path is the schema migrated (set here, not written in the
-- function, so the same file serves every schema: `public`, a test schema).
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION varde_append(jsonb) SET search_path = %I, pg_temp', current_schema());
END;
$$;
