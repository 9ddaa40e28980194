import Foundation
import Simulation
import Tuning

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on standard error for simulations and sweeps that run longer than a couple of seconds.
///
/// It draws only when standard error is a terminal, never before two seconds of wall time, and at most
/// ten times a second; the wall clock it reads never reaches a report. Calls must not overlap (a sweep's
/// runner makes them under its lock), hence `@unchecked Sendable`.
final class ProgressBar: @unchecked Sendable {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private let enabled = isatty(STDERR_FILENO) == 1

    init() { start = clock.now }

    /// Draws `progress` if it is time to.
    func show(_ progress: SimulationProgress) {
        draw(
            fraction: progress.fraction,
            String(
                format: "%.0f s simulated, %d requests arrived, %d in flight", progress.simulatedTime.seconds,
                progress.arrived, progress.inFlight))
    }

    /// Draws a sweep's `progress` if it is time to.
    func show(_ progress: TrialProgress) {
        let total = progress.expected.map { " of \($0)" } ?? ""
        draw(
            fraction: progress.expected.map { $0 > 0 ? min(Double(progress.finished) / Double($0), 1) : 1 },
            "\(progress.finished)\(total) configurations (\(progress.simulated) simulated, \(progress.reused) reused), "
                + "\((clock.now - start).components.seconds) s")
    }

    private func draw(fraction: Double?, _ text: String) {
        guard enabled else { return }
        let now = clock.now
        guard now - start >= .seconds(2) else { return }
        if let lastDrawn, now - lastDrawn < .milliseconds(100) { return }
        lastDrawn = now
        var line = ""
        if let fraction {
            let width = 30
            let filled = Int((fraction * Double(width)).rounded(.down))
            line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3.0f%% ", fraction * 100)
        }
        FileHandle.standardError.write(Data(("\r" + line + text + "\u{1B}[K").utf8))
    }

    /// Removes the bar, if drawn.
    func clear() {
        guard lastDrawn != nil else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
