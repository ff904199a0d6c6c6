-- Events the projector passes over by an operator's decision (`varde
-- projections skip`): one event that no deployed version can read must not
-- stall every read model. The event stays in the log, untouched and verified
-- by its hash chain; deleting the row (after deploying a version that reads
-- it) and rebuilding projects it. Who decided, why and when stays here.
CREATE TABLE projection_skips (
    position    bigint PRIMARY KEY,
    event_id    uuid NOT NULL,
    reason      text NOT NULL CHECK (reason <> ''),
    decided_by  text NOT NULL,
    decided_at  timestamptz NOT NULL DEFAULT now()
);
