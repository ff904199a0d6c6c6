import Foundation
import VardeCore

/// A feed position: the log position of the event that changed the alert and
/// the change's number within that event. Opaque to clients (base64url).
struct FeedCursor: Equatable {
    var position: Int64
    var seq: Int

    init(position: Int64, seq: Int) {
        self.position = position
        self.seq = seq
    }

    init(text: String) throws {
        // Written unpadded; padded text is accepted too.
        guard let data = Data(base64URLEncoded: text, allowPadding: true), let plain = String(data: data, encoding: .utf8) else {
            throw Problem.invalid("not a cursor from this feed", pointer: "/after")
        }
        let parts = plain.split(separator: ":")
        guard parts.count == 3, parts[0] == "v1", let position = Int64(parts[1]), let seq = Int(parts[2]), position >= 0 else {
            throw Problem.invalid("not a cursor from this feed", pointer: "/after")
        }
        self.init(position: position, seq: seq)
    }

    var text: String {
        Data("v1:\(position):\(seq)".utf8).base64URLEncodedString()
    }
}
