import Foundation
import VardeCore

/// A device in a patient's home and what one use of it yields.
public enum DeviceKind: String, Sendable, Codable, CaseIterable, Hashable {
    case oximeter, bloodPressureCuff, scale, thermometer

    /// The device kind as `POST /v1/patients/{id}/devices` names it.
    public var apiKind: String {
        switch self {
        case .oximeter: "pulseOximeter"
        case .bloodPressureCuff: "bloodPressureMonitor"
        case .scale: "scale"
        case .thermometer: "thermometer"
        }
    }
}

/// How a patient's gateway sends readings (see docs/api.md).
public enum Transport: String, Sendable, Codable, CaseIterable, Hashable {
    /// `POST /v1/readings`, one reading a request, as soon as measured.
    case nativeSingle
    /// `POST /v1/readings`, a hub that uploads what it has every four hours.
    case nativeBatch
    /// `POST /fhir/Observation`, one a request.
    case fhirObservation
    /// `POST /fhir`, a PHD transaction Bundle a session (Patient and Device as conditional creates).
    case phdBundle
}

/// A patient's usual values and their day-to-day spread (standard deviations).
public struct Baseline: Sendable, Equatable, Codable {
    public var spo2: Double, spo2SD: Double
    public var pulse: Double, pulseSD: Double
    public var systolic: Double, systolicSD: Double
    public var diastolic: Double, diastolicSD: Double
    public var weight: Double, weightSD: Double
    public var temperature: Double, temperatureSD: Double
}

/// A measurement routine: a device used at a local time of day (hours), give or take.
public struct Routine: Sendable, Equatable, Codable {
    public var device: DeviceKind
    public var hour: Double
    public var spreadMinutes: Double
}

public struct SimPatient: Sendable, Equatable, Codable {
    public var index: Int
    public var program: Program
    /// A synthetic Test-Norge fødselsnummer (month + 80); travels only in the enrolment body.
    public var nationalID: String
    public var kommuneTeam: Int
    public var sykehusTeam: Int
    public var baseline: Baseline
    public var routines: [Routine]
    public var transport: Transport
    /// Devices bound at enrolment.
    public var devices: [DeviceKind]

    public func serial(_ device: DeviceKind) -> String { "SIM-\(index)-\(device.rawValue)" }
    /// The IEEE EUI-64 a PHD gateway names the device by (unique per patient and device).
    public func eui64(_ device: DeviceKind) -> String {
        let d = DeviceKind.allCases.firstIndex(of: device)!
        let bytes = [0x00, 0x1C, 0x05, 0xFF, 0xFE, (index >> 8) & 0xFF, index & 0xFF, d]
        return bytes.map { String(format: "%02X", $0) }.joined(separator: "-")
    }
    /// The hub's own patient id, registered with `PUT /v1/patients/{id}/identifiers` for PHD Bundles.
    public var hubPatientID: String { "sim-patient-\(index)" }
    public static let hubPatientSystem = "urn:oid:2.999.1.2.3.4.5.6.7.8.10"
}

/// The follow-up teams: kommune services and the hospitals' clinics.
public struct SimTeam: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case kommune, sykehus }
    public var index: Int
    public var kind: Kind
    public var name: String
    /// Kommunenummer (kommune teams) or health trust (sykehus teams).
    public var place: String
}

/// Everything the model made: teams, patients, their deteriorations and every reading.
public struct Fleet: Sendable {
    public var config: SimulationConfig
    public var teams: [SimTeam]
    public var patients: [SimPatient]
    public var episodes: [Episode]
    public var readings: [SimReading]
    public var uploads: [Upload]
}

extension Fleet {
    /// The whole model for `config`: the same for the same seed, on any machine.
    public static func make(_ config: SimulationConfig) -> Fleet {
        let teams = FleetFactory.teams(patients: config.patients)
        let patients = FleetFactory.patients(config, teams: teams)
        let episodes = EpisodePlanner.plan(config, patients: patients)
        let (readings, uploads) = ReadingGenerator.generate(config, patients: patients, episodes: episodes)
        return Fleet(config: config, teams: teams, patients: patients, episodes: episodes, readings: readings, uploads: uploads)
    }

    /// Patients with no injected event: what they raise has no injected cause.
    public var quietPatients: [Int] {
        let touched = Set(episodes.flatMap { [$0.patient] + ($0.other.map { [$0] } ?? []) })
        return patients.map(\.index).filter { !touched.contains($0) }
    }
}
