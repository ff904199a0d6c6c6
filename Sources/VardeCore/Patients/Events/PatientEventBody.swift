/// What every patient event body has: a stable type name and the schema version it is written in.
public protocol PatientEventBody: Codable, Equatable, Sendable {
    /// The `type` column; never renamed.
    static var type: String { get }
    /// The version `encode` writes; older versions are upcast by `PatientEvent.decode`.
    static var schemaVersion: Int { get }
}

extension PatientEventBody {
    public static var schemaVersion: Int { 1 }
}
