import Foundation
import Testing

@testable import VardeCore

// Holds the hand-written JSON code (JSONReader, the fast ReadingRecorded and
// EventMetadata readers, JSONWriter, UUID text, EventDate.format) to what
// the Codable path and Foundation do.

private enum FJ {
    static let t = EventDate.normalized(Date(timeIntervalSince1970: 1_740_000_000.123))
    static let gateway = UUID(uuidString: "44444444-4444-4444-8444-444444444444")!

    static func reading(
        _ value: MeasurementValue, asSent: ReadingAsSent, gateway: UUID?, serial: String?, clockOffset: Double? = nil
    ) -> ReadingRecorded {
        ReadingRecorded(
            readingId: UUID(), gatewayReadingId: "sys|\(value.kind.rawValue)", gateway: gateway, deviceSerial: serial,
            measuredAt: t, receivedAt: t.addingTimeInterval(61.5), value: value, asSent: asSent, clockOffset: clockOffset)
    }

    static func fast(_ json: String) -> ReadingRecorded? { JSONReader.parse(Data(json.utf8)).flatMap(ReadingRecorded.init(json:)) }
    static func codable(_ json: String) -> ReadingRecorded? { try? EventJSON.decoder.decode(ReadingRecorded.self, from: Data(json.utf8)) }
    static func event(_ json: String) -> PatientEvent? {
        try? PatientEvent.decode(type: ReadingRecorded.type, schemaVersion: ReadingRecorded.schemaVersion, data: Data(json.utf8))
    }

