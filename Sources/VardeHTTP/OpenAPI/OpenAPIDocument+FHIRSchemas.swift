extension OpenAPIDocument {
    /// The parts of FHIR R4 Varde reads and writes. Other members are allowed and ignored.
    static let fhirSchemas = #"""
            Coding:
              type: object
              properties:
                system:
                  type: string
                  examples: ['http://loinc.org']
                code:
                  type: string
                  examples: [59408-5]
                display:
                  type: string
            CodeableConcept:
              type: object
              properties:
                coding:
                  type: array
                  items:
                    $ref: '#/components/schemas/Coding'
                text:
                  type: string
            Quantity:
              type: object
              properties:
                value:
                  type: number
                unit:
                  type: string
                system:
                  type: string
                  examples: ['http://unitsofmeasure.org']
                code:
                  type: string
                  description: The UCUM code, e.g. `%`, `mm[Hg]`, `kg`, `[lb_av]`, `/min`, `Cel`, `[degF]`.
            Identifier:
              type: object
              properties:
                system:
                  type: string
                  description: For a patient, `urn:oid:2.16.578.1.12.4.1.4.1` (fødselsnummer) or `urn:oid:2.16.578.1.12.4.1.4.2` (D-nummer).
                value:
                  type: string
            Reference:
              type: object
              properties:
                reference:
                  type: string
                  examples: [Patient/0b7f3c2e-4a1d-4c55-9d7e-2f0c8a1b6e90]
                identifier:
                  $ref: '#/components/schemas/Identifier'
                display:
                  type: string
            Period:
              type: object
              properties:
                start:
                  type: string
                end:
                  type: string
            Extension:
              type: object
              required: [url]
              properties:
                url:
                  type: string
                  examples: ['http://hl7.org/fhir/StructureDefinition/observation-gatewayDevice']
                valueReference:
                  $ref: '#/components/schemas/Reference'
            ObservationComponent:
              type: object
              properties:
                code:
                  $ref: '#/components/schemas/CodeableConcept'
                valueQuantity:
                  $ref: '#/components/schemas/Quantity'
                dataAbsentReason:
                  $ref: '#/components/schemas/CodeableConcept'
            Observation:
              type: object
              description: >-
                A FHIR R4 Observation following the vital-signs profile (`status`,
                `category` vital-signs, `code`, `subject` and `effective[x]` are required;
                an `effectiveDateTime` may be a date only). Blood pressure carries its
                values in `component`. Members not listed here are accepted and ignored.
              required: [resourceType]
              properties:
                resourceType:
                  const: Observation
                id:
                  type: string
                extension:
                  type: array
                  items:
                    $ref: '#/components/schemas/Extension'
                identifier:
                  type: array
                  description: system + value is the gateway's reading id.
                  items:
                    $ref: '#/components/schemas/Identifier'
                status:
                  type: string
                  enum: [registered, preliminary, final, amended, corrected, cancelled, entered-in-error, unknown]
                category:
                  type: array
                  items:
                    $ref: '#/components/schemas/CodeableConcept'
                code:
                  $ref: '#/components/schemas/CodeableConcept'
                subject:
                  $ref: '#/components/schemas/Reference'
                effectiveDateTime:
                  type: string
                effectivePeriod:
                  $ref: '#/components/schemas/Period'
                effectiveInstant:
                  type: string
                issued:
                  type: string
                valueQuantity:
                  $ref: '#/components/schemas/Quantity'
                dataAbsentReason:
                  $ref: '#/components/schemas/CodeableConcept'
                device:
                  $ref: '#/components/schemas/Reference'
                component:
                  type: array
                  items:
                    $ref: '#/components/schemas/ObservationComponent'
            OperationOutcome:
              type: object
              required: [resourceType, issue]
              properties:
                resourceType:
                  const: OperationOutcome
                id:
                  type: string
                issue:
                  type: array
                  items:
                    type: object
                    required: [severity, code]
                    properties:
                      severity:
                        type: string
                        enum: [fatal, error, warning, information]
                      code:
                        type: string
                        description: FHIR IssueType, e.g. `invalid`, `required`, `value`, `not-found`, `forbidden`, `conflict`, `too-costly`, `not-supported`.
                      diagnostics:
                        type: string
                        description: Never holds identifiers or submitted values.
                      expression:
                        type: array
                        description: FHIRPath of the offending element, e.g. `Bundle.entry[2].resource.valueQuantity.value`.
                        items:
                          type: string
            BundleEntry:
              type: object
              properties:
                fullUrl:
                  type: string
                resource:
                  description: An Observation (requests, searchsets) or an OperationOutcome.
                  anyOf:
                    - $ref: '#/components/schemas/Observation'
                    - $ref: '#/components/schemas/OperationOutcome'
                search:
                  type: object
                  properties:
                    mode:
                      type: string
                      enum: [match, include]
                request:
                  type: object
                  required: [method, url]
                  properties:
                    method:
                      type: string
                      description: '`POST` (with url `Observation`) for the entries Varde accepts.'
                    url:
                      type: string
                    ifNoneExist:
                      type: string
                response:
                  type: object
                  required: [status]
                  properties:
                    status:
                      type: string
                      description: A status line, e.g. `201 Created`, `200 OK` (a duplicate), `422 Unprocessable Entity`.
                    location:
                      type: string
                      description: '`Observation/<event id>` of the stored reading.'
                    etag:
                      type: string
                    lastModified:
                      type: string
                    outcome:
                      $ref: '#/components/schemas/OperationOutcome'
            Bundle:
              type: object
              description: '`batch` or `transaction` in; `batch-response`, `transaction-response` or `searchset` out.'
              required: [resourceType, type]
              properties:
                resourceType:
                  const: Bundle
                id:
                  type: string
                type:
                  type: string
                  enum: [batch, transaction, batch-response, transaction-response, searchset]
                timestamp:
                  type: string
                total:
                  type: integer
                  description: In a searchset, the number of all matches, not of this page's entries.
                link:
                  type: array
                  description: In a searchset, `self` and, when more matches follow, `next` (with a `_cursor`).
                  items:
                    type: object
                    required: [relation, url]
                    properties:
                      relation:
                        type: string
                        examples: [self, next]
                      url:
                        type: string
                entry:
                  type: array
                  items:
                    $ref: '#/components/schemas/BundleEntry'
        """#
}
