import Foundation

/// Name-based UUIDs (RFC 9562 version 5, SHA-1) so that replaying a decision reproduces its ids.
public enum DeterministicID {
    /// RFC 9562 namespace for DNS names (used by the test vectors).
    public static let dnsNamespace = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
    /// Varde's namespace for reading event ids (itself uuid5(DNS, "readings.varde.no")).
    public static let readingNamespace = uuid5(namespace: dnsNamespace, name: "readings.varde.no")

    /// UUIDv5 of `name` (UTF-8) in `namespace`.
    public static func uuid5(namespace: UUID, name: String) -> UUID {
        let ns = namespace.uuid
        let nsBytes = [ns.0, ns.1, ns.2, ns.3, ns.4, ns.5, ns.6, ns.7, ns.8, ns.9, ns.10, ns.11, ns.12, ns.13, ns.14, ns.15]
        var b = Array(SHA1.digest(nsBytes + Array(name.utf8)).prefix(16))
        b[6] = (b[6] & 0x0F) | 0x50  // version 5
        b[8] = (b[8] & 0x3F) | 0x80  // RFC 9562 variant
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// The idempotency key of a gateway's reading: `<gateway uuid or "-">/<gateway reading id>`.
    public static func gatewayReadingKey(gateway: UUID?, gatewayReadingID: String) -> String {
        (gateway?.lowercasedText ?? "-") + "/" + gatewayReadingID
    }

    /// The event id of a `ReadingRecorded`: uuid5(readingNamespace, gatewayReadingKey).
    public static func readingEventID(gateway: UUID?, gatewayReadingID: String) -> UUID {
        uuid5(namespace: readingNamespace, name: gatewayReadingKey(gateway: gateway, gatewayReadingID: gatewayReadingID))
    }

    /// The id of an alert raised by a reading: uuid5(readingEventID, rule).
    public static func alertID(readingEventID: UUID, rule: AlertRule) -> UUID {
        uuid5(namespace: readingEventID, name: rule.rawValue)
    }

    /// The id of an overdue alert: uuid5(patientID, "<rule>@<since, ISO 8601 ms>"); one per gap.
    public static func overdueAlertID(patientID: UUID, rule: AlertRule, since: Date) -> UUID {
        uuid5(namespace: patientID, name: "\(rule.rawValue)@\(EventDate.format(since))")
    }
}
