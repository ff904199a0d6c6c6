extension ThresholdSet {
    /// The program defaults from the domain primer (NEWS2 bands; kols has lower SpO2 bands).
    public static func defaults(for program: Program) -> ThresholdSet {
        var set = ThresholdSet(
            spo2Low: Bound(yellow: 93, red: 91),
            systolicLow: Bound(yellow: 100, red: 90),
            systolicHigh: Bound(yellow: 180, red: 220),
            pulseLow: Bound(yellow: 50, red: 40),
            pulseHigh: Bound(yellow: 111, red: 131),
            temperatureLow: Bound(yellow: 36.0, red: 35.0),
            temperatureHigh: Bound(yellow: 38.1, red: 39.1)
        )
        switch program {
        case .kols:
            set.spo2Low = Bound(yellow: 89, red: 85)
            set.expected = [Expected(kind: .spo2), Expected(kind: .pulse)]
        case .hjertesvikt:
            set.weightGain = WeightGain(yellowKg: 2.0, redKg: 3.0, windowDays: 3)
            set.expected = [Expected(kind: .weight), Expected(kind: .bloodPressure)]
        case .hypertensjon:
            set.systolicHigh = Bound(yellow: 160, red: 180)
            set.diastolicHigh = Bound(yellow: 100, red: 110)
            set.expected = [Expected(kind: .bloodPressure)]
        case .generell:
            break
        }
        return set
    }
}
