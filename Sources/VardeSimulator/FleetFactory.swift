import Foundation
import VardeCore

/// Teams and patients: programs in fixed shares, baselines drawn from
/// published ranges for stable outpatients (KOLS: resting SpO2 around 93 %,
/// many live at 88–92; heart failure: SpO2 95–96 %, systolic often 100–130;
/// treated but uncontrolled hypertension: home systolic 135–165), day-to-day
/// spreads as home-monitoring studies report them (SpO2 about 1 point, home
/// systolic 7–11 mmHg, weight 0.3–0.6 kg).
enum FleetFactory {
    static let kommuner: [(String, String)] = [
        ("Oppfølgingstjenesten Trondheim", "5001"), ("Responssenteret Bergen", "4601"), ("Hjemmeoppfølging Oslo", "0301"),
        ("Digital hjemmeoppfølging Stavanger", "1103"), ("Oppfølgingstjenesten Kristiansand", "4204"),
        ("Digital hjemmeoppfølging Tromsø", "5501"),
    ]
    static let clinics: [(String, String)] = [
        ("Lungepoliklinikken", "St. Olavs hospital HF"), ("Hjertepoliklinikken", "St. Olavs hospital HF"),
        ("Medisinsk poliklinikk", "St. Olavs hospital HF"),
    ]

    static func teams(patients: Int) -> [SimTeam] {
        let k = max(1, min(kommuner.count, patients / 60))
        return kommuner.prefix(k).enumerated().map { SimTeam(index: $0.offset, kind: .kommune, name: $0.element.0, place: $0.element.1) }
            + clinics.enumerated().map { SimTeam(index: k + $0.offset, kind: .sykehus, name: $0.element.0, place: $0.element.1) }
    }

    /// Programs in the shares 40 % kols, 30 % hjertesvikt, 20 % hypertensjon, 10 % generell
    /// (largest remainder, so a small fleet still has each), in a seeded order.
    static func programs(_ n: Int, _ rng: inout SeededGenerator) -> [Program] {
        let shares: [(Program, Double)] = [(.kols, 0.4), (.hjertesvikt, 0.3), (.hypertensjon, 0.2), (.generell, 0.1)]
        var counts = shares.map { Int(Double(n) * $0.1) }
        let order = shares.indices.sorted {
            (Double(n) * shares[$0].1).truncatingRemainder(dividingBy: 1) > (Double(n) * shares[$1].1).truncatingRemainder(dividingBy: 1)
        }
        for i in order.prefix(n - counts.reduce(0, +)) { counts[i] += 1 }
        return zip(shares, counts).flatMap { Array(repeating: $0.0.0, count: $0.1) }.shuffled(using: &rng)
    }

    static func patients(_ config: SimulationConfig, teams: [SimTeam]) -> [SimPatient] {
        var rng = SeededGenerator(seed: config.seed, stream: "programs")
        let programs = programs(config.patients, &rng)
        let kommune = teams.filter { $0.kind == .kommune }
        let clinic = teams.filter { $0.kind == .sykehus }
        return programs.enumerated().map { i, program in
            var r = SeededGenerator(seed: config.seed, stream: "patient-\(i)")
            let sykehus: SimTeam =
                switch program {
                case .kols: clinic[0]
                case .hjertesvikt: clinic[1]
                case .hypertensjon, .generell: clinic[2]
                }
            let routines = routines(program)
            return SimPatient(
                index: i, program: program, nationalID: SyntheticIdentity.fodselsnummer(Int(config.seed % 1000) * 3000 + i),
                kommuneTeam: kommune[i % kommune.count].index, sykehusTeam: sykehus.index, baseline: baseline(program, &r),
                routines: routines, transport: r.pick(Transport.allCases),
                devices: Array(Set(routines.map(\.device))).sorted { $0.rawValue < $1.rawValue } + [.thermometer])
        }
    }

    static func routines(_ program: Program) -> [Routine] {
        switch program {
        case .kols:
            [
                .init(device: .oximeter, hour: 8, spreadMinutes: 40), .init(device: .oximeter, hour: 14, spreadMinutes: 60),
                .init(device: .oximeter, hour: 20, spreadMinutes: 45),
            ]
        case .hjertesvikt:
            [
                .init(device: .scale, hour: 7.5, spreadMinutes: 30), .init(device: .bloodPressureCuff, hour: 7.75, spreadMinutes: 30),
                .init(device: .oximeter, hour: 8, spreadMinutes: 30),
            ]
        case .hypertensjon:
            [
                .init(device: .bloodPressureCuff, hour: 7.75, spreadMinutes: 30),
                .init(device: .bloodPressureCuff, hour: 20.5, spreadMinutes: 45),
            ]
        case .generell:
            [.init(device: .bloodPressureCuff, hour: 9, spreadMinutes: 60), .init(device: .oximeter, hour: 9.1, spreadMinutes: 60)]
        }
    }

    static func baseline(_ program: Program, _ r: inout SeededGenerator) -> Baseline {
        switch program {
        case .kols:
            Baseline(
                spo2: r.normal(93.5, 2.0, in: 87...97), spo2SD: r.uniform(0.8...1.5), pulse: r.normal(82, 9, in: 60...105),
                pulseSD: r.uniform(4...7), systolic: r.normal(135, 14, in: 105...165), systolicSD: r.uniform(6...10),
                diastolic: r.normal(78, 8, in: 60...95), diastolicSD: r.uniform(4...7), weight: r.normal(74, 15, in: 45...120),
                weightSD: r.uniform(0.3...0.5), temperature: r.normal(36.7, 0.2, in: 36.3...37.1), temperatureSD: 0.2)
        case .hjertesvikt:
            Baseline(
                spo2: r.normal(95.5, 1.5, in: 92...99), spo2SD: r.uniform(0.7...1.2), pulse: r.normal(72, 9, in: 52...95),
                pulseSD: r.uniform(4...7), systolic: r.normal(118, 13, in: 95...150), systolicSD: r.uniform(6...10),
                diastolic: r.normal(70, 8, in: 55...90), diastolicSD: r.uniform(4...7), weight: r.normal(84, 16, in: 50...140),
                weightSD: r.uniform(0.3...0.6), temperature: r.normal(36.7, 0.2, in: 36.3...37.1), temperatureSD: 0.2)
        case .hypertensjon:
            Baseline(
                spo2: r.normal(96.5, 1.0, in: 94...99), spo2SD: r.uniform(0.6...1.0), pulse: r.normal(74, 9, in: 52...98),
                pulseSD: r.uniform(4...7), systolic: r.normal(146, 11, in: 125...172), systolicSD: r.uniform(7...11),
                diastolic: r.normal(88, 6, in: 75...100), diastolicSD: r.uniform(4...7), weight: r.normal(86, 15, in: 50...140),
                weightSD: r.uniform(0.3...0.5), temperature: r.normal(36.7, 0.2, in: 36.3...37.1), temperatureSD: 0.2)
        case .generell:
            Baseline(
                spo2: r.normal(96, 1.3, in: 93...99), spo2SD: r.uniform(0.6...1.1), pulse: r.normal(76, 10, in: 52...100),
                pulseSD: r.uniform(4...7), systolic: r.normal(130, 14, in: 100...160), systolicSD: r.uniform(6...10),
                diastolic: r.normal(80, 8, in: 60...95), diastolicSD: r.uniform(4...7), weight: r.normal(78, 15, in: 45...130),
                weightSD: r.uniform(0.3...0.5), temperature: r.normal(36.7, 0.2, in: 36.3...37.1), temperatureSD: 0.2)
        }
    }
}
