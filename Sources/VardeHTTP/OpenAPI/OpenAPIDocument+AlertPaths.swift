extension OpenAPIDocument {
    /// Team feeds, worklists and the alert workflow.
    static let alertPaths = #"""
          /v1/teams/{teamId}/alerts:
            get:
              operationId: readTeamAlerts
              tags: [alerts]
              summary: The team's alert feed (long poll)
              description: >-
                The team's alert changes in order after `after`, each item the alert as it
                stood after that change, with a stable opaque `cursor`. Poll again with
                `next`: a client that always passes the last cursor it got never misses a
                change and never sees one twice. With `wait`, the request is held until
                there is something after the cursor or the wait runs out (then an empty
                page whose `next` is the cursor sent). An alert that leaves the team (moved
                with its patient) appears once more, with `teams` no longer naming it.
                Roles: nurse, clinician (members of the team).
              x-varde-roles: [nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/TeamId'
                - name: after
                  in: query
                  required: false
                  description: A cursor from this feed (`cursor` of an item or `next` of a page); omitted, the feed starts at its beginning.
                  schema:
                    type: string
                - name: limit
                  in: query
                  required: false
                  description: Page size, clamped to 1–500.
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 500
                    default: 100
                - name: wait
                  in: query
                  required: false
                  description: Seconds to wait for a change when there is none yet, clamped to 0–60.
                  schema:
                    type: number
                    minimum: 0
                    maximum: 60
                    default: 0
              responses:
                '200':
                  description: A page of the feed (possibly empty).
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/AlertFeedPage'
                '401': {$ref: '#/components/responses/Unauthorized'}
                '403': {$ref: '#/components/responses/Forbidden'}
                '404': {$ref: '#/components/responses/NotFound'}
                '422':
                  description: '`after` is not a cursor from this feed (pointer `/after`).'
                  content:
                    application/problem+json:
                      schema:
                        $ref: '#/components/schemas/Problem'
                '503': {$ref: '#/components/responses/Unavailable'}
                default: {$ref: '#/components/responses/Error'}
          /v1/teams/{teamId}/patients:
            get:
              operationId: readWorklist
              tags: [alerts]
              summary: The team's worklist
              description: >-
                The team's patients not discharged, red first, then yellow, then green
                (each by enrolment time). Roles: nurse, clinician (members of the team).
              x-varde-roles: [nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/TeamId'
              responses:
                '200':
                  description: The worklist.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PatientList'
                \#(errors(401, 403, 404, 503))
          /v1/alerts/{alertId}/acknowledge:
            post:
              operationId: acknowledgeAlert
              tags: [alerts]
              summary: Acknowledge an alert
              description: >-
                open or escalated → acknowledged, with who and when (and the note, if
                any). A state that does not allow it is a 409. The body is optional.
                Roles: nurse, clinician (of the patient's teams).
              x-varde-roles: [nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/AlertId'
              requestBody:
                $ref: '#/components/requestBodies/AlertAction'
              responses:
                '200': {$ref: '#/components/responses/AlertAfterAction'}
                \#(errors(400, 401, 403, 404, 409, 413, 415, 503))
          /v1/alerts/{alertId}/escalate:
            post:
              operationId: escalateAlert
              tags: [alerts]
              summary: Escalate an alert to the sykehus team
              description: >-
                open or acknowledged → escalated: the alert goes to the patient's sykehus
                team as well, with who and when. A state that does not allow it, or a
                patient without a sykehus team, is a 409.
                The body is optional. Roles: nurse, clinician (of the patient's teams).
              x-varde-roles: [nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/AlertId'
              requestBody:
                $ref: '#/components/requestBodies/AlertAction'
              responses:
                '200': {$ref: '#/components/responses/AlertAfterAction'}
                \#(errors(400, 401, 403, 404, 409, 413, 415, 503))
          /v1/alerts/{alertId}/resolve:
            post:
              operationId: resolveAlert
              tags: [alerts]
              summary: Resolve an alert
              description: >-
                Any state but resolved → resolved (resolution `manual`), with who, when
                and the note. Resolving a resolved alert is a 409. The body is optional. Roles: nurse, clinician (of the patient's teams).
              x-varde-roles: [nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/AlertId'
              requestBody:
                $ref: '#/components/requestBodies/AlertAction'
              responses:
                '200': {$ref: '#/components/responses/AlertAfterAction'}
                \#(errors(400, 401, 403, 404, 409, 413, 415, 503))
        """#
}
