/// Synthetic Test-Norge fødselsnumre (month + 80), with both mod-11 check digits right.
public enum SyntheticIdentity {
    /// A valid number, unique per `n` (0 ≤ n < 3,360,000).
    public static func fodselsnummer(_ n: Int) -> String {
        let date = n % 33_600, base = n / 33_600
        let day = 1 + date % 28, month = 81 + (date / 28) % 12, year = date / 336
        for k in 0..<10 {
            let individual = base * 10 + k
            var digits = [
                day / 10, day % 10, month / 10, month % 10, year / 10, year % 10,
                individual / 100, (individual / 10) % 10, individual % 10,
            ]
            let k1 = (11 - zip(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]).reduce(0) { $0 + $1.0 * $1.1 } % 11) % 11
            guard k1 != 10 else { continue }
            digits.append(k1)
            let k2 = (11 - zip(digits, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 } % 11) % 11
            guard k2 != 10 else { continue }
            digits.append(k2)
            return digits.map(String.init).joined()
        }
        // Some individual number of the ten always gives valid check digits.
        preconditionFailure("no valid identifier for \(n)")
    }
}
