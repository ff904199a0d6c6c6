import Foundation
import Testing
import VardeCore

@testable import VardeSimulator

@Suite struct FleetTests {
    static let config = SimulationConfig(seed: 7, patients: 60, days: 28)

    @Test func theSameSeedGivesTheSameFleet() {
        let a = Fleet.make(Self.config), b = Fleet.make(Self.config)
        #expect(a.patients == b.patients)
        #expect(a.episodes == b.episodes)
        #expect(a.readings == b.readings)
        #expect(a.uploads == b.uploads)
        #expect(a.readings.count > 1000)
    }

    @Test func anotherSeedGivesAnotherFleet() {
        var other = Self.config
        other.seed = 8
        let a = Fleet.make(Self.config), b = Fleet.make(other)
        #expect(a.readings.map(\.value) != b.readings.map(\.value))
        #expect(a.episodes.map(\.onset) != b.episodes.map(\.onset))
    }

    @Test func everyProgramAndEventKindIsThereAndNoPatientHasTwoEvents() {
        let fleet = Fleet.make(Self.config)
        #expect(Set(fleet.patients.map(\.program)) == Set(Program.allCases))
        #expect(Set(fleet.episodes.map(\.kind)) == Set(EpisodeKind.allCases))
        let touched = fleet.episodes.flatMap { [$0.patient] + ($0.other.map { [$0] } ?? []) }
        #expect(touched.count == Set(touched).count)
        for e in fleet.episodes {
            #expect(e.onset >= Self.config.individualiseAt, "onsets come after the baseline days")
            #expect(e.onset < Self.config.end)
        }
        #expect(fleet.quietPatients.count == fleet.patients.count - touched.count)
    }

    @Test func uploadsUseEveryTransportAndSomeAreResent() {
        let fleet = Fleet.make(Self.config)
        #expect(Set(fleet.uploads.map(\.transport)) == Set(Transport.allCases))
        let resends = fleet.uploads.filter { $0.resendOf != nil }
        #expect(!resends.isEmpty)
        #expect(fleet.uploads.contains { $0.transport == .nativeBatch && $0.readings.count > 1 })
        // Some sent hours after they were measured (a gateway offline).
        #expect(
            fleet.uploads.contains { u in u.readings.contains { u.sendAt.timeIntervalSince(fleet.readings[$0].measuredAt) > 2 * 3600 } })
        for u in fleet.uploads { #expect(u.sendAt >= fleet.readings[u.readings[0]].measuredAt) }
        // Every reading goes out once at least, and arrivals count it once.
        #expect(Set(fleet.arrivals().map(\.reading)).count == fleet.arrivals().count)
    }

    @Test func routinesHappenAtTheirLocalHours() {
        #expect(EventDate.format(SimulationConfig.defaultStart) == "2026-01-04T23:00:00.000Z", "midnight in Oslo, winter time")
        let fleet = Fleet.make(Self.config)
        // KOLS oximeter sessions at 08:00, 14:00 and 20:00 local, give or take.
        let hours = fleet.readings.filter { fleet.patients[$0.measuredBy].program == .kols && $0.device == .oximeter }.map {
            $0.measuredAt.timeIntervalSince(Self.config.start).truncatingRemainder(dividingBy: 86_400) / 3600
        }
        let near = hours.filter { h in [8.0, 14.0, 20.0].contains { abs(h - $0) < 2.5 } }
        #expect(!hours.isEmpty)
        #expect(Double(near.count) / Double(hours.count) > 0.97)
        let morning = hours.filter { $0 < 11 }
        #expect(abs(morning.reduce(0, +) / Double(morning.count) - 8) < 0.2)
    }

    @Test func syntheticIdentifiersAreValidAndUnique() {
        let ids = (0..<500).map(SyntheticIdentity.fodselsnummer)
        #expect(Set(ids).count == 500)
        for id in ids {
            let d = id.compactMap(\.wholeNumberValue)
            #expect(d.count == 11)
            #expect(Int(id.dropFirst(2).prefix(2))! > 80, "Test-Norge numbers add 80 to the month")
        }
    }
}

