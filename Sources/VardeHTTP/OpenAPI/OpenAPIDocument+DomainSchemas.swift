extension OpenAPIDocument {
    /// Teams, gateways, patients, thresholds and devices.
    static let domainSchemas = #"""
            MeasurementKind:
              type: string
              enum: [bloodPressure, spo2, weight, pulse, temperature]
            Program:
              type: string
              description: The follow-up program; it picks the default thresholds and measurement plan.
              enum: [kols, hjertesvikt, hypertensjon, generell]
            Kommunenummer:
              type: string
              pattern: '^[0-9]{4}$'
              description: 4 digits with leading zero (0301 Oslo, 5001 Trondheim).
              examples: ['5001']
            CreateTeam:
              type: object
              required: [name, kind]
              properties:
                name:
                  type: string
                  minLength: 1
                  maxLength: 200
                kind:
                  type: string
                  enum: [kommune, sykehus]
                kommunenummer:
                  $ref: '#/components/schemas/Kommunenummer'
                  description: Required for a kommune team.
                healthTrust:
                  type: string
                  minLength: 1
                  maxLength: 200
                  description: The health trust (helseforetak) a sykehus team belongs to; required for a sykehus team.
            Team:
              type: object
              required: [id, name, kind]
              properties:
                id:
                  $ref: '#/components/schemas/Uuid'
                name:
                  type: string
                kind:
                  type: string
                  enum: [kommune, sykehus]
                kommunenummer:
                  $ref: '#/components/schemas/Kommunenummer'
                healthTrust:
                  type: string
            CreateGateway:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                  minLength: 1
                  maxLength: 200
            IssuedGatewayKey:
              type: object
              required: [gatewayId, keyId, apiKey]
              properties:
                gatewayId:
                  $ref: '#/components/schemas/Uuid'
                keyId:
                  type: string
                  description: The key's public id, for revoking it.
                apiKey:
                  type: string
                  description: The key itself (`vgk_…`), shown this once and never stored.
            PatientTeams:
              type: object
              required: [kommune]
              properties:
                kommune:
                  $ref: '#/components/schemas/Uuid'
                  description: A kommune team.
                sykehus:
                  $ref: '#/components/schemas/Uuid'
                  description: A sykehus team (optional).
            EnrollPatient:
              type: object
              required: [nationalId, kommunenummer, program, teams]
              properties:
                nationalId:
                  type: string
                  pattern: '^[0-9]{11}$'
                  description: Fødselsnummer or D-nummer (synthetic Test-Norge numbers accepted). Stored, never logged, never in a URL.
                kommunenummer:
                  $ref: '#/components/schemas/Kommunenummer'
                program:
                  $ref: '#/components/schemas/Program'
                teams:
                  $ref: '#/components/schemas/PatientTeams'
            PatientSearch:
              type: object
              required: [nationalId]
              properties:
                nationalId:
                  type: string
                  pattern: '^[0-9]{11}$'
            Discharge:
              type: object
              properties:
                reason:
                  type: string
            SetThresholds:
              type: object
              required: [thresholds, reason]
              properties:
                thresholds:
                  $ref: '#/components/schemas/ThresholdSet'
                reason:
                  type: string
                  minLength: 1
                  description: Why the thresholds change (required, not blank).
            SetRouting:
              type: object
              required: [routing]
              properties:
                routing:
                  $ref: '#/components/schemas/RoutingOption'
            ThresholdBound:
              type: object
              description: >-
                A limit at two levels; bounds are inclusive. For a low bound a value at or
                below the limit breaches, for a high bound at or above. Red must be at
                least as severe as yellow; at least one is given.
              properties:
                yellow:
                  type: number
                red:
                  type: number
            WeightGainRule:
              type: object
              description: Weight gain of at least `yellowKg`/`redKg` over the lowest weight measured in the preceding `windowDays`.
              required: [windowDays]
              properties:
                yellowKg:
                  type: number
                  exclusiveMinimum: 0
                redKg:
                  type: number
                  exclusiveMinimum: 0
                windowDays:
                  type: number
                  exclusiveMinimum: 0
            ExpectedMeasurement:
              type: object
              description: A kind the patient is expected to measure every `intervalHours`; an overdue alert follows after a further `graceHours`.
              required: [kind, intervalHours, graceHours]
              properties:
                kind:
                  $ref: '#/components/schemas/MeasurementKind'
                intervalHours:
                  type: number
                  exclusiveMinimum: 0
                graceHours:
                  type: number
                  minimum: 0
            ThresholdSet:
              type: object
              description: >-
                A patient's alert thresholds (rules `spo2.low`, `systolic.low`,
                `systolic.high`, `diastolic.high`, `pulse.low`, `pulse.high`,
                `temperature.low`, `temperature.high`, `weight.gain`, `overdue.<kind>`).
                An omitted bound is no rule; an empty `expected` means no overdue alerts.
                Values in canonical units (mm[Hg], %, /min, Cel, kg).
              required: [expected]
              properties:
                spo2Low:
                  $ref: '#/components/schemas/ThresholdBound'
                systolicLow:
                  $ref: '#/components/schemas/ThresholdBound'
                systolicHigh:
                  $ref: '#/components/schemas/ThresholdBound'
                diastolicHigh:
                  $ref: '#/components/schemas/ThresholdBound'
                pulseLow:
                  $ref: '#/components/schemas/ThresholdBound'
                pulseHigh:
                  $ref: '#/components/schemas/ThresholdBound'
                temperatureLow:
                  $ref: '#/components/schemas/ThresholdBound'
                temperatureHigh:
                  $ref: '#/components/schemas/ThresholdBound'
                weightGain:
                  $ref: '#/components/schemas/WeightGainRule'
                expected:
                  type: array
                  description: The missing-measurement plan (each kind at most once).
                  items:
                    $ref: '#/components/schemas/ExpectedMeasurement'
            BindDevice:
              type: object
              required: [serial, kind]
              properties:
                serial:
                  type: string
                  minLength: 1
                  maxLength: 100
                kind:
                  type: string
                  description: A device kind or a measurement kind.
                  enum: [bloodPressureMonitor, pulseOximeter, scale, thermometer, multi, bloodPressure, spo2, weight, pulse, temperature]
            DeviceBinding:
              type: object
              required: [serial, kind, from]
              properties:
                serial:
                  type: string
                kind:
                  type: string
                from:
                  $ref: '#/components/schemas/Instant'
                to:
                  $ref: '#/components/schemas/Instant'
                  description: When the device was unbound (absent while bound).
            PatientStatus:
              type: string
              description: 'The colour of the worst open alert: red, yellow, or green when none is open.'
              enum: [green, yellow, red]
            RoutingOption:
              type: string
              description: >-
                `standard`: yellow to the kommune team, red to kommune and sykehus;
                `yellowAlsoToSykehus`; `redOnlyKommune` (red stays with the kommune team
                until escalated).
              enum: [standard, yellowAlsoToSykehus, redOnlyKommune]
            PatientSummary:
              type: object
              description: A patient in a worklist or search result.
              required: [id, kommunenummer, program, status, teams, latest, openAlerts]
              properties:
                id:
                  $ref: '#/components/schemas/Uuid'
                kommunenummer:
                  $ref: '#/components/schemas/Kommunenummer'
                program:
                  $ref: '#/components/schemas/Program'
                status:
                  $ref: '#/components/schemas/PatientStatus'
                teams:
                  $ref: '#/components/schemas/PatientTeams'
                latest:
                  $ref: '#/components/schemas/LatestByKind'
                dischargedAt:
                  $ref: '#/components/schemas/NullableInstant'
                openAlerts:
                  type: integer
                  minimum: 0
                  description: How many alerts are not resolved.
            PatientList:
              type: object
              required: [patients]
              properties:
                patients:
                  type: array
                  items:
                    $ref: '#/components/schemas/PatientSummary'
            PatientView:
              type: object
              description: The nurse's view of one patient, from the projections.
              required: [id, nationalId, kommunenummer, program, status, teams, routing, enrolledAt, thresholds,
                         thresholdVersion, devices, latest, version, openAlerts, recent]
              properties:
                id:
                  $ref: '#/components/schemas/Uuid'
                nationalId:
                  type: string
                kommunenummer:
                  $ref: '#/components/schemas/Kommunenummer'
                program:
                  $ref: '#/components/schemas/Program'
                status:
                  $ref: '#/components/schemas/PatientStatus'
                teams:
                  $ref: '#/components/schemas/PatientTeams'
                routing:
                  $ref: '#/components/schemas/RoutingOption'
                enrolledAt:
                  $ref: '#/components/schemas/Instant'
                dischargedAt:
                  $ref: '#/components/schemas/NullableInstant'
                thresholds:
                  $ref: '#/components/schemas/ThresholdSet'
                thresholdVersion:
                  type: integer
                  description: The version of the thresholds in force (the program defaults set at enrolment are version 1; each change adds one).
                devices:
                  type: array
                  description: Every binding, past and present.
                  items:
                    $ref: '#/components/schemas/DeviceBinding'
                latest:
                  $ref: '#/components/schemas/LatestByKind'
                version:
                  type: integer
                  description: The patient stream's version the view reflects.
                openAlerts:
                  type: array
                  description: Alerts not resolved, oldest first.
                  items:
                    $ref: '#/components/schemas/Alert'
                recent:
                  type: object
                  description: Non-void readings measured since 30 days ago, per kind, in measured-time order.
                  propertyNames:
                    $ref: '#/components/schemas/MeasurementKind'
                  additionalProperties:
                    type: array
                    items:
                      $ref: '#/components/schemas/LatestReading'
        """#
}
