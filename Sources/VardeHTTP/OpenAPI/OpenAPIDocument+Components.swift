extension OpenAPIDocument {
    /// Security schemes, shared parameters, headers and responses, and the problem schema.
    static let components = #"""
        components:
          securitySchemes:
            gatewayKey:
              type: http
              scheme: bearer
              bearerFormat: vgk_<key id>_<secret>
              description: >-
                A gateway API key (`vgk_…`): 256 bits of randomness, shown once when the
                key is issued, stored only as a hash, revocable. Role `gateway`.
            staffToken:
              type: http
              scheme: bearer
              bearerFormat: JWT
              description: >-
                A staff JWT from the configured OpenID Connect provider (or, with
                `varde serve --dev-auth`, from `varde token issue`). The role claim gives
                `nurse`, `clinician`, `auditor` or `admin`; the teams claim the caller's teams.
          parameters:
            PatientId:
              name: patientId
              in: path
              required: true
              description: The patient's internal id (never the national identifier). A malformed id is a 404.
              schema:
                $ref: '#/components/schemas/Uuid'
            TeamId:
              name: teamId
              in: path
              required: true
              description: The team's id. A malformed id, or a team the caller is not in, is a 404.
              schema:
                $ref: '#/components/schemas/Uuid'
            AlertId:
              name: alertId
              in: path
              required: true
              schema:
                $ref: '#/components/schemas/Uuid'
            GatewayId:
              name: gatewayId
              in: path
              required: true
              schema:
                $ref: '#/components/schemas/Uuid'
            IdempotencyKey:
              name: Idempotency-Key
              in: header
              required: false
              description: >-
                Up to 200 characters chosen by the client. The new resource's id is derived
                from the caller and this key, so a retried request answers with what the
                first one created instead of creating it twice.
              schema:
                type: string
                minLength: 1
                maxLength: 200
          headers:
            X-Request-Id:
              description: >-
                The request's id, on every response: the id the logs, the access log and the
                metadata of the events the request wrote carry.
              schema:
                type: string
            WWW-Authenticate:
              description: 'The bearer challenge, e.g. `Bearer realm="varde", error="invalid_token", error_description="…"`.'
              schema:
                type: string
            Retry-After:
              description: Seconds to wait before retrying.
              schema:
                type: integer
            Location:
              description: Where the created resource can be read.
              schema:
                type: string
          responses:
            BadRequest:
              description: Malformed JSON, or a body of the wrong shape (with a pointer to the field).
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            Unauthorized:
              description: No credentials, or credentials that fail a check (unknown or revoked key; bad signature, issuer, audience, expiry or claims).
              headers:
                WWW-Authenticate:
                  $ref: '#/components/headers/WWW-Authenticate'
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            Forbidden:
              description: The caller's role may never use this operation.
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            NotFound:
              description: No such resource, or one outside the caller's teams (existence is not leaked).
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            Conflict:
              description: The request conflicts with the current state (e.g. an alert in a state that does not allow the step, or a concurrent change; retry).
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            ContentTooLarge:
              description: The body is larger than allowed (4 MiB; 64 KiB for alert notes).
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            UnsupportedMediaType:
              description: The body is not sent as `application/json`.
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            Unprocessable:
              description: Well-formed but invalid values; `errors` points at each bad field.
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            Unavailable:
              description: The database is not reachable; retry shortly.
              headers:
                Retry-After:
                  $ref: '#/components/headers/Retry-After'
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            Error:
              description: Any other error (500 is logged with the request id).
              content:
                application/problem+json:
                  schema:
                    $ref: '#/components/schemas/Problem'
            FHIRError:
              description: A FHIR request that failed, as an OperationOutcome naming the element (FHIRPath) at fault.
              content:
                application/fhir+json:
                  schema:
                    $ref: '#/components/schemas/OperationOutcome'
            FHIRUnauthorized:
              description: No credentials, or credentials that fail a check; under `/fhir` as an OperationOutcome (issue code `login`).
              headers:
                WWW-Authenticate:
                  $ref: '#/components/headers/WWW-Authenticate'
              content:
                application/fhir+json:
                  schema:
                    $ref: '#/components/schemas/OperationOutcome'
            FHIRUnavailable:
              description: The database is not reachable; retry shortly (issue code `transient`).
              headers:
                Retry-After:
                  $ref: '#/components/headers/Retry-After'
              content:
                application/fhir+json:
                  schema:
                    $ref: '#/components/schemas/OperationOutcome'
            AlertAfterAction:
              description: The alert as it stands after the step.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Alert'
          requestBodies:
            AlertAction:
              required: false
              description: Optional; without a `Content-Type` the request has no body.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/AlertAction'
          schemas:
            Problem:
              type: object
              description: An RFC 9457 problem.
              required: [type, title, status]
              properties:
                type:
                  type: string
                  format: uri
                  description: '`https://varde.no/problems/<kind>`: malformed, invalid, not-found, conflict, unauthorized, forbidden, too-large, unsupported-media-type, unavailable, internal, http.'
                  examples: ['https://varde.no/problems/invalid']
                title:
                  type: string
                  examples: [Invalid values]
                status:
                  type: integer
                  minimum: 400
                  maximum: 599
                detail:
                  type: string
                errors:
                  type: array
                  description: One entry per bad field (omitted when there is none).
                  items:
                    $ref: '#/components/schemas/FieldError'
            FieldError:
              type: object
              required: [pointer, detail]
              properties:
                pointer:
                  type: string
                  description: JSON pointer into the request body (or `/<name>` for a query parameter).
                  examples: [/readings/3/diastolic]
                detail:
                  type: string
            Uuid:
              type: string
              format: uuid
              description: A UUID, lower case in responses.
            Instant:
              type: string
              format: date-time
              description: An RFC 3339 time with offset.
            InstantOrDate:
              type: string
              description: >-
                An RFC 3339 time with offset, or a date `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: that
                day, month or year in Europe/Oslo local time (a `from` date starts at its first
                instant, a `to` date includes its last).
              examples: ['2026-11-01T08:00:00Z', '2026-11-01', '2026-11']
            NullableInstant:
              type: [string, "null"]
              format: date-time
            HealthStatus:
              type: object
              required: [status]
              properties:
                status:
                  type: string
                  examples: [ok, ready, 'migrations pending: run `varde migrate`', database unreachable]
        """#
}

extension OpenAPIDocument {
    /// The error responses of an operation, each a `$ref` to its shared
    /// response, and the catch-all `default`, as YAML lines under an
    /// operation's `responses:`. Under `/fhir` every error is an OperationOutcome.
    static func errors(_ codes: Int..., fhir: Bool = false, withDefault: Bool = true) -> String {
        let names = [400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
                     413: "ContentTooLarge", 415: "UnsupportedMediaType", 422: "Unprocessable", 503: "Unavailable"]
        let lines = codes.map { code in
            let name = !fhir ? names[code]! : code == 401 ? "FHIRUnauthorized" : code == 503 ? "FHIRUnavailable" : "FHIRError"
            return "'\(code)': {$ref: '#/components/responses/\(name)'}"
        } + (withDefault ? ["default: {$ref: '#/components/responses/\(fhir ? "FHIRError" : "Error")'}"] : [])
        // The first line follows the interpolation's own indentation; the rest carry it.
        return lines.joined(separator: "\n        ")
    }
}
