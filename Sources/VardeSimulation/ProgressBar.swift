import Foundation
import Synchronization
import VardeSimulator

/// Progress on standard error: a bar redrawn in place on a terminal, a line
/// every tenth otherwise (logs of CI).
public final class ProgressBar: Sendable {
    private let terminal = isatty(2) != 0
    /// Each arm has a ledger of its own: its rate counts from its own start.
    private let state = Mutex<(last: ContinuousClock.Instant, tenth: Int, started: ContinuousClock.Instant, arm: Arm?)>(
        (.now - .seconds(1), -1, .now, nil))
    private let arms: Int

    public init(arms: Int) { self.arms = arms }

    func update(arm: Arm, tick: Int, of ticks: Int, days: Int, ledger: Ledger) {
        let now = ContinuousClock.now
        let fraction = Double(tick) / Double(ticks)
        let draw: Bool = state.withLock { s in
            if s.arm != arm { (s.arm, s.started, s.tenth) = (arm, now, -1) }
            let tenth = Int(fraction * 10)
            let due = terminal ? now - s.last >= .milliseconds(200) || tick == ticks : tenth != s.tenth
            if due {
                s.last = now
                s.tenth = tenth
            }
            return due
        }
        guard draw else { return }
        let snapshot = ledger.snapshot
        let elapsed = state.withLock { now - $0.started }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let width = 30, filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(
            format: "%@ [%@] %3d%%  day %d  %d readings  %.0f req/s", arm.title, bar, Int(fraction * 100),
            Int(fraction * Double(days)), snapshot.readingsSent, Double(snapshot.requests) / max(seconds, 0.001))
        FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + line + (terminal && tick < ticks ? "" : "\n")).utf8))
    }
}
