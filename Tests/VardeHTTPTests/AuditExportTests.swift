import Foundation
import Testing
import VardeCore
import VardeHTTP
import VardeStore

/// `varde export` writes one `ExportLine` per event: the lines parse back to
/// the stored events, and the hash chain recomputed from the lines alone
/// gives the stored hashes.
@Suite("Audit: export round trip")
struct AuditExportTests {
    /// A patient's history as `varde export --patient` writes it.
    static func export(_ client: Client, _ patient: UUID) async throws -> (ndjson: String, stored: [RecordedEvent]) {
        let stored = try await EventStore(database: client.database).read(stream: StreamName.patient(patient))
        return (try stored.map { try ExportLine.json($0) + "\n" }.joined(), stored)
    }

    /// jsonb's text form of a JSON value, the form the hash covers.
    static func canonical(_ value: Any, _ database: Database) async throws -> String {
        let text = String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self)
        return try await database.withConnection { try $0.query("SELECT $1::jsonb::text", [text]).requireString(0, 0) }
    }

    /// Microseconds since the epoch of `2026-01-02T03:04:05.123456Z`.
    static func micros(_ text: String) throws -> Int64 {
        let parts = text.dropLast().split(separator: ".")
        try #require(text.hasSuffix("Z") && parts.count == 2 && parts[1].count == 6, "recordedAt \(text) has no microseconds")
        let seconds = try #require(ISO8601DateFormatter().date(from: parts[0] + "Z"))
        return Int64(seconds.timeIntervalSince1970) * 1_000_000 + (Int64(parts[1]) ?? -1)
    }

    @Test("exported lines parse back to the stored events and recompute the stored hash chain")
    func roundTrip() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            try await client.post(w, [Client.item("x-1", "spo2", 84, offset: 1), Client.item("x-2", "pulse", 72, offset: 2)])
            let alert = try #require(try await client.drain(w.kommune, token: w.nurse).entries.first?.id)
            #expect(try await client.act("acknowledge", alert, token: w.nurse, note: "ringte «pasienten» / æøå").status == .ok)
            let (ndjson, stored) = try await Self.export(client, w.patient)
            let lines = ndjson.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            try #require(lines.count == stored.count && stored.count >= 7)
            #expect(ndjson.hasSuffix("\n") && !lines.contains { $0.isEmpty || $0.contains("\n") })

            var previous = HashChain.genesis
            for (line, event) in zip(lines, stored) {
                let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                #expect(o["eventId"] as? String == event.id.uuidString.lowercased())
                #expect((o["version"] as? NSNumber)?.int64Value == event.version)
                #expect((o["position"] as? NSNumber)?.int64Value == event.position)
                #expect(o["type"] as? String == event.type)
                #expect(o["schemaVersion"] as? Int == event.schemaVersion)
                #expect(o["hash"] as? String == Hex.encode(event.hash))
                let data = try #require(o["data"])
                let storedData = String(decoding: event.data, as: UTF8.self)
                #expect(try await Self.canonical(data, client.database) == storedData, "\(event.type) data")
                let metadata = try await Self.canonical(try #require(o["metadata"]), client.database)
                let storedMetadata = try await client.database.withConnection {
                    try $0.query("SELECT metadata::text FROM events WHERE event_id = $1::uuid", [event.id.uuidString]).requireString(0, 0)
                }
                #expect(metadata == storedMetadata, "\(event.type) metadata")

                // Recompute from the line alone: stream, envelope, recorded time, body and metadata.
                let stream = try #require(o["stream"] as? String, "the line names its stream")
                #expect(stream == StreamName.patient(w.patient))
                let dataText = try await Self.canonical(data, client.database)
                let recomputed = Array(dataText.utf8).withUnsafeBufferPointer { d in
                    Array(metadata.utf8).withUnsafeBufferPointer { m in
                        HashChain.hash(
                            previous: previous, stream: stream, version: (o["version"] as? NSNumber)?.int64Value ?? -1,
                            id: o["eventId"] as? String ?? "", type: o["type"] as? String ?? "",
                            schemaVersion: Int64(o["schemaVersion"] as? Int ?? -1),
                            recordedMicros: (try? Self.micros(o["recordedAt"] as? String ?? "")) ?? -1, data: d, metadata: m)
                    }
                }
                #expect(Hex.encode(recomputed) == o["hash"] as? String, "\(event.type) v\(event.version)")
                previous = recomputed
            }
        }
    }
}
