extension OpenAPIDocument {
    /// Native JSON ingest, a patient's readings and voiding.
    static let readingPaths = #"""
          /v1/readings:
            post:
              operationId: postReadings
              tags: [readings]
              summary: Post a batch of readings (gateways)
              description: >-
                1 to 1,000 readings from one gateway. Each names its patient by
                `patientId` or by `deviceSerial` (resolved through the binding in force
                at `measuredAt`); the device must be bound to the patient at that time.
                Units are UCUM and converted (`kPa`→`mm[Hg]`, `[lb_av]`/`g`→`kg`,
                `[degF]`→`Cel`); implausible values and measured times too far in the
                future are rejected per item. The answer lists one result per reading in
                request order: `created`, `duplicate` (the same gateway reading id was
                stored before; the original event id, nothing stored twice) or `rejected`
                with the reason. A rejected item leaves no trace but its rejection, and a
                retried request never duplicates anything. Whole-request errors (bad JSON,
                an empty or oversized batch) are problems. Roles: gateway.
              x-varde-roles: [gateway]
              security:
                - gatewayKey: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/ReadingBatch'
                    examples:
                      oximeter:
                        summary: An SpO2 reading by device serial and a blood pressure by patient id
                        value:
                          readings:
                            - {id: r-1001, deviceSerial: OX-1, measuredAt: '2025-03-01T08:15:00+01:00', kind: spo2, unit: '%', value: 94}
                            - {id: r-1002, patientId: 0b7f3c2e-4a1d-4c55-9d7e-2f0c8a1b6e90, measuredAt: '2025-03-01T08:16:00+01:00', kind: bloodPressure, unit: 'mm[Hg]', systolic: 142, diastolic: 88, pulse: 71}
              responses:
                '200':
                  description: One result per reading, in request order.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/ReadingResults'
                \#(errors(400, 401, 403, 413, 415, 422, 503))
          /v1/patients/{patientId}/readings:
            get:
              operationId: readReadings
              tags: [readings]
              summary: A patient's readings
              description: >-
                Stored readings in measured-time order, voided ones included and marked.
                Roles: nurse, clinician (of the patient's teams).
              x-varde-roles: [nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
                - name: kind
                  in: query
                  required: false
                  schema:
                    $ref: '#/components/schemas/MeasurementKind'
                - name: from
                  in: query
                  required: false
                  description: Measured at or after this time, or on or after this date.
                  schema:
                    $ref: '#/components/schemas/InstantOrDate'
                - name: to
                  in: query
                  required: false
                  description: Measured at or before this time, or on or before this date.
                  schema:
                    $ref: '#/components/schemas/InstantOrDate'
              responses:
                '200':
                  description: The readings.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/ReadingList'
                \#(errors(401, 403, 404, 422, 503))
          /v1/readings/{readingId}/void:
            post:
              operationId: voidReading
              tags: [readings]
              summary: Void a reading entered in error
              description: >-
                The reading stays in the log, marked void; alerts it alone caused are
                withdrawn. Roles: nurse, clinician (of the patient's teams).
              x-varde-roles: [nurse, clinician]
              parameters:
                - name: readingId
                  in: path
                  required: true
                  description: The reading's event id (`eventId` in the ingest results).
                  schema:
                    $ref: '#/components/schemas/Uuid'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/VoidReading'
              responses:
                '200':
                  description: Voided.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/VoidedReading'
                \#(errors(400, 401, 403, 404, 409, 413, 415, 422, 503))
        """#
}
