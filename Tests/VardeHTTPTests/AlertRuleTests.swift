import Foundation
import Testing

/// Threshold rules judged through the whole server: gateway post → decide →
/// event → projector → the kommune team's feed. Each case posts one reading;
/// a breach must raise exactly one alert (red wins over yellow), which the
/// nurse then resolves so the next case starts with no open alert.
@Suite("HTTP: threshold rules")
struct AlertRuleTests {
    struct Case: Sendable, CustomStringConvertible {
        var kind: String
        var value: Double?
        var systolic: Double?
        var diastolic: Double?
        /// (rule, severity), or nil for no alert.
        var expect: (String, String)?
        var description: String { "\(kind) \(value ?? systolic ?? 0)/\(diastolic ?? 0) → \(expect.map { "\($0.1) \($0.0)" } ?? "none")" }
    }

    static func v(_ kind: String, _ value: Double, _ expect: (String, String)?) -> Case {
        Case(kind: kind, value: value, expect: expect)
    }

    static func bp(_ sys: Double, _ dia: Double, _ expect: (String, String)?) -> Case {
        Case(kind: "bloodPressure", systolic: sys, diastolic: dia, expect: expect)
    }

    /// kols defaults: SpO2 yellow ≤ 89, red ≤ 85; systolic ≤ 100/90 and ≥ 180/220;
    /// temperature ≤ 36.0/35.0 and ≥ 38.1/39.1; pulse ≤ 50/40 and ≥ 111/131. Bounds inclusive.
    static let kols: [Case] = [
        v("spo2", 90, nil), v("spo2", 89, ("spo2.low", "yellow")), v("spo2", 86, ("spo2.low", "yellow")),
        v("spo2", 85, ("spo2.low", "red")), v("spo2", 80, ("spo2.low", "red")),
        bp(101, 70, nil), bp(100, 70, ("systolic.low", "yellow")), bp(91, 60, ("systolic.low", "yellow")),
        bp(90, 60, ("systolic.low", "red")),
        bp(179, 95, nil), bp(180, 95, ("systolic.high", "yellow")), bp(219, 95, ("systolic.high", "yellow")),
        bp(220, 105, ("systolic.high", "red")),
        v("temperature", 36.1, nil), v("temperature", 38.0, nil),
        v("temperature", 36.0, ("temperature.low", "yellow")), v("temperature", 35.1, ("temperature.low", "yellow")),
        v("temperature", 35.0, ("temperature.low", "red")),
        v("temperature", 38.1, ("temperature.high", "yellow")), v("temperature", 39.0, ("temperature.high", "yellow")),
        v("temperature", 39.1, ("temperature.high", "red")),
        v("pulse", 51, nil), v("pulse", 50, ("pulse.low", "yellow")), v("pulse", 40, ("pulse.low", "red")),
        v("pulse", 110, nil), v("pulse", 111, ("pulse.high", "yellow")), v("pulse", 131, ("pulse.high", "red")),
    ]

    @Test("kols defaults at both levels and their exact boundaries; one alert per breach, red wins")
    func kolsBands() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            var cursor = try await client.drain(world.kommune, token: world.nurse).next
            for (i, c) in Self.kols.enumerated() {
                try await client.post(
                    world,
                    [
                        Client.item(
                            "rule-\(i)", c.kind, c.value, offset: Double(i) + 1,
                            systolic: c.systolic, diastolic: c.diastolic)
                    ])
                let page = try await client.drain(world.kommune, token: world.nurse, after: cursor)
                guard let (rule, severity) = c.expect else {
                    #expect(page.entries.isEmpty, "\(c)")
                    cursor = page.next
                    continue
                }
                try #require(page.entries.count == 1, "\(c): \(page.entries)")
                let raised = page.entries[0]
                #expect(raised.change == "raised", "\(c)")
                #expect(raised.rule == rule, "\(c)")
                #expect(raised.severity == severity, "\(c)")
                #expect(raised.state == "open", "\(c)")
                #expect(raised.thresholdVersion == 1, "\(c)")
                #expect(try await client.act("resolve", raised.id, token: world.nurse).status == .ok)
                cursor = try await client.drain(world.kommune, token: world.nurse, after: page.next).next
            }
        }
    }

    @Test("hjertesvikt weight gain against the lowest weight in 3 days: 1.9 kg none, 2.0 yellow, 3.0 raises it to red")
    func weightGain() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let patient = try await client.patient(
                world, nationalID: World.nationalIDs[1], program: "hjertesvikt", serial: "SC-1", kind: "scale")
            let start = try await client.drain(world.kommune, token: world.nurse).next
            try await client.post(world, [Client.item("w-1", "weight", 80.5, serial: "SC-1", offset: 1)])
            try await client.post(world, [Client.item("w-2", "weight", 80.0, serial: "SC-1", offset: 2)])
            try await client.post(world, [Client.item("w-3", "weight", 81.9, serial: "SC-1", offset: 3)])
            #expect(try await client.drain(world.kommune, token: world.nurse, after: start).entries.isEmpty)

            try await client.post(world, [Client.item("w-4", "weight", 82.0, serial: "SC-1", offset: 4)])
            let yellow = try await client.drain(world.kommune, token: world.nurse, after: start)
            try #require(yellow.entries.count == 1)
            #expect(yellow.entries[0].rule == "weight.gain")
            #expect(yellow.entries[0].severity == "yellow")
            #expect(yellow.entries[0].worstValue == 2.0)
            // The auditor sees what the gain was measured against: w-2, the lowest weight before w-4.
            let why = try await client.request(.get, "/v1/audit/alerts/\(yellow.entries[0].id)/explanation", token: world.auditor)
            let baseline = try #require(why.object["baseline"] as? [String: Any], "\(why.text)")
            #expect(baseline["kg"] as? Double == 80.0)
            #expect(((baseline["reading"] as? [String: Any])?["data"] as? [String: Any])?["gatewayReadingId"] as? String == "w-2")

            try await client.post(world, [Client.item("w-5", "weight", 83.0, serial: "SC-1", offset: 5)])
            let red = try await client.drain(world.kommune, token: world.nurse, after: yellow.next)
            try #require(red.entries.count == 1)
            #expect(red.entries[0].id == yellow.entries[0].id)
            #expect(red.entries[0].change == "updated")
            #expect(red.entries[0].severity == "red")
            #expect(red.entries[0].worstValue == 3.0)
            #expect(red.entries[0].breachCount == 2)
            let view = try await client.view(patient, token: world.nurse)
            #expect(view["status"] as? String == "red")
        }
    }
}
