-- varde_append, third version: the same contract (see 003) and the same short
-- position lock (see 009), with far less work per event and per stream.
--
-- Measured on 009 (pg_stat_statements, `varde bench ingest`): most of a call
-- went to planning. `varde_event_canonical` is declared IMMUTABLE but its body
-- is only STABLE (`||` on non-text operands), so PostgreSQL cannot inline it
-- and planned its body once per event; and the per-stream statements were
-- planned afresh for every stream (`plan_cache_mode = force_custom_plan`).
-- This version:
-- * computes every stream's tail, versions and canonical encodings in two
--   set-based statements for the whole batch, whatever the number of streams,
--   with the canonical encoding written out inline (the same bytes as
--   `varde_event_canonical`, which stays as the reference);
-- * chains the hashes in one loop over plain arrays;
-- * lets PostgreSQL cache the plans of its statements, except the
--   idempotency check: its plan depends on the size of `events` and on the
--   ids, so it is planned on each call (EXECUTE) and never goes stale as the
--   log grows. The tail lookup follows the (stream_id, version) index.
CREATE OR REPLACE FUNCTION varde_append(batch jsonb)
RETURNS TABLE (event_id uuid, stream_id text, version bigint, "position" bigint, duplicate boolean)
LANGUAGE plpgsql
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
    -- and canonical encoding (as varde_event_canonical), and for the first
    -- event of each stream the hash it chains from. Sorted once, below, and
    -- aggregated in that order (rather than one sort per aggregate).
    SELECT array_agg(x.stream), array_agg(x.version), array_agg(x.id), array_agg(x.type), array_agg(x.schema),
           array_agg(x.data), array_agg(x.meta), array_agg(x.head),
           array_agg(convert_to(
               x.stream || E'\n' || x.version::text || E'\n' || x.id::text || E'\n' || x.type || E'\n' ||
               x.schema::text || E'\n' || ((extract(epoch FROM at) * 1000000)::bigint)::text || E'\n' ||
               x.data::text || E'\n' || x.meta::text,
               'UTF8'))
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
