-- The event log: one row per event, append-only, hash-chained per stream.
--
-- position      global order; assigned under a transaction-scoped advisory lock,
--               so positions become visible in commit order (see varde_append).
--               Aborted appends leave gaps; readers never assume there are none.
-- version       1-based, gapless within a stream; (stream_id, version) is unique.
-- hash          sha256(previous hash in the stream || canonical encoding), see
--               varde_event_canonical(); the first event chains from 32 zero bytes.
CREATE SEQUENCE events_position_seq AS bigint;

CREATE TABLE events (
    position        bigint      PRIMARY KEY,
    stream_id       text        NOT NULL,
    version         bigint      NOT NULL CHECK (version >= 1),
    event_id        uuid        NOT NULL,
    type            text        NOT NULL,
    schema_version  integer     NOT NULL CHECK (schema_version >= 1),
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    hash            bytea       NOT NULL CHECK (length(hash) = 32),
    CONSTRAINT events_stream_version UNIQUE (stream_id, version),
    CONSTRAINT events_event_id UNIQUE (event_id)
);

CREATE INDEX events_type_position ON events (type, position);
