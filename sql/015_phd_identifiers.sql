-- Identifiers outside systems know patients and devices by: a PHD gateway's
-- own patient id a clinician registered (PatientIdentifiersChanged), a
-- device's EUI-64 system id or Bluetooth address given when it was bound
-- (DeviceBound.identifiers). A gateway's conditional creates
-- (ifNoneExist=identifier=system|value) are resolved through them. Arrays of
-- {"system","value"} objects, searched by containment.
ALTER TABLE patients ADD COLUMN identifiers jsonb NOT NULL DEFAULT '[]';
CREATE INDEX patients_identifiers ON patients USING gin (identifiers jsonb_path_ops);
ALTER TABLE device_bindings ADD COLUMN identifiers jsonb NOT NULL DEFAULT '[]';
CREATE INDEX device_bindings_identifiers ON device_bindings USING gin (identifiers jsonb_path_ops);

-- Registering an identifier checks the log, under an advisory lock on it,
-- that no other active patient or bound device holds it (the read models
-- may lag); these keep those checks cheap.
CREATE INDEX events_device_identifiers ON events USING gin ((data->'identifiers') jsonb_path_ops) WHERE type = 'DeviceBound';
CREATE INDEX events_patient_identifiers ON events USING gin ((data->'identifiers') jsonb_path_ops)
    WHERE type = 'PatientIdentifiersChanged';
