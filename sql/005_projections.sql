-- Read models, maintained only by the projector (`varde projections rebuild`
-- recreates them from the log). Every column is derived from events: no now(),
-- no defaults that differ between a live run and a rebuild, so a rebuilt
-- projection equals the live one row for row. `position` is the global
-- position of the last event that changed the row.

CREATE TABLE teams (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('kommune', 'sykehus')),
    kommunenummer  text,
    health_trust   text,
    position       bigint NOT NULL
);

CREATE TABLE gateways (
    id        uuid PRIMARY KEY,
    name      text NOT NULL,
    position  bigint NOT NULL
);

-- Gateway API keys: only the SHA-256 of the key is kept.
CREATE TABLE gateway_keys (
    key_id      text PRIMARY KEY,
    gateway_id  uuid NOT NULL,
    hash        text NOT NULL,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    position    bigint NOT NULL
);

CREATE TABLE patients (
    id                 uuid PRIMARY KEY,
    national_id        text NOT NULL,
    kommunenummer      text NOT NULL,
    program            text NOT NULL,
    kommune_team       uuid,
    sykehus_team       uuid,
    routing            text NOT NULL,
    status             text NOT NULL,
    enrolled_at        timestamptz NOT NULL,
    discharged_at      timestamptz,
    threshold_version  integer NOT NULL,
    thresholds         jsonb NOT NULL,
    latest             jsonb NOT NULL,
    devices            jsonb NOT NULL,
    version            bigint NOT NULL,
    position           bigint NOT NULL
);
CREATE INDEX patients_national_id ON patients (national_id);
CREATE INDEX patients_kommune_team ON patients (kommune_team);
CREATE INDEX patients_sykehus_team ON patients (sykehus_team);

-- Which device was bound to which patient when; resolves `deviceSerial` at a
-- reading's measured time.
CREATE TABLE device_bindings (
    serial      text NOT NULL,
    bound_at    timestamptz NOT NULL,
    patient_id  uuid NOT NULL,
    kind        text NOT NULL,
    unbound_at  timestamptz,
    position    bigint NOT NULL,
    PRIMARY KEY (serial, bound_at)
);

CREATE TABLE readings (
    event_id            uuid PRIMARY KEY,
    patient_id          uuid NOT NULL,
    kind                text NOT NULL,
    measured_at         timestamptz NOT NULL,
    received_at         timestamptz NOT NULL,
    value               jsonb NOT NULL,
    device_serial       text,
    gateway_id          uuid,
    gateway_reading_id  text NOT NULL,
    voided              boolean NOT NULL,
    position            bigint NOT NULL
);
CREATE INDEX readings_patient_kind_time ON readings (patient_id, kind, measured_at);

CREATE TABLE alerts (
    id          uuid PRIMARY KEY,
    patient_id  uuid NOT NULL,
    rule        text NOT NULL,
    severity    text NOT NULL,
    state       text NOT NULL,
    teams       uuid[] NOT NULL,
    alert       jsonb NOT NULL,
    position    bigint NOT NULL
);
CREATE INDEX alerts_patient ON alerts (patient_id);

-- Each team's feed of alert changes, in log order. (position, seq) is the
-- cursor: seq numbers the changes one event made for that team.
CREATE TABLE alert_feed (
    team_id     uuid NOT NULL,
    position    bigint NOT NULL,
    seq         integer NOT NULL,
    alert_id    uuid NOT NULL,
    patient_id  uuid NOT NULL,
    change      text NOT NULL,
    item        jsonb NOT NULL,
    PRIMARY KEY (team_id, position, seq)
);
