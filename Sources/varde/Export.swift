import ArgumentParser
import Foundation
import VardeCLI
import VardeCore
import VardeHTTP
import VardeStore

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write history as NDJSON, one event a line with its hash: one patient, or the whole log.")

    @OptionGroup var options: DatabaseOptions

    @Option(help: "The patient id to export.")
    var patient: String?

    @Flag(help: "Stream the whole log in position order (progress on standard error).")
    var all = false

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard (patient == nil) != !all else { throw ValidationError("give --patient <id> or --all") }
    }

    func run() async throws {
        try await reporting {
            let configuration = try options.configuration()
            let database = Database(conninfo: configuration.databaseURL, maxConnections: 1, logger: try options.makeLogger())
            let out: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil),
                    let handle = FileHandle(forWritingAtPath: output)
                else { throw ValidationError("cannot write \(output)") }
                out = handle
            } else {
                out = FileHandle.standardOutput
            }
            let store = EventStore(database: database)
            var written = 0
            let progress = LastLine()
            if let patient {
                guard let id = UUID(uuidString: patient) else { throw ValidationError("--patient takes a patient id") }
                let events = try await store.read(stream: StreamName.patient(id))
                guard !events.isEmpty else { throw ValidationError("no such patient") }
                try await Self.logAccess(
                    database, patient: id, action: "exportPatient", route: "varde export --patient \(id.lowercasedText)")
                for e in events { out.write(Data((try ExportLine.json(e) + "\n").utf8)) }
                written = events.count
            } else {
                try await Self.logAccess(database, patient: nil, action: "exportAll", route: "varde export --all")
                let head = try await store.headPosition()
                var position: Int64 = 0
                while true {
                    let page = try await store.readAll(after: position, limit: 10_000)
                    guard let last = page.last else { break }
                    var chunk = ""
                    for e in page { chunk += try ExportLine.json(e) + "\n" }
                    out.write(Data(chunk.utf8))
                    written += page.count
                    position = last.position
                    progress.print("exported \(written) events, position \(position) of \(head)")
                }
            }
            try? out.synchronize()
            FileHandle.standardError.write(Data("exported \(written) events\n".utf8))
            await database.close()
        }
    }

    /// An export hands patient data over: it is in the access log like any
    /// read, before the first line is written, under the operating-system
    /// user who ran it (role `operator`).
    static func logAccess(_ database: Database, patient: UUID?, action: String, route: String) async throws {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
        let entry = AccessEntry(
            requestID: UUID().lowercasedText, subject: "cli:\(user)", role: "operator", teams: [], patientID: patient,
            action: action, route: route)
        try await database.withConnection { try $0.logAccess([entry]) }
    }
}
