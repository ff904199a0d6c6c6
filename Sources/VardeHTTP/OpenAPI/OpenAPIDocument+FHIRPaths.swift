extension OpenAPIDocument {
    /// FHIR R4: Observation ingest (single and Bundle) and search.
    static let fhirPaths = #"""
          /fhir/Observation:
            post:
              operationId: postFHIRObservation
              tags: [fhir]
              summary: Post one vital-signs Observation (gateways)
              description: >-
                An Observation following the FHIR vital-signs profile: LOINC code
                (85354-9 blood pressure with components 8480-6 and 8462-4, 59408-5 or
                2708-6 SpO2, 29463-7 or 3141-9 body weight, 8867-4 heart rate, 8310-5 body
                temperature), UCUM units, subject by `Patient/{id}` or by identifier with
                the fødselsnummer or D-nummer system, device by reference or identifier,
                `effectiveDateTime` or `effectivePeriod` (a date alone means 00:00 that day in
                Europe/Oslo, so today's date is never in the future). `Observation.identifier`
                (system + value) is the gateway's reading id: a resent Observation is
                answered 200 with the stored one and is not stored twice. Roles: gateway.
              x-varde-roles: [gateway]
              security:
                - gatewayKey: []
              requestBody:
                required: true
                content:
                  application/fhir+json:
                    schema:
                      $ref: '#/components/schemas/Observation'
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Observation'
              responses:
                '201':
                  description: Stored; the Observation as Varde holds it.
                  headers:
                    Location:
                      $ref: '#/components/headers/Location'
                  content:
                    application/fhir+json:
                      schema:
                        $ref: '#/components/schemas/Observation'
                '200':
                  description: Sent before (same identifier); the stored Observation, nothing stored twice.
                  headers:
                    Location:
                      $ref: '#/components/headers/Location'
                  content:
                    application/fhir+json:
                      schema:
                        $ref: '#/components/schemas/Observation'
                \#(errors(400, 401, fhir: true, withDefault: false))
                '403':
                  description: >-
                    The role may not post, or the device was not bound to the patient at the
                    measured time (an OperationOutcome, as every error under `/fhir`).
                  content:
                    application/fhir+json:
                      schema:
                        $ref: '#/components/schemas/OperationOutcome'
                \#(errors(404, 409, 413, 415, 422, 503, fhir: true))
            get:
              operationId: searchFHIRObservations
              tags: [fhir]
              summary: Search a patient's stored readings
              description: >-
                A `searchset` Bundle of one patient's readings, a page at a time, ordered by
                measured time and then reading (event) id: oldest first, or newest first with
                `_sort=-date`. `total` is the number of all matches when the page is read.
                `link` holds `self` and, only when more matches follow, `next`: follow it as
                it is. The next page starts strictly after the page's last entry, so paging
                never repeats a reading and never skips one that matched when the search
                began (a reading recorded meanwhile appears if it sorts after the cursor).
                Roles: nurse, clinician (of the patient's teams).
              x-varde-roles: [nurse, clinician]
              parameters:
                - name: patient
                  in: query
                  required: false
                  description: '`Patient/{id}` or the bare id. Required unless `subject` is given.'
                  schema:
                    type: string
                - name: subject
                  in: query
                  required: false
                  description: Same as `patient`.
                  schema:
                    type: string
                - name: code
                  in: query
                  required: false
                  description: A LOINC code, with or without `http://loinc.org|`.
                  schema:
                    type: string
                    examples: ['http://loinc.org|59408-5']
                - name: date
                  in: query
                  required: false
                  description: >-
                    FHIR R4 date search on the measured time. The value is `YYYY`, `YYYY-MM`,
                    `YYYY-MM-DD` (that year, month or day in Europe/Oslo local time, clock
                    changes included) or a dateTime with seconds and a zone offset (that
                    second, or that fraction of it), after an optional prefix: `eq` (the
                    default: within the range), `ne` (outside it), `lt` or `eb` (before its
                    start), `le` (before its end), `ge` (at or after its start), `gt` or `sa`
                    (at or after its end). A reading posted with a date only was measured at
                    the start of that day, so `date=2026-11-01` finds it. May repeat; all
                    must hold, e.g. `date=ge2026-11-01&date=lt2026-12-01`. Another prefix
                    (`ap` included) or value is a 400 OperationOutcome naming the parameter.
                  style: form
                  explode: true
                  schema:
                    type: array
                    items:
                      type: string
                      examples: ['ge2026-11-01', '2026-11', 'lt2026-11-01T08:00:00+01:00']
                - name: _count
                  in: query
                  required: false
                  description: Entries per page; anything else than a whole number from 1 to 1,000 is a 400.
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 1000
                    default: 100
                - name: _sort
                  in: query
                  required: false
                  description: '`date`: oldest first (the default); `-date`: newest first.'
                  schema:
                    type: string
                    enum: [date, '-date']
                    default: date
                - name: _cursor
                  in: query
                  required: false
                  description: >-
                    Where the page starts, from an earlier page's `next` link (opaque; it
                    belongs to the order it was made in: a 400 with the other `_sort`).
                  schema:
                    type: string
              responses:
                '200':
                  description: The searchset.
                  content:
                    application/fhir+json:
                      schema:
                        $ref: '#/components/schemas/Bundle'
                \#(errors(400, 401, 403, 404, 503, fhir: true))
          /fhir/Observation/{observationId}:
            get:
              operationId: readFHIRObservation
              tags: [fhir]
              summary: Read one stored reading as an Observation
              description: >-
                The FHIR read of a stored reading (the `Location` a post answers with);
                the id is the reading's event id. A voided reading reads with status
                `entered-in-error`. A reading of a patient outside the caller's teams is
                a 404, as one that does not exist. Roles: nurse, clinician.
              x-varde-roles: [nurse, clinician]
              parameters:
                - name: observationId
                  in: path
                  required: true
                  schema:
                    $ref: '#/components/schemas/Uuid'
              responses:
                '200':
                  description: The Observation.
                  content:
                    application/fhir+json:
                      schema:
                        $ref: '#/components/schemas/Observation'
                \#(errors(401, 403, 404, 503, fhir: true))
          /fhir:
            post:
              operationId: postFHIRBundle
              tags: [fhir]
              summary: Post a batch or transaction Bundle of Observations (gateways)
              description: >-
                A Bundle of type `batch` or `transaction` whose entries are `POST
                Observation` (at most 1,000). A batch answers a `batch-response` with one
                entry per request entry (`201 Created`, `200 OK` for a duplicate, or an
                error status with an OperationOutcome); a transaction stores all entries or
                none and answers a `transaction-response`, or the first failing entry's
                error as an OperationOutcome. Roles: gateway.
              x-varde-roles: [gateway]
              security:
                - gatewayKey: []
              requestBody:
                required: true
                content:
                  application/fhir+json:
                    schema:
                      $ref: '#/components/schemas/Bundle'
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Bundle'
              responses:
                '200':
                  description: The batch-response or transaction-response Bundle.
                  content:
                    application/fhir+json:
                      schema:
                        $ref: '#/components/schemas/Bundle'
                \#(errors(400, 401, fhir: true, withDefault: false))
                '403':
                  description: >-
                    The role may not post, or, in a transaction, a device was not bound to
                    the patient at the measured time (an OperationOutcome, as every error
                    under `/fhir`).
                  content:
                    application/fhir+json:
                      schema:
                        $ref: '#/components/schemas/OperationOutcome'
                \#(errors(404, 409, 413, 415, 422, 503, fhir: true))
        """#
}
