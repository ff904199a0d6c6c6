import Foundation
import Testing
import VardeCore

private let now = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
private let patient = UUID(uuidString: "6A0C8F52-7D39-4C1B-9E2F-0F7B1C2D3E4F")!

private func submission(
    _ kind: MeasurementKind, _ unit: String, value: Double? = nil, systolic: Double? = nil,
    diastolic: Double? = nil, pulse: Double? = nil, measuredAt: Date = now
) -> ReadingSubmission {
    ReadingSubmission(
        gatewayReadingID: "gw-1", subject: .patient(patient), measuredAt: measuredAt, kind: kind, unit: unit,
        value: value, systolic: systolic, diastolic: diastolic, pulse: pulse)
}

private func validate(_ s: ReadingSubmission) throws(DomainError) -> MeasurementValue {
    try ReadingValidator.validate(s, receivedAt: now, maxFutureSkew: 300)
}

@Suite struct ReadingValidatorTests {
    @Test(arguments: [
        (submission(.weight, "[lb_av]", value: 185), MeasurementValue.weight(kg: 83.915)),
        (submission(.weight, "g", value: 72_450), .weight(kg: 72.45)),
        (submission(.weight, "kg", value: 80.12345), .weight(kg: 80.123)),
        (submission(.temperature, "[degF]", value: 98.6), .temperature(celsius: 37)),
        (submission(.temperature, "[degF]", value: 100.4), .temperature(celsius: 38)),
        (submission(.temperature, "Cel", value: 36.456), .temperature(celsius: 36.46)),
        (submission(.bloodPressure, "kPa", systolic: 16, diastolic: 10.7), .bloodPressure(systolic: 120, diastolic: 80.3, pulse: nil)),
        (
            submission(.bloodPressure, "mm[Hg]", systolic: 128, diastolic: 82, pulse: 71),
            .bloodPressure(systolic: 128, diastolic: 82, pulse: 71)
        ),
        (submission(.spo2, "%", value: 96), .spo2(percent: 96)),
        (submission(.pulse, "/min", value: 64), .pulse(perMinute: 64)),
    ])
    func convertsToCanonicalUnits(_ s: ReadingSubmission, _ expected: MeasurementValue) throws {
        #expect(try validate(s) == expected)
    }

    @Test(arguments: [
        (MeasurementKind.bloodPressure, "mmHg"), (.bloodPressure, "kg"), (.spo2, "[%]"), (.weight, "lb"),
        (.weight, "KG"), (.pulse, "{beats}/min"), (.temperature, "degF"), (.temperature, "[degC]"),
    ])
    func rejectsUnknownUnits(_ kind: MeasurementKind, _ unit: String) {
        let s =
            kind == .bloodPressure
            ? submission(kind, unit, systolic: 120, diastolic: 80)
            : submission(kind, unit, value: 50)
        #expect(throws: DomainError.unknownUnit(field: "/unit", unit: unit)) { try validate(s) }
    }

