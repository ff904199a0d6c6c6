extension OpenAPIDocument {
    /// The access log, stored events, past views, explanations and verification reports.
    static let auditSchemas = #"""
            AccessLogEntry:
              type: object
              required: [id, at, requestId, subject, role, teams, action, route]
              properties:
                id:
                  type: string
                  description: The entry's sequence number, as text.
                at:
                  $ref: '#/components/schemas/Instant'
                requestId:
                  type: string
                subject:
                  type: string
                role:
                  type: string
                teams:
                  type: array
                  description: The caller's teams at the time.
                  items:
                    $ref: '#/components/schemas/Uuid'
                patientId:
                  type: [string, "null"]
                  format: uuid
                action:
                  type: string
                  description: The operation, e.g. `readPatient`, `postReadings`, `auditView`.
                route:
                  type: string
                  description: '`METHOD /path` as requested (ids in the path, never a national identifier).'
            AccessLogPage:
              type: object
              required: [entries, next]
              properties:
                entries:
                  type: array
                  items:
                    $ref: '#/components/schemas/AccessLogEntry'
                next:
                  type: [string, "null"]
                  description: The cursor to pass as `after` (null when the log is empty so far and no cursor was sent).
            EventMetadata:
              type: object
              description: Who caused an event and why; never a national identifier.
              required: [actor, role]
              properties:
                actor:
                  type: string
                  description: The credential's subject, `gateway:<id>`, or `system`.
                role:
                  type: string
                  enum: [gateway, nurse, clinician, auditor, admin, system]
                team:
                  $ref: '#/components/schemas/Uuid'
                gateway:
                  $ref: '#/components/schemas/Uuid'
                device:
                  type: string
                requestID:
                  type: string
                correlationID:
                  $ref: '#/components/schemas/Uuid'
                causationID:
                  $ref: '#/components/schemas/Uuid'
            AuditEvent:
              type: object
              description: An event exactly as stored, with its place in the log and its hash.
              required: [position, stream, version, eventId, type, schemaVersion, metadata, recordedAt, hash, data]
              properties:
                position:
                  type: integer
                  description: Global log position.
                stream:
                  type: string
                  description: The stream the hash chain runs along.
                  examples: [patient-0b7f3c2e-4a1d-4c55-9d7e-2f0c8a1b6e90]
                version:
                  type: integer
                  description: Version within the stream (1, 2, …).
                eventId:
                  $ref: '#/components/schemas/Uuid'
                type:
                  type: string
                  examples: [PatientEnrolled, ReadingRecorded, AlertRaised, AlertAcknowledged, ThresholdsChanged]
                schemaVersion:
                  type: integer
                metadata:
                  $ref: '#/components/schemas/EventMetadata'
                recordedAt:
                  $ref: '#/components/schemas/Instant'
                hash:
                  type: string
                  description: Hex SHA-256 chaining this event to the previous one of its stream.
                data:
                  type: object
                  description: The event body as stored (its shape depends on `type` and `schemaVersion`).
            AuditEventList:
              type: object
              required: [patientId, events]
              properties:
                patientId:
                  $ref: '#/components/schemas/Uuid'
                events:
                  type: array
                  items:
                    $ref: '#/components/schemas/AuditEvent'
            RecordedAlert:
              type: object
              description: An alert as the replayed patient state holds it.
              required: [id, rule, measurement, severity, state, raisedAt, worstValue, limit, breachCount, readings,
                         thresholdVersion, routedTo, notes]
              properties:
                id:
                  $ref: '#/components/schemas/Uuid'
                rule:
                  type: string
                measurement:
                  $ref: '#/components/schemas/MeasurementKind'
                severity:
                  $ref: '#/components/schemas/Severity'
                state:
                  $ref: '#/components/schemas/AlertState'
                raisedAt:
                  $ref: '#/components/schemas/Instant'
                worstValue:
                  type: number
                limit:
                  type: number
                breachCount:
                  type: integer
                readings:
                  type: array
                  items:
                    $ref: '#/components/schemas/Uuid'
                thresholdVersion:
                  type: integer
                overdueSince:
                  $ref: '#/components/schemas/Instant'
                routedTo:
                  type: array
                  items:
                    $ref: '#/components/schemas/Uuid'
                acknowledged:
                  $ref: '#/components/schemas/AlertStamp'
                escalated:
                  $ref: '#/components/schemas/AlertStamp'
                resolved:
                  $ref: '#/components/schemas/AlertStamp'
                resolution:
                  type: string
                  enum: [manual, autoResolved, withdrawn]
                notes:
                  type: array
                  description: Every note given with a step, oldest first.
                  items:
                    $ref: '#/components/schemas/AlertStamp'
            AuditView:
              type: object
              description: The patient view and all alerts as they stood at the requested moment.
              required: [asOf, status, teams, routing, thresholds, thresholdVersion, devices, latest, recent, openAlerts, alerts]
              properties:
                asOf:
                  type: object
                  required: [version]
                  properties:
                    at:
                      $ref: '#/components/schemas/Instant'
                    position:
                      type: integer
                    version:
                      type: integer
                      description: The stream version the view reflects (0 before enrolment).
                patientId:
                  $ref: '#/components/schemas/Uuid'
                program:
                  $ref: '#/components/schemas/Program'
                kommunenummer:
                  $ref: '#/components/schemas/Kommunenummer'
                status:
                  $ref: '#/components/schemas/PatientStatus'
                teams:
                  type: object
                  properties:
                    kommune:
                      $ref: '#/components/schemas/Uuid'
                    sykehus:
                      $ref: '#/components/schemas/Uuid'
                routing:
                  $ref: '#/components/schemas/RoutingOption'
                thresholds:
                  $ref: '#/components/schemas/ThresholdSet'
                thresholdVersion:
                  type: integer
                devices:
                  type: array
                  items:
                    $ref: '#/components/schemas/DeviceBinding'
                latest:
                  $ref: '#/components/schemas/LatestByKind'
                recent:
                  type: object
                  description: Non-void readings measured since 30 days before the moment, per kind.
                  propertyNames:
                    $ref: '#/components/schemas/MeasurementKind'
                  additionalProperties:
                    type: array
                    items:
                      $ref: '#/components/schemas/LatestReading'
                openAlerts:
                  type: array
                  items:
                    $ref: '#/components/schemas/RecordedAlert'
                alerts:
                  type: array
                  description: Every alert raised so far, resolved ones included, oldest first.
                  items:
                    $ref: '#/components/schemas/RecordedAlert'
                dischargedAt:
                  $ref: '#/components/schemas/Instant'
            AlertExplanation:
              type: object
              required: [alertId, patientId, rule, measurement, severity, value, limit, thresholdVersion, raised, steps]
              properties:
                alertId:
                  $ref: '#/components/schemas/Uuid'
                patientId:
                  $ref: '#/components/schemas/Uuid'
                rule:
                  type: string
                measurement:
                  $ref: '#/components/schemas/MeasurementKind'
                severity:
                  $ref: '#/components/schemas/Severity'
                  description: The severity it was raised with.
                value:
                  type: number
                  description: The value judged when it was raised.
                limit:
                  type: number
                thresholdVersion:
                  type: integer
                raised:
                  $ref: '#/components/schemas/AuditEvent'
                  description: The AlertRaised event.
                reading:
                  $ref: '#/components/schemas/AuditEvent'
                  description: The ReadingRecorded event that raised it (absent for overdue alerts).
                baseline:
                  type: object
                  description: >-
                    For `weight.gain`: the weight the gain was measured against, the lowest
                    earlier weight in the rule's window as the stream stood when the reading
                    came, with its ReadingRecorded event.
                  required: [kg, reading]
                  properties:
                    kg:
                      type: number
                    reading:
                      $ref: '#/components/schemas/AuditEvent'
                thresholds:
                  $ref: '#/components/schemas/AuditEvent'
                  description: The ThresholdsChanged event of the version that judged it.
                steps:
                  type: array
                  description: Every later event about the alert (updated, acknowledged, escalated, resolved), in order.
                  items:
                    $ref: '#/components/schemas/AuditEvent'
            VerifyReport:
              type: object
              required: [passed, streams, events, chainBreaks, heads, alertDifferences, seconds]
              properties:
                passed:
                  type: boolean
                  description: True only when no check found anything.
                streams:
                  type: integer
                events:
                  type: integer
                chainBreaks:
                  type: array
                  items:
                    type: object
                    required: [stream, version, kind]
                    properties:
                      stream:
                        type: string
                        examples: [patient-0b7f3c2e-4a1d-4c55-9d7e-2f0c8a1b6e90]
                      version:
                        type: integer
                      eventId:
                        type: string
                        description: The altered event, or the one now at a changed head (absent for a gap).
                      kind:
                        type: string
                        description: >-
                          `altered`: the hash does not match the contents; `gap`: the version is
                          missing; `truncated`: a recorded head's version is gone; `headChanged`:
                          the event at a recorded head's version carries another hash (the last
                          two only from `varde verify --heads`).
                        enum: [altered, gap, truncated, headChanged]
                heads:
                  type: object
                  description: The last event of each stream walked, to record elsewhere and give back to `varde verify --heads`.
                  required: [position, streams]
                  properties:
                    position:
                      type: integer
                      description: The log's last position once the heads were taken.
                    streams:
                      type: array
                      items:
                        type: object
                        required: [stream, version, hash]
                        properties:
                          stream:
                            type: string
                          version:
                            type: integer
                          hash:
                            type: string
                            description: The stored SHA-256 of that event, lowercase hex.
                            pattern: '^[0-9a-f]{64}$'
                projectionDifferences:
                  type: array
                  description: >-
                    Per table, rows that differ between the live projections and a replay (for
                    one patient: that patient's rows), with the primary keys of the first few.
                  items:
                    type: object
                    required: [table, onlyLive, onlyReplayed, onlyLiveKeys, onlyReplayedKeys]
                    properties:
                      table:
                        type: string
                      onlyLive:
                        type: integer
                        description: Live rows the replay does not produce.
                      onlyReplayed:
                        type: integer
                        description: Replayed rows the live table lacks.
                      onlyLiveKeys:
                        type: array
                        items: {type: string}
                      onlyReplayedKeys:
                        type: array
                        items: {type: string}
                projectedThrough:
                  type: integer
                  description: >-
                    One patient only: the live projector's checkpoint, the log position the
                    patient's rows were compared at (later events are not projected yet).
                alertDifferences:
                  type: array
                  description: Where re-evaluating the rules disagrees with the recorded alert events.
                  items:
                    type: object
                    required: [stream, version, detail]
                    properties:
                      stream:
                        type: string
                      version:
                        type: integer
                      detail:
                        type: string
                seconds:
                  type: number
        """#
}