    /// A stored `ReadingRecorded` body, with members replaced (`nil` drops one) and raw text appended before `}`.
    static func body(_ changes: [String: String?] = [:], extra: String = "") -> String {
        let base: [(String, String)] = [
            ("readingId", #""6BA7B810-9DAD-11D1-80B4-00C04FD430C8""#),
            ("gatewayReadingId", #""g-1""#),
            ("gateway", #""44444444-4444-4444-8444-444444444444""#),
            ("deviceSerial", #""dev-1""#),
            ("measuredAt", #""2025-02-19T21:20:00.000Z""#),
            ("receivedAt", #""2025-02-19T21:20:01.500Z""#),
            ("value", #"{"kind":"spo2","value":95}"#),
            ("asSent", #"{"unit":"%","value":95}"#),
        ]
        var members: [String] = []
        for (key, value) in base {
            if let change = changes[key] {
                if let change { members.append("\"\(key)\":\(change)") }
            } else {
                members.append("\"\(key)\":\(value)")
            }
        }
        return "{" + members.joined(separator: ",") + extra + "}"
    }

    /// Canonical text of a `JSONValue`, for comparing reader output.
    static func show(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): "\(n)"
        case .string(let s): "\"\(s)\""
        case .array(let items): "[" + items.map(show).joined(separator: ",") + "]"
        case .object(let members): "{" + members.map { "\"\($0.key)\":\(show($0.value))" }.joined(separator: ",") + "}"
        }
    }
}

@Suite struct FastJSONTests {
    // MARK: ReadingRecorded round trips

    static let readings: [ReadingRecorded] = [
        FJ.reading(
            .bloodPressure(systolic: 120.5, diastolic: 80, pulse: 72),
            asSent: ReadingAsSent(unit: "mm[Hg]", systolic: 120.5, diastolic: 80, pulse: 72),
            gateway: FJ.gateway, serial: "BP-1"),
        FJ.reading(
            .bloodPressure(systolic: 119, diastolic: 79.25, pulse: nil),
            asSent: ReadingAsSent(unit: "kPa", systolic: 15.87, diastolic: 10.57),
            gateway: nil, serial: nil),
        FJ.reading(.spo2(percent: 94), asSent: ReadingAsSent(unit: "%", value: 94), gateway: FJ.gateway, serial: nil),
        FJ.reading(
            .spo2(percent: 98), asSent: ReadingAsSent(unit: "%", value: 98), gateway: FJ.gateway, serial: "00-1C-05-04-00-00-78-25",
            clockOffset: 1.064),
        FJ.reading(.weight(kg: 82.35), asSent: ReadingAsSent(unit: "[lb_av]", value: 181.55), gateway: nil, serial: "scale 7"),
        FJ.reading(.pulse(perMinute: 61), asSent: ReadingAsSent(unit: "/min", value: 61), gateway: FJ.gateway, serial: "HR-9"),
        FJ.reading(.temperature(celsius: 37.25), asSent: ReadingAsSent(unit: "[degF]", value: 99.05), gateway: nil, serial: "T-1"),
    ]

    @Test(arguments: readings)
    func readingRoundTrips(_ original: ReadingRecorded) throws {
        let data = try EventJSON.encoder.encode(original)
        let json = try #require(JSONReader.parse(data))
        #expect(ReadingRecorded(json: json) == original)
        let event = try PatientEvent.decode(type: "ReadingRecorded", schemaVersion: ReadingRecorded.schemaVersion, data: data)
        #expect(event == .readingRecorded(original))
    }

    @Test func measurementKindsAreCovered() {
        #expect(Set(Self.readings.map(\.value.kind)) == Set(MeasurementKind.allCases))
    }

    // MARK: Inputs beside the plain form

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        /// Whether the fast reader should read it (else it must give nil and leave it to `JSONDecoder`).
        var fast: Bool
        /// Whether `JSONDecoder` reads it.
        var decodes: Bool
        var testDescription: String { name }
    }

    static let nestedDeep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)

    static let cases: [Case] = [
        Case(name: "plain", json: FJ.body(), fast: true, decodes: true),
        Case(name: "escaped string", json: FJ.body(["gatewayReadingId": #""g-\"1""#]), fast: false, decodes: true),
        Case(name: "escaped slash", json: FJ.body(["deviceSerial": #""a\/b""#]), fast: false, decodes: true),
        Case(
            name: "unicode escape in key", json: FJ.body(["gatewayReadingId": nil], extra: #","gatewayReading\u0049d":"g""#), fast: false,
            decodes: true),
        Case(name: "non-ASCII serial", json: FJ.body(["deviceSerial": #""Måler-1""#]), fast: false, decodes: true),
        Case(name: "DEL in string", json: FJ.body(["deviceSerial": "\"a\u{7F}b\""]), fast: true, decodes: true),
        Case(name: "raw tab in string", json: FJ.body(["deviceSerial": "\"a\tb\""]), fast: false, decodes: false),
        Case(
            name: "explicit nulls",
            json: FJ.body([
                "gateway": "null", "deviceSerial": "null",
                "value": #"{"kind":"bloodPressure","systolic":120,"diastolic":80,"pulse":null}"#,
                "asSent": #"{"unit":"mm[Hg]","value":null,"systolic":120,"diastolic":80,"pulse":null}"#,
            ]),
            fast: true, decodes: true),
        Case(
            name: "optionals absent", json: FJ.body(["gateway": nil, "deviceSerial": nil, "asSent": #"{"unit":"%"}"#]), fast: true,
            decodes: true),
        Case(name: "clock offset", json: FJ.body(extra: #","clockOffset":-3600.5"#), fast: true, decodes: true),
        Case(name: "clock offset is a string", json: FJ.body(extra: #","clockOffset":"1""#), fast: false, decodes: false),
        Case(name: "gateway is a number", json: FJ.body(["gateway": "5"]), fast: false, decodes: false),
        Case(name: "gateway not a UUID", json: FJ.body(["gateway": #""gw-1""#]), fast: false, decodes: false),
        Case(name: "serial is a bool", json: FJ.body(["deviceSerial": "true"]), fast: false, decodes: false),
        Case(name: "asSent pulse is a string", json: FJ.body(["asSent": #"{"unit":"%","pulse":"72"}"#]), fast: false, decodes: false),
        Case(
            name: "BP pulse is a string", json: FJ.body(["value": #"{"kind":"bloodPressure","systolic":120,"diastolic":80,"pulse":"x"}"#]),
            fast: false, decodes: false),
        Case(name: "readingId missing", json: FJ.body(["readingId": nil]), fast: false, decodes: false),
        Case(name: "readingId null", json: FJ.body(["readingId": "null"]), fast: false, decodes: false),
        Case(name: "asSent missing", json: FJ.body(["asSent": nil]), fast: false, decodes: false),
        Case(name: "asSent unit missing", json: FJ.body(["asSent": #"{"value":95}"#]), fast: false, decodes: false),
        Case(name: "value missing", json: FJ.body(["value": #"{"kind":"spo2"}"#]), fast: false, decodes: false),
        Case(name: "systolic missing", json: FJ.body(["value": #"{"kind":"bloodPressure","diastolic":80}"#]), fast: false, decodes: false),
        Case(
            name: "systolic is a string", json: FJ.body(["value": #"{"kind":"bloodPressure","systolic":"120","diastolic":80}"#]),
            fast: false, decodes: false),
        Case(name: "unknown kind", json: FJ.body(["value": #"{"kind":"glucose","value":5}"#]), fast: false, decodes: false),
        Case(name: "kind is a number", json: FJ.body(["value": #"{"kind":1,"value":5}"#]), fast: false, decodes: false),
        Case(name: "bad date", json: FJ.body(["measuredAt": #""2025-02-19 21:20""#]), fast: false, decodes: false),
        Case(name: "date with offset", json: FJ.body(["measuredAt": #""2025-02-19T22:20:00.25+01:00""#]), fast: true, decodes: true),
        Case(name: "lower-case UUID", json: FJ.body(["readingId": #""6ba7b810-9dad-11d1-80b4-00c04fd430c8""#]), fast: true, decodes: true),
        Case(
            name: "extra unknown keys", json: FJ.body(extra: #","extra":{"a":[1,2.5,{"b":null}],"c":true},"z":"q""#), fast: true,
            decodes: true),
        Case(name: "duplicate key", json: FJ.body(extra: #","gatewayReadingId":"g-2""#), fast: true, decodes: true),
        Case(name: "number 1e2", json: FJ.body(["value": #"{"kind":"spo2","value":1e2}"#]), fast: true, decodes: true),
        Case(name: "number 1E+2", json: FJ.body(["value": #"{"kind":"spo2","value":1E+2}"#]), fast: true, decodes: true),
        Case(name: "number -0.5", json: FJ.body(["value": #"{"kind":"temperature","value":-0.5}"#]), fast: true, decodes: true),
        Case(name: "number 37.25", json: FJ.body(["value": #"{"kind":"temperature","value":37.25}"#]), fast: true, decodes: true),
        Case(name: "number 9.5e-1", json: FJ.body(["value": #"{"kind":"weight","value":9.5e-1}"#]), fast: true, decodes: true),
        Case(name: "number -0", json: FJ.body(["value": #"{"kind":"weight","value":-0}"#]), fast: true, decodes: true),
        Case(name: "long number", json: FJ.body(["value": #"{"kind":"weight","value":37.250000000000000001}"#]), fast: true, decodes: true),
        Case(name: "huge integer", json: FJ.body(["value": #"{"kind":"weight","value":12345678901234567890}"#]), fast: true, decodes: true),
        Case(name: "number 1e400", json: FJ.body(["value": #"{"kind":"weight","value":1e400}"#]), fast: false, decodes: false),
        Case(name: "number 1e-400", json: FJ.body(["value": #"{"kind":"weight","value":1e-400}"#]), fast: false, decodes: false),
        Case(name: "number -2e-324", json: FJ.body(["asSent": #"{"unit":"kg","value":-2e-324}"#]), fast: false, decodes: false),
        Case(name: "number 5e-324", json: FJ.body(["value": #"{"kind":"weight","value":5e-324}"#]), fast: true, decodes: true),
        Case(name: "number 0e999", json: FJ.body(["value": #"{"kind":"weight","value":0e999}"#]), fast: true, decodes: true),
        Case(name: "leading zero", json: FJ.body(["value": #"{"kind":"weight","value":095}"#]), fast: false, decodes: false),
        Case(name: "number as string", json: FJ.body(["value": #"{"kind":"weight","value":"95"}"#]), fast: false, decodes: false),
        Case(
            name: "whitespace",
            json: " \n{ "
                + FJ.body().dropFirst().replacingOccurrences(of: #",""#, with: " ,\n\t\"").replacingOccurrences(
                    of: #"":"#, with: "\"\r\n : ") + "\n",
            fast: true, decodes: true),
        // Foundation's JSONDecoder lets a trailing comma pass; the fast reader leaves such text to it.
        Case(name: "trailing comma", json: FJ.body(extra: ","), fast: false, decodes: true),
        Case(name: "trailing comma in array", json: FJ.body(extra: #","extra":[1,2,]"#), fast: false, decodes: true),
        Case(name: "truncated", json: String(FJ.body().dropLast()), fast: false, decodes: false),
        Case(name: "trailing garbage", json: FJ.body() + " x", fast: false, decodes: false),
        Case(name: "not an object", json: "[" + FJ.body() + "]", fast: false, decodes: false),
        Case(name: "deep nesting", json: FJ.body(extra: #","deep":"# + nestedDeep), fast: false, decodes: true),
    ]

    @Test(arguments: cases)
    func fastPathAgreesWithDecoder(_ c: Case) {
        let fast = FJ.fast(c.json), codable = FJ.codable(c.json)
        #expect((fast != nil) == c.fast, "fast reader: \(String(describing: fast))")
        #expect((codable != nil) == c.decodes, "JSONDecoder: \(String(describing: codable))")
        if let fast { #expect(fast == codable) }
        #expect(FJ.event(c.json) == codable.map(PatientEvent.readingRecorded))
    }

    @Test func refusedInputsKeepTheirValues() throws {
        #expect(
            try #require(FJ.event(FJ.body(["gatewayReadingId": #""g-\"1""#])))
                == .readingRecorded(try #require(FJ.codable(FJ.body(["gatewayReadingId": #""g-\"1""#])))))
        #expect(FJ.codable(FJ.body(["gatewayReadingId": #""g-\"1""#]))?.gatewayReadingId == "g-\"1")
        #expect(FJ.codable(FJ.body(["deviceSerial": #""Måler-1""#]))?.deviceSerial == "Måler-1")
        let nulls = try #require(FJ.fast(FJ.body(["gateway": "null", "deviceSerial": "null"])))
        #expect(nulls.gateway == nil && nulls.deviceSerial == nil)
        #expect(FJ.fast(FJ.body(["value": #"{"kind":"spo2","value":1e2}"#]))?.value == .spo2(percent: 100))
        #expect(FJ.fast(FJ.body(["value": #"{"kind":"temperature","value":-0.5}"#]))?.value == .temperature(celsius: -0.5))
    }

    @Test func wrongTypedOptionalThrows() {
        let data = Data(FJ.body(["gateway": "5"]).utf8)
        #expect(throws: (any Error).self) { try PatientEvent.decode(type: "ReadingRecorded", schemaVersion: 1, data: data) }
        #expect(throws: (any Error).self) { try EventJSON.decoder.decode(ReadingRecorded.self, from: data) }
    }

    // MARK: JSONReader

    @Test(arguments: [
        ("true", "true"), ("false", "false"), ("null", "null"), ("0", "0.0"), ("-0", "-0.0"), ("12.5e-1", "1.25"), ("1E+2", "100.0"),
        ("\"\"", "\"\""), ("\"a b\"", "\"a b\""), ("[]", "[]"), ("{}", "{}"),
        ("[1, true ,false,null, \"a\", {\"k\": [ ]}]", "[1.0,true,false,null,\"a\",{\"k\":[]}]"),
        (" \n\t\r{ \"a\" : { \"b\" : { \"c\" : [ 1 , [ 2 ] ] } } , \"d\":-0.5 }\n ", "{\"a\":{\"b\":{\"c\":[1.0,[2.0]]}},\"d\":-0.5}"),
    ])
    func readerReads(_ input: String, _ expected: String) throws {
        let value = try #require(JSONReader.parse(Data(input.utf8)))
        #expect(FJ.show(value) == expected)
    }

    @Test(arguments: [
        "", "   ", "01", "-01", "-", "-x", "+1", ".5", "1.", "1e", "1e+", "--1", "0x10", "NaN", "Infinity", "1e400",
        "tru", "nul", "falsey", "[1,]", "[1 2]", "[", "]", "{", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{1:2}", "{'a':1}",
        "\"abc", "\"a\\nb\"", "\"é\"", "\"a\tb\"", "[1] x", "{} {}", "true false",
    ])
    func readerRefuses(_ input: String) {
        #expect(JSONReader.parse(Data(input.utf8)) == nil)
    }

    @Test func readerNestingLimit() {
        func arrays(_ n: Int) -> String { String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        func objects(_ n: Int) -> String { String(repeating: "{\"a\":", count: n) + "1" + String(repeating: "}", count: n) }
        #expect(JSONReader.parse(Data(arrays(32).utf8)) != nil)
        #expect(JSONReader.parse(Data(arrays(33).utf8)) == nil)
        #expect(JSONReader.parse(Data(objects(31).utf8)) != nil)
        #expect(JSONReader.parse(Data(objects(33).utf8)) == nil)
    }

    @Test func readerKeepsMembersInOrder() throws {
        let value = try #require(JSONReader.parse(Data(#"{"b":1,"a":"x","c":null}"#.utf8)))
        #expect(value["a"]?.string == "x")
        #expect(value["b"]?.number == 1)
        #expect(value["c"]?.isNull == true)
        #expect(value["d"] == nil)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "c"])
    }

    // MARK: EventMetadata

    static let metadata: [EventMetadata] = [
        EventMetadata(
            actor: "nurse-1", role: "nurse", team: UUID(), gateway: UUID(), device: "BP-1", requestID: "req-42",
            correlationID: UUID(), causationID: UUID()),
        EventMetadata(actor: "system", role: "system"),
        EventMetadata(actor: "gw-1", role: "gateway", gateway: FJ.gateway, requestID: "r"),
    ]

    @Test(arguments: metadata)
    func metadataRoundTrips(_ m: EventMetadata) throws {
        let data = try EventJSON.encoder.encode(m)
        #expect(EventMetadata(json: try #require(JSONReader.parse(data))) == m)
        #expect(try EventMetadata.decode(data) == m)
    }

    @Test func metadataFallsBack() throws {
        let m = EventMetadata(actor: "sykepleier-Åse", role: "nurse", team: UUID(), device: "Måler \"2\"")
        let data = try EventJSON.encoder.encode(m)
        #expect(JSONReader.parse(data) == nil)
        #expect(try EventMetadata.decode(data) == m)

        let nulls = Data(#"{"actor":"a","role":"r","team":null,"device":null,"extra":[1]}"#.utf8)
        #expect(try EventMetadata.decode(nulls) == EventMetadata(actor: "a", role: "r"))
        #expect(EventMetadata(json: try #require(JSONReader.parse(nulls))) == EventMetadata(actor: "a", role: "r"))

        for bad in [#"{"actor":"a","role":"r","team":5}"#, #"{"actor":"a"}"#, #"{"actor":"a","role":"r","causationID":"x"}"#, "[]", "{"] {
            #expect(throws: (any Error).self, "\(bad)") { try EventMetadata.decode(Data(bad.utf8)) }
            #expect(JSONReader.parse(Data(bad.utf8)).flatMap(EventMetadata.init(json:)) == nil, "\(bad)")
        }
    }

    // MARK: EventDate

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_740_000_000, "2025-02-19T21:20:00.000Z"),
        (1_740_000_000.1234, "2025-02-19T21:20:00.123Z"),
        (1_740_000_000.0006, "2025-02-19T21:20:00.001Z"),
        (1_740_000_059.9996, "2025-02-19T21:21:00.000Z"),
        (1_709_210_096.789, "2024-02-29T12:34:56.789Z"),
        (951_782_400, "2000-02-29T00:00:00.000Z"),
        (-0.001, "1969-12-31T23:59:59.999Z"),
        (-1, "1969-12-31T23:59:59.000Z"),
        (-0.0004, "1970-01-01T00:00:00.000Z"),
        (-2_208_988_800, "1900-01-01T00:00:00.000Z"),
        (-2_208_988_800.5, "1899-12-31T23:59:59.500Z"),
        (-30_610_224_000, "1000-01-01T00:00:00.000Z"),
        (-30_610_224_000.001, "0999-12-31T23:59:59.999Z"),
        (-62_135_596_800, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsDates(_ seconds: Double, _ expected: String) {
        let d = Date(timeIntervalSince1970: seconds)
        #expect(EventDate.format(d) == expected)
        #expect(EventDate.parse(expected) == EventDate.normalized(d))
        #expect(EventDate.parse(EventDate.format(d)) == EventDate.normalized(d))
    }

    @Test func formatAgreesWithCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            // 1700 … 2400: Foundation's Gregorian calendar switches to Julian before 1582.
            let ms = Int64.random(in: -8_520_336_000_000...13_569_465_600_000, using: &rng)
            let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
            let frac = ms - secs * 1000
            let c = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(secs)))
            let expected = String(
                format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%03ldZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(frac))
            let d = EventDate.date(milliseconds: ms)
            #expect(EventDate.format(d) == expected)
            #expect(EventDate.parse(EventDate.format(d)) == d)
            let raw = Date(timeIntervalSince1970: Double(ms) / 1000 + Double.random(in: -0.0004...0.0004))
            #expect(EventDate.parse(EventDate.format(raw)) == EventDate.normalized(raw))
        }
    }

    // MARK: UUID text and JSONWriter

    @Test func lowercasedUUIDText() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(id.lowercasedText == id.uuidString.lowercased())
        }
        #expect(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).lowercasedText == "00000000-0000-0000-0000-000000000000")
        #expect(UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!.lowercasedText == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test(arguments: [
        "", "plain", "quote\"d", "back\\slash", "\\\"", "/slash/", "new\nline\r\ttab", "\u{0}\u{1}\u{8}\u{C}\u{1F}", "\u{7F}",
        "æøå Måler-1", "emoji 🫀", "\u{2028}\u{2029}", "mixed \"\\\n é",
    ])
    func writerEscapesStrings(_ s: String) throws {
        var w = JSONWriter()
        w.array([s]) { w, s in w.string(s) }
        let parsed = try JSONSerialization.jsonObject(with: Data(w.bytes)) as? [String]
        #expect(parsed == [s], "\(w.text)")
        var k = JSONWriter()
        k.object { k in
            k.key(s)
            k.number(1)
        }
        let object = try JSONSerialization.jsonObject(with: Data(k.bytes)) as? [String: Any]
        #expect(object?.keys.first == s, "\(k.text)")
    }

    @Test(arguments: [
        0.0, 1, -1, 42, 100, 120.0, -273, 1e15, 9_007_199_254_740_991, 9_007_199_254_740_992, -9_007_199_254_740_992, 1e300, -1e300,
        0.1, -2.5, 37.25, 1.0 / 3, 1e-7, 123_456.789, 2.2250738585072014e-308, Double.greatestFiniteMagnitude, -0.0,
    ])
    func writerFormatsNumbers(_ n: Double) throws {
        var w = JSONWriter()
        w.array([n]) { w, n in w.number(n) }
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(w.bytes)) as? [NSNumber])
        #expect(parsed.map(\.doubleValue) == [n], "\(w.text)")
        #expect(try JSONDecoder().decode([Double].self, from: Data(w.bytes)) == [n], "\(w.text)")
        if n.rounded() == n, abs(n) < 1e15 {
            #expect(w.text == "[\(Int64(n))]")
        }
    }

    @Test func writerPlacesCommas() {
        var w = JSONWriter()
        w.object { w in
            w.member("a", 1)
            w.member("b", nil as String?)
            w.member("c", uuids: [])
            w.key("d")
            w.array([1, 2]) { w, n in w.number(n) }
            w.key("e")
            w.object { _ in }
            w.key("f")
            w.null()
            w.member("g", true)
        }
        #expect(w.text == #"{"a":1,"c":[],"d":[1,2],"e":{},"f":null,"g":true}"#)
    }
}
