extension OpenAPIDocument {
    /// Enrolment, the patient view, search, teams, thresholds, devices, discharge.
    static let patientPaths = #"""
          /v1/patients:
            post:
              operationId: enrollPatient
              tags: [patients]
              summary: Enrol a patient
              description: >-
                Validates the national identifier (fødselsnummer or D-nummer, both mod-11
                check digits), the kommunenummer and the program; the kommune team must be
                a kommune team and the sykehus team a sykehus team, and the clinician must
                belong to one of them (else 403). A person already enrolled and not
                discharged is a 409. Answers with the patient view. Roles: clinician.
              x-varde-roles: [clinician]
              parameters:
                - $ref: '#/components/parameters/IdempotencyKey'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/EnrollPatient'
              responses:
                '201':
                  description: Enrolled (or, for a retry with the same Idempotency-Key, the patient the first request enrolled).
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientView'
                \#(errors(400, 401, 403, 409, 413, 415, 422, 503))
          /v1/patients/search:
            post:
              operationId: searchPatients
              tags: [patients]
              summary: Find patients by national identifier
              description: >-
                The identifier travels in the body, never in a URL. Answers with the
                caller's teams' patients with that identifier (discharged enrolments
                included, oldest first); none is an empty list, not a 404.
                Roles: nurse, clinician.
              x-varde-roles: [nurse, clinician]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/PatientSearch'
              responses:
                '200':
                  description: The matching patients the caller may see.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientList'
                \#(errors(400, 401, 403, 413, 415, 422, 503))
          /v1/patients/{patientId}:
            get:
              operationId: readPatient
              tags: [patients]
              summary: The patient view
              description: >-
                Latest value of each kind, status colour, open alerts, thresholds in force,
                teams, devices and the readings of the last 30 days per kind.
                Roles: nurse, clinician (of the patient's teams).
              x-varde-roles: [nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
              responses:
                '200':
                  description: The view.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientView'
                \#(errors(401, 403, 404, 503))
          /v1/patients/{patientId}/discharge:
            post:
              operationId: dischargePatient
              tags: [patients]
              summary: Discharge a patient
              description: >-
                Ends the follow-up; discharging twice is a 409. Answers with the view.
                Roles: clinician (of the patient's teams).
              x-varde-roles: [clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Discharge'
              responses:
                '200':
                  description: Discharged; the view.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientView'
                \#(errors(400, 401, 403, 404, 409, 413, 415, 422, 503))
          /v1/patients/{patientId}/teams:
            put:
              operationId: assignTeams
              tags: [patients]
              summary: Move a patient to other teams
              description: >-
                Replaces the patient's kommune team and (optional) sykehus team; open
                alerts move with the patient. Roles: clinician (of the patient's teams).
              x-varde-roles: [clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/PatientTeams'
              responses:
                '200':
                  description: Reassigned; the view.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientView'
                \#(errors(400, 401, 403, 404, 409, 413, 415, 422, 503))
          /v1/patients/{patientId}/thresholds:
            put:
              operationId: setThresholds
              tags: [patients]
              summary: Set the patient's individual thresholds
              description: >-
                Replaces the whole threshold set (with the author from the token and a
                reason); each change is an event and gets the next threshold version.
                Readings are judged by the version in force when they are recorded.
                Roles: clinician (of the patient's teams).
              x-varde-roles: [clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/SetThresholds'
              responses:
                '200':
                  description: Changed; the view with the new `thresholdVersion`.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientView'
                \#(errors(400, 401, 403, 404, 409, 413, 415, 422, 503))
          /v1/patients/{patientId}/routing:
            put:
              operationId: setRouting
              tags: [patients]
              summary: Set where the patient's alerts go
              description: >-
                `standard`: yellow alerts to the kommune team, red to the kommune and the
                sykehus team. `yellowAlsoToSykehus`: yellow ones to both too.
                `redOnlyKommune`: red ones stay with the kommune team until escalated.
                The change is an event; active alerts move to the teams the new setting
                names (their feed entries say `updated`). Setting the routing in force
                changes nothing. Roles: clinician (of the patient's teams).
              x-varde-roles: [clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/SetRouting'
              responses:
                '200':
                  description: Changed (or already so); the view with the routing in force.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientView'
                \#(errors(400, 401, 403, 404, 409, 413, 415, 422, 503))
          /v1/patients/{patientId}/devices:
            post:
              operationId: bindDevice
              tags: [patients]
              summary: Bind a device to the patient
              description: >-
                From now until it is unbound, readings from this serial belong to the
                patient. A device bound to another patient is a 409 (unbind it there
                first). Roles: clinician (of the patient's teams).
              x-varde-roles: [clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/BindDevice'
              responses:
                '201':
                  description: Bound; the view.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientView'
                \#(errors(400, 401, 403, 404, 409, 413, 415, 422, 503))
          /v1/patients/{patientId}/devices/{serial}:
            delete:
              operationId: unbindDevice
              tags: [patients]
              summary: Unbind a device from the patient
              description: >-
                Readings measured after this no longer resolve to the patient; the device
                may be bound to another patient later. Roles: clinician (of the patient's teams).
              x-varde-roles: [clinician]
              parameters:
                - $ref: '#/components/parameters/PatientId'
                - name: serial
                  in: path
                  required: true
                  description: The device serial (percent-encoded).
                  schema:
                    type: string
              responses:
                '204':
                  description: Unbound.
                \#(errors(401, 403, 404, 409, 503))
        """#
}
