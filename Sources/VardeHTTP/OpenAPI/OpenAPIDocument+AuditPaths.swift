extension OpenAPIDocument {
    /// History, point-in-time views, alert explanations, verification, the access log (auditors).
    static let auditPaths = #"""
          /v1/audit/access:
            get:
              operationId: auditAccessLog
              tags: [audit]
              summary: The access log
              description: >-
                Who looked at or changed which patient's data, when, how and in which
                request; oldest first, a page at a time (pass `next` as `after`; paging
                never skips an entry). Reading the log is itself logged. Roles: auditor.
              x-varde-roles: [auditor]
              parameters:
                - name: patient
                  in: query
                  required: false
                  description: Only entries about this patient.
                  schema:
                    $ref: '#/components/schemas/Uuid'
                - name: subject
                  in: query
                  required: false
                  description: Only entries by this caller (token subject or `gateway:<id>`).
                  schema:
                    type: string
                - name: from
                  in: query
                  required: false
                  description: At or after this time, or on or after this date.
                  schema:
                    $ref: '#/components/schemas/InstantOrDate'
                - name: to
                  in: query
                  required: false
                  description: At or before this time, or on or before this date.
                  schema:
                    $ref: '#/components/schemas/InstantOrDate'
                - name: after
                  in: query
                  required: false
                  description: A `next` cursor from an earlier page.
                  schema:
                    type: string
                - name: limit
                  in: query
                  required: false
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 1000
                    default: 100
              responses:
                '200':
                  description: A page of the log.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/AccessLogPage'
                \#(errors(401, 403, 422, 503))
          /v1/audit/patients/{patientId}/events:
            get:
              operationId: auditEvents
              tags: [audit]
              summary: A patient's event stream
              description: >-
                The patient's events in order, each with its type, data exactly as stored,
                actor metadata, recorded time, log position, stream version and hash.
                Filters combine. Roles: auditor (any patient).
              x-varde-roles: [auditor]
              parameters:
                - $ref: '#/components/parameters/PatientId'
                - name: fromVersion
                  in: query
                  required: false
                  description: First stream version (default 1).
                  schema:
                    type: integer
                    minimum: 1
                - name: toVersion
                  in: query
                  required: false
                  description: Last stream version (default the latest).
                  schema:
                    type: integer
                    minimum: 1
                - name: from
                  in: query
                  required: false
                  description: Recorded at or after this time, or on or after this date.
                  schema:
                    $ref: '#/components/schemas/InstantOrDate'
                - name: to
                  in: query
                  required: false
                  description: Recorded at or before this time, or on or before this date.
                  schema:
                    $ref: '#/components/schemas/InstantOrDate'
              responses:
                '200':
                  description: The events.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/AuditEventList'
                \#(errors(401, 403, 404, 422, 503))
          /v1/audit/patients/{patientId}/view:
            get:
              operationId: auditView
              tags: [audit]
              summary: The patient as they stood at a past moment
              description: >-
                The view and every alert (state, severity, who had acknowledged, escalated
                or resolved) as they stood at `at` (events recorded at or before it) or at
                log `position`, computed by replaying the stream with the same pure
                projection code, never read from today's tables. Give exactly one of `at`
                and `position`. Roles: auditor (any patient).
              x-varde-roles: [auditor]
              parameters:
                - $ref: '#/components/parameters/PatientId'
                - name: at
                  in: query
                  required: false
                  description: An RFC 3339 time.
                  schema:
                    $ref: '#/components/schemas/Instant'
                - name: position
                  in: query
                  required: false
                  description: A log position (`position` of an event).
                  schema:
                    type: integer
                    minimum: 0
              responses:
                '200':
                  description: The past view.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/AuditView'
                \#(errors(401, 403, 404, 422, 503))
          /v1/audit/alerts/{alertId}/explanation:
            get:
              operationId: auditAlertExplanation
              tags: [audit]
              summary: Why an alert exists
              description: >-
                The reading (or overdue sweep) that raised the alert, the rule, the
                threshold version and values that judged it, and every later step, each
                as the stored event. Roles: auditor.
              x-varde-roles: [auditor]
              parameters:
                - $ref: '#/components/parameters/AlertId'
              responses:
                '200':
                  description: The explanation.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/AlertExplanation'
                \#(errors(401, 403, 404, 503))
          /v1/audit/verify:
            get:
              operationId: auditVerify
              tags: [audit]
              summary: Verify the log
              description: >-
                Recomputes hash chains (reporting each altered event and each gap by
                stream, version and event id), replays the log with the projector and
                compares it with the live projections, and re-evaluates the alert rules
                against the recorded alert events. Without `patient` the whole log is
                replayed into a scratch schema; with it, that patient's stream is
                replayed and compared with that patient's rows as of the live
                projector's checkpoint (`projectedThrough`). The report lists the
                stream heads, to keep elsewhere: deleting a stream's last events
                leaves a valid chain, which `varde verify --heads` then finds. The
                answer is 200 whether or not the checks pass; see `passed`.
                Roles: auditor.
              x-varde-roles: [auditor]
              parameters:
                - name: patient
                  in: query
                  required: false
                  description: Verify this patient's stream and read-model rows only.
                  schema:
                    $ref: '#/components/schemas/Uuid'
              responses:
                '200':
                  description: The verification report.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/VerifyReport'
                \#(errors(401, 403, 404, 422, 503))
        """#
}
