import Foundation
import VardeCore

/// Every reading of the run and the requests that carry them. Per patient and
/// day: each routine's session at its local time give or take, skipped now and
/// then; values from the baseline, the time of day (morning blood-pressure
/// surge, lower pulse and SpO2 on waking), an episode's shift, measurement
/// noise and the artefacts home devices are known for (a cold finger or a
/// moving hand on the oximeter, a cuff put on after climbing stairs, weighing
/// in clothes). Temperature when unwell. Sessions sent as the patient's
/// gateway sends them; a share hours late, a share sent twice.
struct ReadingGenerator {
    let config: SimulationConfig
    let patients: [SimPatient]
    let episodes: [Episode]
    private(set) var readings: [SimReading] = []
    private var sessions: [(hub: Int, transport: Transport, sendAt: Date, readings: [Int])] = []

    init(config: SimulationConfig, patients: [SimPatient], episodes: [Episode]) {
        self.config = config
        self.patients = patients
        self.episodes = episodes
    }

    static func generate(_ config: SimulationConfig, patients: [SimPatient], episodes: [Episode]) -> ([SimReading], [Upload]) {
        var g = ReadingGenerator(config: config, patients: patients, episodes: episodes)
        for p in patients { g.sessions(of: p) }
        return (g.readings, g.uploads())
    }

    private func episode(of patient: Int) -> Episode? { episodes.first { $0.patient == patient } }
    private func handoverReceived(by patient: Int) -> Episode? { episodes.first { $0.kind == .deviceHandover && $0.other == patient } }

    private mutating func sessions(of p: SimPatient) {
        var r = SeededGenerator(seed: config.seed, stream: "readings-\(p.index)")
        let own = episode(of: p.index)
        let received = handoverReceived(by: p.index)
        var weightDrift = 0.0
        for day in 0..<config.days {
            let midnight = config.start.addingTimeInterval(Double(day) * 86_400)
            // Day-to-day weight wanders (fluid, meals) around the baseline.
            weightDrift = 0.6 * weightDrift + r.normal(0, p.baseline.weightSD * 0.8)
            var plan = p.routines
            // Temperature when ill: twice a day; now and then on an off day too.
            let ill = own.map { $0.shift(at: midnight.addingTimeInterval(12 * 3600)).ill } ?? false
            if ill {
                plan += [
                    .init(device: .thermometer, hour: 10, spreadMinutes: 45), .init(device: .thermometer, hour: 18, spreadMinutes: 45),
                ]
            } else if r.chance(0.015) {
                plan.append(.init(device: .thermometer, hour: 9.5, spreadMinutes: 60))
            }
            for routine in plan {
                // `start` is local midnight (see SimulationConfig), so a routine's local hour is an offset from it.
                let at = midnight.addingTimeInterval((routine.hour * 3600 + r.normal(0, routine.spreadMinutes * 60)).rounded())
                let skip = r.chance(config.skipShare)
                let late = r.chance(config.lateShare) ? r.uniform(2 * 3600...12 * 3600).rounded() : 0
                let values = measure(p, routine.device, at: at, drift: weightDrift, &r)
                guard at >= config.start, at < config.end, !skip else { continue }
                if let own, own.kind == .stopsMeasuring, at >= own.onset { continue }
                if let own, own.kind == .deviceHandover, own.device == routine.device, at >= own.onset { continue }
                var filedUnder = p.index
                // Measured with the other patient's device, still bound to them.
                let handedOver = received.flatMap { h in h.device == routine.device && at >= h.onset ? h : nil }
                if let handedOver { filedUnder = handedOver.patient }
                var ids: [Int] = []
                for v in values {
                    let cause = handedOver?.index ?? own.flatMap { shapes($0, v.kind, at) ? $0.index : nil }
                    ids.append(readings.count)
                    readings.append(
                        SimReading(
                            index: readings.count, id: "sim\(config.seed)-\(p.index)-\(readings.count)", patient: filedUnder,
                            measuredBy: p.index, device: routine.device, value: v, measuredAt: at, episode: cause))
                }
                sessions.append((p.index, p.transport, sendTime(p, measured: at, late: late, &r), ids))
            }
        }
    }

    /// Whether `e` moves values of `kind` at `t` (see `Episode.shift`): only those
    /// readings are its doing; a noisy SpO2 during fluid retention is not.
    private func shapes(_ e: Episode, _ kind: MeasurementKind, _ t: Date) -> Bool {
        guard t >= e.onset, t < e.end else { return false }
        switch (e.kind, kind) {
        case (.exacerbation, .spo2), (.exacerbation, .pulse), (.exacerbation, .temperature): return true
        case (.fluidRetention, .weight), (.fluidRetention, .pulse): return true
        case (.hypertensiveEpisode, .bloodPressure): return true
        default: return false
        }
    }

