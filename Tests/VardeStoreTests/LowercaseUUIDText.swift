/// For comparing the projector's hand-written rows with their Codable form:
/// Foundation encodes UUIDs in upper case, the writer in lower case, so the
/// Codable text has every UUID-shaped run lower-cased before comparing.
enum LowercaseUUIDText {
    static func apply(_ json: String) -> String {
        var bytes = Array(json.utf8)
        guard bytes.count >= 36 else { return json }
        func hex(_ b: UInt8) -> Bool { (48...57).contains(b) || (65...70).contains(b) || (97...102).contains(b) }
        var i = 0
        while i + 36 <= bytes.count {
            let dashes = bytes[i + 8] == 45 && bytes[i + 13] == 45 && bytes[i + 18] == 45 && bytes[i + 23] == 45
            if dashes, (0..<36).allSatisfy({ [8, 13, 18, 23].contains($0) || hex(bytes[i + $0]) }) {
                for j in i..<(i + 36) where (65...70).contains(bytes[j]) { bytes[j] += 32 }
                i += 36
            } else {
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
