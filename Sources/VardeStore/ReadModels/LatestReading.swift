import Foundation
import VardeCore

/// The latest non-void reading of one kind, as the `latest` column of
/// `patients` keeps it per kind.
public struct LatestReading: Codable, Equatable, Sendable {
    public var readingId: UUID
    public var value: MeasurementValue
    /// `EventDate` text, as stored.
    public var measuredAt: String
}
