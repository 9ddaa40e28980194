import Dispatch
import MoECore

/// The engine's clock: monotonic wall time since the engine started, as a `SimTime`, so that the engine's
/// request records use the same type (and the same origin at zero) as the simulator's virtual clock.
public struct EngineClock: Sendable {
    /// The monotonic reading at the engine's start, in nanoseconds.
    let origin: Int64

    /// A clock whose zero is now.
    public init() { origin = MonotonicClock.nanoseconds() }

    /// Time since the engine started.
    public func now() -> SimTime { SimTime(nanosecondsSinceStart: MonotonicClock.nanoseconds() - origin) }

    /// The Dispatch deadline at which this clock reads `time` (for timers on Dispatch queues).
    func dispatchTime(at time: SimTime) -> DispatchTime {
        let remaining = max(0, (time - now()).nanoseconds)
        return .now() + .nanoseconds(Int(remaining))
    }
}
