/// The OpenAPI 3.1 description of the whole API, served at `/openapi.yaml`.
/// `OpenAPITests` validates it with `openapi-spec-validator` and checks that
/// every registered route is in it (and nothing else), with the operationId
/// and `x-varde-roles` of its `Operation`.
///
/// The document is YAML text split over several files by concern; the parts
/// are joined in this order: header, every `paths` part, then `components`.
public enum OpenAPIDocument {
    public static let yaml = [
        header,
        operationalPaths, adminPaths, patientPaths, readingPaths, fhirPaths, alertPaths, auditPaths,
        components, domainSchemas, readingSchemas, alertSchemas, fhirSchemas, auditSchemas,
    ].joined(separator: "\n") + "\n"

    static let header = #"""
        openapi: 3.1.0
        info:
          title: Varde API
          version: 1.0.0
          summary: Digital home follow-up (digital hjemmeoppfølging) for Norwegian kommuner and hospitals.
          description: |
            Device gateways post patients' home measurements (native JSON or FHIR R4);
            threshold rules raise alerts that reach the right team's feed; nurses and
            clinicians follow up; auditors can replay and verify everything. Every fact
            is an event in an append-only, hash-chained log.

            ## Authentication
            Every `/v1` and `/fhir` route takes `Authorization: Bearer <credential>`:
            - **gateway API keys** (`vgk_…`), one or more per gateway, issued by an admin
              and shown once; a revoked key fails at once;
            - **staff tokens**: OAuth 2.0 bearer JWTs from an OpenID Connect provider such
              as HelseID (RS256 or ES256, checked against the configured JWKS, `iss`,
              `aud`, `exp`/`nbf`), carrying the role and team membership in configurable
              claims (`varde_role` and the teams claim by default).

            Missing or failing credentials: 401 with a `WWW-Authenticate` header.

            ## Request ids
            Every response, errors included, carries `X-Request-Id`
            (`#/components/headers/X-Request-Id`): the id the server's logs, the access
            log and the metadata of the events the request wrote carry. Quote it when
            reporting a problem.

            ## Roles
            | role | may |
            |---|---|
            | `gateway` | post readings and FHIR Observations for devices bound to patients; nothing else |
            | `nurse` | read views, worklists, readings and alert feeds of her teams' patients, and her teams; acknowledge, escalate, resolve their alerts; void readings |
            | `clinician` | what a nurse may, plus enrol and discharge patients, bind devices, move patients between teams, set thresholds and alert routing |
            | `auditor` | read every stream's history, point-in-time views and the access log; change nothing |
            | `admin` | create and read teams, create gateways, issue and revoke keys; reads no patient data |

            Each operation names the roles that may call it in `x-varde-roles`. A role
            outside that list gets 403; a nurse or clinician asking about a patient (or
            team) outside her teams gets 404, so existence is not leaked. Every read of
            patient data and every change is written to the access log.

            ## Errors
            Errors are RFC 9457 `application/problem+json` (`type`, `title`, `status`,
            `detail`, and `errors` with a JSON pointer to each bad field). The FHIR
            routes answer `application/fhir+json` with an `OperationOutcome` instead,
            except for authentication and role failures, which are checked before the
            FHIR handler and answer with a problem. A `detail` never holds SQL,
            measured values or national identifiers.

            ## Compatibility
            Fields may be added to requests and responses; they are not renamed or
            removed within `/v1`. Clients must ignore members they do not know.
        servers:
          - url: http://127.0.0.1:8080
            description: a local `varde serve` (default host and port)
        security:
          - staffToken: []
        tags:
          - name: operations
            description: Liveness, readiness and this document (no credentials).
          - name: admin
            description: Teams, gateways and gateway keys.
          - name: patients
            description: Enrolment, the patient view, teams, thresholds, devices and discharge.
          - name: readings
            description: Native JSON ingest for gateways, a patient's readings, voiding.
          - name: fhir
            description: FHIR R4 ingest and search (vital-signs Observations).
          - name: alerts
            description: Team alert feeds, worklists and the alert workflow.
          - name: audit
            description: History, point-in-time views, alert explanations, verification and the access log.
        paths:
        """#
}
