/// A span of virtual or wall-clock time, counted in whole nanoseconds.
///
/// Integer nanoseconds keep simulations bit-for-bit reproducible: adding a thousand step times gives
/// the same instant on every machine, which floating-point seconds do not guarantee.
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length of the span in nanoseconds (may be negative for a difference of instants).
    public var nanoseconds: Int64

    /// Creates a span of exactly `nanoseconds`.
    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The empty span.
    public static let zero = SimDuration(nanoseconds: 0)

    /// A span of `seconds`, rounded to the nearest nanosecond.
    @inlinable
    public static func seconds(_ seconds: Double) -> SimDuration {
        SimDuration(nanoseconds: Int64((seconds * 1e9).rounded()))
    }

    /// A span of `milliseconds`, rounded to the nearest nanosecond.
    @inlinable
    public static func milliseconds(_ milliseconds: Double) -> SimDuration {
        SimDuration(nanoseconds: Int64((milliseconds * 1e6).rounded()))
    }

    /// A span of `microseconds`, rounded to the nearest nanosecond.
    @inlinable
    public static func microseconds(_ microseconds: Double) -> SimDuration {
        SimDuration(nanoseconds: Int64((microseconds * 1e3).rounded()))
    }

    /// The span in seconds.
    @inlinable
    public var seconds: Double { Double(nanoseconds) / 1e9 }
    /// The span in milliseconds.
    @inlinable
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }
    /// The span in microseconds.
    @inlinable
    public var microseconds: Double { Double(nanoseconds) / 1e3 }

    @inlinable
    public static func < (lhs: SimDuration, rhs: SimDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    @inlinable
    public static func + (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
    }
    @inlinable
    public static func - (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
    }
    @inlinable
    public static func += (lhs: inout SimDuration, rhs: SimDuration) { lhs = lhs + rhs }
    @inlinable
    public static func -= (lhs: inout SimDuration, rhs: SimDuration) { lhs = lhs - rhs }
    @inlinable
    public static func * (lhs: SimDuration, rhs: Int) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanoseconds * Int64(rhs))
    }
    @inlinable
    public static func * (lhs: Int, rhs: SimDuration) -> SimDuration { rhs * lhs }

    public var description: String {
        let magnitude = abs(nanoseconds)
        switch magnitude {
        case ..<1_000: return "\(nanoseconds) ns"
        case ..<1_000_000: return "\(Self.format(microseconds)) µs"
        case ..<1_000_000_000: return "\(Self.format(milliseconds)) ms"
        default: return "\(Self.format(seconds)) s"
        }
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }
}

/// An instant on a clock that starts at zero: virtual time in the simulator, time since start in the engine.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanosecondsSinceStart: Int64

    /// Creates the instant `nanosecondsSinceStart` after the origin.
    @inlinable
    public init(nanosecondsSinceStart: Int64) { self.nanosecondsSinceStart = nanosecondsSinceStart }

    /// The clock's origin.
    public static let zero = SimTime(nanosecondsSinceStart: 0)

    /// The instant `seconds` after the origin, rounded to the nearest nanosecond.
    @inlinable
    public static func seconds(_ seconds: Double) -> SimTime {
        SimTime(nanosecondsSinceStart: SimDuration.seconds(seconds).nanoseconds)
    }

    /// Seconds since the origin.
    @inlinable
    public var seconds: Double { Double(nanosecondsSinceStart) / 1e9 }

    @inlinable
    public static func < (lhs: SimTime, rhs: SimTime) -> Bool {
        lhs.nanosecondsSinceStart < rhs.nanosecondsSinceStart
    }
    @inlinable
    public static func + (lhs: SimTime, rhs: SimDuration) -> SimTime {
        SimTime(nanosecondsSinceStart: lhs.nanosecondsSinceStart + rhs.nanoseconds)
    }
    @inlinable
    public static func += (lhs: inout SimTime, rhs: SimDuration) { lhs = lhs + rhs }
    @inlinable
    public static func - (lhs: SimTime, rhs: SimDuration) -> SimTime {
        SimTime(nanosecondsSinceStart: lhs.nanosecondsSinceStart - rhs.nanoseconds)
    }
    @inlinable
    public static func - (lhs: SimTime, rhs: SimTime) -> SimDuration {
        SimDuration(nanoseconds: lhs.nanosecondsSinceStart - rhs.nanosecondsSinceStart)
    }

    public var description: String { "t+\(SimDuration(nanoseconds: nanosecondsSinceStart))" }
}
