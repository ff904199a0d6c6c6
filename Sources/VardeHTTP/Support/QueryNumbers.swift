import Hummingbird

/// Numeric query parameters, read strictly: a value that is not a number of
/// the expected kind, not finite (`nan`, `inf`, `1e400`) or outside its range
/// is a 422 naming the parameter, never clamped into something else and
/// never allowed to reach an integer conversion that traps.
extension Parameters {
    /// A whole number in `range`; `fallback` when the parameter is absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = get(name) else { return fallback }
        guard let n = Int(text), range.contains(n) else {
            throw Problem.invalid("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)", pointer: "/\(name)")
        }
        return n
    }

    /// A whole number of at least `minimum`, or nil when absent.
    func integer(_ name: String, atLeast minimum: Int64) throws -> Int64? {
        guard let text = get(name) else { return nil }
        guard let n = Int64(text), n >= minimum else {
            throw Problem.invalid("\(name) must be a whole number of at least \(minimum)", pointer: "/\(name)")
        }
        return n
    }

    /// Seconds in `range` (fractions allowed); `fallback` when absent.
    func seconds(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws -> Double {
        guard let text = get(name) else { return fallback }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw Problem.invalid(
                "\(name) must be a number of seconds from \(range.lowerBound) to \(range.upperBound)", pointer: "/\(name)")
        }
        return value
    }
}
