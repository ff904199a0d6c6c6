import Foundation
import VardeStore

/// A page of a team's alert feed: each entry is the alert as it stood after
/// the change, with the change and the entry's cursor; `next` is the cursor
/// to poll after.
struct AlertFeedBody: Encodable {
    struct Entry: Encodable {
        var item: AlertItem
        var change: String
        var cursor: String

        private enum CodingKeys: String, CodingKey { case change, cursor }

        /// The alert's own members, with `change` and `cursor` beside them.
        func encode(to encoder: any Encoder) throws {
            var stored = item
            stored.change = nil
            try stored.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(change, forKey: .change)
            try c.encode(cursor, forKey: .cursor)
        }
    }

    var alerts: [Entry]
    var next: String
}