    private func measure(_ p: SimPatient, _ device: DeviceKind, at t: Date, drift: Double, _ r: inout SeededGenerator) -> [MeasurementValue]
    {
        let b = p.baseline
        let s = episode(of: p.index)?.shift(at: t) ?? Shift()
        let hour = t.timeIntervalSince(config.start).truncatingRemainder(dividingBy: 86_400) / 3600
        let morning = hour < 10, evening = hour >= 18
        switch device {
        case .oximeter:
            var spo2 = b.spo2 + (morning ? -0.4 : 0) + s.spo2 + r.normal(0, b.spo2SD)
            var pulse = b.pulse + (morning ? -2 : evening ? 0 : 3) + s.pulse + r.normal(0, b.pulseSD)
            if r.chance(0.015) {
                // Motion or a cold finger: a falsely low saturation, often with a pulse spike.
                spo2 -= r.uniform(4...10)
                pulse += r.uniform(10...30)
            }
            return [.spo2(percent: clamp(spo2.rounded(), 70, 100)), .pulse(perMinute: clamp(pulse.rounded(), 30, 200))]
        case .bloodPressureCuff:
            var sys = b.systolic + (morning ? 5 : evening ? -3 : 0) + s.systolic + r.normal(0, b.systolicSD)
            var dia = b.diastolic + (morning ? 2 : evening ? -1 : 0) + s.diastolic + r.normal(0, b.diastolicSD)
            if r.chance(0.02) {
                // Measured straight after stairs or while talking.
                sys += r.uniform(15...30)
                dia += r.uniform(5...12)
            }
            let pulse = b.pulse + (morning ? -2 : 0) + s.pulse + r.normal(0, b.pulseSD)
            let systolic = clamp(sys.rounded(), 75, 260)
            // FHIR gateways send the panel's two components only (see UploadBody); native ones send the cuff's pulse.
            let sendsPulse = p.transport == .nativeSingle || p.transport == .nativeBatch
            return [
                .bloodPressure(
                    systolic: systolic, diastolic: clamp(dia.rounded(), 40, systolic - 15),
                    pulse: sendsPulse ? clamp(pulse.rounded(), 30, 200) : nil)
            ]
        case .scale:
            var kg = b.weight + drift + s.weight + r.normal(0, 0.15)
            if r.chance(0.01) { kg += r.uniform(1.0...2.0) }  // in clothes
            return [.weight(kg: (kg * 10).rounded() / 10)]
        case .thermometer:
            let c = b.temperature + s.temperature + r.normal(0, b.temperatureSD)
            return [.temperature(celsius: clamp((c * 10).rounded() / 10, 34.5, 41))]
        }
    }

    private func clamp(_ v: Double, _ lo: Double, _ hi: Double) -> Double { min(max(v, lo), hi) }

    /// When the gateway sends a session measured at `measured`: at once for
    /// gateways that send as they read, at the next upload for a batching hub
    /// (every four hours); `late` seconds later when the connection was down.
    private func sendTime(_ p: SimPatient, measured: Date, late: Double, _ r: inout SeededGenerator) -> Date {
        let ready = measured.addingTimeInterval(late)
        switch p.transport {
        case .nativeBatch:
            let period = 4 * 3600.0, phase = Double(p.index % 60) * 60 + 3600
            let k = ((ready.timeIntervalSince(config.start) - phase) / period).rounded(.up)
            return config.start.addingTimeInterval(max(0, k) * period + phase)
        default:
            return ready.addingTimeInterval(r.uniform(5...120).rounded())
        }
    }

    /// Requests: one per reading (single readings, FHIR Observations), one per session
    /// (PHD Bundles), one per upload time (a batching hub); then a share sent again.
    private func uploads() -> [Upload] {
        var out: [Upload] = []
        var batches: [String: Int] = [:]
        for s in sessions.sorted(by: { ($0.sendAt, $0.readings.first ?? 0) < ($1.sendAt, $1.readings.first ?? 0) }) {
            switch s.transport {
            case .nativeSingle, .fhirObservation:
                for id in s.readings {
                    out.append(Upload(index: out.count, hub: s.hub, transport: s.transport, sendAt: s.sendAt, readings: [id]))
                }
            case .phdBundle:
                out.append(Upload(index: out.count, hub: s.hub, transport: s.transport, sendAt: s.sendAt, readings: s.readings))
            case .nativeBatch:
                let key = "\(s.hub)@\(s.sendAt.timeIntervalSince1970)"
                if let i = batches[key] {
                    out[i].readings += s.readings
                } else {
                    batches[key] = out.count
                    out.append(Upload(index: out.count, hub: s.hub, transport: s.transport, sendAt: s.sendAt, readings: s.readings))
                }
            }
        }
        var r = SeededGenerator(seed: config.seed, stream: "resends")
        for u in out where r.chance(config.resendShare) {
            var again = u
            again.index = out.count
            again.resendOf = u.index
            again.sendAt = u.sendAt.addingTimeInterval(r.uniform(60...1800).rounded())
            out.append(again)
        }
        return out.filter { $0.sendAt <= config.end }.sorted { ($0.sendAt, $0.index) < ($1.sendAt, $1.index) }
    }
}
