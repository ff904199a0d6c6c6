import Foundation
import VardeCore

/// Who deteriorates, how and when. At most one event a patient; every onset
/// falls after the baseline days, so that both arms of a run (programme
/// defaults, individualised thresholds) meet each deterioration.
enum EpisodePlanner {
    static func plan(_ config: SimulationConfig, patients: [SimPatient]) -> [Episode] {
        var rng = SeededGenerator(seed: config.seed, stream: "episodes")
        var free = patients.map(\.index).shuffled(using: &rng)
        var out: [Episode] = []

        func count(_ share: Double, of eligible: Int) -> Int {
            eligible == 0 ? 0 : max(1, Int((share * Double(eligible)).rounded()))
        }
        func take(_ kind: EpisodeKind, _ share: Double, where eligible: (SimPatient) -> Bool) {
            let candidates = free.filter { eligible(patients[$0]) }
            for p in candidates.prefix(count(share, of: candidates.count)) {
                out.append(make(kind, patient: p, config, &rng))
                free.removeAll { $0 == p }
            }
        }
        take(.exacerbation, config.exacerbationShare) { $0.program == .kols }
        take(.fluidRetention, config.fluidRetentionShare) { $0.program == .hjertesvikt }
        take(.hypertensiveEpisode, config.hypertensiveShare) { $0.program == .hypertensjon }

        // A handover needs two patients of one program and kommune team, the receiver on a
        // gateway that names readings by device serial alone (a PHD or FHIR gateway names
        // the patient too, and the server would see the mismatch).
        let givers = free.filter { [.kols, .hjertesvikt].contains(patients[$0].program) }
        var handovers = count(config.handoverShare, of: givers.count)
        for a in givers where handovers > 0 && free.contains(a) {
            let pa = patients[a]
            guard
                let b = free.first(where: {
                    $0 != a && patients[$0].program == pa.program && patients[$0].kommuneTeam == pa.kommuneTeam
                        && [.nativeSingle, .nativeBatch].contains(patients[$0].transport)
                })
            else { continue }
            var e = make(.deviceHandover, patient: a, config, &rng)
            e.other = b
            e.device = pa.program == .kols ? .oximeter : .scale
            out.append(e)
            free.removeAll { $0 == a || $0 == b }
            handovers -= 1
        }
        take(.stopsMeasuring, config.stopsMeasuringShare) { $0.program != .generell }
        return out.sorted { $0.patient < $1.patient }.enumerated().map { i, e in
            var e = e
            e.index = i
            return e
        }
    }

    static func make(_ kind: EpisodeKind, patient: Int, _ config: SimulationConfig, _ r: inout SeededGenerator) -> Episode {
        let first = Double(config.baselineDays) + 1, last = Double(config.days) - 4
        let day = last > first ? r.uniform(first...last) : max(Double(config.baselineDays), Double(config.days) / 2)
        let onset = config.start.addingTimeInterval((day * 86_400).rounded())
        var e = Episode(
            index: 0, kind: kind, patient: patient, onset: onset, riseDays: 0, plateauDays: 0, recoveryDays: 0, depth: 0,
            secondary: 0, fever: 0)
        switch kind {
        case .exacerbation:
            (e.riseDays, e.plateauDays, e.recoveryDays) = (r.uniform(2...4), r.uniform(2...3), r.uniform(3...5))
            (e.depth, e.secondary) = (r.uniform(4...9), r.uniform(8...22))
            e.fever = r.chance(0.35) ? r.uniform(1.4...2.3) : 0
        case .fluidRetention:
            (e.riseDays, e.plateauDays, e.recoveryDays) = (r.uniform(4...7), r.uniform(1...2), r.uniform(2...4))
            e.depth = r.uniform(0.5...1.0) * e.riseDays
            e.secondary = r.uniform(3...10)
        case .hypertensiveEpisode:
            (e.riseDays, e.plateauDays, e.recoveryDays) = (r.uniform(0.5...2), r.uniform(1.5...3), r.uniform(1...2))
            (e.depth, e.secondary) = (r.uniform(30...55), r.uniform(12...25))
        case .stopsMeasuring, .deviceHandover:
            // Lasting to the end of the run.
            e.plateauDays = Double(config.days)
        }
        return e
    }
}
