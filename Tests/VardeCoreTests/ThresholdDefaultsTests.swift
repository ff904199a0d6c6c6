import Foundation
import Testing

@testable import VardeCore

/// Each default bound at both levels, exactly at the boundary and one step inside, per program.
@Suite struct ThresholdDefaultsTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var program: Program
        var value: MeasurementValue
        var rule: AlertRule?
        var severity: Severity?
        var testDescription: String { "\(program) \(value) → \(rule?.rawValue ?? "none") \(severity?.rawValue ?? "")" }
    }

    static func bp(_ s: Double, _ d: Double = 60, pulse: Double? = nil) -> MeasurementValue {
        .bloodPressure(systolic: s, diastolic: d, pulse: pulse)
    }

    static let spo2Rows: [Row] =
        [
            Row(program: .kols, value: .spo2(percent: 90), rule: nil),
            Row(program: .kols, value: .spo2(percent: 89), rule: .spo2Low, severity: .yellow),
            Row(program: .kols, value: .spo2(percent: 86), rule: .spo2Low, severity: .yellow),
            Row(program: .kols, value: .spo2(percent: 85), rule: .spo2Low, severity: .red),
            Row(program: .kols, value: .spo2(percent: 93), rule: nil),
        ]
        + [Program.hjertesvikt, .hypertensjon, .generell].flatMap { p in
            [
                Row(program: p, value: .spo2(percent: 94), rule: nil),
                Row(program: p, value: .spo2(percent: 93), rule: .spo2Low, severity: .yellow),
                Row(program: p, value: .spo2(percent: 92), rule: .spo2Low, severity: .yellow),
                Row(program: p, value: .spo2(percent: 91), rule: .spo2Low, severity: .red),
            ]
        }

    static let bpRows: [Row] =
        Program.allCases.flatMap { p in
            let (yHigh, rHigh) = p == .hypertensjon ? (160.0, 180.0) : (180.0, 220.0)
            return [
                Row(program: p, value: bp(101), rule: nil), Row(program: p, value: bp(100), rule: .systolicLow, severity: .yellow),
                Row(program: p, value: bp(91), rule: .systolicLow, severity: .yellow),
                Row(program: p, value: bp(90), rule: .systolicLow, severity: .red),
                Row(program: p, value: bp(yHigh - 1), rule: nil), Row(program: p, value: bp(yHigh), rule: .systolicHigh, severity: .yellow),
                Row(program: p, value: bp(rHigh - 1), rule: .systolicHigh, severity: .yellow),
                Row(program: p, value: bp(rHigh), rule: .systolicHigh, severity: .red),
            ]
        } + [
            Row(program: .hypertensjon, value: bp(150, 99), rule: nil),
            Row(program: .hypertensjon, value: bp(150, 100), rule: .diastolicHigh, severity: .yellow),
            Row(program: .hypertensjon, value: bp(150, 109), rule: .diastolicHigh, severity: .yellow),
            Row(program: .hypertensjon, value: bp(150, 110), rule: .diastolicHigh, severity: .red),
            Row(program: .kols, value: bp(150, 115), rule: nil), Row(program: .hjertesvikt, value: bp(150, 115), rule: nil),
            Row(program: .generell, value: bp(150, 115), rule: nil),
        ]

    typealias Edge = (value: Double, rule: AlertRule?, severity: Severity?)
    static let pulseEdges: [Edge] = [
        (51, nil, nil), (50, .pulseLow, .yellow), (41, .pulseLow, .yellow), (40, .pulseLow, .red),
        (110, nil, nil), (111, .pulseHigh, .yellow), (130, .pulseHigh, .yellow), (131, .pulseHigh, .red),
    ]
    static let temperatureEdges: [Edge] = [
        (36.1, nil, nil), (36.0, .temperatureLow, .yellow), (35.1, .temperatureLow, .yellow), (35.0, .temperatureLow, .red),
        (38.0, nil, nil), (38.1, .temperatureHigh, .yellow), (39.0, .temperatureHigh, .yellow), (39.1, .temperatureHigh, .red),
    ]

    static func pulseTempRows(_ p: Program) -> [Row] {
        var rows: [Row] = []
        for e in pulseEdges {
            rows.append(Row(program: p, value: .pulse(perMinute: e.value), rule: e.rule, severity: e.severity))
            rows.append(Row(program: p, value: bp(130, 80, pulse: e.value), rule: e.rule, severity: e.severity))
        }
        for e in temperatureEdges {
            rows.append(Row(program: p, value: .temperature(celsius: e.value), rule: e.rule, severity: e.severity))
        }
        return rows
    }

    static let allRows: [Row] = spo2Rows + bpRows + Program.allCases.flatMap(pulseTempRows)

    @Test(arguments: allRows)
    func defaultBoundary(row: Row) {
        let breaches = RuleEvaluator.evaluate(row.value, measuredAt: Fx.t0, thresholds: .defaults(for: row.program), weightHistory: [])
        if let rule = row.rule {
            #expect(breaches.map(\.rule) == [rule])
            #expect(breaches.first?.severity == row.severity)
        } else {
            #expect(breaches.isEmpty)
        }
    }

    @Test(arguments: Program.allCases)
    func expectedMeasurementsPerProgram(program: Program) {
        let plan = ThresholdSet.defaults(for: program).expected
        let kinds: [MeasurementKind] =
            switch program {
            case .kols: [.spo2, .pulse]
            case .hjertesvikt: [.weight, .bloodPressure]
            case .hypertensjon: [.bloodPressure]
            case .generell: []
            }
        #expect(plan.map(\.kind) == kinds)
        #expect(plan.allSatisfy { $0.intervalHours == 24 && $0.graceHours == 12 })
    }

    @Test(arguments: Program.allCases)
    func defaultsAreValidAndOnlyHeartFailureTracksWeight(program: Program) throws {
        let set = ThresholdSet.defaults(for: program)
        try set.validate()
        #expect((set.weightGain != nil) == (program == .hjertesvikt))
        #expect((set.diastolicHigh != nil) == (program == .hypertensjon))
    }
}
