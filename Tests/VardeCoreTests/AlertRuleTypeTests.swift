import Foundation
import Testing

@testable import VardeCore

/// `AlertRule` is stored as the string rules were before it had a type: events in
/// the log are immutable, so every stored string must decode to the same rule and
/// encode back byte for byte, and a string this build does not know still decodes.
@Suite struct AlertRuleTypeTests {
    static let strings: [(AlertRule, String)] = [
        (.spo2Low, "spo2.low"), (.systolicLow, "systolic.low"), (.systolicHigh, "systolic.high"),
        (.diastolicHigh, "diastolic.high"), (.pulseLow, "pulse.low"), (.pulseHigh, "pulse.high"),
        (.temperatureLow, "temperature.low"), (.temperatureHigh, "temperature.high"), (.weightGain, "weight.gain"),
        (.overdue(.bloodPressure), "overdue.bloodPressure"), (.overdue(.spo2), "overdue.spo2"), (.overdue(.weight), "overdue.weight"),
        (.overdue(.pulse), "overdue.pulse"), (.overdue(.temperature), "overdue.temperature"),
    ]

    @Test func everyRuleHasItsStoredString() throws {
        #expect(Self.strings.map(\.0) == AlertRule.allKnown)
        for (rule, text) in Self.strings {
            #expect(rule.rawValue == text)
            #expect("\(rule)" == text)
            #expect(AlertRule(rawValue: text) == rule)
            #expect(String(decoding: try EventJSON.encoder.encode(rule), as: UTF8.self) == #""\#(text)""#)
            #expect(try EventJSON.decoder.decode(AlertRule.self, from: Data(#""\#(text)""#.utf8)) == rule)
        }
    }

    @Test func directions() {
        #expect(AlertRule.allKnown.filter(\.lowerIsWorse) == [.spo2Low, .systolicLow, .pulseLow, .temperatureLow])
        #expect(AlertRule.allKnown.filter { $0.direction == .high } == [.systolicHigh, .diastolicHigh, .pulseHigh, .temperatureHigh])
        #expect(AlertRule.weightGain.direction == .gain)
        #expect(AlertRule.overdue(.pulse).direction == .overdue)
        #expect(AlertRule(rawValue: "heart.low").direction == nil)
    }

    @Test func unknownStringsDecodeAndEncodeAsWritten() throws {
        for text in ["heart.low", "overdue.glucose", "overdue.", "", "SPO2.LOW", "spo2.low "] {
            let rule = AlertRule(rawValue: text)
            #expect(rule == .unrecognised(text))
            #expect(rule.rawValue == text)
            #expect(!rule.lowerIsWorse)
            #expect(
                String(decoding: try EventJSON.encoder.encode(rule), as: UTF8.self)
                    == (try String(decoding: EventJSON.encoder.encode(text), as: UTF8.self)))
        }
        // Not a string: refused, as when the field was a String.
        #expect(throws: DecodingError.self) { try EventJSON.decoder.decode(AlertRule.self, from: Data("42".utf8)) }
    }

    @Test func storedAlertRaisedKeepsItsBytes() throws {
        let t = Date(timeIntervalSince1970: 1_740_000_000)
        for text in ["spo2.low", "overdue.spo2", "heart.low"] {
            let body =
                #"{"alertId":"0B3C1D9E-6F0A-4A8E-9D55-1C2B3A4D5E6F","at":"2025-02-19T21:20:00.000Z","limit":85,"measurement":"spo2","#
                + #""routedTo":[],"rule":"\#(text)","severity":"red","thresholdVersion":1,"value":80}"#
            let event = try PatientEvent.decode(type: "AlertRaised", schemaVersion: 1, data: Data(body.utf8))
            guard case .alertRaised(let raised) = event else {
                Issue.record("not an AlertRaised")
                continue
            }
            #expect(raised.rule == AlertRule(rawValue: text))
            #expect(raised.at == t)
            #expect(String(decoding: event.encode(), as: UTF8.self) == body)
        }
        // A rule that is not a string fails as it did.
        let bad =
            #"{"alertId":"0B3C1D9E-6F0A-4A8E-9D55-1C2B3A4D5E6F","at":"2025-02-19T21:20:00.000Z","limit":85,"measurement":"spo2","#
            + #""routedTo":[],"rule":7,"severity":"red","thresholdVersion":1,"value":80}"#
        #expect(throws: DomainError.self) { try PatientEvent.decode(type: "AlertRaised", schemaVersion: 1, data: Data(bad.utf8)) }
    }

    @Test func boundRulesNameTheirThresholds() {
        let t = ThresholdSet.defaults(for: .kols)
        #expect(t.bound(for: .spo2Low) == t.spo2Low)
        #expect(t.bound(for: .systolicLow) == t.systolicLow)
        #expect(t.bound(for: .systolicHigh) == t.systolicHigh)
        #expect(t.bound(for: .diastolicHigh) == t.diastolicHigh)
        #expect(t.bound(for: .pulseLow) == t.pulseLow)
        #expect(t.bound(for: .pulseHigh) == t.pulseHigh)
        #expect(t.bound(for: .temperatureLow) == t.temperatureLow)
        #expect(t.bound(for: .temperatureHigh) == t.temperatureHigh)
        #expect(t.bound(for: .weightGain) == nil)
        #expect(t.bound(for: .overdue(.spo2)) == nil)
    }
}
