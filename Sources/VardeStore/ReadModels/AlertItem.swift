import Foundation
import VardeCore

/// An alert as the read models keep it and the API shows it: the `alert`
/// column of `alerts` and the `item` of each `alert_feed` row. The projector
/// writes it (`AlertItem(_:patientID:change:)`), the queries read it back.
public struct AlertItem: Codable, Equatable, Sendable {
    public var id: UUID
    public var patientId: UUID
    public var severity: String
    public var rule: String
    public var measurement: String
    public var state: String
    public var change: String?
    public var worstValue: Double
    public var limit: Double
    public var breachCount: Int
    public var readings: [UUID]
    public var thresholdVersion: Int
    public var raisedAt: String
    public var teams: [UUID]
    public var acknowledged: AlertStamp?
    public var escalated: AlertStamp?
    public var resolved: AlertStamp?
    public var resolution: String?
    public var overdueSince: String?
}
