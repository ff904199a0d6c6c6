import Crypto

/// Recomputes the per-stream hash chain in Swift, independently of the SQL
/// that wrote it: hash = SHA-256(previous hash ‖ canonical encoding), where the
/// canonical encoding is the event's fields joined by newlines, exactly as
/// `varde_event_canonical` in sql/functions/varde_event_canonical.sql builds it. `data` and
/// `metadata` are jsonb's text form, which PostgreSQL prints deterministically.
public enum HashChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public static func hash(
        previous: [UInt8], stream: String, version: Int64, id: String, type: String, schemaVersion: Int64,
        recordedMicros: Int64, data: UnsafeBufferPointer<UInt8>, metadata: UnsafeBufferPointer<UInt8>
    ) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        let head = "\(stream)\n\(version)\n\(id)\n\(type)\n\(schemaVersion)\n\(recordedMicros)\n"
        hasher.update(data: Array(head.utf8))
        hasher.update(bufferPointer: UnsafeRawBufferPointer(data))
        hasher.update(data: [0x0A])
        hasher.update(bufferPointer: UnsafeRawBufferPointer(metadata))
        return Array(hasher.finalize())
    }
}
