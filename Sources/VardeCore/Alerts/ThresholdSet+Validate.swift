extension ThresholdSet {
    /// Refuses nonsense: non-finite limits, red less severe than yellow, a low band above
    /// its high band, non-positive windows and intervals. `field` is a JSON pointer such as `/spo2Low/red`.
    public func validate() throws(DomainError) {
        let lows: [(String, Bound?)] = [
            ("spo2Low", spo2Low), ("systolicLow", systolicLow), ("pulseLow", pulseLow), ("temperatureLow", temperatureLow),
        ]
        let highs: [(String, Bound?)] = [
            ("systolicHigh", systolicHigh), ("diastolicHigh", diastolicHigh), ("pulseHigh", pulseHigh),
            ("temperatureHigh", temperatureHigh),
        ]
        for (name, bound) in lows { try Self.check(bound, name, redMoreSevere: <=) }
        for (name, bound) in highs { try Self.check(bound, name, redMoreSevere: >=) }
        for (low, high, name) in [
            (systolicLow, systolicHigh, "systolicHigh"), (pulseLow, pulseHigh, "pulseHigh"),
            (temperatureLow, temperatureHigh, "temperatureHigh"),
        ] {
            guard let lowEdge = low?.yellow ?? low?.red, let highEdge = high?.yellow ?? high?.red else { continue }
            guard lowEdge < highEdge else {
                throw .invalid(field: "/\(name)/\(high?.yellow == nil ? "red" : "yellow")", reason: "must be above the low bound")
            }
        }
        if let w = weightGain {
            guard w.windowDays.isFinite, w.windowDays > 0 else {
                throw .invalid(field: "/weightGain/windowDays", reason: "must be positive")
            }
            for (key, v) in [("yellowKg", w.yellowKg), ("redKg", w.redKg)] {
                if let v, !(v.isFinite && v > 0) { throw .invalid(field: "/weightGain/\(key)", reason: "must be positive") }
            }
            if let y = w.yellowKg, let r = w.redKg, r < y {
                throw .invalid(field: "/weightGain/redKg", reason: "must not be below yellowKg")
            }
        }
        var seen: Set<MeasurementKind> = []
        for (i, e) in expected.enumerated() {
            guard seen.insert(e.kind).inserted else { throw .invalid(field: "/expected/\(i)/kind", reason: "listed twice") }
            guard e.intervalHours.isFinite, e.intervalHours > 0 else {
                throw .invalid(field: "/expected/\(i)/intervalHours", reason: "must be positive")
            }
            guard e.graceHours.isFinite, e.graceHours >= 0 else {
                throw .invalid(field: "/expected/\(i)/graceHours", reason: "must not be negative")
            }
        }
    }

    private static func check(_ bound: Bound?, _ name: String, redMoreSevere: (Double, Double) -> Bool) throws(DomainError) {
        guard let bound else { return }
        if let y = bound.yellow, !y.isFinite { throw .invalid(field: "/\(name)/yellow", reason: "must be a finite number") }
        if let r = bound.red, !r.isFinite { throw .invalid(field: "/\(name)/red", reason: "must be a finite number") }
        if bound.yellow == nil, bound.red == nil { throw .invalid(field: "/\(name)", reason: "needs a yellow or red limit") }
        if let y = bound.yellow, let r = bound.red, !redMoreSevere(r, y) {
            throw .invalid(field: "/\(name)/red", reason: "must be at least as severe as yellow")
        }
    }
}
