import Foundation
import VardeCore

/// An injected event with a known onset.
public enum EpisodeKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// KOLS: SpO2 falls over 2–4 days, pulse rises, sometimes fever.
    case exacerbation
    /// Heart failure: weight rises 0.5–1 kg a day.
    case fluidRetention
    /// Hypertension: systolic and diastolic rise over a day or two.
    case hypertensiveEpisode
    /// The patient stops measuring altogether.
    case stopsMeasuring
    /// A device goes to another patient, who measures with it while it is still bound to the first.
    case deviceHandover

    public var title: String {
        switch self {
        case .exacerbation: "KOLS exacerbation"
        case .fluidRetention: "Heart-failure fluid retention"
        case .hypertensiveEpisode: "Hypertensive episode"
        case .stopsMeasuring: "Stops measuring"
        case .deviceHandover: "Device handed to another patient"
        }
    }
}

/// How far an episode moves a patient's values at a moment.
public struct Shift: Sendable, Equatable {
    public var spo2 = 0.0, pulse = 0.0, systolic = 0.0, diastolic = 0.0, weight = 0.0, temperature = 0.0
    /// Unwell: the patient takes their temperature too.
    public var ill = false
    public var isZero: Bool { self == Shift() }
}

public struct Episode: Sendable, Equatable, Codable {
    public var index: Int
    public var kind: EpisodeKind
    public var patient: Int
    /// For a handover: the patient who measures with `patient`'s device from the onset.
    public var other: Int?
    /// For a handover: the device handed over.
    public var device: DeviceKind?
    public var onset: Date
    /// Days to the worst point (the fall of SpO2, the rise of weight or pressure).
    public var riseDays: Double
    /// Days at the worst point, then days back to baseline.
    public var plateauDays: Double
    public var recoveryDays: Double
    /// The size at the worst point: SpO2 points lost, kg gained, mmHg systolic gained.
    public var depth: Double
    /// Pulse gained (exacerbation, retention), diastolic gained (hypertensive).
    public var secondary: Double
    /// Peak fever in °C above baseline (exacerbation; 0 = none).
    public var fever: Double

    public var end: Date {
        onset.addingTimeInterval((riseDays + plateauDays + recoveryDays) * 86_400)
    }

    /// 0 before the onset and after the end, 1 at the worst point.
    public func intensity(at t: Date) -> Double {
        let d = t.timeIntervalSince(onset) / 86_400
        guard d >= 0 else { return 0 }
        if d < riseDays { return d / riseDays }
        if d < riseDays + plateauDays { return 1 }
        let r = d - riseDays - plateauDays
        return r < recoveryDays ? 1 - r / recoveryDays : 0
    }

    /// What the episode does to the patient's values at `t`.
    public func shift(at t: Date) -> Shift {
        let x = intensity(at: t)
        var s = Shift()
        guard x > 0 else { return s }
        switch kind {
        case .exacerbation:
            s.spo2 = -depth * x
            s.pulse = secondary * x
            // Fever comes a day into the illness and goes with the worst of it.
            let feverX = t.timeIntervalSince(onset) >= 86_400 ? min(1, x * 1.2) : 0
            s.temperature = fever * feverX
            s.ill = t.timeIntervalSince(onset) >= 43_200
        case .fluidRetention:
            s.weight = depth * x
            s.pulse = secondary * x
        case .hypertensiveEpisode:
            s.systolic = depth * x
            s.diastolic = secondary * x
        case .stopsMeasuring, .deviceHandover:
            break
        }
        return s
    }
}
