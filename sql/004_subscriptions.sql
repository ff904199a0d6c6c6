-- Checkpoints of named subscribers (projector, sweeps, external consumers).
-- A subscriber updates its row in the same transaction as the work it did for
-- the events up to `position`, so each event takes effect exactly once.
CREATE TABLE subscriptions (
    name        text        PRIMARY KEY,
    position    bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
