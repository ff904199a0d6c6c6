-- A reading's row is keyed by the position of its ReadingRecorded event, not
-- by its event id. Reading event ids are uuid5 of the gateway's reading id, so
-- inserts keyed by them landed on random pages of the index, and after every
-- checkpoint the first change of each such page wrote the whole page to the
-- WAL (docs/benchmarks.md, "Soak"). Positions grow, so inserts now append at
-- the index's right edge. A lookup by event id goes through events_event_id.
ALTER TABLE readings ADD COLUMN event_position bigint;
UPDATE readings r SET event_position = e.position FROM events e WHERE e.event_id = r.event_id;
ALTER TABLE readings ALTER COLUMN event_position SET NOT NULL;
ALTER TABLE readings DROP CONSTRAINT readings_pkey;
ALTER TABLE readings ADD CONSTRAINT readings_pkey PRIMARY KEY (event_position);
