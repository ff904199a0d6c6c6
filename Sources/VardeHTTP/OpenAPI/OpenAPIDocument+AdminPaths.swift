extension OpenAPIDocument {
    /// `/healthz`, `/readyz`, `/openapi.yaml`: open, no credentials.
    static let operationalPaths = #"""
          /healthz:
            get:
              operationId: healthz
              tags: [operations]
              summary: Liveness
              description: The process is up. No credentials.
              security: []
              x-varde-roles: []
              responses:
                '200':
                  description: Up.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/HealthStatus'
          /readyz:
            get:
              operationId: readyz
              tags: [operations]
              summary: Readiness
              description: >-
                The database answers and every migration in `sql/` has been applied;
                503 otherwise, so a load balancer holds traffic back. No credentials.
              security: []
              x-varde-roles: []
              responses:
                '200':
                  description: Ready.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/HealthStatus'
                '503':
                  description: Migrations pending or the database unreachable.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/HealthStatus'
          /openapi.yaml:
            get:
              operationId: openapiDocument
              tags: [operations]
              summary: This document
              description: The OpenAPI 3.1 description of the whole API. No credentials.
              security: []
              x-varde-roles: []
              responses:
                '200':
                  description: The document.
                  content:
                    application/yaml:
                      schema:
                        type: string
        """#

    /// Teams, gateways and their keys (admin).
    static let adminPaths = #"""
          /v1/teams:
            post:
              operationId: createTeam
              tags: [admin]
              summary: Create a team
              description: >-
                A kommune team (with its 4-digit kommunenummer) or a sykehus team (with
                the health trust it belongs to). Roles: admin.
              x-varde-roles: [admin]
              parameters:
                - $ref: '#/components/parameters/IdempotencyKey'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/CreateTeam'
              responses:
                '201':
                  description: Created (or, for a retry with the same Idempotency-Key, what the first request created).
                  headers:
                    Location:
                      $ref: '#/components/headers/Location'
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Team'
                \#(errors(400, 401, 403, 413, 415, 422, 503))
          /v1/teams/{teamId}:
            get:
              operationId: readTeam
              tags: [admin]
              summary: A team
              description: >-
                The team as created (the `Location` of `POST /v1/teams`). Roles: admin
                (any team), nurse and clinician (their own teams; another team is 404).
              x-varde-roles: [admin, nurse, clinician]
              parameters:
                - $ref: '#/components/parameters/TeamId'
              responses:
                '200':
                  description: The team.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Team'
                \#(errors(400, 401, 403, 404, 503))
          /v1/gateways:
            post:
              operationId: createGateway
              tags: [admin]
              summary: Register a gateway with its first API key
              description: >-
                The key is in the response and never shown again (only its hash is
                stored). Roles: admin.
              x-varde-roles: [admin]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/CreateGateway'
              responses:
                '201':
                  description: Registered; the key is shown this once.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/IssuedGatewayKey'
                \#(errors(400, 401, 403, 413, 415, 422, 503))
          /v1/gateways/{gatewayId}/keys:
            post:
              operationId: issueGatewayKey
              tags: [admin]
              summary: Issue another API key for a gateway
              description: >-
                No request body. The key is in the response and never shown again.
                Roles: admin.
              x-varde-roles: [admin]
              parameters:
                - $ref: '#/components/parameters/GatewayId'
              responses:
                '201':
                  description: Issued; the key is shown this once.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/IssuedGatewayKey'
                \#(errors(401, 403, 404, 409, 503))
          /v1/gateways/{gatewayId}/keys/{keyId}:
            delete:
              operationId: revokeGatewayKey
              tags: [admin]
              summary: Revoke an API key
              description: >-
                The key fails from the moment this answers. Revoking it twice is a 409.
                Roles: admin.
              x-varde-roles: [admin]
              parameters:
                - $ref: '#/components/parameters/GatewayId'
                - name: keyId
                  in: path
                  required: true
                  description: The key id (`keyId` from the issuing response).
                  schema:
                    type: string
              responses:
                '204':
                  description: Revoked.
                \#(errors(401, 403, 404, 409, 503))
        """#
}
