import Foundation
import VardeStore

/// Read-model queries for patients, returning JSON built by PostgreSQL.
enum PatientQueries {
    /// The nurse's view of one patient (readings measured since `recentDays` before `now`, as
    /// `PatientView.recent`: no upper bound, so a reading slightly ahead of the server clock shows).
    static func view(_ c: PGConnection, id: UUID, now: Date, recentDays: Int = 30) throws -> String? {
        let result = try c.query("""
            SELECT jsonb_build_object(
                'id', p.id, 'nationalId', p.national_id, 'kommunenummer', p.kommunenummer, 'program', p.program,
                'status', p.status, 'teams', jsonb_strip_nulls(jsonb_build_object('kommune', p.kommune_team, 'sykehus', p.sykehus_team)),
                'routing', p.routing, 'enrolledAt', varde_time(p.enrolled_at), 'dischargedAt', varde_time(p.discharged_at),
                'thresholds', p.thresholds, 'thresholdVersion', p.threshold_version, 'devices', p.devices,
                'latest', p.latest, 'version', p.version,
                'openAlerts', coalesce((SELECT jsonb_agg(a.alert ORDER BY a.alert->>'raisedAt', a.id)
                                        FROM alerts a WHERE a.patient_id = p.id AND a.state <> 'resolved'), '[]'::jsonb),
                'recent', coalesce((SELECT jsonb_object_agg(k.kind, k.points) FROM (
                        SELECT r.kind, jsonb_agg(jsonb_build_object('readingId', r.event_id, 'value', r.value,
                                                 'measuredAt', varde_time(r.measured_at)) ORDER BY r.measured_at, r.event_id) AS points
                        FROM readings r WHERE r.patient_id = p.id AND NOT r.voided
                          AND r.measured_at >= $2::timestamptz - make_interval(days => $3)
                        GROUP BY r.kind) k), '{}'::jsonb)
            )::text FROM patients p WHERE p.id = $1
            """, [id, now, recentDays])
        return result.rowCount == 1 ? result.string(0, 0) : nil
    }

    /// Short summaries (worklists, search results).
    static let summaryColumns = """
        jsonb_build_object('id', p.id, 'kommunenummer', p.kommunenummer, 'program', p.program, 'status', p.status,
            'teams', jsonb_strip_nulls(jsonb_build_object('kommune', p.kommune_team, 'sykehus', p.sykehus_team)),
            'latest', p.latest, 'dischargedAt', varde_time(p.discharged_at),
            'openAlerts', (SELECT count(*) FROM alerts a WHERE a.patient_id = p.id AND a.state <> 'resolved'))
        """
}
