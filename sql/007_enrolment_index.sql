-- Enrolment checks, inside the enrolling transaction and under an advisory
-- lock on the identifier, that no active enrolment exists for the same
-- national identifier; this index keeps that check cheap without waiting for
-- the projector.
CREATE INDEX events_enrolled_national_id ON events ((data->>'nationalId')) WHERE type = 'PatientEnrolled';