    @Test(arguments: [
        // (submission, field of the refusal)
        (submission(.bloodPressure, "mm[Hg]", diastolic: 80), "/systolic"),
        (submission(.bloodPressure, "mm[Hg]", systolic: 120), "/diastolic"),
        (submission(.bloodPressure, "mm[Hg]", value: 120, systolic: 120, diastolic: 80), "/value"),
        (submission(.bloodPressure, "mm[Hg]", systolic: .nan, diastolic: 80), "/systolic"),
        (submission(.bloodPressure, "mm[Hg]", systolic: 120, diastolic: 80, pulse: .infinity), "/pulse"),
        (submission(.spo2, "%"), "/value"),
        (submission(.spo2, "%", value: .nan), "/value"),
        (submission(.weight, "kg", value: -.infinity), "/value"),
        (submission(.pulse, "/min", value: 60, systolic: 120), "/systolic"),
        (submission(.temperature, "Cel", value: 37, diastolic: 80), "/diastolic"),
        (submission(.spo2, "%", value: 97, pulse: 70), "/pulse"),
    ])
    func rejectsMissingExtraAndNonFiniteValues(_ s: ReadingSubmission, _ field: String) {
        #expect {
            try validate(s)
        } throws: { error in
            guard case .invalid(let f, _) = error as? DomainError else { return false }
            return f == field
        }
    }

    /// Each limit at its inclusive bounds and just outside, in canonical units.
    @Test(arguments: [
        (MeasurementKind.spo2, "/value", 50.0, 100.0, 49.9, 100.1, "50–100 %"),
        (.weight, "/value", 1, 400, 0.999, 400.001, "1–400 kg"),
        (.pulse, "/value", 20, 250, 19.9, 250.1, "20–250 /min"),
        (.temperature, "/value", 30, 45, 29.99, 45.01, "30.0–45.0 Cel"),
    ])
    func singleValueLimits(
        _ kind: MeasurementKind, _ field: String, low: Double, high: Double, below: Double, above: Double, _ limit: String
    ) throws {
        let unit = UnitConverter.canonicalUnit(for: kind)
        #expect(try validate(submission(kind, unit, value: low)).singleValue == low)
        #expect(try validate(submission(kind, unit, value: high)).singleValue == high)
        #expect(throws: DomainError.implausible(field: field, value: below, limit: limit)) {
            try validate(submission(kind, unit, value: below))
        }
        #expect(throws: DomainError.implausible(field: field, value: above, limit: limit)) {
            try validate(submission(kind, unit, value: above))
        }
    }

    @Test func bloodPressureLimitsAreInclusive() throws {
        #expect(
            try validate(submission(.bloodPressure, "mm[Hg]", systolic: 40, diastolic: 20, pulse: 20))
                == .bloodPressure(systolic: 40, diastolic: 20, pulse: 20))
        #expect(
            try validate(submission(.bloodPressure, "mm[Hg]", systolic: 300, diastolic: 200, pulse: 250))
                == .bloodPressure(systolic: 300, diastolic: 200, pulse: 250))
    }

    @Test(
        arguments: [
            (39.9, 30.0, nil, DomainError.implausible(field: "/systolic", value: 39.9, limit: "40–300 mm[Hg]")),
            (300.1, 90, nil, .implausible(field: "/systolic", value: 300.1, limit: "40–300 mm[Hg]")),
            (120, 19.9, nil, .implausible(field: "/diastolic", value: 19.9, limit: "20–200 mm[Hg]")),
            (250, 200.1, nil, .implausible(field: "/diastolic", value: 200.1, limit: "20–200 mm[Hg]")),
            (120, 80, 19.9, .implausible(field: "/pulse", value: 19.9, limit: "20–250 /min")),
            (120, 80, 250.1, .implausible(field: "/pulse", value: 250.1, limit: "20–250 /min")),
            (120, 120, nil, .implausible(field: "/diastolic", value: 120, limit: "< systolic 120.0 mm[Hg]")),
            (110, 115, nil, .implausible(field: "/diastolic", value: 115, limit: "< systolic 110.0 mm[Hg]")),
        ] as [(Double, Double, Double?, DomainError)])
    func bloodPressureOutsideLimits(_ systolic: Double, _ diastolic: Double, _ pulse: Double?, _ expected: DomainError) {
        #expect(throws: expected) {
            try validate(submission(.bloodPressure, "mm[Hg]", systolic: systolic, diastolic: diastolic, pulse: pulse))
        }
    }

    /// Limits apply after conversion; the error reports canonical units.
    @Test func limitsAreJudgedAfterConversion() throws {
        // 5.3 kPa = 39.753 mm[Hg] → 39.8, below 40.
        #expect(throws: DomainError.implausible(field: "/systolic", value: 39.8, limit: "40–300 mm[Hg]")) {
            try validate(submission(.bloodPressure, "kPa", systolic: 5.3, diastolic: 3))
        }
        // 882 lb = 400.068 kg; 881.8 lb = 399.978 kg.
        #expect(throws: DomainError.implausible(field: "/value", value: 400.068, limit: "1–400 kg")) {
            try validate(submission(.weight, "[lb_av]", value: 882))
        }
        #expect(try validate(submission(.weight, "[lb_av]", value: 881.8)) == .weight(kg: 399.978))
        #expect(try validate(submission(.weight, "g", value: 1000)) == .weight(kg: 1))
        #expect(throws: DomainError.implausible(field: "/value", value: 0.999, limit: "1–400 kg")) {
            try validate(submission(.weight, "g", value: 999))
        }
        // 86 °F = 30 °C exactly (inclusive); 113.2 °F = 45.11 °C.
        #expect(try validate(submission(.temperature, "[degF]", value: 86)) == .temperature(celsius: 30))
        #expect(try validate(submission(.temperature, "[degF]", value: 113)) == .temperature(celsius: 45))
        #expect(throws: DomainError.implausible(field: "/value", value: 45.11, limit: "30.0–45.0 Cel")) {
            try validate(submission(.temperature, "[degF]", value: 113.2))
        }
    }

    @Test func futureSkewIsLimitedButOldReadingsAreFine() throws {
        let atLimit = submission(.pulse, "/min", value: 70, measuredAt: now.addingTimeInterval(300))
        #expect(try validate(atLimit) == .pulse(perMinute: 70))
        let tooFar = submission(.pulse, "/min", value: 70, measuredAt: now.addingTimeInterval(301))
        #expect {
            try validate(tooFar)
        } throws: { error in
            guard case .invalid(let field, _) = error as? DomainError else { return false }
            return field == "/measuredAt"
        }
        let yearOld = submission(.pulse, "/min", value: 70, measuredAt: now.addingTimeInterval(-365 * 86_400))
        #expect(try validate(yearOld) == .pulse(perMinute: 70))
    }

    @Test func canonicalValuesEncodeAsCleanJSON() throws {
        let value = try validate(submission(.weight, "[lb_av]", value: 185))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(value), as: UTF8.self) == #"{"kind":"weight","value":83.915}"#)
    }
}

extension MeasurementValue {
    /// The value of a single-value measurement, for table tests.
    fileprivate var singleValue: Double? {
        switch self {
        case .spo2(let v), .weight(let v), .pulse(let v), .temperature(let v): v
        case .bloodPressure: nil
        }
    }
}
