import Foundation
import Testing
import VardeCore

@testable import VardeHTTP

@Suite("HTTP: GET /fhir/Observation paging")
struct FHIRSearchPagingTests {
    static func link(_ reply: Client.Reply, _ relation: String) -> String? {
        (reply.object["link"] as? [[String: Any]] ?? []).first { $0["relation"] as? String == relation }?["url"] as? String
    }

    /// Follows `next` links from `first`, returning the entries in order and every page's total.
    static func pages(_ client: Client, _ first: String, token: String) async throws -> (ids: [String], totals: [Int], sizes: [Int]) {
        var (ids, totals, sizes) = ([String](), [Int](), [Int]())
        var url: String? = first
        while let next = url, sizes.count < 20 {
            let reply = try await client.request(.get, next, token: token)
            #expect(reply.status == .ok, "\(reply.text)")
            // Links are absolute (FHIR clients follow nothing else), on the host the request named.
            #expect(link(reply, "self") == (next.hasPrefix("/") ? "http://localhost" + next : next))
            #expect(link(reply, "next")?.hasPrefix("http://localhost/fhir/Observation?") != false)
            ids += FHIRSearchTests.ids(reply)
            totals.append(reply.object["total"] as? Int ?? -1)
            sizes.append(FHIRSearchTests.ids(reply).count)
            url = link(reply, "next")
        }
        return (ids, totals, sizes)
    }

    @Test("250 readings in pages of 100: each exactly once, in order both ways, the true total, next only while more follow")
    func pageThrough() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let start = Date().addingTimeInterval(-2 * 86_400)
            try await client.bind("OX-OLD", to: world.patient, since: start.addingTimeInterval(-60))
            // two readings a minute, so that measured times tie and the event id decides
            let readings = (0..<250).map { i -> [String: Any] in
                let at = ISO8601DateFormatter().string(from: start.addingTimeInterval(Double(i / 2) * 60))
                return [
                    "id": "r\(i)", "patientId": world.patient.uuidString, "measuredAt": at, "kind": "pulse", "unit": "/min", "value": 70,
                ]
            }
            let (_, results) = try await client.ingestPost(world, readings)
            #expect(results.allSatisfy { $0["status"] as? String == "created" })
            let events = results.map { $0["eventId"] as? String ?? "?" }
            let oldestFirst = zip(0..<250, events).sorted { ($0.0 / 2, $0.1) < ($1.0 / 2, $1.1) }.map(\.1)

            let base = "/fhir/Observation?patient=Patient/\(world.patient.uuidString.lowercased())"
            let up = try await Self.pages(client, base + "&_count=100", token: world.nurse)
            #expect(up.ids == oldestFirst)
            #expect(up.sizes == [100, 100, 50])
            #expect(up.totals == [250, 250, 250])
            let down = try await Self.pages(client, base + "&_sort=-date&_count=100", token: world.nurse)
            #expect(down.ids == oldestFirst.reversed())
            #expect(down.sizes == [100, 100, 50])

            // the default page is 100; an explicit oldest-first order is the same
            let first = try await client.request(.get, base, token: world.nurse)
            #expect(FHIRSearchTests.ids(first) == Array(oldestFirst.prefix(100)))
            #expect(Self.link(first, "next")?.contains("_cursor=") == true)
            let sorted = try await client.request(.get, base + "&_sort=date", token: world.nurse)
            #expect(FHIRSearchTests.ids(sorted) == Array(oldestFirst.prefix(100)))
            let all = try await client.request(.get, base + "&_count=1000", token: world.nurse)
            #expect(FHIRSearchTests.ids(all) == oldestFirst)
            #expect(Self.link(all, "next") == nil)
        }
    }

    @Test("readings recorded while a client pages neither repeat nor push out the ones it has not seen yet")
    func newReadingsWhilePaging() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let start = Date().addingTimeInterval(-2 * 86_400)
            try await client.bind("OX-OLD", to: world.patient, since: start.addingTimeInterval(-3600))
            func reading(_ id: String, _ offset: TimeInterval) -> [String: Any] {
                [
                    "id": id, "patientId": world.patient.uuidString,
                    "measuredAt": ISO8601DateFormatter().string(from: start.addingTimeInterval(offset)),
                    "kind": "pulse", "unit": "/min", "value": 70,
                ]
            }
            let (_, results) = try await client.ingestPost(world, (0..<30).map { reading("r\($0)", Double($0) * 60) })
            let events = results.map { $0["eventId"] as? String ?? "?" }
            for sort in ["date", "-date"] {
                let first = try await client.request(
                    .get, "/fhir/Observation?patient=\(world.patient)&_sort=\(sort)&_count=10", token: world.nurse)
                let next = try #require(Self.link(first, "next"))
                // one reading before everything, one after everything, one in the middle
                let (_, added) = try await client.ingestPost(
                    world,
                    [
                        reading("early-\(sort)", -1800), reading("late-\(sort)", 3600), reading("mid-\(sort)", 15 * 60 + 1),
                    ])
                let new = added.map { $0["eventId"] as? String ?? "?" }
                let rest = try await Self.pages(client, next, token: world.nurse)
                let seen = FHIRSearchTests.ids(first) + rest.ids
                #expect(Set(seen).count == seen.count)  // nothing twice
                #expect(Set(events).isSubset(of: Set(seen)))  // nothing that was there is skipped
                #expect(seen.contains(new[2]))  // the middle one sorts after the cursor either way
                #expect(seen.contains(new[sort == "date" ? 1 : 0]) && !seen.contains(new[sort == "date" ? 0 : 1]))
            }
        }
    }

    @Test("bad paging parameters are OperationOutcomes that name the parameter")
    func badPaging() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let base = "/fhir/Observation?patient=\(world.patient)"
            let ascending = FHIRSearchCursor(micros: 0, eventID: UUID(), descending: false).text
            for (query, parameter) in [
                ("_count=0", "_count"), ("_count=-5", "_count"), ("_count=abc", "_count"), ("_count=1001", "_count"), ("_count=", "_count"),
                ("_sort=code", "_sort"), ("_cursor=xyz", "_cursor"), ("_cursor=\(ascending)&_sort=-date", "_cursor"),
            ] {
                let reply = try await client.request(.get, "\(base)&\(query)", token: world.nurse)
                #expect(reply.status == .badRequest, "\(query): \(reply.text)")
                #expect(reply.headers[.contentType] == "application/fhir+json")
                #expect(reply.object["resourceType"] as? String == "OperationOutcome")
                let issue = (reply.object["issue"] as? [[String: Any]])?.first
                #expect((issue?["diagnostics"] as? String)?.hasPrefix(parameter) == true, "\(query): \(reply.text)")
            }
            let fine = try await client.request(.get, "\(base)&_cursor=\(ascending)&_count=1000", token: world.nurse)
            #expect(fine.status == .ok, "\(fine.text)")
        }
    }
}
