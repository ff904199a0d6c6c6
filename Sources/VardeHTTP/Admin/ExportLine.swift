import VardeCore
import VardeStore

/// One NDJSON line of `varde export`: the stored event with its hash, body as stored.
public enum ExportLine {
    public static func json(_ event: VardeCore.RecordedEvent) throws -> String {
        try AuditViews.json(event)
    }
}
