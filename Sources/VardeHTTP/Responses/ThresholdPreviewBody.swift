import Foundation
import VardeCore

/// The answer of `POST /v1/patients/{id}/thresholds/preview`.
struct ThresholdPreviewBody: Encodable {
    struct Alert: Encodable {
        /// Present for an alert that was raised (and for a proposed one the same reading raised).
        var alertId: UUID?
        var rule: String
        var severity: Severity
        var raisedAt: Date
        var readingId: UUID?
        var measuredAt: Date?
        var value: Double
        var limit: Double
        var worstValue: Double
        var breachCount: Int
        var overdueSince: Date?
        var inBoth: Bool

        init(_ a: ThresholdPreview.PreviewAlert, real: Bool) {
            alertId = real || a.inBoth ? a.alertID : nil
            rule = a.rule.rawValue
            severity = a.severity
            raisedAt = a.raisedAt
            readingId = a.readingID
            measuredAt = a.measuredAt
            value = a.value
            limit = a.limit
            worstValue = a.worstValue
            breachCount = a.breachCount
            overdueSince = a.overdueSince
            inBoth = a.inBoth
        }
    }

    struct Count: Encodable {
        var wouldRaise = 0
        var raised = 0
        var inBoth = 0
        var wouldRaiseRed = 0
        var raisedRed = 0
    }

    struct RuleCount: Encodable {
        var rule: String
        var wouldRaise: Int
        var raised: Int
        var inBoth: Int
    }

    var patientId: UUID
    var days: Int
    var from: Date
    var to: Date
    var readings: Int
    var totals: Count
    var byRule: [RuleCount]
    var wouldRaise: [Alert]
    var raised: [Alert]

    init(patientId: UUID, days: Int, _ r: ThresholdPreview.Result) {
        self.patientId = patientId
        self.days = days
        from = r.from
        to = r.to
        readings = r.readings
        wouldRaise = r.wouldRaise.map { Alert($0, real: false) }
        raised = r.raised.map { Alert($0, real: true) }
        totals = Count(
            wouldRaise: r.wouldRaise.count, raised: r.raised.count, inBoth: r.raised.filter(\.inBoth).count,
            wouldRaiseRed: r.wouldRaise.filter { $0.severity == .red }.count, raisedRed: r.raised.filter { $0.severity == .red }.count)
        let rules = Set(r.wouldRaise.map(\.rule.rawValue) + r.raised.map(\.rule.rawValue)).sorted()
        byRule = rules.map { rule in
            RuleCount(
                rule: rule, wouldRaise: r.wouldRaise.filter { $0.rule.rawValue == rule }.count,
                raised: r.raised.filter { $0.rule.rawValue == rule }.count,
                inBoth: r.raised.filter { $0.rule.rawValue == rule && $0.inBoth }.count)
        }
    }
}
