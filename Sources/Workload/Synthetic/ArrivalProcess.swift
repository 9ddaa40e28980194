import MoECore

/// A point process of request arrivals, drawn one gap at a time.
///
/// ``SyntheticWorkload`` puts its first request at time 0 (as a trace replay does) and each later one
/// one gap after the previous. The current instant is passed in so time-varying processes (diurnal)
/// can use it.
public protocol ArrivalProcess: Sendable {
    /// The gap from the arrival at `now` to the next one.
    mutating func nextGap(after now: SimTime, using generator: inout SeededGenerator) -> SimDuration
}

extension WorkloadError {
    /// Throws unless `value` is finite and positive.
    static func requirePositive(_ value: Double, _ name: String) throws {
        guard value.isFinite && value > 0 else {
            throw WorkloadError.invalidParameter(
                name: name, message: "expected a finite positive number, found \(value)")
        }
    }
}
