extension OpenAPIDocument {
    /// Readings in (the native batch) and out (stored values).
    static let readingSchemas = #"""
            ReadingBatch:
              type: object
              required: [readings]
              properties:
                readings:
                  type: array
                  minItems: 1
                  maxItems: 1000
                  items:
                    $ref: '#/components/schemas/ReadingItem'
            ReadingItem:
              type: object
              description: >-
                One reading as a gateway sends it. Name the patient by `patientId` or by
                `deviceSerial` (with both, the device must be bound to that patient at
                `measuredAt`). Blood pressure has `systolic`, `diastolic` and optional
                `pulse` instead of `value`. A missing or invalid field rejects this item
                only (status `rejected`, with a pointer such as `/readings/3/unit`); the
                rest of the batch is still handled.
              required: [id, measuredAt, kind, unit]
              anyOf:
                - required: [patientId]
                - required: [deviceSerial]
              properties:
                id:
                  type: string
                  minLength: 1
                  maxLength: 200
                  description: The gateway's own reading id; a resent id is answered `duplicate`.
                patientId:
                  $ref: '#/components/schemas/Uuid'
                deviceSerial:
                  type: string
                measuredAt:
                  $ref: '#/components/schemas/Instant'
                  description: When the device measured (RFC 3339 with offset). Late and out-of-order readings are accepted; too far in the future is rejected.
                kind:
                  $ref: '#/components/schemas/MeasurementKind'
                unit:
                  type: string
                  description: >-
                    UCUM: `mm[Hg]` or `kPa` (blood pressure), `%` (SpO2), `kg`, `g` or
                    `[lb_av]` (weight), `/min` (pulse), `Cel` or `[degF]` (temperature).
                  examples: ['mm[Hg]', '%', kg, /min, Cel]
                value:
                  type: number
                  description: The value, for every kind but bloodPressure.
                systolic:
                  type: number
                diastolic:
                  type: number
                pulse:
                  type: number
                  description: The pulse a blood-pressure cuff measured with it (optional).
            ReadingResults:
              type: object
              required: [results]
              properties:
                results:
                  type: array
                  description: One per submitted reading, in request order.
                  items:
                    $ref: '#/components/schemas/ReadingResult'
            ReadingResult:
              type: object
              required: [status]
              properties:
                id:
                  type: string
                  description: The gateway's reading id, echoed (absent if the item had none).
                status:
                  type: string
                  enum: [created, duplicate, rejected]
                eventId:
                  $ref: '#/components/schemas/Uuid'
                  description: The stored reading's event id (for `duplicate`, the original one); absent when rejected.
                error:
                  $ref: '#/components/schemas/ReadingError'
            ReadingError:
              type: object
              description: Why one reading was rejected, shaped like a problem.
              required: [status, title, detail]
              properties:
                status:
                  type: integer
                  description: 422 invalid or implausible values, unknown unit, future time; 404 unknown patient or device; 403 device not bound to the patient at the measured time; 409 conflict.
                title:
                  type: string
                detail:
                  type: string
                pointer:
                  type: string
                  description: JSON pointer into the request, e.g. `/readings/3/diastolic`.
            MeasurementValue:
              type: object
              description: >-
                A stored value in canonical units (mm[Hg], %, kg, /min, Cel): `value` for
                every kind but bloodPressure, which has `systolic`, `diastolic` and
                optional `pulse`.
              required: [kind]
              properties:
                kind:
                  $ref: '#/components/schemas/MeasurementKind'
                value:
                  type: number
                systolic:
                  type: number
                diastolic:
                  type: number
                pulse:
                  type: number
            LatestReading:
              type: object
              required: [readingId, value, measuredAt]
              properties:
                readingId:
                  $ref: '#/components/schemas/Uuid'
                value:
                  $ref: '#/components/schemas/MeasurementValue'
                measuredAt:
                  $ref: '#/components/schemas/Instant'
            LatestByKind:
              type: object
              description: The latest non-void reading of each kind measured so far.
              propertyNames:
                $ref: '#/components/schemas/MeasurementKind'
              additionalProperties:
                $ref: '#/components/schemas/LatestReading'
            Reading:
              type: object
              required: [eventId, kind, value, measuredAt, receivedAt, voided]
              properties:
                eventId:
                  $ref: '#/components/schemas/Uuid'
                kind:
                  $ref: '#/components/schemas/MeasurementKind'
                value:
                  $ref: '#/components/schemas/MeasurementValue'
                measuredAt:
                  $ref: '#/components/schemas/Instant'
                receivedAt:
                  $ref: '#/components/schemas/Instant'
                deviceSerial:
                  type: [string, "null"]
                voided:
                  type: boolean
            ReadingList:
              type: object
              required: [readings]
              properties:
                readings:
                  type: array
                  items:
                    $ref: '#/components/schemas/Reading'
            VoidReading:
              type: object
              required: [reason]
              properties:
                reason:
                  type: string
                  minLength: 1
                  description: Why the reading was entered in error (required, not blank).
            VoidedReading:
              type: object
              required: [readingId, status]
              properties:
                readingId:
                  $ref: '#/components/schemas/Uuid'
                status:
                  type: string
                  const: voided
        """#
}
