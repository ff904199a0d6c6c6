import Foundation
import VardeCore

extension ProjectionPage {
    /// Writes the page, one statement per table: rows that later pages change
    /// (teams, keys, patients, bindings, alerts) are upserted from a JSON array
    /// (`jsonb_to_recordset`); readings and feed entries go in by COPY.
    func write(_ c: PGConnection) throws {
        try copy(c)
        let statements = statements
        if !statements.isEmpty { try c.pipeline(statements) }
    }

    /// The teams of the page's feed entries, or `*` when they would not fit
    /// in a notification (8,000 bytes): then every poll looks.
    static func feedPayload(_ feed: [Rows.Feed]) -> String {
        let teams = Set(feed.map(\.team_id))
        guard teams.count <= 150 else { return "*" }
        return teams.map(\.lowercasedText).sorted().joined(separator: ",")
    }

    /// The tables `copy` fills.
    static let copiedTables = ["readings", "alert_feed"]

    /// The COPYs: readings and feed entries. They go first; `statements`
    /// (which may void a reading of the same page) after them.
    func copy(_ c: PGConnection) throws {
        // Readings and feed entries are only ever inserted, each once: a page is
        // written in the transaction that moves its checkpoint, so it is never
        // written twice (a clash would fail the page, not go unnoticed).
        if !readings.isEmpty {
            var copy = CopyBinary(capacity: readings.count * 260)
            for reading in readings.values { reading.write(to: &copy) }
            try c.copyIn("COPY readings (\(Rows.Reading.columns)) FROM STDIN (FORMAT binary)", copy.finished)
        }
        if !feed.isEmpty {
            var copy = CopyBinary(capacity: feed.count * 800)
            for entry in feed { entry.write(to: &copy) }
            try c.copyIn("COPY alert_feed (\(Rows.Feed.columns)) FROM STDIN (FORMAT binary)", copy.finished)
        }
    }

    /// The upserts and updates, in order, for one pipeline.
    var statements: [PGConnection.Statement] {
        var out: [PGConnection.Statement] = []
        if !teams.isEmpty {
            out.append(
                .init(
                    """
                    INSERT INTO teams SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                        id uuid, name text, kind text, kommunenummer text, health_trust text, position bigint)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                        kommunenummer = excluded.kommunenummer, health_trust = excluded.health_trust, position = excluded.position
                    """, [Rows.json(teams)]))
        }
        if !gateways.isEmpty {
            out.append(
                .init(
                    """
                    INSERT INTO gateways (id, name, teams, position)
                    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, teams uuid[], position bigint)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, teams = excluded.teams, position = excluded.position
                    """, [Rows.json(Array(gateways.values))]))
        }
        for (gateway, assigned) in gatewayTeams {
            out.append(
                .init(
                    "UPDATE gateways SET teams = $2::uuid[], position = $3 WHERE id = $1",
                    [gateway, PGArray.uuid(assigned.teams), assigned.position]))
        }
        if !keys.isEmpty {
            out.append(
                .init(
                    """
                    INSERT INTO gateway_keys SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                        key_id text, gateway_id uuid, hash text, created_at timestamptz, revoked_at timestamptz, position bigint)
                    ON CONFLICT (key_id) DO UPDATE SET revoked_at = excluded.revoked_at, position = excluded.position
                    """, [Rows.json(Array(keys.values))]))
        }
        for (key, revocation) in revoked {
            out.append(
                .init(
                    "UPDATE gateway_keys SET revoked_at = $2, position = $3 WHERE key_id = $1",
                    [key, revocation.at, revocation.position]))
        }
        if !revoked.isEmpty || keys.values.contains(where: { $0.revoked_at != nil }) || !gatewayTeams.isEmpty
            || gateways.values.contains(where: { !$0.teams.isEmpty })
        {
            // Every instance forgets the keys it has checked (GatewayKeyCache, which
            // also holds each gateway's teams), at commit.
            out.append(.init("SELECT pg_notify('varde_gateway_keys', current_schema())"))
        }
        if !patients.isEmpty {
            out.append(
                .init(
                    """
                    INSERT INTO patients SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                        id uuid, national_id text, kommunenummer text, program text, kommune_team uuid, sykehus_team uuid,
                        routing text, status text, enrolled_at timestamptz, discharged_at timestamptz, threshold_version integer,
                        thresholds jsonb, latest jsonb, devices jsonb, version bigint, position bigint, identifiers jsonb)
                    ON CONFLICT (id) DO UPDATE SET national_id = excluded.national_id, kommunenummer = excluded.kommunenummer,
                        program = excluded.program, kommune_team = excluded.kommune_team, sykehus_team = excluded.sykehus_team,
                        routing = excluded.routing, status = excluded.status, enrolled_at = excluded.enrolled_at,
                        discharged_at = excluded.discharged_at, threshold_version = excluded.threshold_version,
                        thresholds = excluded.thresholds, latest = excluded.latest, devices = excluded.devices,
                        version = excluded.version, position = excluded.position, identifiers = excluded.identifiers
                    """, [Rows.json(Array(patients.values))]))
        }
        if !rebindPatients.isEmpty {
            out.append(
                .init(
                    "DELETE FROM device_bindings WHERE patient_id = ANY($1::uuid[])",
                    ["{" + rebindPatients.keys.map { $0.lowercasedText }.joined(separator: ",") + "}"]))
            out.append(
                .init(
                    """
                    INSERT INTO device_bindings SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                        serial text, bound_at timestamptz, patient_id uuid, kind text, unbound_at timestamptz, position bigint,
                        identifiers jsonb)
                    ON CONFLICT (serial, bound_at) DO UPDATE SET patient_id = excluded.patient_id, kind = excluded.kind,
                        unbound_at = excluded.unbound_at, position = excluded.position, identifiers = excluded.identifiers
                    """, [Rows.json(bindings)]))
        }
        if !feed.isEmpty {
            // At commit, every instance wakes the long polls of these teams (FeedSignals).
            out.append(.init("SELECT pg_notify('varde_feed', current_schema() || ':' || $1)", [Self.feedPayload(feed)]))
        }
        for (reading, position) in voided {
            out.append(
                .init(
                    "UPDATE readings SET voided = true, position = $2 WHERE event_position = (\(ReadSession.readingPosition)) AND event_id = $1",
                    [reading, position]))
        }
        if !alerts.isEmpty {
            out.append(
                .init(
                    """
                    INSERT INTO alerts SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                        id uuid, patient_id uuid, rule text, severity text, state text, teams uuid[], alert jsonb, position bigint)
                    ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, state = excluded.state, teams = excluded.teams,
                        alert = excluded.alert, position = excluded.position
                    """, [Rows.json(Array(alerts.values))]))
        }
        return out
    }
}
