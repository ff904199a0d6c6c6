import Foundation

/// The workflow: acknowledge from open or escalated; escalate from open or acknowledged;
/// resolve from any state but resolved. Anything else is a `conflict` (409).
extension Alert {
    public func checkAcknowledge() throws(DomainError) {
        guard state == .open || state == .escalated else { throw .conflict("alert is \(state.rawValue) and cannot be acknowledged") }
    }

    public func checkEscalate() throws(DomainError) {
        guard state == .open || state == .acknowledged else { throw .conflict("alert is \(state.rawValue) and cannot be escalated") }
    }

    public func checkResolve() throws(DomainError) {
        guard state != .resolved else { throw .conflict("alert is already resolved") }
    }

    /// Applies a further breach of the same rule: count, worst value, readings; severity only rises.
    public mutating func applyBreach(reading: UUID, value: Double, severity new: Severity, limit newLimit: Double) {
        breachCount += 1
        worstValue = worse(worstValue, value)
        readings.append(reading)
        if new > severity {
            severity = new
            limit = newLimit
        }
    }

    public mutating func applyAcknowledge(_ stamp: AlertStamp) {
        state = .acknowledged
        acknowledged = stamp
        note(stamp)
    }

    public mutating func applyEscalate(_ stamp: AlertStamp) {
        state = .escalated
        escalated = stamp
        note(stamp)
    }

    public mutating func applyResolve(_ stamp: AlertStamp, resolution: AlertResolution) {
        state = .resolved
        resolved = stamp
        self.resolution = resolution
        note(stamp)
    }

    private mutating func note(_ stamp: AlertStamp) {
        if let n = stamp.note, !n.isEmpty { notes.append(stamp) }
    }
}
