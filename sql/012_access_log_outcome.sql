-- Attempts are logged too (Normen): a read refused outside the caller's teams
-- (`denied`, answered 404), a role refused an operation (`forbidden`, 403),
-- patients left out of a search's answer (`filtered`), a reading refused for
-- a patient (`refused`). Earlier entries were all of allowed accesses.
ALTER TABLE access_log ADD COLUMN outcome text NOT NULL DEFAULT 'allowed'
    CHECK (outcome IN ('allowed', 'denied', 'forbidden', 'filtered', 'refused'));
