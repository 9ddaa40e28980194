import MoECore

/// A stream of requests pulled one at a time, in nondecreasing arrival order.
///
/// Every trace reader and generator in this module is one. Sources number their requests 0, 1, 2, …
/// in arrival order, and arrivals are relative to the start of the workload (a trace's first
/// timestamp), so a consumer can merge, truncate or scale them without knowing where they came from.
/// Pulling keeps memory flat: a source holds at most a bounded window of requests, never a whole trace.
public protocol RequestSource {
    /// The next request, or `nil` when the workload is exhausted. Throws `WorkloadError` on bad input.
    mutating func next() throws -> RequestSpec?
}
