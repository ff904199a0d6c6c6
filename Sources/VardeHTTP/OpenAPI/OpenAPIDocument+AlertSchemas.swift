extension OpenAPIDocument {
    /// Alerts, the feed page and the workflow body.
    static let alertSchemas = #"""
            Severity:
              type: string
              description: 'yellow: signs of deterioration; red: act now.'
              enum: [yellow, red]
            AlertState:
              type: string
              enum: [open, acknowledged, escalated, resolved]
            AlertChange:
              type: string
              description: What happened to the alert in this feed entry.
              enum: [raised, updated, acknowledged, escalated, resolved]
            ActorRef:
              type: object
              required: [subject, role]
              properties:
                subject:
                  type: string
                  description: The credential's subject (never a national identifier); `system` for the server itself.
                role:
                  type: string
                  examples: [nurse, clinician, system]
            AlertStamp:
              type: object
              description: A step taken on an alert.
              required: [by, at]
              properties:
                by:
                  $ref: '#/components/schemas/ActorRef'
                at:
                  $ref: '#/components/schemas/Instant'
                note:
                  type: string
            Alert:
              type: object
              description: >-
                An alert as it stands. A further breach of the same rule while the alert is
                open updates it (worst value, count; a red breach raises a yellow alert's
                severity) instead of raising a new one.
              required: [id, patientId, severity, rule, measurement, state, worstValue, limit, breachCount,
                         readings, thresholdVersion, raisedAt, teams]
              properties:
                id:
                  $ref: '#/components/schemas/Uuid'
                patientId:
                  $ref: '#/components/schemas/Uuid'
                severity:
                  $ref: '#/components/schemas/Severity'
                rule:
                  type: string
                  description: e.g. `spo2.low`, `systolic.high`, `weight.gain`, `overdue.spo2`.
                  examples: [spo2.low]
                measurement:
                  $ref: '#/components/schemas/MeasurementKind'
                state:
                  $ref: '#/components/schemas/AlertState'
                worstValue:
                  type: number
                  description: The worst value seen (lowest for `.low` rules, highest otherwise; kg gained for `weight.gain`; hours for overdue).
                limit:
                  type: number
                  description: The limit crossed by the breach that set the current severity.
                breachCount:
                  type: integer
                  minimum: 1
                readings:
                  type: array
                  description: Event ids of the readings that breached the rule, in arrival order (empty for overdue alerts).
                  items:
                    $ref: '#/components/schemas/Uuid'
                thresholdVersion:
                  type: integer
                  description: The threshold version that judged the reading.
                raisedAt:
                  $ref: '#/components/schemas/Instant'
                teams:
                  type: array
                  description: The teams whose feeds show the alert now.
                  items:
                    $ref: '#/components/schemas/Uuid'
                acknowledged:
                  $ref: '#/components/schemas/AlertStamp'
                escalated:
                  $ref: '#/components/schemas/AlertStamp'
                resolved:
                  $ref: '#/components/schemas/AlertStamp'
                resolution:
                  type: string
                  description: 'How it was resolved: by a person, by the data (an overdue kind measured again), or withdrawn (its only reading voided).'
                  enum: [manual, autoResolved, withdrawn]
                overdueSince:
                  $ref: '#/components/schemas/Instant'
                  description: For overdue alerts, the instant the gap is counted from.
            AlertFeedItem:
              description: The alert as it stood after the change, with the change and its cursor.
              allOf:
                - $ref: '#/components/schemas/Alert'
                - type: object
                  required: [change, cursor]
                  properties:
                    change:
                      $ref: '#/components/schemas/AlertChange'
                    cursor:
                      type: string
                      description: Opaque and stable; pass it as `after` to continue after this entry.
            AlertFeedPage:
              type: object
              required: [alerts, next]
              properties:
                alerts:
                  type: array
                  description: Changes in feed order.
                  items:
                    $ref: '#/components/schemas/AlertFeedItem'
                next:
                  type: string
                  description: The cursor to poll with next (the last item's, or the one sent when the page is empty).
            AlertAction:
              type: object
              properties:
                note:
                  type: string
                  description: Kept with the step, e.g. what was done.
        """#
}
