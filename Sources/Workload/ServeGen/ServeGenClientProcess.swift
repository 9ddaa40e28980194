import Foundation
import MoECore

/// The arrivals of one ServeGen client: a renewal process per 600 s window with the window's fitted
/// family, its scale set so the mean gap is 1 / rate (upstream rescales its samples the same way).
///
/// Each window starts the process in equilibrium: the first gap is a residual life, U · L with L drawn
/// from the length-biased gap distribution (Gamma(k + 1, θ) for gamma; λ·G^(1/c), G ~ Gamma(1 + 1/c, 1)
/// for Weibull). Starting at the window edge with an ordinary gap would add about (CV² − 1) / 2 extra
/// requests per window, which for ServeGen's CVs of 5–10 is tens of spurious requests. With it, a
/// window's expected count is exactly rate × length.
struct ServeGenClientProcess: Sendable {
    private let windows: [ServeGenWindow]
    private let windowLength: Int64
    private let rateScale: Double
    private var generator: SeededGenerator
    private var windowIndex = 0
    /// Scale of the current window's gap distribution, in seconds.
    private var scale = 0.0
    /// The next arrival (nanoseconds since the released span's start), nil when the client is done.
    private(set) var nextArrival: Int64?

    /// A process over `windows` (multiplying every rate by `rateScale`) starting at `start`.
    init(windows: [ServeGenWindow], rateScale: Double, start: Int64, generator: SeededGenerator) {
        self.windows = windows
        windowLength = Self.windowLength(of: windows)
        self.rateScale = rateScale
        self.generator = generator
        let first = windows.indices.first { windowEnd($0) > start } ?? windows.count
        enterWindow(first, at: max(start, first < windows.count ? windows[first].start : start))
    }

    /// Start of the window the next arrival falls in.
    var currentWindowStart: Int64 { windows[windowIndex].start }

    /// Draws the arrival after ``nextArrival``.
    mutating func advance() {
        guard let now = nextArrival else { return }
        let gap = sampleGap(residual: false)
        if let candidate = Self.add(now, seconds: gap), candidate < windowEnd(windowIndex) {
            nextArrival = candidate
        } else if windowIndex + 1 < windows.count {
            enterWindow(windowIndex + 1, at: windows[windowIndex + 1].start)
        } else {
            nextArrival = nil
        }
    }

    /// Expected requests from `start` on: Σ rate × rateScale × (window time at or after start).
    static func expectedRequests(windows: [ServeGenWindow], rateScale: Double, start: Int64) -> Double {
        let length = windowLength(of: windows)
        return windows.indices.reduce(0.0) { total, index in
            let covered = max(0, windowEnd(index, of: windows, length: length) - max(start, windows[index].start))
            return total + windows[index].rate * rateScale * Double(covered) / 1e9
        }
    }

    /// Spacing of the windows (600 s in the released data).
    private static func windowLength(of windows: [ServeGenWindow]) -> Int64 {
        windows.count > 1 ? windows[1].start - windows[0].start : 600_000_000_000
    }

    private static func windowEnd(_ index: Int, of windows: [ServeGenWindow], length: Int64) -> Int64 {
        index + 1 < windows.count ? windows[index + 1].start : windows[index].start + length
    }

    private func windowEnd(_ index: Int) -> Int64 { Self.windowEnd(index, of: windows, length: windowLength) }

    /// Starts the equilibrium process in window `index` at `time`, moving on past idle windows.
    private mutating func enterWindow(_ index: Int, at time: Int64) {
        var index = index
        var time = time
        while index < windows.count {
            windowIndex = index
            let window = windows[index]
            if window.rate > 0, let family = window.family {
                let rate = window.rate * rateScale
                switch family {
                case .gamma(let shape): scale = 1 / (rate * shape)
                case .weibull(let shape): scale = 1 / (rate * tgamma(1 + 1 / shape))
                }
                if scale.isFinite, scale > 0, let first = Self.add(time, seconds: sampleGap(residual: true)),
                    first < windowEnd(index)
                {
                    nextArrival = first
                    return
                }
            }
            index += 1
            if index < windows.count { time = windows[index].start }
        }
        nextArrival = nil
    }

    /// A gap of the current window, or (for `residual`) the equilibrium first gap.
    private mutating func sampleGap(residual: Bool) -> Double {
        guard let family = windows[windowIndex].family else { return .infinity }
        switch family {
        case .gamma(let shape):
            guard residual else { return generator.nextGamma(shape: shape, scale: scale) }
            return generator.nextUnitDouble() * generator.nextGamma(shape: shape + 1, scale: scale)
        case .weibull(let shape):
            guard residual else { return generator.nextWeibull(shape: shape, scale: scale) }
            let lengthBiased = scale * pow(generator.nextGamma(shape: 1 + 1 / shape, scale: 1), 1 / shape)
            return generator.nextUnitDouble() * lengthBiased
        }
    }

    /// `time` plus `seconds`, or nil when that is not a representable instant.
    private static func add(_ time: Int64, seconds: Double) -> Int64? {
        let nanoseconds = (seconds * 1e9).rounded()
        guard nanoseconds.isFinite, nanoseconds < 9e18 - Double(time) else { return nil }
        return time + Int64(nanoseconds)
    }
}
