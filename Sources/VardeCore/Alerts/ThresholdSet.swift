/// A patient's alert thresholds: two-level bounds per measurement, a weight-gain trend
/// rule and the missing-measurement plan. Bounds are inclusive; red wins over yellow.
public struct ThresholdSet: Codable, Equatable, Sendable {
    /// A limit at two levels. For a low bound a value `<= limit` breaches; for a high bound `>= limit`.
    public struct Bound: Codable, Equatable, Sendable {
        public var yellow: Double?
        public var red: Double?
        public init(yellow: Double? = nil, red: Double? = nil) {
            self.yellow = yellow
            self.red = red
        }
    }

    /// Weight gain of at least `yellowKg`/`redKg` over the lowest weight in the preceding `windowDays`.
    public struct WeightGain: Codable, Equatable, Sendable {
        public var yellowKg: Double?
        public var redKg: Double?
        public var windowDays: Double
        public init(yellowKg: Double? = nil, redKg: Double? = nil, windowDays: Double) {
            self.yellowKg = yellowKg
            self.redKg = redKg
            self.windowDays = windowDays
        }
    }

    /// A kind the patient is expected to measure every `intervalHours`, alerting after a further `graceHours`.
    public struct Expected: Codable, Equatable, Sendable {
        public var kind: MeasurementKind
        public var intervalHours: Double
        public var graceHours: Double
        public init(kind: MeasurementKind, intervalHours: Double = 24, graceHours: Double = 12) {
            self.kind = kind
            self.intervalHours = intervalHours
            self.graceHours = graceHours
        }
    }

    public var spo2Low: Bound?
    public var systolicLow: Bound?
    public var systolicHigh: Bound?
    public var diastolicHigh: Bound?
    public var pulseLow: Bound?
    public var pulseHigh: Bound?
    public var temperatureLow: Bound?
    public var temperatureHigh: Bound?
    public var weightGain: WeightGain?
    /// The missing-measurement plan; empty means no overdue alerts.
    public var expected: [Expected]

    public init(
        spo2Low: Bound? = nil, systolicLow: Bound? = nil, systolicHigh: Bound? = nil, diastolicHigh: Bound? = nil,
        pulseLow: Bound? = nil, pulseHigh: Bound? = nil, temperatureLow: Bound? = nil, temperatureHigh: Bound? = nil,
        weightGain: WeightGain? = nil, expected: [Expected] = []
    ) {
        self.spo2Low = spo2Low
        self.systolicLow = systolicLow
        self.systolicHigh = systolicHigh
        self.diastolicHigh = diastolicHigh
        self.pulseLow = pulseLow
        self.pulseHigh = pulseHigh
        self.temperatureLow = temperatureLow
        self.temperatureHigh = temperatureHigh
        self.weightGain = weightGain
        self.expected = expected
    }

    /// An empty set: no rule fires.
    public static let none = ThresholdSet()

    /// The bound a low or high rule judges by; nil for other rules and for a bound not set.
    public func bound(for rule: AlertRule) -> Bound? {
        switch rule {
        case .spo2Low: spo2Low
        case .systolicLow: systolicLow
        case .systolicHigh: systolicHigh
        case .diastolicHigh: diastolicHigh
        case .pulseLow: pulseLow
        case .pulseHigh: pulseHigh
        case .temperatureLow: temperatureLow
        case .temperatureHigh: temperatureHigh
        case .weightGain, .overdue, .unrecognised: nil
        }
    }
}
