import Foundation
import Testing
import VardeCore

@testable import VardeStore

/// A feed row names at most `AlertItem.readingsNamed` readings of its alert:
/// the one that raised it and the latest; the alert history names them all.
@Suite struct AlertItemReadingsTests {
    static func alert(breaches: Int) -> (Alert, [UUID]) {
        let ids = (0..<breaches).map { _ in UUID() }
        var alert = Alert(
            id: UUID(), rule: .spo2Low, measurement: .spo2, severity: .yellow, raisedAt: Date(timeIntervalSince1970: 1_800_000_000),
            value: 89, limit: 90, reading: ids[0], thresholdVersion: 1, routedTo: [])
        for id in ids.dropFirst() { alert.applyBreach(reading: id, value: 88, severity: .yellow, limit: 90) }
        return (alert, ids)
    }

    @Test func aLongAlertNamesItsFirstAndLatestReadings() {
        let n = AlertItem.readingsNamed
        let (alert, ids) = Self.alert(breaches: n + 7)
        let item = AlertItem(alert, patientID: UUID(), change: .updated)
        #expect(item.readings.count == n)
        #expect(item.readings.first == ids[0])
        #expect(Array(item.readings.dropFirst()) == Array(ids.suffix(n - 1)))
        #expect(item.breachCount == n + 7)
        #expect(AlertItem(alert, patientID: UUID(), change: nil, everyReading: true).readings == ids)
    }

    @Test func aShortAlertNamesEveryReading() {
        let (alert, ids) = Self.alert(breaches: AlertItem.readingsNamed)
        #expect(AlertItem(alert, patientID: UUID(), change: nil).readings == ids)
    }
}