@Suite struct EpisodeTests {
    static let start = SimulationConfig.defaultStart

    func episode(_ kind: EpisodeKind) -> Episode {
        Episode(
            index: 0, kind: kind, patient: 0, onset: Self.start, riseDays: 2, plateauDays: 2, recoveryDays: 4, depth: 6, secondary: 15,
            fever: 2)
    }

    func at(_ days: Double) -> Date { Self.start.addingTimeInterval(days * 86_400) }

    @Test func intensityRisesHoldsAndRecovers() {
        let e = episode(.exacerbation)
        #expect(e.intensity(at: at(-0.1)) == 0)
        #expect(abs(e.intensity(at: at(1)) - 0.5) < 1e-9)
        #expect(e.intensity(at: at(3)) == 1)
        #expect(abs(e.intensity(at: at(6)) - 0.5) < 1e-9)
        #expect(e.intensity(at: at(8.01)) == 0)
        #expect(e.end == at(8))
    }

    @Test func anExacerbationLowersSpO2RaisesPulseAndBringsFeverAfterADay() {
        let e = episode(.exacerbation)
        let early = e.shift(at: at(0.25)), worst = e.shift(at: at(3))
        #expect(early.temperature == 0)
        #expect(!early.ill)
        #expect(worst.spo2 == -6)
        #expect(worst.pulse == 15)
        #expect(worst.temperature == 2)
        #expect(worst.ill)
    }

    @Test func fluidRetentionAddsWeightAndAHypertensiveEpisodePressure() {
        let f = episode(.fluidRetention).shift(at: at(3))
        #expect(f.weight == 6)
        #expect(f.spo2 == 0)
        let h = episode(.hypertensiveEpisode).shift(at: at(3))
        #expect(h.systolic == 6)
        #expect(h.diastolic == 15)
        #expect(episode(.stopsMeasuring).shift(at: at(3)).isZero)
    }

    @Test func anExacerbationShowsInThePatientsOximeterReadings() {
        let fleet = Fleet.make(FleetTests.config)
        for e in fleet.episodes where e.kind == .exacerbation {
            let before = fleet.readings.filter { $0.patient == e.patient && $0.measuredAt < e.onset }.compactMap { r -> Double? in
                if case .spo2(let v) = r.value { v } else { nil }
            }
            let worst = fleet.readings.filter { $0.episode == e.index }.compactMap { r -> Double? in
                guard r.measuredAt >= e.onset.addingTimeInterval(e.riseDays * 86_400),
                    r.measuredAt < e.onset.addingTimeInterval((e.riseDays + e.plateauDays) * 86_400),
                    case .spo2(let v) = r.value
                else { return nil }
                return v
            }
            guard !worst.isEmpty else { continue }
            let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
            #expect(mean(before) - mean(worst) > e.depth - 2.5)
        }
    }

    @Test func aPatientWhoStopsSendsNothingAfterTheOnset() {
        let fleet = Fleet.make(FleetTests.config)
        for e in fleet.episodes where e.kind == .stopsMeasuring {
            #expect(!fleet.readings.contains { $0.measuredBy == e.patient && $0.measuredAt >= e.onset })
            #expect(fleet.readings.contains { $0.measuredBy == e.patient && $0.measuredAt < e.onset })
        }
    }

    @Test func aHandedOverDeviceFilesTheReceiversReadingsUnderTheGiver() {
        let fleet = Fleet.make(FleetTests.config)
        let handovers = fleet.episodes.filter { $0.kind == .deviceHandover }
        #expect(!handovers.isEmpty)
        for e in handovers {
            let moved = fleet.readings.filter { $0.measuredBy == e.other && $0.patient == e.patient }
            #expect(!moved.isEmpty)
            #expect(moved.allSatisfy { $0.measuredAt >= e.onset && $0.device == e.device && $0.episode == e.index })
            #expect(!fleet.readings.contains { $0.measuredBy == e.patient && $0.device == e.device && $0.measuredAt >= e.onset })
        }
    }
}
